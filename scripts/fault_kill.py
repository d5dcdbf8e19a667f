"""Fault test: the server process is killed (SIGKILL) while write requests are in flight.

    .venv/bin/python -m scripts.fault_kill                 # 3 kills, 32 concurrent writers

It creates a fresh database (``crm_fault`` unless told otherwise), seeds demo data, and
then, for each round: starts ``crm serve`` with one worker (so its PID is the process that
handles the requests), lets concurrent clients create orders (several lines), quotations,
interactions with follow-up tasks and credit-limit changes, SIGKILLs the server at a random
moment, and starts it again. The next round runs on the restarted server, which proves no
lock or transaction was left behind. At the end it checks in the database that nothing is
half-written (scripts/load_verify.py): every order has its lines, its status row and a total
equal to them, every quotation its lines, every credit-limit history chain is unbroken,
each customer's cached outstanding equals its definition, and every acknowledged write is
there. Requests that fail before the kill are errors; those in flight at the kill are not.
Exit status 1 on any violation.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import signal
import time
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx

from app.db import create_database
from scripts.load_support import (
    DataSet,
    LoadUser,
    Outcome,
    call,
    fresh_database,
    local_settings,
    new_secret,
    prepare_data_set,
    run_directory,
    start_server,
    stop_server,
)
from scripts.load_verify import Acknowledged, Check, baseline, print_checks, verify

MAX_ROUNDS = 10


@dataclass
class Round:
    number: int
    pid: int
    killed_at: float = 0.0
    outcomes: list[Outcome] = field(default_factory=list)

    @property
    def before_kill(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.ended < self.killed_at]

    @property
    def errors(self) -> list[Outcome]:
        """Failures that the kill does not explain."""
        return [o for o in self.before_kill if o.status == "error"]

    @property
    def in_flight(self) -> int:
        return sum(o.ended >= self.killed_at for o in self.outcomes)


class Writer:
    """One client sending writes only, as a rep or as the manager."""

    def __init__(self, user: LoadUser, data: DataSet, rng: random.Random, hot: list[int]):
        self.user, self.data, self.rng, self.hot = user, data, rng, hot

    def lines(self, low: int, high: int) -> list[dict[str, Any]]:
        products = self.rng.sample(self.data.product_ids, self.rng.randint(low, high))
        return [{"productId": str(p), "quantity": self.rng.randint(1, 4)} for p in products]

    def customer(self) -> str:
        return str(self.rng.choice(self.user.customer_ids or self.data.all_customer_ids))

    def request(self) -> tuple[str, str, dict[str, Any]]:
        rng = self.rng
        if self.user.role.value == "MANAGER":
            if rng.random() < 0.5:
                limit = None if rng.random() < 0.05 else f"{rng.randrange(1, 80) * 25_000}.00"
                change = {"customerId": str(rng.choice(self.hot)), "newLimit": limit}
                return (
                    "UpdateCreditLimit",
                    "updateCreditLimit",
                    {"input": change | {"reason": "Kill test review"}},
                )
            order = {"customerId": str(rng.choice(self.hot)), "lines": self.lines(3, 6)}
            return (
                "CreateOrder",
                "createOrder",
                {"input": order | {"creditOverrideReason": "Kill test: approved by phone"}},
            )
        kind = rng.choices(("order", "quotation", "interaction"), weights=(5, 3, 2))[0]
        if kind == "order":
            order = {"customerId": self.customer(), "lines": self.lines(3, 6)}
            return "CreateOrder", "createOrder", {"input": order}
        if kind == "quotation":
            quotation = {"customerId": self.customer(), "lines": self.lines(2, 5)}
            return "CreateQuotation", "createQuotation", {"input": quotation}
        interaction = {
            "customerId": self.customer(),
            "kind": "CALL",
            "subject": "Kill test call",
            "followUpRequired": True,
        }
        return "LogInteraction", "createInteraction", {"input": interaction}


def acknowledge(
    operation: str, variables: dict[str, Any], payload: dict, acked: Acknowledged
) -> None:
    if operation == "CreateOrder":
        order = payload["order"]
        lines = len(variables["input"]["lines"])
        acked.orders.append((int(order["id"]), lines, Decimal(order["total"])))
    elif operation == "CreateQuotation":
        quotation = payload["quotation"]
        acked.quotations.append((int(quotation["id"]), len(quotation["lines"])))
    elif operation == "LogInteraction":
        acked.interactions.append(int(payload["interaction"]["id"]))
        if task := payload.get("followUpTask"):
            acked.tasks_created.append(int(task["id"]))
    elif operation == "UpdateCreditLimit":
        change = payload["change"]
        limit = None if change["newLimit"] is None else Decimal(change["newLimit"])
        acked.limit_changes.append((int(change["id"]), int(payload["customer"]["id"]), limit))


async def kill_round(
    number: int,
    base_url: str,
    pid: int,
    writers: list[Writer],
    acked: Acknowledged,
    kill_after: float,
) -> Round:
    """Writers send requests back to back; the server is SIGKILLed after ``kill_after`` s."""
    result = Round(number=number, pid=pid)
    epoch = time.perf_counter()
    killed = asyncio.Event()
    limits = httpx.Limits(max_connections=len(writers))

    async with httpx.AsyncClient(base_url=base_url, timeout=30, limits=limits) as http:

        async def write(writer: Writer) -> None:
            while not killed.is_set():
                operation, field_name, variables = writer.request()
                outcome = await call(
                    http, writer.user.token, operation, field_name, variables, epoch=epoch
                )
                result.outcomes.append(outcome)
                if outcome.status == "ok" and outcome.payload is not None:
                    acknowledge(operation, variables, outcome.payload, acked)

        async def kill() -> None:
            await asyncio.sleep(kill_after)
            result.killed_at = time.perf_counter() - epoch
            os.kill(pid, signal.SIGKILL)
            killed.set()

        await asyncio.gather(kill(), *(write(w) for w in writers))
    return result


@dataclass
class Verdict:
    rounds: list[Round]
    checks: list[Check]

    @property
    def passed(self) -> bool:
        return all(not r.errors for r in self.rounds) and all(c.passed for c in self.checks)


async def fault_run(
    database_url: str,
    data_dir: Path,
    *,
    rounds: int,
    writers: int,
    customers: int,
    kill_after: tuple[float, float] = (1.5, 3.0),
    seed: int = 11,
) -> Verdict:
    """Prepare the (empty) database, then kill and restart the server ``rounds`` times."""
    secret = new_secret()
    db = create_database(local_settings(database_url, data_dir))
    try:
        data = await prepare_data_set(db, customers=customers, seed=42, reps=4, secret=secret)
        before = await baseline(db)
    finally:
        await db.dispose()
    rng = random.Random(seed)
    hot = rng.sample(data.all_customer_ids, min(20, len(data.all_customer_ids)))
    clients = [
        Writer(
            data.manager if i % 4 == 3 else data.reps[i % len(data.reps)],
            data,
            random.Random(seed * 1000 + i),
            hot,
        )
        for i in range(writers)
    ]
    acked = Acknowledged()
    results = []
    for number in range(1, rounds + 1):
        server = start_server(database_url, data_dir, workers=1, secret=secret)
        try:
            results.append(
                await kill_round(
                    number,
                    server.base_url,
                    server.process.pid,
                    clients,
                    acked,
                    rng.uniform(*kill_after),
                )
            )
        finally:
            stop_server(server)  # reaps the killed process (and would stop a survivor)
    # The last word goes to a server started after the last kill.
    with_server = start_server(database_url, data_dir, workers=1, secret=secret)
    stop_server(with_server)
    db = create_database(local_settings(database_url, data_dir))
    try:
        checks = await verify(db, acked, before)
    finally:
        await db.dispose()
    print_rounds(results, acked)
    print_checks(checks)
    return Verdict(results, checks)


def print_rounds(rounds: list[Round], acked: Acknowledged) -> None:
    header = (
        f"{'round':>5} {'pid':>7} {'killed at':>9} {'answered':>8} {'ok':>6} {'refused':>7} "
        f"{'errors':>6} {'in flight':>9}"
    )
    print(f"\n{header}\n{'-' * len(header)}")
    for r in rounds:
        answered = r.before_kill
        print(
            f"{r.number:>5} {r.pid:>7} {r.killed_at:>8.2f}s {len(answered):>8,} "
            f"{sum(o.status == 'ok' for o in answered):>6,} "
            f"{sum(o.status == 'refused' for o in answered):>7,} {len(r.errors):>6,} "
            f"{r.in_flight:>9,}"
        )
        for outcome in r.errors[:5]:
            print(f"    error: {outcome.operation} {outcome.detail}")
    print(
        f"acknowledged: {len(acked.orders)} orders, {len(acked.quotations)} quotations, "
        f"{len(acked.interactions)} interactions, {len(acked.limit_changes)} limit changes"
    )


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m scripts.fault_kill",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--rounds", type=int, default=3, help=f"kills (≤ {MAX_ROUNDS})")
    parser.add_argument("--writers", type=int, default=32, help="concurrent writing clients")
    parser.add_argument("--customers", type=int, default=500, help="demo customers to seed")
    parser.add_argument(
        "--database", default="crm_fault", help="PostgreSQL database, recreated (crm_fault…)"
    )
    args = parser.parse_args(argv)
    if not 1 <= args.rounds <= MAX_ROUNDS or not 1 <= args.writers <= 128:
        parser.error(f"--rounds 1..{MAX_ROUNDS}, --writers 1..128")
    return args


async def main_async(args: argparse.Namespace) -> int:
    url = await fresh_database(args.database)
    data_dir = run_directory(args.database)
    verdict = await fault_run(
        url, data_dir, rounds=args.rounds, writers=args.writers, customers=args.customers
    )
    print("\nVERDICT: " + ("PASS" if verdict.passed else "FAIL"))
    return 0 if verdict.passed else 1


def main(argv: list[str] | None = None) -> int:
    return asyncio.run(main_async(parse_args(argv)))


if __name__ == "__main__":
    raise SystemExit(main())
