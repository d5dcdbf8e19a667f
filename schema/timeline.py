"""The customer timeline: one event type per kind behind ``TimelineEvent``, and the
connection ``Customer.timeline`` returns.

Events are built from the plain rows of the timeline union (``resolvers.timeline``);
what they point at (the interaction, quotation, order, payment, task) loads through the
request's batched loaders, one statement per kind for a whole page.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import TYPE_CHECKING, Annotated, Any

import strawberry
from strawberry.types import Info

from resolvers import timeline as domain
from resolvers.credit import credit_status
from resolvers.timeline_sources import TimelineKind as Kind
from resolvers.timeline_summary import summary
from schema.connections import Connection, connection, page_size
from schema.credit import CreditAlertEvent
from schema.customers import CreditLimitChange
from schema.enums import CreditLevel, OrderStatus, QuotationStatus
from schema.operations import read
from schema.sales import Order, Payment, Quotation
from schema.timeline_event import TaskAction, TimelineEvent

if TYPE_CHECKING:
    from schema.interactions import Interaction
    from schema.tasks import FollowUpTask


async def _quotation(info: Info, quotation_id: int | None) -> Quotation | None:
    if quotation_id is None:
        return None
    row = await info.context.loaders.quotation_by_id.load(quotation_id)
    return Quotation.from_row(row) if row else None


async def _order(info: Info, order_id: int | None) -> Order | None:
    if order_id is None:
        return None
    row = await info.context.loaders.order_by_id.load(order_id)
    return Order.from_row(row) if row else None


@strawberry.type(description="An interaction was logged (occurredAt: when it took place).")
class InteractionEvent(TimelineEvent):
    interaction_id: strawberry.Private[int]

    @strawberry.field(description="The interaction logged.")
    async def interaction(
        self, info: Info
    ) -> Annotated[Interaction, strawberry.lazy("schema.interactions")] | None:
        from schema.interactions import Interaction

        row = await info.context.loaders.interaction_by_id.load(self.interaction_id)
        return Interaction.from_row(row) if row else None


@strawberry.type(description="A quotation was drafted.")
class QuotationEvent(TimelineEvent):
    quotation_id: strawberry.Private[int]

    @strawberry.field(description="The quotation drafted (as it is now).")
    async def quotation(self, info: Info) -> Quotation | None:
        return await _quotation(info, self.quotation_id)


@strawberry.type(description="A quotation changed status (sent, accepted, rejected, expired).")
class QuotationStatusEvent(TimelineEvent):
    from_status: QuotationStatus | None = strawberry.field(description="The status it left.")
    to_status: QuotationStatus = strawberry.field(description="The status it took.")
    quotation_id: strawberry.Private[int]

    @strawberry.field(description="The quotation that changed.")
    async def quotation(self, info: Info) -> Quotation | None:
        return await _quotation(info, self.quotation_id)


@strawberry.type(description="An order was placed.")
class OrderEvent(TimelineEvent):
    order_id: strawberry.Private[int]

    @strawberry.field(description="The order placed (as it is now).")
    async def order(self, info: Info) -> Order | None:
        return await _order(info, self.order_id)


@strawberry.type(description="An order changed status (shipped, delivered, cancelled).")
class OrderStatusEvent(TimelineEvent):
    from_status: OrderStatus | None = strawberry.field(description="The status it left.")
    to_status: OrderStatus = strawberry.field(description="The status it took.")
    order_id: strawberry.Private[int]

    @strawberry.field(description="The order that changed.")
    async def order(self, info: Info) -> Order | None:
        return await _order(info, self.order_id)


@strawberry.type(description="A payment was received (occurredAt: when it was paid).")
class PaymentEvent(TimelineEvent):
    payment_id: strawberry.Private[int]
    order_id: strawberry.Private[int]

    @strawberry.field(description="The payment received.")
    async def payment(self, info: Info) -> Payment | None:
        row = await info.context.loaders.payment_by_id.load(self.payment_id)
        return Payment.from_row(row) if row else None

    @strawberry.field(description="The order paid against.")
    async def order(self, info: Info) -> Order | None:
        return await _order(info, self.order_id)


@strawberry.type(description="The credit limit was changed.")
class CreditLimitEvent(TimelineEvent):
    change: CreditLimitChange = strawberry.field(description="The audited change.")


@strawberry.type(description="An order was let through a credit block by a manager.")
class CreditOverrideEvent(TimelineEvent):
    amount: Decimal = strawberry.field(description="The order's amount.")
    limit: Decimal | None = strawberry.field(description="The limit it went past.")
    reason: str = strawberry.field(description="Why the manager let it through.")
    order_id: strawberry.Private[int]

    @strawberry.field(description="The order let through.")
    async def order(self, info: Info) -> Order | None:
        return await _order(info, self.order_id)


@strawberry.type(description="A follow-up task was created or completed.")
class TaskEvent(TimelineEvent):
    action: TaskAction = strawberry.field(description="Created or completed.")
    task_id: strawberry.Private[int]

    @strawberry.field(description="The task (as it is now).")
    async def task(
        self, info: Info
    ) -> Annotated[FollowUpTask, strawberry.lazy("schema.tasks")] | None:
        from schema.tasks import FollowUpTask

        row = await info.context.loaders.task_by_id.load(self.task_id)
        return FollowUpTask.from_row(row) if row else None


EVENT_TYPES = [
    InteractionEvent,
    QuotationEvent,
    QuotationStatusEvent,
    OrderEvent,
    OrderStatusEvent,
    PaymentEvent,
    CreditLimitEvent,
    CreditAlertEvent,
    CreditOverrideEvent,
    TaskEvent,
]
"""Every implementation of ``TimelineEvent``, for the schema to register."""


def _common(row: Any) -> dict[str, Any]:
    kind = domain.kind_of(row)
    return {
        "id": strawberry.ID(domain.event_id(row)),
        "kind": kind,
        "occurred_at": row.occurred_at,
        "summary": summary(row),
        "actor_id": row.actor_id,
    }


def _event_builder(info: Info) -> Callable[[Any], TimelineEvent]:
    thresholds = info.context.config.credit

    def build(row: Any) -> TimelineEvent:
        common = _common(row)
        kind = common["kind"]
        if kind is Kind.INTERACTION:
            return InteractionEvent(**common, interaction_id=row.source_id)
        if kind is Kind.QUOTATION:
            return QuotationEvent(**common, quotation_id=row.source_id)
        if kind is Kind.QUOTATION_STATUS:
            return QuotationStatusEvent(
                **common,
                from_status=QuotationStatus(row.extra) if row.extra else None,
                to_status=QuotationStatus(row.detail),
                quotation_id=row.document_id,
            )
        if kind is Kind.ORDER:
            return OrderEvent(**common, order_id=row.source_id)
        if kind is Kind.ORDER_STATUS:
            return OrderStatusEvent(
                **common,
                from_status=OrderStatus(row.extra) if row.extra else None,
                to_status=OrderStatus(row.detail),
                order_id=row.document_id,
            )
        if kind is Kind.PAYMENT:
            return PaymentEvent(**common, payment_id=row.source_id, order_id=row.document_id)
        if kind is Kind.CREDIT_LIMIT:
            change = CreditLimitChange(
                id=strawberry.ID(str(row.source_id)),
                old_limit=row.amount2,
                new_limit=row.amount,
                reason=row.label,
                changed_at=row.occurred_at,
                changed_by_id=row.actor_id,
            )
            return CreditLimitEvent(**common, change=change)
        if kind is Kind.CREDIT_ALERT:
            utilization = credit_status(row.amount2, row.amount, thresholds).utilization
            return CreditAlertEvent(
                **common,
                level=CreditLevel(row.detail),
                previous_level=CreditLevel(row.extra),
                limit=row.amount2,
                outstanding=row.amount,
                utilization=None if utilization is None else float(utilization),
                customer_id=row.customer_id,
            )
        if kind is Kind.CREDIT_OVERRIDE:
            return CreditOverrideEvent(
                **common,
                amount=row.amount,
                limit=row.amount2,
                reason=row.label,
                order_id=row.document_id,
            )
        action = TaskAction.COMPLETED if row.variant else TaskAction.CREATED
        return TaskEvent(**common, action=action, task_id=row.source_id)

    return build


async def customer_timeline(
    info: Info,
    customer_id: int,
    *,
    first: int | None,
    after: str | None,
    kinds: list[Kind] | None,
) -> Connection[TimelineEvent]:
    """``Customer.timeline``: the first page through the request's loader (so a page of
    customers shares one statement), later pages by cursor."""
    size = page_size(info, first)
    wanted = frozenset(Kind(k.value) for k in kinds) if kinds else None
    if after is None:
        key = domain.LatestKey(customer_id=customer_id, first=size, kinds=wanted)
        page = await info.context.loaders.latest_timeline_by_customer_id.load(key)
    else:
        page = await read(
            info,
            domain.customer_timeline,
            customer_id=customer_id,
            first=size,
            after=after,
            kinds=wanted,
        )

    async def count() -> int:
        key = domain.CountKey(customer_id=customer_id, kinds=wanted)
        return await info.context.loaders.timeline_count_by_customer_id.load(key)

    return connection(page, _event_builder(info), count)
