"""The bulk demo charts: every field holds what its name says (they are built positionally, for speed)."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, date, datetime

from clinic_desk.demo.charts import random_charts
from clinic_desk.demo.people import STAFF, TOWN_BY_CITY
from clinic_desk.domain import codes

NOW = datetime(2026, 3, 2, 15, 0, tzinfo=UTC)


def test_each_field_holds_its_own_kind_of_value() -> None:
    charts = list(random_charts(3000, seed=11, now=NOW, placeholder_domain="noemail.invalid"))
    for chart in charts:
        assert isinstance(chart.date_of_birth, date) and chart.date_of_birth < NOW.date()
        assert chart.created_at <= (chart.updated_at or chart.created_at) <= NOW
        town = TOWN_BY_CITY[chart.city or ""]
        assert chart.state == town.state
        assert chart.zip_code is None or chart.zip_code[:5] in town.zips
        assert chart.phone is None or chart.phone[1:4] in town.area_codes
        assert chart.address_line1 and chart.address_line1.split()[0].isdigit()
        assert chart.sex in ("female", "male", "other", "unknown")
        assert chart.status in codes.PATIENT_STATUSES
        assert chart.created_via in (
            codes.CREATED_BY_STAFF,
            codes.CREATED_BY_IMPORT,
            codes.CREATED_BY_ONLINE_REGISTRATION,
        )
        assert isinstance(chart.access_enabled, bool) and isinstance(chart.must_change_password, bool)
        assert (chart.access_off_reason is None) == chart.access_enabled
        assert chart.access_changed_by is None or chart.access_changed_by in STAFF
        assert (chart.staff_off_reason is not None) == (chart.access_off_reason == codes.OFF_BY_STAFF)
        assert (chart.last_login_at is not None) == (chart.login_count > 0)
        assert chart.last_login_at is None or chart.created_at <= chart.last_login_at <= NOW
        assert (chart.registered_at is None) == (chart.confirmed_at is None)
        assert (chart.failed_logins > 0) == (chart.last_failed_login_at is not None)
        assert chart.username is None or chart.username[-1].isdigit()
    # A realistic mix, the same for the same seed.
    colours = Counter("off" if not c.access_enabled else "on" for c in charts)
    assert 0.15 < colours["off"] / len(charts) < 0.3
    assert list(random_charts(50, seed=11, now=NOW, placeholder_domain="noemail.invalid")) == charts[:50]
