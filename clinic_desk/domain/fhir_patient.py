"""A FHIR R4 ``Patient`` resource (parsed JSON) read into the import's fields.

Plain JSON, no FHIR library: the import reads a dozen elements of one resource type, and
the official examples (tests/services/test_import_samples.py) pin how. The MRN is the
identifier typed ``MR`` (HL7 v2 table 0203) or, when the clinic names one, the identifier
with that system.
"""

from __future__ import annotations

from typing import Any, Final

from clinic_desk.domain import codes

MR_TYPE: Final = "MR"
_V2_0203 = ("http://terminology.hl7.org/CodeSystem/v2-0203", "http://hl7.org/fhir/v2/0203")


def _dicts(value: Any) -> list[dict[str, Any]]:
    return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


def mrn_of(resource: dict[str, Any], mrn_system: str = "") -> str:
    """The medical record number: the configured system's identifier, else the one typed MR."""
    identifiers = _dicts(resource.get("identifier"))
    if mrn_system:
        for identifier in identifiers:
            if _text(identifier.get("system")) == mrn_system and _text(identifier.get("value")):
                return _text(identifier.get("value"))
    for identifier in identifiers:
        kind = _dict(identifier.get("type"))
        for coding in _dicts(kind.get("coding")):
            system = _text(coding.get("system"))
            value = _text(identifier.get("value"))
            if _text(coding.get("code")) == MR_TYPE and (not system or system in _V2_0203) and value:
                return value
    return ""


def _name(resource: dict[str, Any]) -> dict[str, Any]:
    names = _dicts(resource.get("name"))
    official = [name for name in names if name.get("use") == "official"]
    current = [name for name in names if name.get("use") not in ("old", "maiden")]
    return (official or current or names or [{}])[0]


def _telecom(resource: dict[str, Any], system: str) -> str:
    points = [
        p for p in _dicts(resource.get("telecom")) if p.get("system") == system and _text(p.get("value"))
    ]
    points.sort(
        key=lambda p: (p.get("use") == "old", p.get("rank", 99) if isinstance(p.get("rank"), int) else 99)
    )
    return _text(points[0].get("value")) if points else ""


def _address(resource: dict[str, Any]) -> dict[str, Any]:
    addresses = [a for a in _dicts(resource.get("address")) if a.get("use") != "old"]
    home = [a for a in addresses if a.get("use") == "home"]
    return (home or addresses or [{}])[0]


def _language(resource: dict[str, Any]) -> str:
    spoken = _dicts(resource.get("communication"))
    preferred = [c for c in spoken if c.get("preferred") is True] or spoken
    for communication in preferred:
        language = _dict(communication.get("language"))
        for coding in _dicts(language.get("coding")):
            if code := _text(coding.get("code")):
                return code
    return ""


def _status(resource: dict[str, Any]) -> str:
    if resource.get("deceasedBoolean") is True or _text(resource.get("deceasedDateTime")):
        return codes.DECEASED
    if resource.get("active") is False:
        return codes.INACTIVE
    return ""


def patient_values(resource: dict[str, Any], mrn_system: str = "") -> dict[str, str]:
    """The fields a Patient brings, as text ("" where it has nothing)."""
    name = _name(resource)
    given = (
        [_text(part) for part in name.get("given", []) if _text(part)]
        if isinstance(name.get("given"), list)
        else []
    )
    address = _address(resource)
    lines = (
        [_text(line) for line in address.get("line", []) if _text(line)]
        if isinstance(address.get("line"), list)
        else []
    )
    gender = _text(resource.get("gender"))
    return {
        "mrn": mrn_of(resource, mrn_system),
        "first_name": " ".join(given),
        "last_name": _text(name.get("family")),
        "date_of_birth": _text(resource.get("birthDate")),
        "sex": gender,
        "email": _telecom(resource, "email"),
        "phone": _telecom(resource, "phone"),
        "address_line1": lines[0] if lines else "",
        "address_line2": ", ".join(lines[1:]),
        "city": _text(address.get("city")),
        "state": _text(address.get("state")),
        "zip_code": _text(address.get("postalCode")),
        "status": _status(resource),
        "preferred_language": _language(resource),
    }
