"""Segment pricing rules as lines show them (their management arrives with segmentation)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import strawberry
from strawberry.types import Info

from schema.customers import Segment


@strawberry.type(description="A discount a segment earns, optionally per product category.")
class SegmentPricingRule:
    id: strawberry.ID
    name: str
    discount_percent: Decimal
    product_category: str | None
    min_quantity: int
    valid_from: dt.date | None
    valid_to: dt.date | None
    priority: int
    active: bool
    segment_id: strawberry.Private[int]

    @strawberry.field(description="The segment whose customers get this price.")
    async def segment(self, info: Info) -> Segment | None:
        row = await info.context.loaders.segment_by_id.load(self.segment_id)
        return Segment.from_row(row) if row else None

    @classmethod
    def from_row(cls, row: Any) -> SegmentPricingRule:
        return cls(
            id=strawberry.ID(str(row.id)),
            name=row.name,
            discount_percent=row.discount_percent,
            product_category=row.product_category,
            min_quantity=row.min_quantity,
            valid_from=row.valid_from,
            valid_to=row.valid_to,
            priority=row.priority,
            active=row.active,
            segment_id=row.segment_id,
        )


async def load_pricing_rule(info: Info, rule_id: int | None) -> SegmentPricingRule | None:
    if rule_id is None:
        return None
    row = await info.context.loaders.pricing_rule_by_id.load(rule_id)
    return SegmentPricingRule.from_row(row) if row else None
