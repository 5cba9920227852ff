"""The bulk seed streams: its peak memory does not grow with the number of charts."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from clinic_desk.services.bulk_load import SQLITE_CACHE_KIB
from tests import databases

ROOT = Path(__file__).resolve().parents[2]
# Seeds ``count`` bulk charts into a new clinic and prints the process's peak RSS in KiB.
SEED_AND_MEASURE = """
import resource, sys
from clinic_desk import Clinic
from clinic_desk.demo import seed_bulk
from clinic_desk.services.hashing import use_cheapest_hashing

use_cheapest_hashing()
with Clinic.open(sys.argv[1]) as clinic:
    assert seed_bulk(clinic, int(sys.argv[2])) == int(sys.argv[2])
print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""
SMALL, LARGE = 10_000, 40_000
# What may grow between the two sizes besides a page cache: the allocator's slack.
SLACK_MB = 15


def _peak_mb(url: str, count: int) -> float:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, "-c", SEED_AND_MEASURE, url, str(count)],
        capture_output=True,
        text=True,
        env=env,
        check=True,
        timeout=600,
    )
    return int(done.stdout.split()[-1]) / 1024


def test_postgresql_seed_memory_is_flat() -> None:
    peaks = []
    for count in (SMALL, LARGE):
        with databases.postgres_database() as url:
            peaks.append(_peak_mb(url, count))
    # Four times the charts: a seed that kept its charts would need about 30 MB more.
    assert peaks[1] - peaks[0] < SLACK_MB, peaks


def test_sqlite_seed_memory_grows_only_by_the_page_cache(tmp_path: Path) -> None:
    files = [tmp_path / f"seed-{count}.db" for count in (SMALL, LARGE)]
    peaks = [_peak_mb(f"sqlite:///{file}", count) for file, count in zip(files, (SMALL, LARGE), strict=True)]
    # SQLite may cache pages while it loads, up to SQLITE_CACHE_KIB and never more than the
    # file holds (the file at 40,000 charts is smaller than that, so the cache grows here).
    cache_mb = min(SQLITE_CACHE_KIB / 1024, files[1].stat().st_size / 2**20)
    assert peaks[1] - peaks[0] < cache_mb + SLACK_MB, (peaks, cache_mb)
