"""Build the demo clinic: the showcase charts, then realistic random charts for the rest."""

from __future__ import annotations

from collections.abc import Callable
from typing import Final

from clinic_desk.demo.charts import random_charts
from clinic_desk.demo.people import BULK_ACTOR, DEMO_PASSWORD
from clinic_desk.demo.showcase import seed_showcase
from clinic_desk.domain.errors import ValidationError
from clinic_desk.services.clinic import Clinic

MAX_PATIENTS: Final = 10_000_000

Progress = Callable[[int, int], None]  # (charts in so far, charts to load)


def seed_bulk(clinic: Clinic, count: int, *, seed: int = 7, progress: Progress | None = None) -> int:
    """Insert ``count`` random realistic charts in one transaction; returns how many.

    The same search keys and MRN counter as ``add_patient``, and one audit entry
    for the whole load (``clinic.load_demo_charts``).
    """
    if count <= 0:
        return 0
    charts = random_charts(
        count, seed=seed, now=clinic.now(), placeholder_domain=clinic.settings.placeholder_domain
    )
    return clinic.load_demo_charts(
        charts,
        actor=BULK_ACTOR,
        password=DEMO_PASSWORD,
        details={"seed": seed, "source": "clinic_desk.demo"},
        progress=None if progress is None else lambda done: progress(done, count),
    )


def check_can_seed(clinic: Clinic, patients: int) -> None:
    """Raise ValidationError unless the demo of ``patients`` charts can be built here (an empty clinic)."""
    if patients < 0 or patients > MAX_PATIENTS:
        raise ValidationError(f"Patients: choose a number from 0 to {MAX_PATIENTS:,}.", field="patients")
    existing = sum(clinic.count_by_color().values())
    if existing:
        raise ValidationError(
            f"This clinic database already has {existing:,} patient{'s' if existing != 1 else ''}. "
            "The demo is only built in an empty database: point --db at a new file.",
        )


def seed_demo(
    clinic: Clinic,
    patients: int = 2000,
    *,
    seed: int = 7,
    progress: Progress | None = None,
) -> dict[str, int]:
    """Build the demo clinic in an empty database; returns showcase key -> patient id.

    ``patients`` is the total number of charts: the showcase ones (about two
    dozen, always made) plus random bulk charts for the rest. The work is done in the
    names of the demo staff (``demo.staff``); ``seed-demo`` adds their accounts first,
    and without them the clinic stays in single-user mode (any name is accepted).
    """
    check_can_seed(clinic, patients)
    ids = seed_showcase(clinic)
    seed_bulk(clinic, max(0, patients - len(ids)), seed=seed, progress=progress)
    return ids
