"""Who a bulk invitation skips (DESIGN.md section 6), beyond what any invitation needs.

Any invitation needs the patient's status, access and email to allow it (the services'
``staff_login.check_can_invite``, shared with the single "Send invitation"). A batch also
leaves alone whoever already uses the portal, has an invitation waiting or a link that
still works, or was invited recently: running the same batch twice invites nobody twice.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from clinic_desk.domain.wording import when


def why_skip_in_bulk(
    *,
    name: str,
    now: datetime,
    skip_days: int,
    last_login_at: datetime | None,
    invitation_queued: bool,
    live_link_until: datetime | None,
    last_invited_at: datetime | None,
) -> str | None:
    """Why a batch leaves this patient out, in plain words, or None when they get an invitation.

    Args:
        name: the patient's name, as the sentence says it.
        skip_days: the clinic setting ``bulk_invite_skip_days`` (0: only the other rules).
        last_login_at: the patient's last portal sign-in.
        invitation_queued: an invitation or reset email waits in the outbox, not yet sent.
        live_link_until: when the newest unused, unexpired invitation or reset link ends.
        last_invited_at: when the newest invitation or reset email (not cancelled) went out.
    """
    if last_login_at is not None:
        return f"{name} already uses the portal (last signed in {when(last_login_at)})."
    if invitation_queued:
        return f"{name} already has an invitation waiting to be sent."
    if live_link_until is not None and live_link_until > now:
        return f"{name} already has an invitation link that works until {when(live_link_until)}."
    if skip_days > 0 and last_invited_at is not None and now - last_invited_at < timedelta(days=skip_days):
        days = "1 day" if skip_days == 1 else f"{skip_days} days"
        return f"{name} was invited on {when(last_invited_at)}, less than {days} ago."
    return None
