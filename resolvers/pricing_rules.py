"""Segment pricing rules: which ones apply to a customer on a day, and which one wins.

A rule applies to a line when it is active, valid on the pricing day (``valid_from`` ≤
day ≤ ``valid_to``, a missing end open), its segment is one the customer belongs to, its
product category is empty or the product's, and the quantity is at least its minimum.
Of the rules that apply, the winner is — the documented precedence —

    1. the highest priority (a manager's explicit choice comes first),
    2. then the largest discount (the customer gets the better price on a tie),
    3. then the lowest id (the older rule), so the choice is always deterministic.

``price_lines`` (quotations, orders and price quotes alike) uses exactly this.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import Row, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from models import CustomerSegmentMembership, SegmentPricingRule
from resolvers.rows import rows_by_ids


@dataclass(frozen=True)
class CandidateRule:
    id: int
    product_category: str | None
    discount_percent: Decimal
    min_quantity: int
    priority: int

    def applies_to(self, category: str, quantity: int) -> bool:
        return (
            self.product_category is None or self.product_category == category
        ) and quantity >= self.min_quantity


def choose_rule(
    candidates: Sequence[CandidateRule], *, category: str, quantity: int
) -> CandidateRule | None:
    """The winning rule for one line (see the module doc), or None."""
    applicable = [r for r in candidates if r.applies_to(category, quantity)]
    if not applicable:
        return None
    return min(applicable, key=lambda r: (-r.priority, -r.discount_percent, r.id))


async def candidate_rules(
    session: AsyncSession, *, customer_id: int, on: dt.date, categories: Collection[str]
) -> list[CandidateRule]:
    """Active rules valid on ``on`` of the customer's segments for these categories (or
    for any category): one statement, few rows."""
    R, M = SegmentPricingRule, CustomerSegmentMembership
    rows = (
        await session.execute(
            select(R.id, R.product_category, R.discount_percent, R.min_quantity, R.priority).where(
                R.active.is_(True),
                R.segment_id.in_(select(M.segment_id).where(M.customer_id == customer_id)),
                or_(R.valid_from.is_(None), R.valid_from <= on),
                or_(R.valid_to.is_(None), R.valid_to >= on),
                or_(R.product_category.is_(None), R.product_category.in_(sorted(categories))),
            )
        )
    ).all()
    return [CandidateRule(*row) for row in rows]


async def pricing_rules_by_ids(session: AsyncSession, ids: Sequence[int]) -> list[Row[Any] | None]:
    return await rows_by_ids(session, SegmentPricingRule, ids)
