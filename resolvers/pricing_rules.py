"""Reading segment pricing rules (their management arrives with segmentation)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Row, select
from sqlalchemy.ext.asyncio import AsyncSession

from models import SegmentPricingRule


async def pricing_rules_by_ids(session: AsyncSession, ids: Sequence[int]) -> list[Row[Any] | None]:
    rows = (
        await session.execute(
            select(*SegmentPricingRule.__table__.c).where(SegmentPricingRule.id.in_(ids))
        )
    ).all()
    by_id = {r.id: r for r in rows}
    return [by_id.get(i) for i in ids]
