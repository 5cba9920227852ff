"""Email templates: plain-text and HTML parts per kind, files a clinic can edit."""

from __future__ import annotations

import html
from dataclasses import dataclass
from pathlib import Path
from string import Template

from clinic_desk.domain import codes
from clinic_desk.domain.errors import ValidationError

BUILTIN_DIR = Path(__file__).resolve().parent.parent / "templates"
PLACES = ("first_name", "clinic_name", "link", "expires", "sender_address", "whitelist_domain", "username")
PARTS = ("subject", "txt", "html")


@dataclass(frozen=True)
class RenderedEmail:
    """One email ready for the outbox."""

    subject: str
    text: str
    html: str


def _read(kind: str, part: str, folder: Path | None) -> str:
    for base in (folder, BUILTIN_DIR):
        if base is not None and (base / f"{kind}.{part}").is_file():
            return (base / f"{kind}.{part}").read_text(encoding="utf-8")
    raise ValidationError(f"The {kind} email template ({kind}.{part}) is missing.", field="templates")


def render(kind: str, values: dict[str, str], folder: Path | None = None) -> RenderedEmail:
    """Fill the templates of one kind; HTML values are escaped."""
    subject = Template(_read(kind, "subject", folder)).substitute(values).strip()
    text = Template(_read(kind, "txt", folder)).substitute(values)
    escaped = {key: html.escape(value) for key, value in values.items()}
    body_html = Template(_read(kind, "html", folder)).substitute(escaped)
    return RenderedEmail(subject=" ".join(subject.split()), text=text, html=body_html)


def check_templates(folder: Path | None = None) -> None:
    """Raise ValidationError naming the first bad template (run when settings are saved)."""
    sample = {place: f"<{place}>" for place in PLACES}
    for kind in codes.EMAIL_KINDS:
        for part in PARTS:
            try:
                Template(_read(kind, part, folder)).substitute(sample)
            except (KeyError, ValueError) as error:
                raise ValidationError(
                    f"The {kind} email template ({kind}.{part}) has an unknown or broken "
                    f"placeholder: {error}. Allowed: {', '.join('$' + p for p in PLACES)}.",
                    field="templates",
                ) from error
