"""The computed columns of an export batch, one set-based statement per fact.

Plain Core selects of the few columns needed, no ORM rows: at 100,000 customers the
per-row overhead of ORM-enabled statements costs more than the database work. A batch's
ids ascend; when they are dense (an unfiltered export, most filtered ones) the batch is
read as an id range, one index range scan instead of thousands of bound parameters, and
rows of customers outside the batch are simply not looked up.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from sqlalchemy import ColumnElement, String, cast, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from models import (
    CustomerLifetimeValue,
    CustomerRelationshipScore,
    CustomerSegment,
    CustomerSegmentMembership,
    CustomerTag,
    Order,
)
from models.enums import OrderStatus
from resolvers.money import ZERO

SegmentLabels = tuple[tuple[str, str], ...]  # (kind, name) of each segment


def among(column: Any, ids: Sequence[int]) -> ColumnElement[bool]:
    """``column`` is one of the (ascending) ids, or at least between the first and last."""
    if ids[-1] - ids[0] < 2 * len(ids):
        return column.between(ids[0], ids[-1])
    return column.in_(list(ids))


async def _rows(session: AsyncSession, statement: Any) -> list[Any]:
    # .all() builds the rows in one go; iterating a Result fetches them one by one,
    # several times slower on aiosqlite.
    return (await session.execute(statement)).all()


async def _by_id(session: AsyncSession, statement: Any) -> dict[int, Any]:
    return {key: value for key, value in await _rows(session, statement)}


async def tags(session: AsyncSession, ids: Sequence[int]) -> list[Sequence[str]]:
    t = CustomerTag.__table__.c
    grouped: dict[int, list[str]] = {}  # lists for the few with tags; () for the rest
    statement = (
        select(t.customer_id, t.tag).where(among(t.customer_id, ids)).order_by(t.customer_id, t.tag)
    )
    for customer_id, tag in await _rows(session, statement):
        grouped.setdefault(customer_id, []).append(tag)
    return [grouped.get(i, ()) for i in ids]  # type: ignore[misc]


async def segment_catalogue(session: AsyncSession) -> dict[int, tuple[str, str, str]]:
    """Every segment as id → (kind, key, name): a few dozen rows, read once per export."""
    s = CustomerSegment.__table__.c
    rows = await _rows(session, select(s.id, s.kind, s.key, s.name))
    return {id_: (kind.value, key, name) for id_, kind, key, name in rows}


async def segments(
    session: AsyncSession, ids: Sequence[int], catalogue: dict[int, tuple[str, str, str]]
) -> list[SegmentLabels]:
    """Each customer's segments as (kind, name), ordered by kind then key (as the API).

    The database groups the memberships (one row per customer, not one per membership),
    and customers share a few hundred combinations of segments at most: each distinct
    combination is sorted and labelled once, and customers share its (immutable) labels.
    """
    m = CustomerSegmentMembership.__table__.c
    statement = (
        select(m.customer_id, func.aggregate_strings(cast(m.segment_id, String), ","))
        .where(among(m.customer_id, ids))
        .group_by(m.customer_id)
    )
    by_id = await _by_id(session, statement)
    labelled: dict[str | None, SegmentLabels] = {None: ()}
    for combination in set(by_id.values()):
        found = sorted(catalogue[int(s)] for s in combination.split(","))
        labelled[combination] = tuple((kind, name) for kind, _, name in found)
    return [labelled[by_id.get(i)] for i in ids]


async def relationship_scores(session: AsyncSession, ids: Sequence[int]) -> list[int | None]:
    r = CustomerRelationshipScore.__table__.c
    by_id = await _by_id(session, select(r.customer_id, r.score).where(among(r.customer_id, ids)))
    return [by_id.get(i) for i in ids]


async def predicted_values(session: AsyncSession, ids: Sequence[int]) -> list[Decimal | None]:
    v = CustomerLifetimeValue.__table__.c
    statement = select(v.customer_id, v.predicted_value).where(among(v.customer_id, ids))
    by_id = await _by_id(session, statement)
    return [by_id.get(i) for i in ids]


async def revenue(session: AsyncSession, ids: Sequence[int]) -> list[Decimal]:
    """Sum of the totals of each customer's orders that are not cancelled, all time."""
    o = Order.__table__.c
    statement = (
        select(o.customer_id, func.sum(o.total))
        .where(among(o.customer_id, ids), o.status != OrderStatus.CANCELLED)
        .group_by(o.customer_id)
    )
    by_id = await _by_id(session, statement)
    return [by_id.get(i) or ZERO for i in ids]
