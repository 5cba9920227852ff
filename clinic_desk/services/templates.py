"""Email templates: plain-text and HTML parts per kind, files a clinic can edit.

The built-in templates live in ``clinic_desk/templates``. A clinic overrides any of
them by putting a file of the same name (``invitation.html``...) in its templates
folder: the ``templates_dir`` setting when given, else ``$CLINIC_DESK_TEMPLATES_DIR``,
else ``<user config folder>/clinic-desk/templates`` when it exists. Files missing
there fall back to the built-in ones, one by one.
"""

from __future__ import annotations

import difflib
import html
import os
import re
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from string import Template

from clinic_desk.domain import codes
from clinic_desk.domain.errors import ValidationError

BUILTIN_DIR = Path(__file__).resolve().parent.parent / "templates"
ENV_VAR = "CLINIC_DESK_TEMPLATES_DIR"
PLACES = ("first_name", "clinic_name", "link", "expires", "sender_address", "whitelist_domain", "username")
PARTS = ("subject", "txt", "html")
# outbox_emails.subject holds 200 characters; leave room for long names.
SUBJECT_LIMIT = 200

# Realistic, longish values: a subject that fits these fits nearly every patient.
_SAMPLE = {
    "first_name": "Maria-Fernanda",
    "clinic_name": "Riverside Family Medicine and Pediatrics Clinic",
    "link": "https://portal.example.org/accept-invitation?token=" + "x" * 43,
    "expires": "Nov 30, 2026 at 11:45 PM",
    "sender_address": "patient-portal@riverside-family-clinic.example.org",
    "whitelist_domain": "riverside-family-clinic.example.org",
    "username": "maria.fernanda.lopez",
}


@dataclass(frozen=True)
class RenderedEmail:
    """One email ready for the outbox."""

    subject: str
    text: str
    html: str


@dataclass(frozen=True)
class TemplateProblem:
    """One thing wrong with one template file, in words for the settings page."""

    file: str
    message: str
    line: int | None = None

    def __str__(self) -> str:
        where = f"{self.file}, line {self.line}" if self.line else self.file
        return f"{where}: {self.message}"


def user_templates_dir() -> Path:
    """The per-user override folder: ``<user config folder>/clinic-desk/templates``."""
    from platformdirs import user_config_path

    return user_config_path("clinic-desk", appauthor=False) / "templates"


def templates_folder(configured: str | Path | None = None) -> Path | None:
    """The override folder in use: the setting, else the environment, else the user folder if present."""
    if configured is not None and str(configured).strip():
        return Path(str(configured).strip()).expanduser()
    from_env = os.environ.get(ENV_VAR, "").strip()
    if from_env:
        return Path(from_env).expanduser()
    user = user_templates_dir()
    return user if user.is_dir() else None


def _source(kind: str, part: str, folder: Path | None) -> Path:
    name = f"{kind}.{part}"
    if folder is not None and (folder / name).is_file():
        return folder / name
    if (BUILTIN_DIR / name).is_file():
        return BUILTIN_DIR / name
    raise ValidationError(f"The {kind} email template ({name}) is missing.", field="templates")


def _read(kind: str, part: str, folder: Path | None) -> str:
    return _source(kind, part, folder).read_text(encoding="utf-8")


def render(kind: str, values: dict[str, str], folder: Path | None = None) -> RenderedEmail:
    """Fill the templates of one kind; HTML values are escaped.

    ``folder`` defaults to ``templates_folder()``; missing files come from the built-in set.
    """
    folder = folder if folder is not None else templates_folder()
    subject = Template(_read(kind, "subject", folder)).substitute(values).strip()
    text = Template(_read(kind, "txt", folder)).substitute(values)
    escaped = {key: html.escape(value) for key, value in values.items()}
    body_html = Template(_read(kind, "html", folder)).substitute(escaped)
    return RenderedEmail(subject=" ".join(subject.split()), text=text, html=body_html)


def check_templates(folder: Path | None = None) -> None:
    """Raise ValidationError listing every problem in the templates (run when settings are saved)."""
    problems = template_problems(folder)
    if problems:
        where = folder if folder is not None else templates_folder()
        lines = "\n".join(f"- {problem}" for problem in problems)
        raise ValidationError(
            f"The email templates{f' in {where}' if where else ''} need fixing before they can be "
            f"used:\n{lines}\nAllowed placeholders: {', '.join('$' + p for p in PLACES)}.",
            field="templates",
        )


def template_problems(folder: Path | None = None) -> list[TemplateProblem]:
    """Every problem in the templates that would be used (override folder over built-in)."""
    folder = folder if folder is not None else templates_folder()
    problems: list[TemplateProblem] = []
    if folder is not None:
        if not folder.is_dir():
            return [TemplateProblem(str(folder), "the templates folder does not exist")]
        problems.extend(_stray_files(folder))
    for kind in codes.EMAIL_KINDS:
        for part in PARTS:
            path = _source(kind, part, folder)
            try:
                text = path.read_text(encoding="utf-8")
            except UnicodeDecodeError:
                problems.append(TemplateProblem(path.name, "is not saved as UTF-8 text; save it as UTF-8"))
                continue
            except OSError as error:
                problems.append(TemplateProblem(path.name, f"cannot be read ({error.strerror or error})"))
                continue
            problems.extend(_problems_in(path.name, part, text))
    return problems


def _stray_files(folder: Path) -> list[TemplateProblem]:
    """Template-like files with names Clinic Desk never reads (a typo would silently be ignored)."""
    known = {f"{kind}.{part}" for kind in codes.EMAIL_KINDS for part in PARTS}
    problems = []
    for path in sorted(folder.iterdir()):
        if path.suffix.lstrip(".") in PARTS and path.name not in known:
            guess = difflib.get_close_matches(path.name, sorted(known), n=1)
            hint = f" (did you mean {guess[0]}?)" if guess else ""
            problems.append(
                TemplateProblem(path.name, f"is not a template name Clinic Desk uses, so it is ignored{hint}")
            )
    return problems


def _problems_in(name: str, part: str, text: str) -> list[TemplateProblem]:
    problems = _placeholder_problems(name, text)
    if part in ("txt", "html") and "$link" not in text and "${link}" not in text:
        problems.append(TemplateProblem(name, "has no $link placeholder, so the patient gets no link"))
    if part == "subject":
        problems.extend(_subject_problems(name, text))
    elif part == "txt" and _HTML_TAG.search(text):
        line = _line_of(text, _HTML_TAG.search(text))
        problems.append(
            TemplateProblem(name, "contains HTML tags; the plain-text part is shown as typed", line)
        )
    elif part == "html":
        problems.extend(_html_problems(name, text))
    return problems


def _placeholder_problems(name: str, text: str) -> list[TemplateProblem]:
    problems = []
    for match in Template.pattern.finditer(text):
        placeholder = match.group("named") or match.group("braced")
        if match.group("invalid") is not None:
            problems.append(
                TemplateProblem(
                    name,
                    "has a $ sign that does not start a placeholder (write $$ for a dollar sign)",
                    _line_of(text, match),
                )
            )
        elif placeholder is not None and placeholder not in PLACES:
            guess = difflib.get_close_matches(placeholder, PLACES, n=1)
            hint = f" (did you mean ${guess[0]}?)" if guess else ""
            problems.append(
                TemplateProblem(
                    name, f"has an unknown placeholder ${placeholder}{hint}", _line_of(text, match)
                )
            )
    return problems


def _subject_problems(name: str, text: str) -> list[TemplateProblem]:
    problems = []
    if not text.strip():
        return [TemplateProblem(name, "is empty; an email needs a subject")]
    if len(text.strip().splitlines()) > 1:
        problems.append(TemplateProblem(name, "must be a single line"))
    if "$link" in text or "${link}" in text:
        problems.append(TemplateProblem(name, "must not contain the link; put $link in the message body"))
    try:
        sample = " ".join(Template(text).safe_substitute(_SAMPLE).split())
    except ValueError:
        return problems  # Reported by the placeholder check.
    if len(sample) > SUBJECT_LIMIT - 40:
        problems.append(
            TemplateProblem(
                name, f"is too long ({len(sample)} characters with a typical name; keep it under 160)"
            )
        )
    return problems


_HTML_TAG = re.compile(r"</?(?:p|br|a|div|span|b|i|strong|em|html|body|table|td|tr|img)\b[^>]*>", re.I)
_BARE_AMPERSAND = re.compile(r"&(?!#[0-9]+;|#[xX][0-9a-fA-F]+;|[A-Za-z][A-Za-z0-9]*;)")
_BARE_LESS_THAN = re.compile(r"<(?![A-Za-z/!?])")
_UNQUOTED_PLACEHOLDER = re.compile(r"=\s*\$")
# Elements with no end tag, and those whose end tag HTML lets authors leave out.
_VOID = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
)
_OPTIONAL_END = frozenset(
    {"p", "li", "dt", "dd", "tr", "td", "th", "thead", "tbody", "tfoot", "option", "colgroup"}
)
_CODE_ELEMENTS = frozenset(("script", "style"))


class _HtmlChecker(HTMLParser):
    """Finds HTML where escaped values would still be unsafe or the markup is broken."""

    def __init__(self, name: str) -> None:
        super().__init__(convert_charrefs=True)
        self.name = name
        self.problems: list[TemplateProblem] = []
        self.open: list[tuple[str, int]] = []
        self.link_in_href = False

    def _problem(self, message: str) -> None:
        self.problems.append(TemplateProblem(self.name, message, self.getpos()[0]))

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        raw = self.get_starttag_text() or ""
        if "$" in tag or any("$" in key for key, _ in attrs):
            self._problem("has a placeholder inside a tag or attribute name")
        if _UNQUOTED_PLACEHOLDER.search(raw):
            self._problem('has a placeholder in an attribute without quotes; write attr="$name"')
        for key, value in attrs:
            if value is None or "$" not in value:
                continue
            if key.startswith("on") or key == "style":
                self._problem(f"has a placeholder in the {key} attribute, where escaping does not protect it")
            elif key in ("href", "src", "action"):
                if value.strip() in ("$link", "${link}"):
                    self.link_in_href = self.link_in_href or key == "href"
                else:
                    self._problem(f'may put only the link in {key}: write {key}="$link"')
        if tag not in _VOID:
            self.open.append((tag, self.getpos()[0]))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in _VOID and self.open and self.open[-1][0] == tag:
            self.open.pop()

    def handle_endtag(self, tag: str) -> None:
        if tag in _VOID:
            return
        names = [open_tag for open_tag, _ in self.open]
        if tag not in names:
            self._problem(f"closes </{tag}> that was never opened")
            return
        while self.open:
            open_tag, line = self.open.pop()
            if open_tag == tag:
                return
            if open_tag not in _OPTIONAL_END:
                self.problems.append(
                    TemplateProblem(self.name, f"opens <{open_tag}> but never closes it", line)
                )

    def handle_data(self, data: str) -> None:
        if self.open and self.open[-1][0] in _CODE_ELEMENTS and "$" in data:
            self._problem(
                f"has a placeholder inside <{self.open[-1][0]}>, where escaping does not protect it"
            )

    def finish(self) -> list[TemplateProblem]:
        """Close the parse and report what is still open."""
        self.close()
        for tag, line in self.open:
            if tag not in _OPTIONAL_END:
                self.problems.append(TemplateProblem(self.name, f"opens <{tag}> but never closes it", line))
        return self.problems


def _html_problems(name: str, text: str) -> list[TemplateProblem]:
    checker = _HtmlChecker(name)
    checker.feed(text)
    problems = checker.finish()
    if ("$link" in text or "${link}" in text) and not checker.link_in_href:
        problems.append(TemplateProblem(name, 'has no clickable link; add <a href="$link">...</a>'))
    for match in _BARE_AMPERSAND.finditer(text):
        problems.append(TemplateProblem(name, "has a bare & sign; write &amp;", _line_of(text, match)))
    for match in _BARE_LESS_THAN.finditer(text):
        problems.append(TemplateProblem(name, "has a bare < sign; write &lt;", _line_of(text, match)))
    return problems


def _line_of(text: str, match: re.Match[str] | None) -> int | None:
    return text.count("\n", 0, match.start()) + 1 if match else None
