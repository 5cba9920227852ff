"""What each showcase patient of the demo clinic must show (DESIGN.md section 1), written out by hand."""

from __future__ import annotations

# key -> (colour, reason codes, trouble-spot codes), exactly and in contract order.
EXPECTED: dict[str, tuple[str, tuple[str, ...], tuple[str, ...]]] = {
    "blue": ("blue", ("has_logged_in",), ()),
    "gold_invited": ("gold", ("never_logged_in",), ()),
    "gold_not_invited": ("gold", ("never_logged_in",), ("no_invitation_sent",)),
    "red_deceased": ("red", ("patient_deceased", "access_not_enabled"), ()),
    "red_inactive": ("red", ("patient_inactive", "access_not_enabled"), ()),
    "red_disabled": ("red", ("access_disabled_by_staff",), ()),
    "red_unconfirmed": ("red", ("registration_unconfirmed",), ("email_possible_typo",)),
    "red_missing_email": ("red", ("missing_email", "access_not_enabled"), ()),
    "red_missing_zip": ("red", ("missing_zip", "access_not_enabled"), ()),
    "red_missing_both": ("red", ("missing_email", "missing_zip", "access_not_enabled"), ()),
    "red_not_enabled": ("red", ("access_not_enabled",), ()),
    "red_inactive_missing_email": ("red", ("patient_inactive", "missing_email", "access_not_enabled"), ()),
    "red_disabled_missing_zip": ("red", ("access_disabled_by_staff", "missing_zip"), ()),
    "red_deceased_missing_both": (
        "red",
        ("patient_deceased", "missing_email", "missing_zip", "access_not_enabled"),
        (),
    ),
    "placeholder": ("gold", ("never_logged_in",), ("no_invitation_sent", "placeholder_email")),
    "locked": ("blue", ("has_logged_in",), ("account_locked", "recent_failed_logins")),
    "failed_logins": ("blue", ("has_logged_in",), ("recent_failed_logins",)),
    "old_email_username": ("blue", ("has_logged_in",), ("username_is_old_email",)),
    "shared_email_parent": ("blue", ("has_logged_in",), ("shared_email",)),
    "shared_email": ("gold", ("never_logged_in",), ("no_invitation_sent", "shared_email")),
    "shared_email_sibling": ("gold", ("never_logged_in",), ("no_invitation_sent", "shared_email")),
    "expired_invite": ("gold", ("never_logged_in",), ("invitation_expired",)),
    "delivery_failed": ("gold", ("never_logged_in",), ("email_delivery_failed",)),
    "typo": ("gold", ("never_logged_in",), ("email_possible_typo",)),
}
