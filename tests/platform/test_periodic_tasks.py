"""Periodic tasks do each period's work once, however many processes reach for it."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import AsyncIterator

import pytest_asyncio

from app.platform import Platform, create_platform
from app.scheduler import run_task
from models import Job
from models.enums import JobStatus
from resolvers.periodic import period_start
from tests.support import settings_for, wipe

NOW = dt.datetime(2026, 3, 1, 10, 0, 7, tzinfo=dt.UTC)


@pytest_asyncio.fixture
async def platforms(database_url, tmp_path) -> AsyncIterator[tuple[Platform, Platform]]:
    """Two platforms with engines of their own: two server processes, as far as SQL sees."""
    settings = settings_for(database_url, tmp_path, job_stale_after_seconds=20)
    first, second = create_platform(settings), create_platform(settings)
    await wipe(first.db.engine)
    try:
        yield first, second
    finally:
        await first.db.dispose()
        await second.db.dispose()


async def _stale_job(platform: Platform) -> int:
    long_ago = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=5)
    async with platform.db.write_session() as session:
        job = Job(
            kind="anything",
            status=JobStatus.RUNNING,
            options={},
            result={},
            worker_id="gone:1:dead",
            heartbeat_at=long_ago,
            started_at=long_ago,
            created_at=long_ago,
        )
        session.add(job)
        await session.commit()
        return job.id


async def test_a_periodic_task_run_twice_at_once_does_its_work_once(platforms):
    first, second = platforms
    job_id = await _stale_job(first)

    results = await asyncio.gather(
        run_task(first, "fail-stale-jobs", now=NOW), run_task(second, "fail-stale-jobs", now=NOW)
    )

    assert sorted(results, key=lambda r: r is None) == [{"failed": [job_id]}, None]


async def test_the_next_period_runs_again(platforms):
    first, _ = platforms
    assert await run_task(first, "fail-stale-jobs", now=NOW) == {"failed": []}
    assert await run_task(first, "fail-stale-jobs", now=NOW + dt.timedelta(seconds=1)) is None
    assert await run_task(first, "fail-stale-jobs", now=NOW + dt.timedelta(seconds=5)) == {
        "failed": []
    }


async def test_stale_jobs_are_failed_but_beating_ones_are_not(platforms):
    first, _ = platforms
    stale = await _stale_job(first)
    async with first.db.write_session() as session:
        alive = Job(
            kind="anything",
            status=JobStatus.RUNNING,
            options={},
            result={},
            worker_id="here:2:live",
            heartbeat_at=dt.datetime.now(dt.UTC),
            created_at=dt.datetime.now(dt.UTC),
        )
        session.add(alive)
        await session.commit()

    await run_task(first, "fail-stale-jobs", now=NOW)

    async with first.db.read_session() as session:
        assert (await session.get(Job, stale)).status is JobStatus.FAILED
        assert (await session.get(Job, alive.id)).status is JobStatus.RUNNING


async def test_expired_output_files_are_deleted_once(platforms):
    first, second = platforms
    with first.files.writer(suffix=".csv") as (out, stored):
        out.write(b"a,b\n")
    key = stored[0].key
    async with first.db.write_session() as session:
        job = Job(
            kind="anything",
            status=JobStatus.SUCCEEDED,
            options={},
            result={},
            output_file_key=key,
            expires_at=dt.datetime.now(dt.UTC) - dt.timedelta(hours=1),
            created_at=dt.datetime.now(dt.UTC),
        )
        session.add(job)
        await session.commit()

    results = await asyncio.gather(
        run_task(first, "delete-expired-files", now=NOW),
        run_task(second, "delete-expired-files", now=NOW),
    )

    assert sorted(results, key=lambda r: r is None) == [{"deleted": 1}, None]
    assert not first.files.exists(key)
    async with first.db.read_session() as session:
        assert (await session.get(Job, job.id)).output_file_key is None


def test_periods_are_fixed_slots_of_the_interval():
    every = dt.timedelta(minutes=10)
    assert period_start(NOW, every) == dt.datetime(2026, 3, 1, 10, 0, tzinfo=dt.UTC)
    assert period_start(NOW + every, every) == dt.datetime(2026, 3, 1, 10, 10, tzinfo=dt.UTC)
