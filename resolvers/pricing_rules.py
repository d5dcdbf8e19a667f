"""Reading segment pricing rules (their management arrives with segmentation)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Row
from sqlalchemy.ext.asyncio import AsyncSession

from models import SegmentPricingRule
from resolvers.rows import rows_by_ids


async def pricing_rules_by_ids(session: AsyncSession, ids: Sequence[int]) -> list[Row[Any] | None]:
    return await rows_by_ids(session, SegmentPricingRule, ids)
