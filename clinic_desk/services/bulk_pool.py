"""Make a bulk load's batches in worker processes while this process writes them.

A million demo charts are about a minute of Python (drawing, classifying, turning values
into what the database stores) on top of the writing; the workers do that part on the
other cores. Batches come back in order, and only a few are ever waiting, so memory
stays flat. Small loads stay in this process: starting workers costs about a second.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from itertools import islice
from typing import Final

from clinic_desk.domain.bulk_chart import MadeCharts
from clinic_desk.services.bulk_rows import Batch, BatchJob, make_batch

logger = logging.getLogger(__name__)

# Fewer charts than this are made here: the workers would not pay for their start.
PARALLEL_FROM: Final = 50_000
# Batches made ahead per worker: enough that a worker never waits for the writer.
AHEAD_PER_WORKER: Final = 2
# How much lower the workers' scheduling priority is than the writer's (0-19 on Linux).
WORKER_NICENESS: Final = 10


def worth_workers(charts: Iterable[object], dialect: str) -> bool:
    """Whether ``charts`` can be made in workers and are enough to be worth it.

    On SQLite and PostgreSQL, where the workers hand back what the database takes as it
    is (SQLite's stored values; blocks of binary COPY data). MariaDB's rows go through
    SQLAlchemy in this process anyway.
    """
    return (
        dialect in ("sqlite", "postgresql")
        and isinstance(charts, MadeCharts)
        and charts.count >= PARALLEL_FROM
        and _workers() > 1
    )


def batches(jobs: Iterable[BatchJob], *, parallel: bool) -> Iterator[Batch]:
    """Each job's batch, in the jobs' order; made in worker processes when ``parallel``."""
    if not parallel:
        for job in jobs:
            yield make_batch(job)
        return
    workers = _workers()
    # "spawn": a fresh interpreter per worker. Forking the window's process (Qt, threads,
    # open connections) is unsafe, and the frozen app supports spawn (freeze_support).
    pool = ProcessPoolExecutor(
        workers, mp_context=multiprocessing.get_context("spawn"), initializer=_second_in_line
    )
    pending: deque[tuple[BatchJob, Future[Batch]]] = deque()
    waiting = iter(jobs)
    try:
        pending.extend(
            (job, pool.submit(make_batch, job)) for job in islice(waiting, workers * AHEAD_PER_WORKER)
        )
        while pending:
            job, future = pending.popleft()
            try:
                batch = future.result()
            except BrokenProcessPool:
                # A worker could not start or was killed (out of memory, say): the load
                # goes on here, slower, rather than failing after the work done so far.
                logger.warning("Bulk load workers stopped; making the remaining batches in this process.")
                yield make_batch(job)
                for job, _ in pending:
                    yield make_batch(job)
                pending.clear()
                for job in waiting:
                    yield make_batch(job)
                return
            pending.extend((job, pool.submit(make_batch, job)) for job in islice(waiting, 1))
            yield batch
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _second_in_line() -> None:
    """A worker yields the processor to the writing process, whose work is the load's critical path."""
    if hasattr(os, "nice"):
        os.nice(WORKER_NICENESS)


def _workers() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
