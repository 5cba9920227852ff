"""The demo clinic: showcase charts in every portal state plus realistic bulk charts.

A client of the ``Clinic`` facade like the CLI and the GUI: it reaches the
database only through ``clinic_desk.services.clinic`` (an import-linter contract
keeps ``clinic_desk.db`` and SQLAlchemy out).
"""

from __future__ import annotations

from clinic_desk.demo.local_loop import local_loop_settings, use_local_loop
from clinic_desk.demo.people import DEMO_PASSWORD
from clinic_desk.demo.seed import MAX_PATIENTS, Progress, check_can_seed, seed_bulk, seed_demo
from clinic_desk.demo.showcase import seed_showcase
from clinic_desk.demo.staff import DEMO_STAFF, DemoMember, add_demo_staff, is_demo_clinic

__all__ = [
    "DEMO_PASSWORD",
    "DEMO_STAFF",
    "MAX_PATIENTS",
    "DemoMember",
    "Progress",
    "add_demo_staff",
    "check_can_seed",
    "is_demo_clinic",
    "local_loop_settings",
    "seed_bulk",
    "seed_demo",
    "seed_showcase",
    "use_local_loop",
]
