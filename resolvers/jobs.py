"""Jobs: long work recorded as rows that any server process can claim and run.

The lifecycle is QUEUED → RUNNING → SUCCEEDED / FAILED. A running job carries the id of
the process running it and a heartbeat that process renews; a job whose heartbeat is
older than the stale limit belonged to a process that died, and is marked FAILED. A live
process keeps beating (CPU-bound steps run in threads), so its jobs are never touched.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Awaitable, Callable
from typing import Any

from sqlalchemy import Row, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from models import Job
from models.base import utcnow
from models.enums import JobStatus
from resolvers.actor import Actor
from resolvers.errors import NotFound
from resolvers.ports import EventPublisher, JobContext
from resolvers.roles import Action, is_allowed

JobHandler = Callable[[JobContext], Awaitable[dict[str, Any]]]
FINISHED = frozenset({JobStatus.SUCCEEDED, JobStatus.FAILED})

# kind → handler; capabilities register theirs with @job_kind("…").
JOB_KINDS: dict[str, JobHandler] = {}


def job_kind(name: str) -> Callable[[JobHandler], JobHandler]:
    def register(handler: JobHandler) -> JobHandler:
        JOB_KINDS[name] = handler
        return handler

    return register


QUEUED_TOPIC = "jobs:queued"


def job_topic(job_id: int) -> str:
    return f"job:{job_id}"


def job_event(job: Any) -> dict[str, Any]:
    """What subscribers of a job hear: its state, JSON-ready."""
    return {
        "id": job.id,
        "status": job.status.value if hasattr(job.status, "value") else job.status,
        "progress": job.progress,
        "processedRows": job.processed_rows,
        "totalRows": job.total_rows,
    }


async def enqueue_job(
    session: AsyncSession,
    *,
    kind: str,
    actor: Actor | None,
    options: dict[str, Any] | None = None,
    input_file_key: str | None = None,
    total_rows: int | None = None,
    publisher: EventPublisher | None = None,
) -> Job:
    """Queue a job; with a publisher, idle workers of every process wake at commit."""
    if kind not in JOB_KINDS:
        raise ValueError(f"no job kind {kind!r} is registered")
    job = Job(
        kind=kind,
        status=JobStatus.QUEUED,
        progress=0.0,
        processed_rows=0,
        total_rows=total_rows,
        options=options or {},
        result={},
        input_file_key=input_file_key,
        created_by_id=actor.id if actor else None,
        created_at=utcnow(),
    )
    session.add(job)
    await session.flush()
    if publisher is not None:
        await publisher.publish(session, QUEUED_TOPIC, {"id": job.id})
    return job


def may_read_job(actor: Actor, created_by_id: int | None) -> bool:
    """A job's creator reads it; so do those allowed to read any job (DESIGN.md §6)."""
    return created_by_id == actor.id or is_allowed(actor.role, Action.READ_ANY_JOB)


async def readable_job(session: AsyncSession, *, actor: Actor, job_id: int) -> Row[Any]:
    """The job if this actor may read it; otherwise "not found", revealing nothing."""
    row = (await session.execute(select(*Job.__table__.c).where(Job.id == job_id))).first()
    if row is None or not may_read_job(actor, row.created_by_id):
        raise NotFound("No job with this id", field="id")
    return row


async def claim_next_job(session: AsyncSession, *, worker_id: str, kinds: list[str]) -> Job | None:
    """Take the oldest queued job. PostgreSQL skips rows other claimers hold locked;
    SQLite's writer lock (BEGIN IMMEDIATE) serialises claimers."""
    if not kinds:
        return None
    candidate = (
        select(Job.id)
        .where(Job.status == JobStatus.QUEUED, Job.kind.in_(kinds))
        .order_by(Job.created_at, Job.id)
        .limit(1)
        .with_for_update(skip_locked=True)
    )
    job_id = await session.scalar(candidate)
    if job_id is None:
        return None
    now = utcnow()
    await session.execute(
        update(Job)
        .where(Job.id == job_id, Job.status == JobStatus.QUEUED)
        .values(status=JobStatus.RUNNING, worker_id=worker_id, started_at=now, heartbeat_at=now)
    )
    return await session.get(Job, job_id, populate_existing=True)


async def beat(session: AsyncSession, *, worker_id: str, job_ids: list[int]) -> None:
    if job_ids:
        await session.execute(
            update(Job)
            .where(Job.id.in_(job_ids), Job.worker_id == worker_id, Job.status == JobStatus.RUNNING)
            .values(heartbeat_at=utcnow())
        )


async def record_progress(
    session: AsyncSession,
    *,
    job_id: int,
    processed: int,
    total: int | None,
    progress: float | None,
) -> Job | None:
    job = await session.get(Job, job_id, with_for_update=True, populate_existing=True)
    if job is None or job.status is not JobStatus.RUNNING:
        return None
    job.processed_rows = processed
    if total is not None:
        job.total_rows = total
    if progress is None and job.total_rows:
        progress = processed / job.total_rows
    if progress is not None:
        job.progress = max(0.0, min(1.0, progress))
    job.heartbeat_at = utcnow()
    return job


async def finish_job(
    session: AsyncSession,
    *,
    job_id: int,
    worker_id: str,
    result: dict[str, Any] | None = None,
    error: str | None = None,
    output_file_key: str | None = None,
    expires_at: dt.datetime | None = None,
) -> Job | None:
    """Close a job this worker runs; a job already failed by the reaper stays failed."""
    job = await session.get(Job, job_id, with_for_update=True, populate_existing=True)
    if job is None or job.status is not JobStatus.RUNNING or job.worker_id != worker_id:
        return None
    job.status = JobStatus.FAILED if error else JobStatus.SUCCEEDED
    job.error_message = error
    job.result = result or {}
    if not error:
        job.progress = 1.0
        if job.total_rows is not None:
            job.processed_rows = max(job.processed_rows, job.total_rows)
    job.output_file_key = output_file_key
    job.expires_at = expires_at
    job.finished_at = utcnow()
    return job


async def fail_stale_jobs(session: AsyncSession, *, stale_after: dt.timedelta) -> list[Job]:
    """Mark FAILED the running jobs whose process stopped beating."""
    cutoff = utcnow() - stale_after
    jobs = (
        await session.scalars(
            select(Job)
            .where(Job.status == JobStatus.RUNNING, Job.heartbeat_at < cutoff)
            .with_for_update(skip_locked=True)
        )
    ).all()
    now = utcnow()
    for job in jobs:
        job.status = JobStatus.FAILED
        job.error_message = (
            f"The server process running this job stopped responding (last heartbeat "
            f"{job.heartbeat_at.isoformat() if job.heartbeat_at else 'never'})."
        )
        job.finished_at = now
    return list(jobs)


async def expired_outputs(session: AsyncSession, *, now: dt.datetime) -> list[Job]:
    return list(
        (
            await session.scalars(
                select(Job)
                .where(Job.output_file_key.is_not(None), Job.expires_at < now)
                .with_for_update(skip_locked=True)
            )
        ).all()
    )
