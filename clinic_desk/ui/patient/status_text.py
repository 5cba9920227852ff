"""Words about a portal status: the icon's tooltip card and its screen-reader text.

Every value from the database is HTML-escaped before it goes into rich text. The card is
written when it is shown, in the current theme's colours.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from clinic_desk.domain import codes
from clinic_desk.domain.status import PortalStatus, StatusItem
from clinic_desk.ui.colors import STATUS_COLORS, STATUS_WORDS
from clinic_desk.ui.readable import words_for
from clinic_desk.ui.theme import current_colors

FIX_HINT = "Click the icon to fix this."
HELP_HINT = "Click the icon to troubleshoot a login problem."
# Nothing can be fixed for a deceased patient: the panel only explains.
DETAILS_HINT = "Click the icon for details."
# The same hints when the words were reached by keyboard (F1, Shift+F1, the Why? button).
KEY_FIX_HINT = "Press Ctrl+T to fix this."
KEY_HELP_HINT = "Press Ctrl+T to troubleshoot a login problem."
KEY_DETAILS_HINT = "Press Ctrl+T for details."
NO_PATIENT_WORDS = "No patient open"
TOOLTIP_WIDTH = 380


def status_words(color: str, *, patient_open: bool = True) -> str:
    """A few words for a colour ("Portal access off"); "No patient open" when there is none."""
    if not color and not patient_open:
        return NO_PATIENT_WORDS
    return STATUS_WORDS.get(color, STATUS_WORDS[""])


def accessible_name(color: str, warnings: Sequence[str] = ()) -> str:
    """What a screen reader announces for the icon: the colour too (colleagues say "it's gold"),
    and the dash's warning chips ("Locked"), so a locked blue account never sounds healthy."""
    words = status_words(color)
    name = f"Secure messaging: {words} ({color})" if color else f"Secure messaging: {words}"
    return f"{name}, warning: {'; '.join(warnings)}" if warnings else name


def accessible_description(status: PortalStatus | None, *, loading: bool = False, error: str = "") -> str:
    """The status in full sentences, for screen readers."""
    if status is None:
        if error:
            return f"The portal status could not be loaded: {error}"
        return "Checking the patient's portal status." if loading else "No patient is open."
    sentences = [status.headline.rstrip(".") + "."]
    sentences += [item.message for item in status.reasons]
    if status.trouble_spots:
        sentences.append("Things that can stop a login:")
        sentences += [item.message for item in status.trouble_spots]
    sentences.append("Press Enter to open troubleshooting, F1 to read why.")
    return " ".join(sentences)


def _list(title: str, items: tuple[StatusItem, ...]) -> str:
    rows = "".join(f"<li style='margin-bottom:3px'>{escape(item.message)}</li>" for item in items)
    return (
        f"<p style='margin:10px 0 2px 0; color:{current_colors().text_muted}; font-weight:600'>"
        f"{escape(title)}</p>"
        f"<ul style='margin:0; -qt-list-indent:1'>{rows}</ul>"
    )


def tooltip_html(
    status: PortalStatus | None,
    *,
    patient_name: str = "",
    mrn: str = "",
    loading: bool = False,
    error: str = "",
    by_keyboard: bool = False,
) -> str:
    """The rich-text card shown when hovering the secure-message icon.

    Args:
        status: the patient's portal status, or None while unknown.
        patient_name: who the card is about.
        mrn: the patient's MRN.
        loading: a load is running.
        error: why the last load failed.
        by_keyboard: the card was asked for by a key (F1) or the Why? button: the hint names
            the key that fixes it instead of a click.
    """
    c = current_colors()
    color = status.color if status is not None else ""
    dot = words_for(STATUS_COLORS.get(color, STATUS_COLORS[""]), c)
    if status is None:
        headline = (
            "Could not load the portal status"
            if error
            else ("Checking portal status…" if loading else NO_PATIENT_WORDS)
        )
    else:
        headline = status.headline
    who = " · ".join(part for part in (patient_name, f"MRN {mrn}" if mrn else "") if part)
    parts = [
        f"<table width='{TOOLTIP_WIDTH}' cellspacing='0' cellpadding='2'><tr><td style='color:{c.text}'>",
        f"<p style='margin:0'><span style='color:{dot}; font-size:large'>●</span>&nbsp;"
        f"<b style='font-size:medium'>{escape(headline)}</b></p>",
    ]
    if who:
        parts.append(f"<p style='margin:2px 0 0 0; color:{c.text_muted}'>{escape(who)}</p>")
    if error:
        parts.append(f"<p style='margin:8px 0 0 0; color:{c.missing_text}'>{escape(error)}</p>")
    if status is not None:
        parts.append(_list("Why" if color == "red" else "Details", status.reasons))
        if status.trouble_spots:
            parts.append(_list("Things that can stop a login", status.trouble_spots))
        parts.append(_hint(status, by_keyboard=by_keyboard))
    parts.append("</td></tr></table>")
    return "".join(parts)


def _hint(status: PortalStatus, *, by_keyboard: bool) -> str:
    """What to do next: fix it, troubleshoot, or (deceased) only read the details."""
    fix, help_, details = (
        (KEY_FIX_HINT, KEY_HELP_HINT, KEY_DETAILS_HINT)
        if by_keyboard
        else (FIX_HINT, HELP_HINT, DETAILS_HINT)
    )
    hint = help_ if status.color == "blue" and not status.trouble_spots else fix
    if codes.PATIENT_DECEASED in status.reason_codes:
        hint = details
    return f"<p style='margin:10px 0 0 0; color:{current_colors().accent_text}'><i>{escape(hint)}</i></p>"
