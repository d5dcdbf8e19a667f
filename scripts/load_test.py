"""Load test: concurrent clients against ``crm serve --workers N`` on PostgreSQL.

    .venv/bin/python -m scripts.load_test                          # 64 clients, 60 s, 2 workers
    .venv/bin/python -m scripts.load_test --restart-postgres-at 20 # PostgreSQL restarted mid-run
    .venv/bin/python -m scripts.load_test --cut-connections-at 20  # only its database cut off

It creates a fresh database (``crm_load`` unless told otherwise), seeds demo data, adds a
MANAGER and SALES reps (the customers are shared out among the reps), starts a production
server on a free loopback port, and runs the clients: each is a signed-in user sending the
frontend's own operations (tests/contract/operations.graphql) in a weighted mix. Afterwards
it checks in the database that every acknowledged write is there and nothing is broken
(scripts/load_verify.py), prints the figures, and exits non-zero on any error.

Counted as errors: transport failures, HTTP errors, top-level GraphQL errors and payload
``errors`` other than the expected business refusals (CREDIT_LIMIT_EXCEEDED for an order
over the limit, UNCHANGED for a limit set to its current value), which are counted apart.
With ``--restart-postgres-at`` (the whole local PostgreSQL, announced in
/tmp/pg_restart_notice.txt) or ``--cut-connections-at`` (this database's connections only:
refused for ``--outage-seconds`` and the open ones terminated), requests failing from the
outage until ``--recovery-grace`` seconds after it are counted as "outage"; any later
failure is an error, and so is a worker process that had to be replaced.
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import dataclasses
import math
import time
from dataclasses import dataclass
from pathlib import Path

import httpx

from app.db import create_database
from scripts.load_mix import Client, make_clients
from scripts.load_outage import (
    RESTART_POSTGRES,
    OutageWindow,
    cut_connections,
    in_outage,
    restart_postgres,
)
from scripts.load_support import (
    DataSet,
    Outcome,
    Server,
    call,
    fresh_database,
    local_settings,
    new_secret,
    prepare_data_set,
    run_directory,
    running_server,
)
from scripts.load_verify import Acknowledged, Baseline, Check, baseline, print_checks, verify

MAX_SECONDS = 600
MAX_CLIENTS = 256


@dataclass
class RunConfig:
    clients: int = 64
    seconds: float = 60
    outage_at: float | None = None
    outage: str = "restart"  # restart: PostgreSQL itself; cut: this database's connections
    outage_seconds: float = 3.0
    recovery_grace: float = 5.0
    seed: int = 7


@dataclass
class RunResult:
    outcomes: list[Outcome]
    acked: Acknowledged
    outage: OutageWindow
    seconds: float


async def run_load(
    base_url: str, data: DataSet, config: RunConfig, *, database_url: str = ""
) -> RunResult:
    acked = Acknowledged()
    outcomes: list[Outcome] = []
    window = OutageWindow()
    epoch = time.perf_counter()
    deadline = config.seconds
    limits = httpx.Limits(max_connections=config.clients, max_keepalive_connections=config.clients)

    async with httpx.AsyncClient(base_url=base_url, timeout=35, limits=limits) as http:

        async def session(client: Client) -> None:
            while time.perf_counter() - epoch < deadline:
                step, variables = client.request()
                outcome = await call(
                    http, client.user.token, step.operation, step.field, variables, epoch=epoch
                )
                outcomes.append(dataclasses.replace(outcome, payload=None))
                if outcome.status == "ok" and outcome.payload is not None:
                    client.acknowledge(step, variables, outcome.payload, acked)
                elif outcome.status == "error":
                    await asyncio.sleep(0.2)  # a real client backs off before trying again

        async def outage(at: float) -> None:
            await asyncio.sleep(at)
            window.began = time.perf_counter() - epoch
            if config.outage == "restart":
                window.output = await restart_postgres()
            else:
                window.output = await cut_connections(database_url, config.outage_seconds)
            window.ended = time.perf_counter() - epoch

        tasks = [
            asyncio.create_task(session(c))
            for c in make_clients(data, clients=config.clients, seed=config.seed)
        ]
        if config.outage_at is not None:
            tasks.append(asyncio.create_task(outage(config.outage_at)))
        await asyncio.gather(*tasks)
    return RunResult(outcomes, acked, window, time.perf_counter() - epoch)


def percentile(sorted_values: list[float], q: float) -> float:
    if not sorted_values:
        return math.nan
    return sorted_values[min(len(sorted_values) - 1, max(0, math.ceil(q * len(sorted_values)) - 1))]


def report(result: RunResult, config: RunConfig) -> int:
    """Print the per-operation table; return the number of errors (outage failures apart)."""
    by_op: dict[str, list[Outcome]] = collections.defaultdict(list)
    for outcome in result.outcomes:
        by_op[outcome.operation].append(outcome)
    header = (
        f"{'operation':<22} {'requests':>8} {'ok':>7} {'refused':>7} {'errors':>6} "
        f"{'outage':>6} {'p50 ms':>8} {'p99 ms':>8} {'max ms':>8}"
    )
    print(f"\n{header}\n{'-' * len(header)}")
    total_errors = 0
    details: collections.Counter[str] = collections.Counter()
    rows = [*sorted(by_op.items()), ("all", result.outcomes)]
    for name, outcomes in rows:
        answered = sorted(o.seconds * 1000 for o in outcomes if o.status != "error")
        failed = [o for o in outcomes if o.status == "error"]
        outage = [o for o in failed if in_outage(o, result.outage, config.recovery_grace)]
        errors = len(failed) - len(outage)
        if name != "all":
            total_errors += errors
            details.update(
                f"{name}: {o.detail}"
                for o in failed
                if not in_outage(o, result.outage, config.recovery_grace)
            )
        if name == "all":
            print("-" * len(header))
        print(
            f"{name:<22} {len(outcomes):>8,} "
            f"{sum(o.status == 'ok' for o in outcomes):>7,} "
            f"{sum(o.status == 'refused' for o in outcomes):>7,} {errors:>6,} {len(outage):>6,} "
            f"{percentile(answered, 0.5):>8.1f} {percentile(answered, 0.99):>8.1f} "
            f"{(answered[-1] if answered else math.nan):>8.1f}"
        )
    print(
        f"\n{len(result.outcomes):,} requests in {result.seconds:.1f} s "
        f"({len(result.outcomes) / result.seconds:.0f}/s), {config.clients} clients; "
        f"{result.acked.count:,} acknowledged writes"
    )
    refusals = collections.Counter(o.detail for o in result.outcomes if o.status == "refused")
    if refusals:
        print("expected refusals: " + ", ".join(f"{k} × {v}" for k, v in refusals.items()))
    for detail, count in details.most_common(10):
        print(f"  error: {detail} × {count}")
    if result.outage.began is not None:
        _report_outage(result, config)
    return total_errors


def _report_outage(result: RunResult, config: RunConfig) -> None:
    window = result.outage
    assert window.began is not None and window.ended is not None
    failed = [o for o in result.outcomes if o.status == "error"]
    after = [o for o in result.outcomes if o.started >= window.ended + config.recovery_grace]
    last_failure = max((o.ended for o in failed), default=None)
    first_ok = min(
        (o.ended for o in result.outcomes if o.status != "error" and o.started >= window.ended),
        default=None,
    )
    print(
        f"\noutage ({config.outage}): {window.began:.1f} s → {window.ended:.1f} s "
        f"({window.ended - window.began:.1f} s; {window.output or 'no output'})"
    )
    if first_ok is not None:
        print(f"first success after the outage ended: {first_ok - window.ended:+.2f} s")
    if last_failure is not None:
        print(f"last failed request ended: {last_failure - window.ended:+.2f} s after the outage")
    print(
        f"requests started ≥ {config.recovery_grace:g} s after the outage: {len(after):,}, "
        f"failed: {sum(o.status == 'error' for o in after)}"
    )


@dataclass
class Verdict:
    errors: int
    checks: list[Check]
    server_notes: list[str]

    @property
    def passed(self) -> bool:
        return not self.errors and all(c.passed for c in self.checks) and not self.server_notes


async def load_run(
    database_url: str,
    data_dir: Path,
    *,
    config: RunConfig,
    workers: int,
    customers: int,
    reps: int,
) -> Verdict:
    """Prepare the (empty) database, serve it, run the clients, verify; print everything."""
    secret = new_secret()
    db = create_database(local_settings(database_url, data_dir))
    try:
        data = await prepare_data_set(db, customers=customers, seed=42, reps=reps, secret=secret)
        before: Baseline = await baseline(db)
    finally:
        await db.dispose()
    print(
        f"data set: {data.seed_summary}; {reps} reps + 1 manager; {len(data.product_ids)} products"
    )
    notes: list[str] = []
    with running_server(database_url, data_dir, workers=workers, secret=secret) as server:
        pids = server.worker_pids()
        print(
            f"server: crm serve --workers {workers} on {server.base_url} (pid {server.process.pid})"
        )
        result = await run_load(server.base_url, data, config, database_url=database_url)
        notes += await _server_state(server, pids)
    errors = report(result, config)
    db = create_database(local_settings(database_url, data_dir))
    try:
        checks = await verify(db, result.acked, before)
    finally:
        await db.dispose()
    print_checks(checks)
    for note in notes:
        print(f"server: {note}")
    return Verdict(errors, checks, notes)


async def _server_state(server: Server, pids_before: list[int]) -> list[str]:
    """Still the same processes, still healthy: the server recovered by itself."""
    notes = []
    if not server.alive():
        notes.append("the server process died")
    if server.worker_pids() != pids_before:
        notes.append(f"worker processes changed: {pids_before} → {server.worker_pids()}")
    async with httpx.AsyncClient(base_url=server.base_url, timeout=10) as http:
        health = await http.get("/health")
    if health.status_code != 200:
        notes.append(f"/health answers {health.status_code}")
    tracebacks = server.log_tail(2_000_000).count("Traceback")
    if tracebacks:
        print(f"server log: {tracebacks} traceback(s) in {server.log}")
    return notes


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m scripts.load_test",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--clients", type=int, default=64, help="concurrent clients (≤ 256)")
    parser.add_argument("--seconds", type=float, default=60, help="run length (≤ 600)")
    parser.add_argument("--workers", type=int, default=2, help="crm serve --workers (≤ 16)")
    parser.add_argument("--customers", type=int, default=2000, help="demo customers to seed")
    parser.add_argument("--reps", type=int, default=8, help="SALES users sharing the customers")
    parser.add_argument(
        "--database", default="crm_load", help="PostgreSQL database, recreated (crm_load…)"
    )
    parser.add_argument(
        "--restart-postgres-at",
        type=float,
        metavar="SECONDS",
        help=f"restart PostgreSQL this far into the run ({RESTART_POSTGRES})",
    )
    parser.add_argument(
        "--cut-connections-at",
        type=float,
        metavar="SECONDS",
        help="an outage of the load database only: refuse and terminate its connections "
        "for --outage-seconds (disturbs nothing else on the PostgreSQL server)",
    )
    parser.add_argument("--outage-seconds", type=float, default=3.0, metavar="SECONDS")
    parser.add_argument(
        "--recovery-grace",
        type=float,
        default=5.0,
        metavar="SECONDS",
        help="failures up to this long after the outage count as outage, later ones as errors",
    )
    args = parser.parse_args(argv)
    if not 1 <= args.clients <= MAX_CLIENTS or not 0 < args.seconds <= MAX_SECONDS:
        parser.error(f"--clients 1..{MAX_CLIENTS}, --seconds up to {MAX_SECONDS}")
    if not 1 <= args.workers <= 16:
        parser.error("--workers 1..16")
    if args.restart_postgres_at is not None and args.cut_connections_at is not None:
        parser.error("one outage at a time: --restart-postgres-at or --cut-connections-at")
    return args


async def main_async(args: argparse.Namespace) -> int:
    config = RunConfig(
        clients=args.clients,
        seconds=args.seconds,
        outage_at=(
            args.restart_postgres_at
            if args.restart_postgres_at is not None
            else args.cut_connections_at
        ),
        outage="restart" if args.restart_postgres_at is not None else "cut",
        outage_seconds=args.outage_seconds,
        recovery_grace=args.recovery_grace,
    )
    url = await fresh_database(args.database)
    data_dir = run_directory(args.database)
    verdict = await load_run(
        url, data_dir, config=config, workers=args.workers, customers=args.customers, reps=args.reps
    )
    print("\nVERDICT: " + ("PASS" if verdict.passed else "FAIL"))
    return 0 if verdict.passed else 1


def main(argv: list[str] | None = None) -> int:
    return asyncio.run(main_async(parse_args(argv)))


if __name__ == "__main__":
    raise SystemExit(main())
