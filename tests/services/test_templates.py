"""Email templates: built-in ones are clean, a clinic's override folder is used and checked."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from clinic_desk import Clinic, ValidationError
from clinic_desk.domain import codes
from clinic_desk.services import templates
from clinic_desk.services.templates import (
    BUILTIN_DIR,
    ENV_VAR,
    check_templates,
    render,
    template_problems,
    templates_folder,
)
from tests.services.helpers import add_invited_patient

VALUES = {
    "first_name": "Ana <b>& co</b>",
    "clinic_name": "Riverside Family Clinic",
    "link": "https://portal.example/accept-invitation?token=abc&x=1",
    "expires": "Mar 9, 2026 at 3:00 PM",
    "sender_address": "portal@riverside.example",
    "whitelist_domain": "riverside.example",
    "username": "ana.lopez",
}


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty override folder, made the active one."""
    path = tmp_path / "templates"
    path.mkdir()
    monkeypatch.setenv(ENV_VAR, str(path))
    return path


def messages(folder: Path | None) -> list[str]:
    return [str(problem) for problem in template_problems(folder)]


def write(folder: Path, name: str, content: str) -> None:
    (folder / name).write_text(content, encoding="utf-8")


@pytest.mark.parametrize("kind", codes.EMAIL_KINDS)
def test_builtin_templates_have_every_part_and_fact(kind: str) -> None:
    email = render(kind, VALUES, folder=BUILTIN_DIR)
    assert "Ana" in email.subject and "\n" not in email.subject
    for body in (email.text, email.html):
        assert "Riverside Family Clinic" in body
        assert "Mar 9, 2026 at 3:00 PM" in body
        assert "portal@riverside.example" in body and "riverside.example" in body
    assert VALUES["link"] in email.text
    assert 'href="https://portal.example/accept-invitation?token=abc&amp;x=1"' in email.html
    # Values are escaped in HTML, shown as typed in text.
    assert "Ana &lt;b&gt;&amp; co&lt;/b&gt;" in email.html and "<b>&" not in email.html
    assert "Ana <b>& co</b>" in email.text
    if kind == codes.RESET:
        assert "ana.lopez" in email.text and "ana.lopez" in email.html


def test_builtin_templates_pass_the_check() -> None:
    assert template_problems(BUILTIN_DIR) == []
    check_templates(BUILTIN_DIR)


def test_override_folder_replaces_single_files_and_reaches_the_outbox(folder: Path, clinic: Clinic) -> None:
    write(folder, "invitation.subject", "Welcome to $clinic_name, $first_name\n")
    write(folder, "invitation.txt", "Hi $first_name! Start here: $link (until $expires)\n")
    assert templates_folder() == folder
    pid = add_invited_patient(clinic)
    [email] = clinic.mail.outbox(pid)
    assert email.subject == "Welcome to Riverside Family Clinic, Ana"
    assert email.body.startswith("Hi Ana! Start here: https://")
    # The HTML part was not overridden: the built-in one is used.
    assert email.html is not None and "Create your portal account" in email.html


def test_templates_folder_prefers_the_setting_then_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(ENV_VAR, raising=False)
    monkeypatch.setattr(templates, "user_templates_dir", lambda: tmp_path / "no-such-folder")
    assert templates_folder() is None
    monkeypatch.setattr(templates, "user_templates_dir", lambda: tmp_path)
    assert templates_folder() == tmp_path
    monkeypatch.setenv(ENV_VAR, str(tmp_path / "env"))
    assert templates_folder() == tmp_path / "env"
    assert templates_folder("~/clinic-templates") == Path("~/clinic-templates").expanduser()


def test_unknown_and_broken_placeholders_are_named_with_lines(folder: Path) -> None:
    write(folder, "invitation.txt", "Hello $firstname,\nPay $5 at $link\n${clinic}\n")
    found = messages(folder)
    assert (
        "invitation.txt, line 1: has an unknown placeholder $firstname (did you mean $first_name?)" in found
    )
    assert any(m.startswith("invitation.txt, line 2: has a $ sign") and "$$" in m for m in found)
    assert any(m.startswith("invitation.txt, line 3: has an unknown placeholder $clinic") for m in found)


def test_a_missing_link_is_reported(folder: Path) -> None:
    write(folder, "reset.txt", "Hello $first_name, reset your password on the portal.\n")
    write(folder, "reset.html", "<p>Hello $first_name, <a href='https://portal.example'>reset</a>.</p>\n")
    found = messages(folder)
    assert "reset.txt: has no $link placeholder, so the patient gets no link" in found
    assert "reset.html: has no $link placeholder, so the patient gets no link" in found


def test_html_where_escaping_does_not_protect_is_reported(folder: Path) -> None:
    write(
        folder,
        "invitation.html",
        "<p>Hi $first_name</p>\n"
        "<a href=$link>go</a>\n"
        "<a href=\"javascript:go('$first_name')\" onclick=\"x('$username')\">x</a>\n"
        "<script>var n = '$first_name';</script>\n"
        '<p style="color: $clinic_name">Tom & Jerry < 3 <a href="$link">ok</a></p>\n',
    )
    found = messages(folder)
    expected = [
        "invitation.html, line 2: has a placeholder in an attribute without quotes",
        "invitation.html, line 3: may put only the link in href",
        "invitation.html, line 3: has a placeholder in the onclick attribute",
        "invitation.html, line 4: has a placeholder inside <script>",
        "invitation.html, line 5: has a placeholder in the style attribute",
        "invitation.html, line 5: has a bare & sign; write &amp;",
        "invitation.html, line 5: has a bare < sign; write &lt;",
    ]
    for start in expected:
        assert any(m.startswith(start) for m in found), (start, found)


def test_broken_markup_is_reported(folder: Path) -> None:
    write(folder, "confirmation.html", '<div><p>Confirm: <a href="$link">here</p>\n</span></div>\n<b>bye\n')
    found = messages(folder)
    assert "confirmation.html, line 1: opens <a> but never closes it" in found
    assert "confirmation.html, line 2: closes </span> that was never opened" in found
    assert "confirmation.html, line 3: opens <b> but never closes it" in found


def test_optional_end_tags_and_entities_are_fine(folder: Path) -> None:
    write(
        folder,
        "confirmation.html",
        '<p>Hello $first_name &amp; family &#169; &#x2014;<br>\n<p>Go: <a href="$link">confirm</a><br/>\n',
    )
    assert messages(folder) == []


def test_subject_rules(folder: Path) -> None:
    write(folder, "reset.subject", "Reset\nyour password $link")
    write(folder, "invitation.subject", "   \n")
    write(folder, "confirmation.subject", "$first_name " + "x" * 170)
    found = messages(folder)
    assert "reset.subject: must be a single line" in found
    assert "reset.subject: must not contain the link; put $link in the message body" in found
    assert "invitation.subject: is empty; an email needs a subject" in found
    assert any(m.startswith("confirmation.subject: is too long") for m in found)


def test_text_part_with_html_and_stray_files_are_reported(folder: Path) -> None:
    write(folder, "invitation.txt", "<p>Hello $first_name</p>\n$link\n")
    write(folder, "invitaton.html", "<p>$link</p>")
    write(folder, "README.md", "notes for staff")  # Not a template: ignored.
    found = messages(folder)
    assert "invitation.txt, line 1: contains HTML tags; the plain-text part is shown as typed" in found
    assert (
        "invitaton.html: is not a template name Clinic Desk uses, so it is ignored "
        "(did you mean invitation.html?)" in found
    )
    assert not any("README" in m for m in found)


def test_unreadable_file_and_missing_folder(folder: Path, tmp_path: Path) -> None:
    (folder / "reset.txt").write_bytes(b"Hello \xff\xfe $link")
    assert messages(folder) == ["reset.txt: is not saved as UTF-8 text; save it as UTF-8"]
    assert messages(tmp_path / "nowhere") == [f"{tmp_path / 'nowhere'}: the templates folder does not exist"]


def test_check_templates_lists_every_problem_and_saving_settings_refuses(
    folder: Path, clinic: Clinic
) -> None:
    write(folder, "invitation.txt", "Hello $firstname\n")
    with pytest.raises(ValidationError) as caught:
        check_templates()
    message = str(caught.value)
    assert caught.value.field == "templates"
    assert str(folder) in message
    assert "unknown placeholder $firstname" in message and "has no $link placeholder" in message
    assert "Allowed placeholders: $first_name" in message
    with pytest.raises(ValidationError):
        clinic.update_settings(actor="admin", clinic_name="Hillside Clinic")
    assert clinic.settings.clinic_name != "Hillside Clinic"
    shutil.copy(BUILTIN_DIR / "invitation.txt", folder / "invitation.txt")
    assert (
        clinic.update_settings(actor="admin", clinic_name="Hillside Clinic").clinic_name == "Hillside Clinic"
    )
