"""Jobs as the API shows them: a lookup, and ``jobProgress``, a live stream of one job."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import AsyncGenerator
from typing import Any

import strawberry
from strawberry.types import Info

from models.base import utcnow
from resolvers import jobs as job_domain
from resolvers.errors import DomainError, NotFound
from resolvers.users import active_user
from schema.enums import JobStatus
from schema.errors import BadUserInput, Unauthenticated
from schema.operations import acting_user, decode_id, read
from schema.permissions import SignedIn


def download_url(info: Info, row: Any) -> str | None:
    """A fresh signed link to a finished job's file, valid for the configured time."""
    filename = (row.result or {}).get("filename")
    if not row.output_file_key or not filename or row.expires_at is None:
        return None
    services = info.context.services
    expires_at = min(row.expires_at, utcnow() + services.link_ttl)
    if expires_at <= utcnow():
        return None
    return services.links.url(row.output_file_key, filename=filename, expires_at=expires_at)


@strawberry.type(description="Long work (imports, exports, refits) running in the background.")
class Job:
    id: strawberry.ID
    kind: str
    status: JobStatus
    progress: float = strawberry.field(description="From 0 to 1.")
    processed_rows: int
    total_rows: int | None
    error_message: str | None
    created_at: dt.datetime
    started_at: dt.datetime | None
    finished_at: dt.datetime | None
    expires_at: dt.datetime | None = strawberry.field(
        description="When the job's output file is deleted."
    )
    url: str | None = strawberry.field(description="Signed, expiring link to the output file.")

    @classmethod
    def from_row(cls, info: Info, row: Any) -> Job:
        return cls(
            id=strawberry.ID(str(row.id)),
            kind=row.kind,
            status=row.status,
            progress=row.progress,
            processed_rows=row.processed_rows,
            total_rows=row.total_rows,
            error_message=row.error_message,
            created_at=row.created_at,
            started_at=row.started_at,
            finished_at=row.finished_at,
            expires_at=row.expires_at,
            url=download_url(info, row),
        )


@strawberry.type(description="A job's state, as streamed by jobProgress.")
class JobProgressEvent:
    id: strawberry.ID
    status: JobStatus
    progress: float
    processed_rows: int
    total_rows: int | None
    url: str | None

    @classmethod
    def from_row(cls, info: Info, row: Any) -> JobProgressEvent:
        return cls(
            id=strawberry.ID(str(row.id)),
            status=row.status,
            progress=row.progress,
            processed_rows=row.processed_rows,
            total_rows=row.total_rows,
            url=download_url(info, row),
        )


async def _readable_job(info: Info, job_id: strawberry.ID) -> Any:
    actor = acting_user(info)
    try:
        pk = decode_id(job_id)
    except DomainError as exc:
        raise BadUserInput(exc) from exc
    return await read(info, job_domain.readable_job, actor=actor, job_id=pk)


@strawberry.type
class JobQueries:
    @strawberry.field(
        description="A job, for its creator, managers and admins.", permission_classes=[SignedIn]
    )
    async def job(self, info: Info, id: strawberry.ID) -> Job | None:
        try:
            return Job.from_row(info, await _readable_job(info, id))
        except BadUserInput:
            return None


@strawberry.type
class JobSubscriptions:
    @strawberry.subscription(
        description="A job's progress, live, until it finishes (for those who may read it).",
        permission_classes=[SignedIn],
    )
    async def job_progress(
        self, info: Info, id: strawberry.ID
    ) -> AsyncGenerator[JobProgressEvent, None]:
        context = info.context
        services = context.services
        actor = acting_user(info)
        row = await _readable_job(info, id)
        with services.events.subscribe(job_domain.job_topic(row.id)) as queue:
            row = await _readable_job(info, id)  # re-read: nothing between read and subscribe
            yield JobProgressEvent.from_row(info, row)
            while row.status not in job_domain.FINISHED:
                try:
                    await asyncio.wait_for(queue.get(), timeout=services.recheck_every)
                except TimeoutError:
                    async with services.db.read_session() as session:
                        if await active_user(session, actor.id) is None:
                            raise Unauthenticated() from None
                seen = (row.status, row.progress, row.processed_rows, row.total_rows)
                try:
                    row = await _readable_job(info, id)
                except BadUserInput:
                    raise NotFoundError() from None
                if (row.status, row.progress, row.processed_rows, row.total_rows) != seen:
                    context.fresh_loaders()
                    yield JobProgressEvent.from_row(info, row)


class NotFoundError(BadUserInput):
    def __init__(self) -> None:
        super().__init__(NotFound("No job with this id", field="id"))
