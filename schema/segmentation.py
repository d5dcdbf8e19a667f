"""Segmentation rules and categorisation: the rules managers configure, and the mutations
that apply them to one customer or to many."""

from __future__ import annotations

import datetime as dt
from typing import Any

import strawberry
from strawberry.types import Info

from resolvers import categorisation
from resolvers import customer_queries as queries
from resolvers import segmentation_rules as rules_domain
from resolvers.errors import NotFound
from resolvers.roles import Action
from resolvers.segment_conditions import FIELD_DESCRIPTIONS, FIELD_TYPES, OPERATORS
from schema.customers import Customer, CustomerFilter, load_customer
from schema.enums import ConditionOperator, RuleMatch, SegmentKind
from schema.errors import UserError
from schema.operations import decode_id, optional_id, read, write
from schema.permissions import allowed
from schema.segments import Segment, ensure_default_segments_exist

READ = [allowed(Action.READ)]
MANAGE = [allowed(Action.MANAGE_SEGMENTS)]
FIELD_HELP = "One of: " + ", ".join(f.value for f in FIELD_TYPES) + " (see segmentationFields)."


@strawberry.type(description="One condition of a rule: field, operator and value(s).")
class RuleCondition:
    field: str = strawberry.field(description=FIELD_HELP)
    operator: ConditionOperator
    value: str | None = strawberry.field(description="The operand of single-value operators.")
    values: list[str] | None = strawberry.field(
        description="The operands of IN / NOT_IN, or [low, high] of BETWEEN."
    )


@strawberry.type(description="A field rules can test, with the operators its type accepts.")
class SegmentationField:
    name: str
    type: str = strawberry.field(description="ENUM, TEXT, TAGS, MONEY, INTEGER, RATIO or DATE.")
    operators: list[ConditionOperator]
    description: str


@strawberry.type(description="Puts the customers matching its conditions in its segment.")
class SegmentationRule:
    id: strawberry.ID
    name: str
    match: RuleMatch
    conditions: list[RuleCondition]
    priority: int = strawberry.field(
        description="Among rules for segments of one kind (CUSTOM: of one segment), the "
        "highest matching priority wins; ties go to the older rule."
    )
    active: bool
    created_at: dt.datetime
    updated_at: dt.datetime
    segment_id: strawberry.Private[int]

    @strawberry.field(description="The segment the rule fills.")
    async def segment(self, info: Info) -> Segment | None:
        row = await info.context.loaders.segment_by_id.load(self.segment_id)
        return Segment.from_row(row) if row else None

    @classmethod
    def from_row(cls, row: Any) -> SegmentationRule:
        return cls(
            id=strawberry.ID(str(row.id)),
            name=row.name,
            match=row.match,
            conditions=[
                RuleCondition(
                    field=c["field"], operator=c["operator"], value=c["value"], values=c["values"]
                )
                for c in row.conditions
            ],
            priority=row.priority,
            active=row.active,
            created_at=row.created_at,
            updated_at=row.updated_at,
            segment_id=row.segment_id,
        )


@strawberry.input(description="One condition: see segmentationFields for what fits.")
class RuleConditionInput:
    field: str = strawberry.field(description=FIELD_HELP)
    operator: ConditionOperator
    value: str | None = strawberry.field(
        default=None, description="For EQ, NEQ, GT, GTE, LT, LTE and CONTAINS."
    )
    values: list[str] | None = strawberry.field(
        default=None, description="For IN and NOT_IN (any), or BETWEEN ([low, high])."
    )


@strawberry.input(description="A new segmentation rule (applied at the next categorisation).")
class CreateSegmentationRuleInput:
    name: str
    segment_id: strawberry.ID
    conditions: list[RuleConditionInput]
    match: RuleMatch = RuleMatch.ALL
    priority: int = 0
    active: bool = True


@strawberry.input(description="Changes to a segmentation rule: only the fields given.")
class UpdateSegmentationRuleInput:
    id: strawberry.ID
    name: str | None = strawberry.UNSET
    segment_id: strawberry.ID | None = strawberry.UNSET
    conditions: list[RuleConditionInput] | None = strawberry.UNSET
    match: RuleMatch | None = strawberry.UNSET
    priority: int | None = strawberry.UNSET
    active: bool | None = strawberry.UNSET


@strawberry.type(description="The result of changing a segmentation rule.")
class SegmentationRulePayload:
    rule: SegmentationRule | None
    errors: list[UserError]


@strawberry.type(description="The result of deleting a segmentation rule.")
class DeleteSegmentationRulePayload:
    deleted_id: strawberry.ID | None
    errors: list[UserError]


@strawberry.type(description="One customer re-categorised.")
class CategorizeCustomerPayload:
    customer: Customer | None
    memberships_added: int
    memberships_removed: int
    errors: list[UserError]


@strawberry.type(description="Many customers re-categorised in one set-based run.")
class BulkCategorizePayload:
    processed: int = strawberry.field(description="Customers the filter selected.")
    memberships_added: int
    memberships_removed: int = strawberry.field(description="AUTO memberships only.")
    errors: list[UserError]


def _rule_data(input: Any) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for name in ("name", "match", "priority", "active"):
        value = getattr(input, name)
        if value is not strawberry.UNSET and value is not None:
            data[name] = value
    if input.segment_id not in (strawberry.UNSET, None):
        data["segment_id"] = optional_id(input.segment_id, field="segmentId")
    if input.conditions is not strawberry.UNSET:
        data["conditions"] = [
            {"field": c.field, "operator": c.operator.value, "value": c.value, "values": c.values}
            for c in input.conditions or []
        ]
    return data


def _rule(row: Any) -> SegmentationRule | None:
    return SegmentationRule.from_row(row) if row is not None else None


@strawberry.type
class SegmentationQueries:
    @strawberry.field(
        description="Segmentation rules by kind, then priority (the order they are tried).",
        permission_classes=READ,
    )
    async def segmentation_rules(
        self,
        info: Info,
        segment_id: strawberry.ID | None = None,
        kind: SegmentKind | None = None,
        active_only: bool = False,
    ) -> list[SegmentationRule]:
        await ensure_default_segments_exist(info)
        try:
            pk = optional_id(segment_id, field="segmentId")
        except NotFound:
            return []
        rows = await read(
            info, rules_domain.list_rules, segment_id=pk, kind=kind, active_only=active_only
        )
        return [SegmentationRule.from_row(r) for r in rows]

    @strawberry.field(
        description="The fields rule conditions can test, with their operators.",
        permission_classes=READ,
    )
    def segmentation_fields(self) -> list[SegmentationField]:
        return [
            SegmentationField(
                name=field.value,
                type=kind.value,
                operators=sorted(OPERATORS[kind], key=list(ConditionOperator).index),
                description=FIELD_DESCRIPTIONS[field],
            )
            for field, kind in FIELD_TYPES.items()
        ]


@strawberry.type
class SegmentationMutations:
    @strawberry.mutation(description="Create a segmentation rule.", permission_classes=MANAGE)
    async def create_segmentation_rule(
        self, info: Info, input: CreateSegmentationRuleInput
    ) -> SegmentationRulePayload:
        async def run(session: Any) -> Any:
            return await rules_domain.create_rule(session, data=_rule_data(input))

        row, errors = await write(info, run)
        return SegmentationRulePayload(rule=_rule(row), errors=errors)

    @strawberry.mutation(description="Change a segmentation rule.", permission_classes=MANAGE)
    async def update_segmentation_rule(
        self, info: Info, input: UpdateSegmentationRuleInput
    ) -> SegmentationRulePayload:
        async def run(session: Any) -> Any:
            return await rules_domain.update_rule(
                session, rule_id=decode_id(input.id), changes=_rule_data(input)
            )

        row, errors = await write(info, run)
        return SegmentationRulePayload(rule=_rule(row), errors=errors)

    @strawberry.mutation(
        description="Stop a rule from placing customers (kept for later).",
        permission_classes=MANAGE,
    )
    async def deactivate_segmentation_rule(
        self, info: Info, id: strawberry.ID
    ) -> SegmentationRulePayload:
        async def run(session: Any) -> Any:
            return await rules_domain.update_rule(
                session, rule_id=decode_id(id), changes={"active": False}
            )

        row, errors = await write(info, run)
        return SegmentationRulePayload(rule=_rule(row), errors=errors)

    @strawberry.mutation(description="Delete a segmentation rule.", permission_classes=MANAGE)
    async def delete_segmentation_rule(
        self, info: Info, id: strawberry.ID
    ) -> DeleteSegmentationRulePayload:
        async def run(session: Any) -> Any:
            await rules_domain.delete_rule(session, rule_id=decode_id(id))
            return id

        deleted, errors = await write(info, run)
        return DeleteSegmentationRulePayload(deleted_id=deleted, errors=errors)

    @strawberry.mutation(
        description="Re-categorise one customer by the active rules now.",
        permission_classes=[allowed(Action.RECOMPUTE_ONE)],
    )
    async def categorize_customer(
        self, info: Info, customer_id: strawberry.ID
    ) -> CategorizeCustomerPayload:
        async def run(session: Any) -> Any:
            return await categorisation.categorize_customer(
                session,
                customer_id=decode_id(customer_id, field="customerId"),
                config=info.context.config,
            )

        result, errors = await write(info, run)
        if result is None:
            return CategorizeCustomerPayload(
                customer=None, memberships_added=0, memberships_removed=0, errors=errors
            )
        return CategorizeCustomerPayload(
            customer=await load_customer(info, decode_id(customer_id)),
            memberships_added=result.added,
            memberships_removed=result.removed,
            errors=[],
        )

    @strawberry.mutation(
        description="Re-categorise every customer the filter selects (all without one), "
        "set-based; MANUAL memberships are kept.",
        permission_classes=MANAGE,
    )
    async def bulk_categorize_customers(
        self, info: Info, filter: CustomerFilter | None = None
    ) -> BulkCategorizePayload:
        flt = filter.to_domain(info) if filter else None

        async def run(session: Any) -> Any:
            return await categorisation.categorize_customers(
                session, conditions=queries.filter_conditions(flt), config=info.context.config
            )

        result, errors = await write(info, run)
        return BulkCategorizePayload(
            processed=result.processed if result else 0,
            memberships_added=result.added if result else 0,
            memberships_removed=result.removed if result else 0,
            errors=errors,
        )
