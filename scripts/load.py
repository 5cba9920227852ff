"""A clinic group on one PostgreSQL server, under load (issue 19): desks, portal, mail workers.

    python scripts/load.py                      # 50 desks, 4 browsers, 2 mail workers, 2 min, 100k patients
    python scripts/load.py --desks 5 --seconds 30 --patients 2000
    python scripts/load.py --pgbouncer          # the same through PgBouncer (transaction mode)

Everything runs on this computer and talks to loopback only; the run is bounded in time and
count and stops by itself. It makes a uniquely named database, seeds it, runs N desks (each
its own Clinic and change listener, on threads in a few processes), M patients' browsers
against real portal processes, K `clinic-desk mail-worker` processes and a loopback SMTP
server; then prints the figures and checks that no update, email or audit entry was lost.
The database is dropped at the end. Exit code 0 only when every check held.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import shutil
import statistics
import sys
import tempfile
import time
import uuid
from bisect import bisect_left
from collections import defaultdict
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import psycopg  # noqa: E402

from scripts import load_checks, load_desks, load_pgbouncer, load_web  # noqa: E402


def percentile(values: list[float], share: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))]


def live_delays(desks: list[dict[str, Any]]) -> tuple[list[float], int]:
    """Seconds from each edit's commit to its arrival at every other desk; and how many never arrived."""
    heard: dict[str, dict[int, list[float]]] = {}
    for desk in desks:
        times: dict[int, list[float]] = defaultdict(list)
        for patient_id, at in desk["heard"]:
            times[patient_id].append(at)
        heard[desk["desk"]] = {patient_id: sorted(found) for patient_id, found in times.items()}
    delays: list[float] = []
    missed = 0
    for desk in desks:
        for edit in desk["edits"]:
            for other, times in heard.items():
                if other == desk["desk"]:
                    continue
                found = times.get(edit["patient_id"], [])
                at = bisect_left(found, edit["at"])
                if at == len(found):
                    missed += 1
                    continue
                delays.append(max(0.0, found[at] - edit["done"]))
    return delays, missed


def parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--desks", type=int, default=50)
    parser.add_argument("--portal-clients", type=int, default=4)
    parser.add_argument("--portal-processes", type=int, default=2)
    parser.add_argument("--mail-workers", type=int, default=2)
    parser.add_argument("--seconds", type=float, default=120.0, help="how long the desks work (at most 600)")
    parser.add_argument("--patients", type=int, default=100_000)
    parser.add_argument("--think", type=float, default=5.0, help="a desk's mean pause between actions (s)")
    parser.add_argument("--portal-think", type=float, default=5.0, help="a browser's mean pause (s)")
    parser.add_argument("--desk-processes", type=int, default=0, help="default: one per 13 desks")
    parser.add_argument("--pgbouncer", action="store_true", help="go through PgBouncer (transaction mode)")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=5432)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--json", type=Path, help="write the figures here too")
    args = parser.parse_args(argv)
    if not args.host.startswith("127.") and args.host != "localhost":
        parser.error("the load run talks to loopback only")
    args.seconds = min(max(5.0, args.seconds), 600.0)
    args.desks = min(max(1, args.desks), 200)
    return args


def run(args: argparse.Namespace) -> dict[str, Any]:
    """The whole run; returns the figures and the checks."""
    from tests.smtp_server import SmtpTestServer

    database = f"clinic_load_{uuid.uuid4().hex[:10]}"
    admin = load_checks.admin_dsn(args.host, args.port)
    dsn = load_checks.admin_dsn(args.host, args.port, database)
    direct_url = f"postgresql://postgres@{args.host}:{args.port}/{database}"
    work = Path(tempfile.mkdtemp(prefix="clinic-load-"))
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{database}"')
    smtp = SmtpTestServer().start()
    bouncer: load_pgbouncer.PgBouncer | None = None
    processes: list[Any] = []
    workers: list[Any] = []
    sampler: load_checks.ConnectionSampler | None = None
    succeeded = False
    try:
        started = time.monotonic()
        load_checks.seed(direct_url, args.patients, work / "seed.log")
        print(f"seeded {args.patients:,} patients in {time.monotonic() - started:.0f} s", flush=True)
        outbox_mark = load_checks.newest_id(dsn, "outbox_emails")
        extra = load_checks.prepare(
            direct_url, patients=args.patients, desks=args.desks, smtp_port=smtp.port, seed_number=args.seed
        )
        audit_mark = load_checks.newest_id(dsn, "audit_log")
        url = direct_url
        if args.pgbouncer:
            bouncer = load_pgbouncer.PgBouncer(work, database, args.host, args.port).start()
            url = bouncer.client_url(database)
        sampler = load_checks.ConnectionSampler(dsn, database).start()
        for number in range(args.mail_workers):
            name = f"load-mail-{number}"
            workers.append(load_web.start_mail_worker(url, name, work / f"{name}.log"))
        spawn = multiprocessing.get_context("spawn")
        ports = [load_web.free_port() for _ in range(args.portal_processes)]
        for number, port in enumerate(ports):
            portal = spawn.Process(target=load_web.serve_portal, args=(url, port, f"load-portal-{number}"))
            portal.start()
            processes.append(portal)
        if not all(load_web.wait_for_port(port) for port in ports):
            raise RuntimeError("a portal process did not start")
        desk_processes = args.desk_processes or max(1, -(-args.desks // 13))
        start_at = time.time() + 8 + args.desks * 0.25
        spec = {
            "url": url,
            "patients": args.patients,
            "seed": args.seed,
            "think_seconds": args.think,
            "portal_think_seconds": args.portal_think,
            "mistype_share": 0.25,
            "start_at": start_at,
            "end_at": start_at + args.seconds,
            **extra,
        }
        outs = [work / f"desks-{number}.json" for number in range(desk_processes)]
        groups = [list(range(args.desks))[number::desk_processes] for number in range(desk_processes)]
        desk_runs = [
            spawn.Process(target=load_desks.run_desks, args=(group, spec, str(out)))
            for group, out in zip(groups, outs, strict=True)
        ]
        for process in desk_runs:
            process.start()
            processes.append(process)  # ended in any case below (they also stop by themselves)
        clients = load_web.run_portal_clients(args.portal_clients, ports, spec)
        for process in desk_runs:
            process.join(args.seconds + 120)
        desks = [desk for out in outs if out.exists() for desk in json.loads(out.read_text())]
        still_queued = load_checks.wait_for_outbox(dsn, outbox_mark, 90)
        sampler.stop()
        worker_processes = len(workers) + args.portal_processes
        figures = report(args, start_at, desks, clients, sampler, worker_processes)
        portal_logins = sum(client["done"].get("portal_login", 0) for client in clients)
        figures["checks"] = {
            "desks_reported": len(desks),
            "updates": load_checks.check_updates(dsn, desks),
            "emails": {
                "still_queued": still_queued,
                **load_checks.check_emails(dsn, outbox_mark, [m.message_id for m in smtp.received], desks),
            },
            "audit": load_checks.check_audit(dsn, audit_mark, desks, portal_logins, extra["actions"]),
        }
        if bouncer is not None:
            figures["pgbouncer"] = bouncer.describe()
        succeeded = True
        return figures
    finally:
        if sampler is not None:
            sampler.stop()
        for worker in workers:
            worker.terminate()
            worker.wait(20)
        for process in processes:
            process.terminate()
            process.join(20)
        if bouncer is not None:
            bouncer.stop()
        smtp.stop()
        with psycopg.connect(admin, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
        if succeeded:
            shutil.rmtree(work, ignore_errors=True)
        else:
            print(f"the run stopped early; its logs are in {work}", file=sys.stderr)


def report(
    args: argparse.Namespace,
    spec_start: float,
    desks: list[dict[str, Any]],
    clients: list[dict[str, Any]],
    sampler: load_checks.ConnectionSampler,
    worker_processes: int,
) -> dict[str, Any]:
    latencies: dict[str, list[float]] = defaultdict(list)
    errors: dict[str, int] = defaultdict(int)
    done: dict[str, int] = defaultdict(int)
    for part in [*desks, *clients]:
        for kind, values in part["latencies"].items():
            latencies[kind].extend(values)
        for kind, count in part["errors"].items():
            errors[kind] += count
        for kind, count in part["done"].items():
            done[kind] += count
    delays, missed = live_delays(desks)
    desk_peaks = [count for name, count in sampler.peak_by_process.items() if name.startswith("load-desk-")]
    worker_peaks = {
        name: count
        for name, count in sampler.peak_by_process.items()
        if name.startswith(("load-portal-", "load-mail-"))
    }
    budget = 2 * args.desks + 2 * worker_processes
    return {
        "setup": {
            "desks": args.desks,
            "portal_clients": args.portal_clients,
            "portal_processes": args.portal_processes,
            "mail_workers": args.mail_workers,
            "seconds": args.seconds,
            "patients": args.patients,
            "pgbouncer": args.pgbouncer,
        },
        "connections": {
            "peak_total": sampler.peak_total,
            "budget": budget,
            "peak_per_desk": max(desk_peaks, default=0),
            "peak_per_worker": worker_peaks,
            "samples": sampler.samples,
            "at_peak": sampler.at_peak,
            "samples_with_lock_waits": dict(sampler.lock_waits),
            "peak_lock_waiters": sampler.peak_lock_waiters,
            "peak_seconds_into_run": round(sampler.peak_at - spec_start, 1) if sampler.peak_at else None,
        },
        "live_update_seconds": {
            "p50": percentile(delays, 0.5),
            "p95": percentile(delays, 0.95),
            "max": max(delays, default=0.0),
            "deliveries": len(delays),
            "missed": missed,
        },
        "latency_p95_ms": {kind: percentile(values, 0.95) for kind, values in sorted(latencies.items())},
        "latency_median_ms": {kind: statistics.median(values) for kind, values in sorted(latencies.items())},
        "actions": dict(done),
        "conflicts": sum(desk["conflicts"] for desk in desks),
        "busy_retries": sum(desk["busy_retries"] for desk in desks),
        "portal_busy_503": sum(client["busy"] for client in clients),
        "errors": dict(errors),
    }


def verdict(figures: dict[str, Any]) -> list[str]:
    """What failed (empty: every check held)."""
    checks = figures["checks"]
    problems = []
    if checks["desks_reported"] != figures["setup"]["desks"]:
        problems.append(f"only {checks['desks_reported']} desks reported")
    if figures["connections"]["peak_total"] > figures["connections"]["budget"]:
        problems.append("more connections than the budget")
    if checks["updates"]["lost"] or checks["updates"]["version_twice"]:
        problems.append("lost updates")
    emails = checks["emails"]
    if emails["lost"] or emails["twice"] or emails["still_queued"] or emails["cancelled_but_sent"]:
        problems.append("lost, stuck or duplicated emails")
    if checks["audit"]["mismatches"]:
        problems.append("audit entries do not match the actions")
    if figures["errors"]:
        problems.append("errors")
    if figures["live_update_seconds"]["missed"]:
        problems.append("live updates that never arrived")
    return problems


def main(argv: list[str] | None = None) -> int:
    args = parse(argv)
    figures = run(args)
    problems = verdict(figures)
    figures["problems"] = problems
    print(json.dumps(figures, indent=2, default=str))
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2, default=str), encoding="utf-8")
    print("OK: every check held" if not problems else f"FAILED: {'; '.join(problems)}")
    return 0 if not problems else 1


if __name__ == "__main__":
    sys.exit(main())
