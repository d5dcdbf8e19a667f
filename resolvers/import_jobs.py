"""Asking for an import and reading it back: its job row and its row errors, page by page."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Row, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from models import ImportRowError, Job
from resolvers.actor import Actor
from resolvers.customer_import import JOB_KIND
from resolvers.errors import NotAllowed, NotFound
from resolvers.import_options import ImportOptions
from resolvers.jobs import enqueue_job, readable_job
from resolvers.pagination import Page, SortKey, fetch_page
from resolvers.ports import EventPublisher
from resolvers.roles import Action, is_allowed

_ERROR_KEY = SortKey(columns=[ImportRowError.row, ImportRowError.id], parsers=[int, int])


async def request_import(
    session: AsyncSession,
    *,
    actor: Actor,
    options: ImportOptions,
    publisher: EventPublisher | None = None,
) -> Job:
    """Queue an import of an already stored file; the options are checked now, the
    file's contents when the job runs."""
    if not is_allowed(actor.role, Action.IMPORT_EXPORT):
        raise NotAllowed("Only managers and admins import customers")
    options.validate()
    return await enqueue_job(
        session,
        kind=JOB_KIND,
        actor=actor,
        options=options.to_json(),
        input_file_key=options.file_key,
        publisher=publisher,
    )


async def readable_import_job(session: AsyncSession, *, actor: Actor, job_id: int) -> Row[Any]:
    row = await readable_job(session, actor=actor, job_id=job_id)
    if row.kind != JOB_KIND:
        raise NotFound("No import with this id", field="id")
    return row


async def row_errors_page(
    session: AsyncSession, *, job_id: int, first: int, after: str | None
) -> Page[Any]:
    query = select(*ImportRowError.__table__.c).where(ImportRowError.job_id == job_id)
    return await fetch_page(
        session, query, key=_ERROR_KEY, key_names=["row", "id"], first=first, after=after
    )


async def count_row_errors(session: AsyncSession, *, job_id: int) -> int:
    query = select(func.count()).select_from(ImportRowError).where(ImportRowError.job_id == job_id)
    return int(await session.scalar(query) or 0)
