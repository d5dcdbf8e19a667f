"""Segments: the type, the lists, and managing CUSTOM segments and their members by hand."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Annotated, Any

import strawberry
from strawberry.types import Info

from resolvers import segment_admin as admin
from resolvers import segments as segment_queries
from resolvers.errors import NotFound
from resolvers.roles import Action
from resolvers.segment_defaults import default_segments_missing, ensure_default_segments
from schema.enums import SegmentKind
from schema.errors import UserError
from schema.operations import decode_id, read, write
from schema.permissions import allowed

if TYPE_CHECKING:
    from schema.pricing import SegmentPricingRule
    from schema.segment_analytics import SegmentAnalytics

READ = [allowed(Action.READ)]
MANAGE = [allowed(Action.MANAGE_SEGMENTS)]


@strawberry.type(description="A group of customers (by business type, volume, place, …).")
class Segment:
    id: strawberry.ID
    key: str = strawberry.field(description="Stable, unique, e.g. volume:high, location:goa.")
    name: str
    kind: SegmentKind
    description: str | None

    @classmethod
    def from_row(cls, row: Any) -> Segment:
        return cls(
            id=strawberry.ID(str(row.id)),
            key=row.key,
            name=row.name,
            kind=row.kind,
            description=row.description,
        )

    @property
    def pk(self) -> int:
        return int(self.id)

    @strawberry.field(description="How many customers belong to the segment now.")
    async def customer_count(self, info: Info) -> int:
        return await info.context.loaders.customer_count_by_segment_id.load(self.pk)

    @strawberry.field(
        description="Pricing rules of the segment (inactive ones too), in the order they win."
    )
    async def pricing_rules(
        self, info: Info
    ) -> list[Annotated[SegmentPricingRule, strawberry.lazy("schema.pricing")]]:
        from schema.pricing import SegmentPricingRule

        rows = await info.context.loaders.pricing_rules_by_segment_id.load(self.pk)
        return [SegmentPricingRule.from_row(r) for r in rows]

    @strawberry.field(
        description="Figures of the segment's current members over a period of business "
        "days (default: the trailing 12 months)."
    )
    async def analytics(
        self,
        info: Info,
        from_: Annotated[
            dt.date | None,
            strawberry.argument(name="from", description="First day (default: a year back)."),
        ] = None,
        to: Annotated[
            dt.date | None, strawberry.argument(description="Last day (default: today).")
        ] = None,
    ) -> Annotated[SegmentAnalytics, strawberry.lazy("schema.segment_analytics")]:
        from schema.segment_analytics import SegmentAnalytics

        return SegmentAnalytics.for_segment(info, self.pk, from_, to)


async def ensure_default_segments_exist(info: Info) -> None:
    """Seed the default segments on first use (a read when they exist; see
    resolvers.segment_defaults for why this is lazy)."""
    if await read(info, default_segments_missing):
        await write(info, ensure_default_segments)


@strawberry.type(description="The result of changing a segment.")
class SegmentPayload:
    segment: Segment | None
    errors: list[UserError]


@strawberry.type(description="The result of deleting a segment.")
class DeleteSegmentPayload:
    deleted_id: strawberry.ID | None = strawberry.field(description="The id deleted.")
    errors: list[UserError]


@strawberry.type(description="The result of putting customers in or out of a segment.")
class SegmentMembersPayload:
    segment: Segment | None
    changed: int = strawberry.field(
        description="Customers added that were not members, or removed that were."
    )
    errors: list[UserError]


@strawberry.input(description="A new CUSTOM segment.")
class CreateSegmentInput:
    name: str
    key: str | None = strawberry.field(
        default=None, description="Made unique as custom:<slug>; from the name when absent."
    )
    description: str | None = None


@strawberry.input(description="Changes to a segment's name or description (keys never change).")
class UpdateSegmentInput:
    id: strawberry.ID
    name: str | None = strawberry.UNSET
    description: str | None = strawberry.UNSET


@strawberry.input(description="Customers to put in or take out of a CUSTOM segment.")
class SegmentMembersInput:
    segment_id: strawberry.ID
    customer_ids: list[strawberry.ID] = strawberry.field(description="At most 1,000.")


def _segment(row: Any) -> Segment | None:
    return Segment.from_row(row) if row is not None else None


@strawberry.type
class SegmentQueries:
    @strawberry.field(
        description="Segments, optionally of one kind, with live customer counts.",
        permission_classes=READ,
    )
    async def segments(self, info: Info, kind: SegmentKind | None = None) -> list[Segment]:
        await ensure_default_segments_exist(info)
        rows = await read(info, segment_queries.list_segments, kind=kind)
        return [Segment.from_row(r) for r in rows]

    @strawberry.field(description="One segment by id.", permission_classes=READ)
    async def segment(self, info: Info, id: strawberry.ID) -> Segment | None:
        try:
            pk = decode_id(id)
        except NotFound:
            return None
        return _segment(await info.context.loaders.segment_by_id.load(pk))


@strawberry.type
class SegmentMutations:
    @strawberry.mutation(description="Create a CUSTOM segment.", permission_classes=MANAGE)
    async def create_segment(self, info: Info, input: CreateSegmentInput) -> SegmentPayload:
        row, errors = await write(
            info,
            admin.create_segment,
            name=input.name,
            key=input.key,
            description=input.description,
        )
        return SegmentPayload(segment=_segment(row), errors=errors)

    @strawberry.mutation(
        description="Rename a segment or change its description.", permission_classes=MANAGE
    )
    async def update_segment(self, info: Info, input: UpdateSegmentInput) -> SegmentPayload:
        changes = {
            name: getattr(input, name)
            for name in ("name", "description")
            if getattr(input, name) is not strawberry.UNSET
        }

        async def run(session: Any) -> Any:
            return await admin.update_segment(
                session, segment_id=decode_id(input.id), changes=changes
            )

        row, errors = await write(info, run)
        return SegmentPayload(segment=_segment(row), errors=errors)

    @strawberry.mutation(
        description="Delete a CUSTOM segment with its members, rules and pricing rules.",
        permission_classes=MANAGE,
    )
    async def delete_segment(self, info: Info, id: strawberry.ID) -> DeleteSegmentPayload:
        async def run(session: Any) -> Any:
            await admin.delete_segment(session, segment_id=decode_id(id))
            return id

        deleted, errors = await write(info, run)
        return DeleteSegmentPayload(deleted_id=deleted, errors=errors)

    @strawberry.mutation(
        description="Put customers in a CUSTOM segment by hand (MANUAL: rules never remove them).",
        permission_classes=MANAGE,
    )
    async def add_customers_to_segment(
        self, info: Info, input: SegmentMembersInput
    ) -> SegmentMembersPayload:
        return await _change_members(info, input, admin.add_customers_to_segment)

    @strawberry.mutation(
        description="Take customers out of a CUSTOM segment (rules that match re-add them).",
        permission_classes=MANAGE,
    )
    async def remove_customers_from_segment(
        self, info: Info, input: SegmentMembersInput
    ) -> SegmentMembersPayload:
        return await _change_members(info, input, admin.remove_customers_from_segment)


async def _change_members(
    info: Info, input: SegmentMembersInput, change: Any
) -> SegmentMembersPayload:
    async def run(session: Any) -> Any:
        segment_id = decode_id(input.segment_id, field="segmentId")
        ids = [decode_id(i, field="customerIds") for i in input.customer_ids]
        changed = await change(session, segment_id=segment_id, customer_ids=ids)
        return await admin.segment_row(session, segment_id), changed

    result, errors = await write(info, run)
    row, changed = result if result else (None, 0)
    return SegmentMembersPayload(segment=_segment(row), changed=changed, errors=errors)
