"""What patients do on the portal (``clinic.portal``): each call is one transaction."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import TypeVar

from sqlalchemy.orm import Session

from clinic_desk.db.match_candidates import match_candidates
from clinic_desk.domain.errors import NotAllowed
from clinic_desk.domain.match_check import MatchReport, check_match
from clinic_desk.domain.text_rules import check_fields, is_acceptable
from clinic_desk.domain.validation import parse_date
from clinic_desk.services import portal, portal_claim
from clinic_desk.services.context import ServiceContext
from clinic_desk.services.database import ClinicDatabase
from clinic_desk.services.portal_guard import REFUSED, Refusal, refused_or
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
        return self._db.run(lambda s, c: portal.login(s, c, username, password, source=source))

    def change_password(
        self, username: str, old_password: str, new_password: str, *, source: str | None = None
    ) -> None:
        """The patient replaces their password; the current one is checked like a sign-in.

        Raises:
            ValidationError: the new password is not acceptable.
            NotAllowed: the uniform refusal (unknown, disabled, locked or wrong).
        """
        check_fields(new_password=new_password)  # the patient's new input
        if not (is_acceptable(username, "username") and is_acceptable(old_password, "password")):
            raise NotAllowed(REFUSED)
        self._counted(
            lambda s, c: portal.change_password(s, c, username, old_password, new_password, source=source)
        )

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
