"""What patients do on the portal (``clinic.portal``): each call is one transaction."""

from __future__ import annotations

from datetime import date

from clinic_desk.db.match_candidates import match_candidates
from clinic_desk.domain.errors import ConflictError
from clinic_desk.domain.match_check import MatchReport, check_match
from clinic_desk.domain.validation import parse_date
from clinic_desk.services import portal
from clinic_desk.services.database import ClinicDatabase


class PatientPortal:
    """What patients do on the portal (``clinic.portal``)."""

    def __init__(self, db: ClinicDatabase) -> None:
        self._db = db

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
    ) -> int:
        """A new patient registers online; returns the new patient id."""
        return self._db.run(
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
            )
        )

    def confirm_registration(self, token: str) -> int:
        """The patient clicks the confirmation link; returns the patient id."""
        return self._db.run(lambda s, c: portal.confirm_registration(s, c, token))

    def claim_account(
        self,
        *,
        email: str,
        last_name: str,
        date_of_birth: date | str,
        zip_code: str,
        username: str,
        password: str,
    ) -> int:
        """An existing patient creates their own account; returns the patient id."""
        return self._db.run(
            lambda s, c: portal.claim_account(
                s,
                c,
                email=email,
                last_name=last_name,
                date_of_birth=date_of_birth,
                zip_code=zip_code,
                username=username,
                password=password,
            )
        )

    def accept_invitation(self, token: str, *, username: str | None = None, password: str) -> int:
        """The patient sets username and password from an invitation or reset link."""
        return self._db.run(
            lambda s, c: portal.accept_invitation(s, c, token, username=username, password=password)
        )

    def login(self, username: str, password: str) -> bool:
        """True when the patient may log in; never raises for a bad password."""
        try:
            return self._db.run(lambda s, c: portal.login(s, c, username, password))
        except ConflictError:
            # Two logins to one account at the same instant: the other one counted.
            return self._db.run(lambda s, c: portal.login(s, c, username, password))

    def change_password(self, username: str, old_password: str, new_password: str) -> None:
        """The patient replaces a temporary password."""
        self._db.run(lambda s, c: portal.change_password(s, c, username, old_password, new_password))

    def matching_charts(
        self, *, email: str, last_name: str, date_of_birth: date | str, zip_code: str
    ) -> list[int]:
        """Charts that match all four details a patient types to claim an account."""
        return self._db.read(
            lambda s, c: portal.matching_charts(
                s, c, email=email, last_name=last_name, date_of_birth=date_of_birth, zip_code=zip_code
            )
        )

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
