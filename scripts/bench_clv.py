"""Lifetime-value benchmarks: a full refit and rescore, and one customer's rescore.

Registered in ``scripts/benchmark.py``. The refit runs the ``clv-refit`` job's own handler
in this process (the benchmark app runs no job workers) once — it is the minute-scale
figure — and notes the process's peak resident memory after it.
"""

from __future__ import annotations

import asyncio
import resource
import sys
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from resolvers.clv_jobs import refit_lifetime_values, refit_options
from resolvers.clv_scoring import ClvConfig
from resolvers.config import DomainConfig
from tests.contract_checks.operations import operation

if TYPE_CHECKING:
    from scripts.benchmark import Bench, Figure


@dataclass
class _InlineJob:
    """The JobContext a worker gives a job, for running the handler here."""

    read_session: Any
    write_session: Any
    options: dict[str, Any]
    job_id: int = 0
    files: Any = None
    reports: list[int] = field(default_factory=list)

    async def report(self, *, processed: int, total: int | None = None, progress=None) -> None:
        self.reports.append(processed)

    async def in_thread(self, fn, *args):  # type: ignore[no-untyped-def]
        return await asyncio.to_thread(fn, *args)


def _peak_rss_mb() -> float:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


async def bench_clv(bench: Bench) -> list[Figure]:
    from scripts.benchmark import Figure

    rss_before = _peak_rss_mb()
    job = _InlineJob(
        bench.db.read_session,
        bench.db.write_session,
        refit_options(ClvConfig(), DomainConfig().today()),
    )
    started = time.perf_counter()
    result = await refit_lifetime_values(job)
    seconds = time.perf_counter() - started
    figures = [
        Figure(
            "clv refit + rescore (all customers)",
            [seconds],
            note=f"{result['customers']:,} scored, model {result['model']}, fit+score "
            f"{result['fit_seconds']:.1f} s, peak RSS {_peak_rss_mb():.0f} MB "
            f"(before {rss_before:.0f} MB)",
        )
    ]
    customers = await bench.graphql("{ customers(first: 1) { edges { node { id } } } }", {})
    customer_id = customers["data"]["customers"]["edges"][0]["node"]["id"]
    calculate = operation("CalculateLifetimeValue")
    figures.append(
        await bench.measure(
            "calculateLifetimeValue (one customer)",
            lambda: bench.graphql(calculate, {"customerId": customer_id}),
        )
    )
    model = operation("ClvModel")
    figures.append(await bench.measure("clvModel", lambda: bench.graphql(model, {})))
    return figures
