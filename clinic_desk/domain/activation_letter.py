"""The activation letter's words, in English and Spanish (DESIGN.md section 7).

A patient without email gets a printed letter with a one-use activation code; they enter it
with their date of birth on the portal's ``/activate`` page and choose a username and
password. Everything the letter says is here; the desk only lays it out on paper.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Final, Literal

from clinic_desk.domain.activation_codes import letter_language as code_language

LetterLanguage = Literal["en", "es"]
LETTER_LANGUAGES: Final[tuple[LetterLanguage, ...]] = ("en", "es")

#: The language's own name, for staff ("The letter is in Spanish").
LANGUAGE_NAMES: Final[dict[LetterLanguage, str]] = {"en": "English", "es": "Spanish"}

_MONTHS: Final[dict[LetterLanguage, tuple[str, ...]]] = {
    "en": (
        "January", "February", "March", "April", "May", "June",
        "July", "August", "September", "October", "November", "December",
    ),
    "es": (
        "enero", "febrero", "marzo", "abril", "mayo", "junio",
        "julio", "agosto", "septiembre", "octubre", "noviembre", "diciembre",
    ),
}  # fmt: skip


@dataclass(frozen=True)
class _Phrases:
    title: str
    greeting: str  # {name}
    paragraph: str  # {clinic}
    steps: tuple[str, str, str]  # the first takes {address}
    address_caption: str
    scan_caption: str
    code_caption: str
    expiry: str  # {day}
    printed: str  # {day}
    help_line: str  # {clinic}
    keep_private: str


_PHRASES: Final[dict[LetterLanguage, _Phrases]] = {
    "en": _Phrases(
        title="Your patient portal activation code",
        greeting="Dear {name},",
        paragraph=(
            "{clinic} invites you to use the patient portal: see your information and send us "
            "secure messages from your phone or computer. This letter has everything you need "
            "to set up your account."
        ),
        steps=(
            "Go to {address} or scan the code with your phone's camera.",
            "Enter this activation code and your date of birth.",
            "Choose your username and password.",
        ),
        address_caption="Portal address",
        scan_caption="Scan with your phone",
        code_caption="Your activation code",
        expiry="It works once, until {day}.",
        printed="Printed on {day}",
        help_line="Need help? Ask the front desk at {clinic}; they can print you a new code.",
        keep_private="Keep this letter private: the code opens your account.",
    ),
    "es": _Phrases(
        title="Su código para activar el portal del paciente",
        greeting="Estimado(a) {name}:",
        paragraph=(
            "{clinic} le invita a usar el portal del paciente: vea su información y envíenos "
            "mensajes seguros desde su teléfono o computadora. Esta carta tiene todo lo que "
            "necesita para crear su cuenta."
        ),
        steps=(
            "Vaya a {address} o escanee el código con la cámara de su teléfono.",
            "Escriba este código de activación y su fecha de nacimiento.",
            "Elija su nombre de usuario y su contraseña.",
        ),
        address_caption="Dirección del portal",
        scan_caption="Escanee con su teléfono",
        code_caption="Su código de activación",
        expiry="Sirve una sola vez, hasta el {day}.",
        printed="Impreso el {day}",
        help_line=(
            "¿Necesita ayuda? Pregunte en la recepción de {clinic}; le pueden imprimir un código nuevo."
        ),
        keep_private="Guarde esta carta en privado: el código abre su cuenta.",
    ),
}


@dataclass(frozen=True)
class LetterWords:
    """Everything printed on one activation letter, already in the patient's language."""

    language: LetterLanguage
    clinic_name: str
    printed_on: str  # "Printed on November 27, 2026"
    title: str
    greeting: str
    paragraph: str
    address_caption: str
    address: str  # the portal's /activate page
    scan_caption: str
    code_caption: str
    code: str  # "ABCD-EFGH"
    expiry: str  # "It works once, until December 27, 2026."
    steps: tuple[str, str, str]
    help_line: str
    keep_private: str


def letter_language(tag: str | None) -> LetterLanguage:
    """The letter's language for a chart's preferred language: the services' rule, typed."""
    return "es" if code_language(tag) == "es" else "en"


def grouped_code(code: str) -> str:
    """The code as printed, in two groups easy to copy: 'ABCDEFGH' -> 'ABCD-EFGH'."""
    plain = "".join(ch for ch in code.upper() if ch.isalnum())
    middle = (len(plain) + 1) // 2
    return f"{plain[:middle]}-{plain[middle:]}" if len(plain) > 4 else plain


def long_date(day: date, language: LetterLanguage) -> str:
    """The day written out: 'December 27, 2026' or '27 de diciembre de 2026'."""
    month = _MONTHS[language][day.month - 1]
    if language == "es":
        return f"{day.day} de {month} de {day.year}"
    return f"{month} {day.day}, {day.year}"


def expiry_day(expires_at: datetime) -> date:
    """The last day the code works, on this computer's calendar (a naive time is taken as local)."""
    return expires_at.astimezone().date()


def letter_words(
    *,
    clinic_name: str,
    patient_name: str,
    code: str,
    expires_on: date,
    activate_url: str,
    language: str | None,
    printed_on: date,
) -> LetterWords:
    """The letter for one patient, in ``language`` (any BCP 47 tag; Spanish or else English)."""
    lang = letter_language(language)
    phrases = _PHRASES[lang]
    clinic = clinic_name.strip() or ("the clinic" if lang == "en" else "la clínica")
    name = " ".join(patient_name.split())
    first, second, third = phrases.steps
    return LetterWords(
        language=lang,
        clinic_name=clinic,
        printed_on=phrases.printed.format(day=long_date(printed_on, lang)),
        title=phrases.title,
        greeting=phrases.greeting.format(name=name),
        paragraph=phrases.paragraph.format(clinic=clinic),
        address_caption=phrases.address_caption,
        address=activate_url,
        scan_caption=phrases.scan_caption,
        code_caption=phrases.code_caption,
        code=grouped_code(code),
        expiry=phrases.expiry.format(day=long_date(expires_on, lang)),
        steps=(first.format(address=activate_url), second, third),
        help_line=phrases.help_line.format(clinic=clinic),
        keep_private=phrases.keep_private,
    )


def letter_file_name(patient_name: str, printed_on: date) -> str:
    """A saved letter's name says what it holds: 'Activation letter - Ana Diaz - 2026-11-27.pdf'."""
    safe = "".join(ch if ch.isalnum() or ch in " .'-" else " " for ch in patient_name)
    name = " ".join(safe.split())[:60] or "patient"
    return f"Activation letter - {name} - {printed_on.isoformat()}.pdf"
