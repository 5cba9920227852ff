"""Changing the clinic's settings: every value checked, then stored with its audit entry.

The rule for each value lives in :mod:`clinic_desk.domain.settings_rules`; this module
refuses unknown names, stores only what changed and writes who changed it, in the
caller's transaction.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import fields
from typing import Any

from sqlalchemy.orm import Session

from clinic_desk.db import status_counts
from clinic_desk.domain.errors import ValidationError
from clinic_desk.domain.roles import Permission
from clinic_desk.domain.settings_rules import clean_setting
from clinic_desk.services import audit, count_keeping
from clinic_desk.services.context import ServiceContext
from clinic_desk.services.permissions import authorize
from clinic_desk.services.settings import ClinicSettings, load_settings, save_settings
from clinic_desk.services.templates import check_templates

AUDIT_ACTION = "update_settings"
# What the audit entry says of a secret that changed (its value is never written).
SECRET_BEFORE = "(not shown)"
SECRET_AFTER = "(changed; kept in the keyring)"
SETTING_NAMES = tuple(field.name for field in fields(ClinicSettings))


def check_settings(current: ClinicSettings, values: Mapping[str, Any]) -> ClinicSettings:
    """``current`` with ``values`` applied, each checked against its rule; nothing is stored.

    Raises:
        ValidationError: about the first setting at fault, in the form's order (``field`` is
            the setting's name): an unknown name, or a value its rule refuses.
    """
    unknown = sorted(name for name in values if name not in SETTING_NAMES)
    if unknown:
        raise ValidationError(
            f"'{unknown[0][:60]}' is not a clinic setting. Nothing was saved.", field=unknown[0]
        )
    cleaned = {name: clean_setting(name, values[name]) for name in SETTING_NAMES if name in values}
    return current.updated(**cleaned)


def change_settings(
    session: Session,
    ctx: ServiceContext,
    *,
    actor: str,
    changes: Mapping[str, Any],
    secrets_changed: Sequence[str] = (),
) -> ClinicSettings:
    """Check ``changes`` and store those that differ from the stored settings, with an audit entry.

    The entry (action ``update_settings``) holds the changed settings only, before and
    after; ``secrets_changed`` (e.g. ``smtp_password``, kept in the keyring) are named in it
    as changed, never with their value. When nothing differs, nothing is written. Returns
    the settings the clinic runs with from now on (``ctx.settings`` with the changes).

    Raises:
        ValidationError: no actor, an unknown setting, a value its rule refuses, or email
            templates that need fixing.
    """
    wanted = check_settings(ctx.settings, changes)
    check_templates()
    actor = authorize(session, actor, Permission.CLINIC_SETTINGS)
    stored = load_settings(session)
    changed = [
        name for name in SETTING_NAMES if name in changes and getattr(stored, name) != getattr(wanted, name)
    ]
    if not changed and not secrets_changed:
        return wanted
    after = {name: getattr(wanted, name) for name in changed}
    if changed:
        save_settings(session, stored.updated(**after), changed)
    if {"placeholder_domain", "placeholder_addresses"} & set(changed):
        # Which emails are placeholders changed: the kept trouble spots are counted again.
        placeholders = count_keeping.placeholders_of(wanted)
        count_keeping.use_placeholders(session, placeholders)
        status_counts.reclassify_all(session.connection(), placeholders)
    audit.record(
        session,
        at=ctx.now(),
        actor=actor,
        action=AUDIT_ACTION,
        patient_id=None,
        before={name: getattr(stored, name) for name in changed}
        | dict.fromkeys(secrets_changed, SECRET_BEFORE),
        after=after | dict.fromkeys(secrets_changed, SECRET_AFTER),
    )
    return wanted
