"""Customer export benchmarks: every customer, default columns, as CSV, JSON and XLSX.

Registered in ``scripts/benchmark.py`` as ``export``. Runs the ``customer-export`` job's own
handler in this process (the benchmark app runs no job workers), writing real files to a
temporary directory. Time is the whole job: count, keyset batches, computed columns, file
writing in a worker thread. Memory is the growth of the process's resident set (RSS,
sampled every few milliseconds while the export runs) over its size just before: it shows
that the export streams, since the whole export held in memory would be hundreds of MB.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import os
import statistics
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import select, text

from app.storage import LocalFileStorage
from models import CustomerSegmentMembership
from models.base import utcnow
from resolvers.categorisation import categorize_customers
from resolvers.config import DomainConfig
from resolvers.customer_export import ExportFormat, ExportRequest, export_customers
from resolvers.export_columns import DEFAULT_COLUMNS

if TYPE_CHECKING:
    from scripts.benchmark import Bench, Figure

PAGE = os.sysconf("SC_PAGE_SIZE")


@dataclass
class _InlineJob:
    """The JobContext a worker gives a job, for running the handler here."""

    read_session: Any
    write_session: Any
    files: LocalFileStorage
    options: dict[str, Any]
    config: DomainConfig
    job_id: int = 0

    async def report(self, *, processed: int, total: int | None = None, progress=None) -> None:
        return None

    async def in_thread(self, fn, *args):  # type: ignore[no-untyped-def]
        return await asyncio.to_thread(fn, *args)


def _rss() -> int:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * PAGE


class _RssPeak:
    """The highest resident set size seen while the block runs (sampled in a thread)."""

    def __enter__(self) -> _RssPeak:
        self.start = self.peak = _rss()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()
        return self

    def _sample(self) -> None:
        while not self._stop.wait(0.005):
            self.peak = max(self.peak, _rss())

    def __exit__(self, *_: Any) -> None:
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, _rss())

    @property
    def growth_mb(self) -> float:
        return (self.peak - self.start) / 2**20


def _options(format: ExportFormat, config: DomainConfig) -> dict[str, Any]:
    return ExportRequest(
        format=format,
        columns=DEFAULT_COLUMNS,
        flt=None,
        neutralise_formulas=True,
        excel_bom=False,
        timezone=config.timezone,
        thresholds=config.credit,
        file_ttl=dt.timedelta(hours=1),
        requested_at=utcnow(),
    ).to_options()


@dataclass(frozen=True)
class _Run:
    seconds: float
    cpu_seconds: float  # this process, all threads: wall time minus waiting for others
    rss_growth_mb: float
    result: dict[str, Any]


async def _export_once(bench: Bench, storage: LocalFileStorage, format: ExportFormat) -> _Run:
    config = DomainConfig()
    job = _InlineJob(
        bench.db.read_session, bench.db.write_session, storage, _options(format, config), config
    )
    with _RssPeak() as memory:
        started, cpu_started = time.perf_counter(), time.process_time()
        result = await export_customers(job)
        seconds, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    await storage.delete(result["output_file_key"])
    return _Run(seconds, cpu, memory.growth_mb, result)


async def _ensure_segments(bench: Bench) -> None:
    """Categorise everyone once if nobody has a segment yet (as bulk-categorize would), so
    the segment column and the XLSX summary have the memberships a live system has."""
    async with bench.db.write_session() as session:
        if await session.scalar(select(CustomerSegmentMembership.id).limit(1)) is None:
            await categorize_customers(session)
            await session.commit()
            # As the seeder does: the planner needs statistics for 400,000 new rows.
            await session.execute(text("ANALYZE customer_segment_memberships"))
            await session.commit()


async def bench_export(bench: Bench) -> list[Figure]:
    from scripts.benchmark import Figure

    await _ensure_segments(bench)
    runs = max(1, min(bench.runs, 3))  # an XLSX run takes seconds: a few are enough
    figures = []
    with tempfile.TemporaryDirectory(prefix="crm-bench-export-") as directory:
        storage = LocalFileStorage(Path(directory))
        for format in (ExportFormat.CSV, ExportFormat.JSON, ExportFormat.XLSX):
            runs_done = [await _export_once(bench, storage, format) for _ in range(runs)]
            result = runs_done[-1].result
            figures.append(
                Figure(
                    f"export-{format.value.lower()} ({len(DEFAULT_COLUMNS)} columns)",
                    [r.seconds for r in runs_done],
                    note=f"{result['rowCount']:,} rows, {result['sizeBytes'] / 2**20:.1f} MB; "
                    f"CPU {statistics.median(r.cpu_seconds for r in runs_done):.2f} s; "
                    f"peak RSS growth {max(r.rss_growth_mb for r in runs_done):.0f} MB",
                )
            )
    return figures
