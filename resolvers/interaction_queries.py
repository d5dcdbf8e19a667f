"""Reading interactions: a customer's list (newest first, keyset) and attachments in batches."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Row, cast, func, select
from sqlalchemy.dialects.postgresql import JSONB, array
from sqlalchemy.ext.asyncio import AsyncSession

from models import CustomerInteraction, InteractionAttachment
from models.enums import InteractionKind, InteractionStatus, Priority
from resolvers.pagination import Page, SortKey, fetch_page, parse_datetime
from resolvers.rows import rows_by_ids

I = CustomerInteraction  # noqa: E741 - a table alias, as in SQL
_KEY = SortKey(columns=[I.occurred_at, I.id], parsers=[parse_datetime, int], descending=True)


@dataclass(frozen=True)
class InteractionFilter:
    kinds: tuple[InteractionKind, ...] = ()
    statuses: tuple[InteractionStatus, ...] = ()
    priorities: tuple[Priority, ...] = ()
    tags: tuple[str, ...] = ()  # any of these (already normalised)
    occurred_from: dt.datetime | None = None
    occurred_before: dt.datetime | None = None


def _tag_condition(session: AsyncSession, tags: Sequence[str]) -> Any:
    """Any of ``tags`` in the JSON array column, spelled per database."""
    if session.get_bind().dialect.name == "postgresql":
        return cast(I.tags, JSONB).op("?|")(array(list(tags)))
    each = func.json_each(I.tags).table_valued("value")
    return select(each.c.value).where(each.c.value.in_(list(tags))).exists()


def _conditions(session: AsyncSession, customer_id: int, flt: InteractionFilter) -> list[Any]:
    conditions: list[Any] = [I.customer_id == customer_id]
    if flt.kinds:
        conditions.append(I.kind.in_(flt.kinds))
    if flt.statuses:
        conditions.append(I.status.in_(flt.statuses))
    if flt.priorities:
        conditions.append(I.priority.in_(flt.priorities))
    if flt.tags:
        conditions.append(_tag_condition(session, flt.tags))
    if flt.occurred_from is not None:
        conditions.append(I.occurred_at >= flt.occurred_from)
    if flt.occurred_before is not None:
        conditions.append(I.occurred_at < flt.occurred_before)
    return conditions


async def customer_interactions(
    session: AsyncSession,
    *,
    customer_id: int,
    flt: InteractionFilter,
    first: int,
    after: str | None,
) -> Page[Row[Any]]:
    query = select(*I.__table__.c).where(*_conditions(session, customer_id, flt))
    return await fetch_page(
        session, query, key=_KEY, key_names=["occurred_at", "id"], first=first, after=after
    )


async def count_customer_interactions(
    session: AsyncSession, *, customer_id: int, flt: InteractionFilter
) -> int:
    query = select(func.count()).select_from(I).where(*_conditions(session, customer_id, flt))
    return int(await session.scalar(query) or 0)


async def interactions_by_ids(session: AsyncSession, ids: Sequence[int]) -> list[Row[Any] | None]:
    return await rows_by_ids(session, CustomerInteraction, ids)


async def attachments_by_interaction_ids(
    session: AsyncSession, ids: Sequence[int]
) -> list[list[Row[Any]]]:
    rows = (
        await session.execute(
            select(*InteractionAttachment.__table__.c)
            .where(InteractionAttachment.interaction_id.in_(ids))
            .order_by(InteractionAttachment.id)
        )
    ).all()
    found: dict[int, list[Row[Any]]] = {}
    for row in rows:
        found.setdefault(row.interaction_id, []).append(row)
    return [found.get(i, []) for i in ids]
