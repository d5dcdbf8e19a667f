"""Periodic work claimed per period, so several server processes run each period once."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from models import PeriodicTaskRun
from models.base import utcnow
from resolvers.sql import insert_or_ignore

EPOCH = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)


def period_start(now: dt.datetime, interval: dt.timedelta) -> dt.datetime:
    """The start of the fixed-length period ``now`` falls in (periods counted from 2000)."""
    periods = (now - EPOCH) // interval
    return EPOCH + periods * interval


async def claim_period(
    session: AsyncSession, *, task: str, start: dt.datetime, worker_id: str
) -> int | None:
    """The run's id if this caller won the period, None if another process already has it."""
    statement = (
        insert_or_ignore(session, PeriodicTaskRun)
        .values(task=task, period_start=start, worker_id=worker_id, started_at=utcnow(), result={})
        .returning(PeriodicTaskRun.id)
    )
    return await session.scalar(statement)


async def finish_run(
    session: AsyncSession, *, run_id: int, result: dict[str, Any], error: str | None
) -> None:
    await session.execute(
        update(PeriodicTaskRun)
        .where(PeriodicTaskRun.id == run_id)
        .values(finished_at=utcnow(), result=result, error_message=error)
    )


async def last_runs(session: AsyncSession, task: str, limit: int = 5) -> list[PeriodicTaskRun]:
    query = (
        select(PeriodicTaskRun)
        .where(PeriodicTaskRun.task == task)
        .order_by(PeriodicTaskRun.period_start.desc())
        .limit(limit)
    )
    return list((await session.scalars(query)).all())
