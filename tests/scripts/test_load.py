"""scripts/load.py in small (5 desks, 30 s, 2,000 patients): the invariants, never the timings."""

from __future__ import annotations

import pytest

from scripts import load
from tests import databases

pytestmark = [pytest.mark.postgres, pytest.mark.load, pytest.mark.slow]


def test_a_small_clinic_group_under_load_loses_nothing() -> None:
    databases.require_server("PostgreSQL", databases.PG_HOST, databases.PG_PORT)
    args = load.parse(
        [
            "--desks", "5", "--seconds", "30", "--patients", "2000", "--think", "2",
            "--portal-clients", "2", "--portal-processes", "1", "--mail-workers", "2",
            "--host", databases.PG_HOST, "--port", str(databases.PG_PORT),
        ]
    )  # fmt: skip
    figures = load.run(args)
    checks = figures["checks"]
    assert checks["desks_reported"] == 5
    assert figures["connections"]["peak_per_desk"] <= 2
    assert all(peak <= 2 for peak in figures["connections"]["peak_per_worker"].values())
    assert figures["connections"]["peak_total"] <= figures["connections"]["budget"]
    assert figures["actions"].get("edit", 0) > 0 and figures["actions"].get("portal_login", 0) > 0
    assert checks["updates"]["lost"] == 0 and checks["updates"]["version_twice"] == 0
    emails = checks["emails"]
    assert emails["queued"] > 0
    assert (emails["lost"], emails["twice"], emails["still_queued"], emails["cancelled_but_sent"]) == (
        0,
        0,
        0,
        0,
    )
    assert checks["audit"]["mismatches"] == []
    assert figures["errors"] == {}
    assert figures["live_update_seconds"]["missed"] == 0
    assert figures["live_update_seconds"]["deliveries"] > 0
    assert load.verdict(figures) == []
