"""Segment memberships as read by the API (segmentation rules arrive with issue 6)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Row, select
from sqlalchemy.ext.asyncio import AsyncSession

from models import CustomerSegment, CustomerSegmentMembership
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
