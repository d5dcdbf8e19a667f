"""Periodic tasks: recurring work run by whichever server process claims each period.

Every task is idempotent by database constraint and each period is claimed through a
unique row (``periodic_task_runs``), so several processes never run the same period
twice. ``crm run-task NAME`` runs any task once from the command line.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from models.base import utcnow
from resolvers import jobs as job_domain
from resolvers import periodic, relationship_refresh, task_sweeps

if TYPE_CHECKING:
    from app.platform import Platform

logger = logging.getLogger("crm.scheduler")

TaskFunction = Callable[["Platform"], Awaitable[dict[str, Any]]]


@dataclass(frozen=True)
class PeriodicTask:
    name: str
    every: dt.timedelta
    run: TaskFunction
    description: str


async def fail_stale_jobs(platform: Platform) -> dict[str, Any]:
    stale_after = dt.timedelta(seconds=platform.settings.job_stale_after_seconds)
    async with platform.db.write_session() as session:
        jobs = await job_domain.fail_stale_jobs(session, stale_after=stale_after)
        for job in jobs:
            await platform.publisher.publish(
                session, job_domain.job_topic(job.id), job_domain.job_event(job)
            )
        await session.commit()
    if jobs:
        logger.warning("marked stale jobs FAILED", extra={"job_ids": [j.id for j in jobs]})
    return {"failed": [j.id for j in jobs]}


async def delete_expired_files(platform: Platform) -> dict[str, Any]:
    async with platform.db.write_session() as session:
        jobs = await job_domain.expired_outputs(session, now=utcnow())
        keys = [j.output_file_key for j in jobs if j.output_file_key]
        for job in jobs:
            job.output_file_key = None
        await session.commit()
    for key in keys:
        await platform.files.delete(key)
    return {"deleted": len(keys)}


async def _sweep(platform: Platform, sweep: Any, **extra: Any) -> Any:
    """Run one domain sweep in its own unit of work, with the platform's config."""
    async with platform.db.write_session() as session:
        result = await sweep(session, now=utcnow(), config=platform.config, **extra)
        await session.commit()
    return result


async def open_quotation_follow_ups(platform: Platform) -> dict[str, Any]:
    created = await _sweep(
        platform, task_sweeps.open_quotation_follow_ups, publisher=platform.publisher
    )
    return {"created": created}


async def announce_overdue_tasks(platform: Platform) -> dict[str, Any]:
    announced = await _sweep(
        platform, task_sweeps.announce_overdue_tasks, publisher=platform.publisher
    )
    return {"announced": announced}


async def refresh_scores(platform: Platform) -> dict[str, Any]:
    return {"refreshed": await _sweep(platform, relationship_refresh.refresh_scores)}


async def refit_lifetime_values(platform: Platform) -> dict[str, Any]:
    """Queue the weekly refit as a job, so any worker runs it with a heartbeat."""
    from resolvers.clv_jobs import CLV_REFIT, refit_options

    config = platform.config
    async with platform.db.write_session() as session:
        job = await job_domain.enqueue_job(
            session,
            kind=CLV_REFIT,
            actor=None,
            options=refit_options(config.clv, config.today()),
            publisher=platform.publisher,
        )
        await session.commit()
    return {"job": job.id}


TASKS: dict[str, PeriodicTask] = {
    task.name: task
    for task in (
        PeriodicTask(
            "fail-stale-jobs",
            dt.timedelta(seconds=5),
            fail_stale_jobs,
            "mark FAILED the running jobs of server processes that died",
        ),
        PeriodicTask(
            "delete-expired-files",
            dt.timedelta(minutes=10),
            delete_expired_files,
            "delete job output files whose download period is over",
        ),
        PeriodicTask(
            "quotation-follow-ups",
            dt.timedelta(minutes=15),
            open_quotation_follow_ups,
            "open one follow-up task for each quotation left SENT without a response",
        ),
        PeriodicTask(
            "overdue-task-alerts",
            dt.timedelta(minutes=1),
            announce_overdue_tasks,
            "announce, once each, follow-up tasks that have become overdue",
        ),
        PeriodicTask(
            "clv-refit",
            dt.timedelta(weeks=1),
            refit_lifetime_values,
            "refit the lifetime-value model and rescore every customer (as a job)",
        ),
        PeriodicTask(
            "refresh-scores",
            dt.timedelta(hours=6),
            refresh_scores,
            "recompute every customer's engagement and relationship scores (they decay)",
        ),
    )
}


async def run_task(platform: Platform, name: str, *, now: dt.datetime | None = None) -> Any:
    """Run a task for the period ``now`` falls in, unless another process already did.

    Returns the task's result, or None when the period was already claimed.
    """
    task = TASKS[name]
    start = periodic.period_start(now or utcnow(), task.every)
    async with platform.db.write_session() as session:
        run_id = await periodic.claim_period(
            session, task=name, start=start, worker_id=platform.worker_id
        )
        await session.commit()
    if run_id is None:
        return None
    result: dict[str, Any] = {}
    error: str | None = None
    try:
        result = await task.run(platform)
    except Exception as exc:
        logger.exception("periodic task failed", extra={"task": name})
        error = f"{type(exc).__name__}: {exc}"[:1000]
    async with platform.db.write_session() as session:
        await periodic.finish_run(session, run_id=run_id, result=result, error=error)
        await session.commit()
    if error:
        raise RuntimeError(f"{name} failed: {error}")
    return result


class Scheduler:
    def __init__(self, platform: Platform, *, tick_seconds: float = 1.0) -> None:
        self.platform = platform
        self.tick = tick_seconds
        self._task: asyncio.Task[None] | None = None
        self._last: dict[str, dt.datetime] = {}

    async def _loop(self) -> None:
        while True:
            now = utcnow()
            for name, task in TASKS.items():
                start = periodic.period_start(now, task.every)
                if self._last.get(name) == start:
                    continue
                self._last[name] = start
                with contextlib.suppress(Exception):
                    await run_task(self.platform, name, now=now)
            await asyncio.sleep(self.tick)

    async def start(self) -> None:
        self._task = asyncio.create_task(self._loop(), name="scheduler")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
