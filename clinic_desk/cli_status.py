"""What ``clinic-desk status`` prints: a patient's colour, reasons and trouble spots, as text or JSON."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from clinic_desk.cli_output import say, say_json

if TYPE_CHECKING:
    from clinic_desk.domain.status import PortalStatus, StatusItem
    from clinic_desk.services.clinic import Clinic


def _plain(value: Any) -> Any:
    """Facts as JSON values: mappings, lists, ISO dates."""
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {str(key): _plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [_plain(item) for item in value]
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return str(value)


def _items(items: Sequence[StatusItem]) -> list[dict[str, Any]]:
    return [{"code": item.code, "message": item.message, "facts": _plain(item.facts)} for item in items]


def status_document(clinic: Clinic, patient_id: int, status: PortalStatus | None = None) -> dict[str, Any]:
    """The JSON object ``clinic-desk status --json`` prints for one patient."""
    chart = clinic.staff.chart(patient_id)
    status = status or clinic.status(patient_id)
    return {
        "patient_id": patient_id,
        "mrn": chart.mrn,
        "name": chart.full_name,
        "color": status.color,
        "headline": status.headline,
        "reasons": _items(status.reasons),
        "trouble_spots": _items(status.trouble_spots),
        "evaluated_at": status.evaluated_at.isoformat(),
    }


def print_status(document: Mapping[str, Any], *, as_json: bool = False) -> None:
    """Print the document (every line of data escaped: names can hold anything an import brought)."""
    if as_json:
        say_json(document)
        return
    say(f"{document['name']} (MRN {document['mrn']}, patient id {document['patient_id']})")
    say(f"{document['color'].upper()}: {document['headline']}")
    for title, items in (("Reasons", document["reasons"]), ("Trouble spots", document["trouble_spots"])):
        say(f"{title}:")
        if not items:
            say("  none")
        for item in items:
            say(f"  {item['code']}: {item['message']}")
