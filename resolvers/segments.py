"""Segments and their memberships as read by the API: lists, live counts, pricing rules."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Row, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from models import CustomerSegment, CustomerSegmentMembership, SegmentPricingRule
from models.enums import SegmentKind
from resolvers.rows import rows_by_ids


async def segments_by_customer_ids(
    session: AsyncSession, ids: Sequence[int]
) -> list[list[Row[Any]]]:
    rows = (
        await session.execute(
            select(
                CustomerSegmentMembership.customer_id,
                CustomerSegment.id,
                CustomerSegment.key,
                CustomerSegment.name,
                CustomerSegment.kind,
                CustomerSegment.description,
            )
            .join(CustomerSegment, CustomerSegment.id == CustomerSegmentMembership.segment_id)
            .where(CustomerSegmentMembership.customer_id.in_(ids))
            .order_by(
                CustomerSegmentMembership.customer_id, CustomerSegment.kind, CustomerSegment.key
            )
        )
    ).all()
    grouped: dict[int, list[Row[Any]]] = {}
    for row in rows:
        grouped.setdefault(row.customer_id, []).append(row)
    return [grouped.get(i, []) for i in ids]


async def segments_by_ids(session: AsyncSession, ids: Sequence[int]) -> list[Row[Any] | None]:
    return await rows_by_ids(session, CustomerSegment, ids)


async def list_segments(
    session: AsyncSession, *, kind: SegmentKind | None = None
) -> list[Row[Any]]:
    """Segments by kind, then name (a short list: kinds × tiers, states, custom ones)."""
    query = select(*CustomerSegment.__table__.c).order_by(
        CustomerSegment.kind, CustomerSegment.name, CustomerSegment.id
    )
    if kind is not None:
        query = query.where(CustomerSegment.kind == kind)
    return list((await session.execute(query)).all())


async def customer_counts_by_segment_ids(session: AsyncSession, ids: Sequence[int]) -> list[int]:
    """Live member counts in one GROUP BY (the membership index covers it)."""
    M = CustomerSegmentMembership
    rows = (
        await session.execute(
            select(M.segment_id, func.count().label("n"))
            .where(M.segment_id.in_(ids))
            .group_by(M.segment_id)
        )
    ).all()
    counts = {r.segment_id: r.n for r in rows}
    return [int(counts.get(i, 0)) for i in ids]


async def pricing_rules_by_segment_ids(
    session: AsyncSession, ids: Sequence[int]
) -> list[list[Row[Any]]]:
    """Each segment's pricing rules, in the order they are tried (see resolvers.pricing)."""
    R = SegmentPricingRule
    rows = (
        await session.execute(
            select(*R.__table__.c)
            .where(R.segment_id.in_(ids))
            .order_by(R.segment_id, R.priority.desc(), R.discount_percent.desc(), R.id)
        )
    ).all()
    grouped: dict[int, list[Row[Any]]] = {}
    for row in rows:
        grouped.setdefault(row.segment_id, []).append(row)
    return [grouped.get(i, []) for i in ids]
