"""What patients do on the portal (``clinic.portal``): each call is one transaction."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import TypeVar

from sqlalchemy.orm import Session

from clinic_desk.db.match_candidates import match_candidates
from clinic_desk.domain.errors import NotAllowed
from clinic_desk.domain.match_check import MatchReport, check_match
from clinic_desk.domain.portal_sessions import PortalSession
from clinic_desk.domain.text_rules import check_fields, is_acceptable
from clinic_desk.domain.validation import parse_date
from clinic_desk.services import (
    activation,
    password_reset,
    portal,
    portal_claim,
    portal_sign_in,
    web_sessions,
)
from clinic_desk.services.context import ServiceContext
from clinic_desk.services.database import ClinicDatabase
from clinic_desk.services.portal_guard import REFUSED, Refusal, refused_or
from clinic_desk.services.request_limit import take_request
from clinic_desk.services.text_gate import checks_text

T = TypeVar("T")


class PatientPortal:
    """What patients do on the portal (``clinic.portal``)."""

    def __init__(self, db: ClinicDatabase) -> None:
        self._db = db

    @checks_text
    def self_register(
        self,
        *,
        first_name: str,
        last_name: str,
        date_of_birth: date | str,
        email: str,
        zip_code: str,
        username: str,
        password: str,
        source: str | None = None,
    ) -> int:
        """A new patient registers online; returns the new patient id.

        All of it is the patient's own new input: the text gate names the field, before any lock.

        Raises:
            ValidationError: about what the patient typed.
            NotAllowed: the uniform refusal (a chart with these details exists, or too many tries).
        """
        return self._counted(
            lambda s, c: portal.self_register(
                s,
                c,
                first_name=first_name,
                last_name=last_name,
                date_of_birth=date_of_birth,
                email=email,
                zip_code=zip_code,
                username=username,
                password=password,
                source=source,
            )
        )

    def confirm_registration(self, token: str, *, source: str | None = None) -> int:
        """The patient clicks the confirmation link; returns the patient id."""
        _readable_link(token)
        return self._counted(lambda s, c: portal.confirm_registration(s, c, token, source=source))

    @checks_text
    def claim_account(
        self,
        *,
        email: str,
        last_name: str,
        date_of_birth: date | str,
        zip_code: str,
        username: str,
        password: str,
        source: str | None = None,
    ) -> int:
        """An existing patient creates their own account; returns the patient id.

        Raises:
            ValidationError: about what the patient typed (new username, password, unreadable details).
            ConflictError: the chosen username is taken.
            NotAllowed: the uniform refusal, whatever the reason (counted per claimed identity).
        """
        return self._counted(
            lambda s, c: portal_claim.claim_account(
                s,
                c,
                email=email,
                last_name=last_name,
                date_of_birth=date_of_birth,
                zip_code=zip_code,
                username=username,
                password=password,
                source=source,
            )
        )

    @checks_text
    def accept_invitation(
        self, token: str, *, username: str | None = None, password: str, source: str | None = None
    ) -> int:
        """The patient sets username and password from an invitation or reset link."""
        _readable_link(token)
        return self._counted(
            lambda s, c: portal.accept_invitation(
                s, c, token, username=username, password=password, source=source
            )
        )

    def login(self, username: str, password: str, *, source: str | None = None) -> bool:
        """True when the patient may log in; False for unknown, disabled, locked and wrong alike.

        Never raises whatever is typed (only a database fault raises).
        """
        # Text no account can have (too long, hidden characters) is simply wrong.
        if not (is_acceptable(username, "username") and is_acceptable(password, "password")):
            return False
        return self._db.run(lambda s, c: portal_sign_in.login(s, c, username, password, source=source))

    def sign_in(self, username: str, password: str, *, source: str | None = None) -> PortalSession:
        """The portal page's sign-in: counted exactly like :meth:`login`, then a new web session.

        Returns a :class:`PortalSession` whose ``.token`` is a fresh secret for the browser's
        cookie (only its hash is stored); every sign-in makes a new one.

        Raises:
            NotAllowed: the uniform refusal (unknown, disabled, locked or wrong).
        """
        if not (is_acceptable(username, "username") and is_acceptable(password, "password")):
            raise NotAllowed(REFUSED)
        return self._counted(lambda s, c: portal_sign_in.sign_in(s, c, username, password, source=source))

    def session(self, token: str, *, source: str | None = None) -> PortalSession | None:
        """The signed-in patient this web session's secret stands for, or None.

        None when the secret is unknown, the session ended or sat unused longer than
        ``portal_session_idle_minutes``, or the patient may no longer sign in (access off,
        inactive, locked). A good call moves the session's last use (at most one write a minute).
        ``source`` is accepted for symmetry with the other calls; nothing is counted.
        """
        del source
        found = self._db.read(lambda s, c: web_sessions.find(s, c, token))
        if found is None:
            return None
        session, stale = found
        if stale:
            self._db.run(lambda s, c: web_sessions.touch(s, c, session.token))
        return session

    def sign_out(self, token: str) -> None:
        """End this web session; an unknown or ended one: nothing happens, no error."""
        self._db.run(lambda s, c: web_sessions.sign_out(s, c, token))

    def change_password(
        self,
        username: str,
        old_password: str,
        new_password: str,
        *,
        source: str | None = None,
        keep_token: str | None = None,
    ) -> None:
        """The patient replaces their password; the current one is checked like a sign-in.

        The patient's other web sessions end (all but ``keep_token``'s, the page asking).

        Raises:
            ValidationError: the new password is not acceptable.
            NotAllowed: the uniform refusal (unknown, disabled, locked or wrong).
        """
        check_fields(new_password=new_password)  # the patient's new input
        if not (is_acceptable(username, "username") and is_acceptable(old_password, "password")):
            raise NotAllowed(REFUSED)
        self._counted(
            lambda s, c: portal_sign_in.change_password(
                s, c, username, old_password, new_password, source=source, keep_token=keep_token
            )
        )

    @checks_text
    def activate(
        self,
        code: str,
        *,
        date_of_birth: date | str,
        username: str,
        password: str,
        source: str | None = None,
    ) -> int:
        """The patient types the activation letter's code and date of birth, and chooses a
        username and password; returns the patient id.

        The code is read without regard to case, spaces or dashes ("abcd-efgh").

        Raises:
            ValidationError: about the new username or password, or an unreadable date.
            ConflictError: the chosen username is taken.
            NotAllowed: the uniform refusal (wrong, used, expired or replaced code, wrong
                date of birth, access off, too many tries).
        """
        return self._counted(
            lambda s, c: activation.activate(
                s, c, code, date_of_birth=date_of_birth, username=username, password=password, source=source
            )
        )

    def request_reset(self, username_or_email: str, *, source: str | None = None) -> None:
        """'Forgot your password?': queues a reset email when the text names one chart that may
        get one. Always returns None the same way, whatever matched; never raises for what is typed.
        """
        self._db.run(lambda s, c: password_reset.request_reset(s, c, username_or_email, source=source))

    def take_request(self, source: str | None, what: str) -> bool:
        """Count one web request of kind ``what`` ("form": a POST) from ``source``.

        False means answer HTTP 429: at most 60 form POSTs a minute per client address,
        counted in the database so every portal process shares it. Never raises for odd input.
        """
        return self._db.run(lambda s, c: take_request(s, c, source, what))

    def _counted(self, action: Callable[[Session, ServiceContext], T | Refusal]) -> T:
        """Run a patient-side call; a refusal is raised only after its count and audit committed."""
        return refused_or(self._db.run(action))

    @checks_text
    def matching_charts(
        self, *, email: str, last_name: str, date_of_birth: date | str, zip_code: str
    ) -> list[int]:
        """Charts that match all four details a patient types to claim an account."""
        return self._db.read(
            lambda s, c: portal_claim.matching_charts(
                s, c, email=email, last_name=last_name, date_of_birth=date_of_birth, zip_code=zip_code
            )
        )

    @checks_text
    def check_match(
        self,
        *,
        email: str | None,
        last_name: str | None,
        date_of_birth: date | str | None,
        zip_code: str | None,
        patient_id: int | None = None,
    ) -> MatchReport:
        """Replay what the patient typed to claim an account: which field does not match, and why."""
        born = date_of_birth if isinstance(date_of_birth, date) else parse_date(date_of_birth or "")
        with self._db.reading() as session:
            candidates = match_candidates(
                session, email=email, last_name=last_name, date_of_birth=born, patient_id=patient_id
            )
        return check_match(
            candidates,
            email=email,
            last_name=last_name,
            date_of_birth=date_of_birth,
            zip_code=zip_code,
            patient_id=patient_id,
            placeholder_domain=self._db.settings.placeholder_domain,
            today=self._db.now().date(),
        )


def _readable_link(token: object) -> None:
    """A link's token that no link can have (too long, hidden characters) gets the one answer."""
    if not is_acceptable(token, "token"):
        raise NotAllowed(REFUSED)
