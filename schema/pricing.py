"""Segment pricing rules: the type lines and segments show, and managing the rules."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import strawberry
from strawberry.types import Info

from resolvers import segment_pricing as pricing_domain
from resolvers.errors import ValidationFailed
from resolvers.roles import Action
from schema.errors import UserError
from schema.operations import decode_id, write
from schema.permissions import allowed
from schema.segments import Segment


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


@strawberry.input(description="A new segment pricing rule.")
class CreateSegmentPricingRuleInput:
    name: str
    segment_id: strawberry.ID
    discount_percent: Decimal = strawberry.field(description="Above 0, at most 100.")
    product_category: str | None = strawberry.field(
        default=None, description="Only products of this category; every product when absent."
    )
    min_quantity: int = strawberry.field(default=1, description="Lines of at least this many.")
    valid_from: dt.date | None = strawberry.field(default=None, description="Open when absent.")
    valid_to: dt.date | None = strawberry.field(
        default=None, description="Last valid day; open when absent."
    )
    priority: int = strawberry.field(
        default=0, description="Higher wins; then the larger discount, then the older rule."
    )
    active: bool = True


@strawberry.input(description="Changes to a segment pricing rule: only the fields given.")
class UpdateSegmentPricingRuleInput:
    id: strawberry.ID
    name: str | None = strawberry.UNSET
    segment_id: strawberry.ID | None = strawberry.UNSET
    discount_percent: Decimal | None = strawberry.UNSET
    product_category: str | None = strawberry.field(
        default=strawberry.UNSET, description="null: every product."
    )
    min_quantity: int | None = strawberry.UNSET
    valid_from: dt.date | None = strawberry.field(
        default=strawberry.UNSET, description="null: open."
    )
    valid_to: dt.date | None = strawberry.field(default=strawberry.UNSET, description="null: open.")
    priority: int | None = strawberry.UNSET
    active: bool | None = strawberry.UNSET


@strawberry.type(description="The result of changing a segment pricing rule.")
class SegmentPricingRulePayload:
    rule: SegmentPricingRule | None
    errors: list[UserError]


_REQUIRED_WHEN_GIVEN = (
    "name",
    "segment_id",
    "discount_percent",
    "min_quantity",
    "priority",
    "active",
)


def _given(input: Any) -> dict[str, Any]:
    """The fields a client sent, as column names; ids decoded."""
    names = (
        "name",
        "segment_id",
        "discount_percent",
        "product_category",
        "min_quantity",
        "valid_from",
        "valid_to",
        "priority",
        "active",
    )
    values = {n: getattr(input, n) for n in names if getattr(input, n) is not strawberry.UNSET}
    for name in _REQUIRED_WHEN_GIVEN:
        if name in values and values[name] is None:
            raise ValidationFailed("This field cannot be null", field=to_camel(name))
    if values.get("segment_id") is not None:
        values["segment_id"] = decode_id(values["segment_id"], field="segmentId")
    return values


def to_camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.title() for part in rest)


def _rule(row: Any) -> SegmentPricingRule | None:
    return SegmentPricingRule.from_row(row) if row is not None else None


@strawberry.type
class PricingMutations:
    @strawberry.mutation(
        description="Create a segment pricing rule; it prices new quotation and order lines.",
        permission_classes=[allowed(Action.MANAGE_SEGMENTS)],
    )
    async def create_segment_pricing_rule(
        self, info: Info, input: CreateSegmentPricingRuleInput
    ) -> SegmentPricingRulePayload:
        async def run(session: Any) -> Any:
            return await pricing_domain.create_pricing_rule(session, data=_given(input))

        row, errors = await write(info, run)
        return SegmentPricingRulePayload(rule=_rule(row), errors=errors)

    @strawberry.mutation(
        description="Change a segment pricing rule (lines already priced keep their prices).",
        permission_classes=[allowed(Action.MANAGE_SEGMENTS)],
    )
    async def update_segment_pricing_rule(
        self, info: Info, input: UpdateSegmentPricingRuleInput
    ) -> SegmentPricingRulePayload:
        async def run(session: Any) -> Any:
            rule_id = decode_id(input.id)
            return await pricing_domain.update_pricing_rule(
                session, rule_id=rule_id, changes=_given(input)
            )

        row, errors = await write(info, run)
        return SegmentPricingRulePayload(rule=_rule(row), errors=errors)

    @strawberry.mutation(
        description="Stop a segment pricing rule from pricing new lines.",
        permission_classes=[allowed(Action.MANAGE_SEGMENTS)],
    )
    async def deactivate_segment_pricing_rule(
        self, info: Info, id: strawberry.ID
    ) -> SegmentPricingRulePayload:
        async def run(session: Any) -> Any:
            return await pricing_domain.update_pricing_rule(
                session, rule_id=decode_id(id), changes={"active": False}
            )

        row, errors = await write(info, run)
        return SegmentPricingRulePayload(rule=_rule(row), errors=errors)
