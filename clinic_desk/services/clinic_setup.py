"""The set-up part of the facade (``clinic.setup``): checking and saving the settings, the mail
server's password in the keyring, the set-up facts the settings form shows, and a test email.

Every call may touch the database, the keyring, template files or the mail server: call
them off the GUI thread. ``values`` arguments are settings as typed in a form (a mapping of
setting names to values); by default the clinic's current settings are used.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from clinic_desk.domain.errors import ValidationError
from clinic_desk.domain.roles import Permission
from clinic_desk.domain.text_rules import check_fields, check_text, clean_actor
from clinic_desk.domain.validation import clean_email
from clinic_desk.services import secret_store
from clinic_desk.services.database import ClinicDatabase
from clinic_desk.services.mail_room import MailRoom
from clinic_desk.services.permissions import check_permission
from clinic_desk.services.secret_store import KeyringStatus
from clinic_desk.services.settings import ClinicSettings
from clinic_desk.services.settings_rules import change_settings, check_settings
from clinic_desk.services.templates import check_templates, template_problems, templates_folder

TEST_TIMEOUT = 15.0  # seconds a test email may take before the form says why not


@dataclass(frozen=True)
class SetupFacts:
    """What the settings form shows about this computer's set-up (never the password itself)."""

    keyring: KeyringStatus
    password_stored: bool
    templates_where: str
    template_problems: tuple[str, ...]


class ClinicSetup:
    """Clinic settings, the mail server password and the test email (``clinic.setup``)."""

    def __init__(self, db: ClinicDatabase, mail: MailRoom) -> None:
        self._db = db
        self._mail = mail

    def inspect(self) -> SetupFacts:
        """The keyring's state, whether a mail server password is stored, and the email templates."""
        folder = templates_folder()
        return SetupFacts(
            keyring=secret_store.keyring_status(),
            password_stored=bool(self.smtp_password()),
            templates_where=(
                f"{folder} (files missing there use the built-in ones)" if folder else "Built-in templates"
            ),
            template_problems=tuple(str(problem) for problem in template_problems()),
        )

    def check(self, values: Mapping[str, Any]) -> ClinicSettings:
        """The settings ``values`` would give, each checked; nothing is stored.

        The email templates are not checked here (``inspect`` lists their problems).

        Raises:
            ValidationError: naming the setting at fault in ``field``.
        """
        return check_settings(self._db.settings, values)

    def update(self, *, actor: str, request_id: str | None = None, **changes: Any) -> ClinicSettings:
        """Check, store and audit setting changes in one transaction (``Clinic.update_settings``).

        A repeated ``request_id`` stores nothing again and answers the same settings.

        Raises:
            ValidationError: no actor, an unknown setting, a refused value (``field`` names
                it) or email templates that need fixing; nothing is saved.
        """
        # Every value is checked before the transaction, so a refused change holds no lock.
        clean_actor(actor)
        self.check(changes)
        return self._store(actor, changes, request_id=request_id)

    def _store(
        self,
        actor: str,
        changes: Mapping[str, Any],
        secrets_changed: tuple[str, ...] = (),
        *,
        request_id: str | None = None,
    ) -> ClinicSettings:
        new = self._db.run(
            lambda session, ctx: change_settings(
                session, ctx, actor=actor, changes=changes, secrets_changed=secrets_changed
            ),
            request_id=request_id,
            name="update_settings",
            stored=lambda _settings: None,  # the same changes give the same settings again
            replayed=lambda _session, _stored: check_settings(self._db.settings, changes),
        )
        self._db.use_settings(new)
        return new

    def save(
        self,
        values: Mapping[str, Any],
        *,
        actor: str,
        password: str = "",
        remember: bool = True,
        request_id: str | None = None,
    ) -> ClinicSettings:
        """The settings form's Save: check, keep a typed mail server password, then store.

        ``remember=False`` keeps the password for this run only (no usable keyring).

        Raises:
            ValidationError: as :meth:`update`, checked before the password is kept.
            KeyringUnavailable: the password could not be remembered.
        """
        clean_actor(actor)
        check_text(password, "password", "Mail server password")
        self.check(values)
        check_templates()
        # Refused before the password reaches the keyring (the store checks again, in its transaction).
        self._db.read(lambda session, _ctx: check_permission(session, actor, Permission.CLINIC_SETTINGS))
        if password:
            self.set_smtp_password(password, values, remember=remember)
        # A new password is a settings change too: audited as changed, never with its value.
        return self._store(actor, values, ("smtp_password",) if password else (), request_id=request_id)

    def send_test_email(
        self, to: str, values: Mapping[str, Any] | None = None, password: str | None = None
    ) -> str:
        """Send a test email with ``values`` (saved or not) to ``to``; returns the address it went to.

        Without ``password`` the stored one is used when the server needs a login.

        Raises:
            ValidationError: the address or a setting is not valid (``field`` names it).
            MailServerProblem: in plain words (``field`` names the setting when it is one).
        """
        check_fields(to=to)
        check_text(password, "password", "Mail server password")
        try:
            address = clean_email(to)
        except ValidationError as problem:
            words = problem.message.replace("Email:", "Test email address:", 1)
            raise ValidationError(words, field="to") from None
        if not address:
            raise ValidationError("Type the address the test email should go to.", field="to")
        settings = self._settings(values)
        self._mail.send_test_email(address, password or None, settings=settings, timeout=TEST_TIMEOUT)
        return address

    def smtp_password(self, values: Mapping[str, Any] | None = None) -> str | None:
        """The mail server password kept on this computer for these settings, or None."""
        settings = self._settings(values)
        if not settings.smtp_host.strip():
            return None
        return secret_store.get_smtp_password(settings)

    def set_smtp_password(
        self, password: str, values: Mapping[str, Any] | None = None, *, remember: bool = True
    ) -> None:
        """Keep the mail server password in the keyring (``remember=False``: for this run only).

        Raises:
            ValidationError: no password, or no mail server to keep it for.
            KeyringUnavailable: no usable keyring; try again with ``remember=False``.
        """
        check_text(password, "password", "Mail server password")
        settings = self._settings(values)
        if not settings.smtp_host.strip():
            raise ValidationError(
                "Password: enter the mail server first; the password is kept for that server.",
                field="password",
            )
        if not password:
            raise ValidationError("Password: type the mail server's password.", field="password")
        secret_store.set_smtp_password(settings, password, remember=remember)

    def forget_smtp_password(self, values: Mapping[str, Any] | None = None) -> None:
        """Forget the mail server password kept for these settings (nothing happens when none is)."""
        secret_store.delete_smtp_password(self._settings(values))

    def _settings(self, values: Mapping[str, Any] | None) -> ClinicSettings:
        return self._db.settings if values is None else self.check(values)
