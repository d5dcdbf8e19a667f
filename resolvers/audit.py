"""The audit log: appending an entry, and reading entries back with filters.

There is deliberately no function here that updates or deletes an entry.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Row, and_, exists, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from models import AuditLogEntry, AuditLogTarget, AuditOutcome
from models.base import utcnow
from resolvers.errors import ValidationFailed
from resolvers.pagination import Page, SortKey, fetch_page, parse_datetime

MAX_TARGETS = 100
MAX_TARGET_LENGTH = 64
_KEY = SortKey(
    columns=[AuditLogEntry.occurred_at, AuditLogEntry.id],
    parsers=[parse_datetime, int],
    descending=True,
)


@dataclass(frozen=True)
class AuditRecord:
    """What one mutation call did, as the API layer observed it."""

    mutation: str
    outcome: AuditOutcome
    actor_id: int | None = None
    api_key_id: int | None = None
    operation_name: str | None = None
    target_ids: Sequence[str] = ()
    error_codes: Sequence[str] = ()
    client_address: str | None = None
    request_id: str | None = None
    occurred_at: dt.datetime = field(default_factory=utcnow)


def _clean_targets(target_ids: Sequence[str]) -> list[str]:
    """Distinct, in first-seen order, bounded: a client chooses what ids it sends."""
    seen: dict[str, None] = {}
    for target in target_ids:
        if 0 < len(target) <= MAX_TARGET_LENGTH:
            seen.setdefault(target, None)
        if len(seen) == MAX_TARGETS:
            break
    return list(seen)


async def append_entry(session: AsyncSession, record: AuditRecord) -> AuditLogEntry:
    targets = _clean_targets(record.target_ids)
    entry = AuditLogEntry(
        occurred_at=record.occurred_at,
        actor_id=record.actor_id,
        api_key_id=record.api_key_id,
        mutation=record.mutation[:100],
        operation_name=(record.operation_name or None) and record.operation_name[:200],
        target_ids=targets,
        outcome=record.outcome,
        error_codes=list(dict.fromkeys(code[:100] for code in record.error_codes)),
        client_address=record.client_address and record.client_address[:100],
        request_id=record.request_id and record.request_id[:64],
    )
    session.add(entry)
    await session.flush()
    session.add_all(AuditLogTarget(entry_id=entry.id, target_id=t) for t in targets)
    await session.flush()
    return entry


@dataclass(frozen=True)
class AuditFilter:
    """All given conditions must hold; ``occurred_from`` inclusive, ``occurred_to`` not."""

    actor_id: int | None = None
    mutation: str | None = None
    outcome: AuditOutcome | None = None
    occurred_from: dt.datetime | None = None
    occurred_to: dt.datetime | None = None
    target_id: str | None = None


def _conditions(where: AuditFilter) -> list[Any]:
    if where.occurred_from and where.occurred_to and where.occurred_from >= where.occurred_to:
        raise ValidationFailed("from must be before to", field="filter.from")
    conditions: list[Any] = []
    if where.actor_id is not None:
        conditions.append(AuditLogEntry.actor_id == where.actor_id)
    if where.mutation is not None:
        conditions.append(AuditLogEntry.mutation == where.mutation)
    if where.outcome is not None:
        conditions.append(AuditLogEntry.outcome == where.outcome)
    if where.occurred_from is not None:
        conditions.append(AuditLogEntry.occurred_at >= where.occurred_from)
    if where.occurred_to is not None:
        conditions.append(AuditLogEntry.occurred_at < where.occurred_to)
    if where.target_id is not None:
        conditions.append(
            exists().where(
                AuditLogTarget.entry_id == AuditLogEntry.id,
                AuditLogTarget.target_id == where.target_id,
            )
        )
    return conditions


async def list_entries(
    session: AsyncSession, *, where: AuditFilter, first: int, after: str | None
) -> Page[Row[Any]]:
    """Entries newest first."""
    query = select(*AuditLogEntry.__table__.c).where(and_(True, *_conditions(where)))
    return await fetch_page(
        session, query, key=_KEY, key_names=["occurred_at", "id"], first=first, after=after
    )


async def count_entries(session: AsyncSession, *, where: AuditFilter) -> int:
    query = select(func.count()).select_from(AuditLogEntry)
    return int(await session.scalar(query.where(and_(True, *_conditions(where)))) or 0)
