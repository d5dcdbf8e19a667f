"""Quotations, orders and payments: types, lookups and the mutations that move them."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import strawberry
from sqlalchemy import func, select
from strawberry.types import Info

from models import Order as models_order
from models import Quotation as models_quotation
from resolvers import orders as order_domain
from resolvers import quotations as quotation_domain
from resolvers.document_queries import customer_documents
from resolvers.errors import NotFound
from resolvers.money import ZERO
from resolvers.pricing import LineRequest
from resolvers.roles import Action, is_allowed
from schema.connections import Connection, connection, page_size
from schema.customers import Customer, load_customer
from schema.enums import OrderStatus, PaymentMethod, QuotationStatus
from schema.errors import Forbidden, UserError
from schema.operations import acting_user, decode_id, optional_id, read, write
from schema.permissions import allowed
from schema.pricing import SegmentPricingRule, load_pricing_rule
from schema.products import Product, load_product
from schema.users import User, load_user

READ = [allowed(Action.READ)]
WRITE = [allowed(Action.WRITE_SALES)]

__all__ = ["Order", "Quotation", "documents_of_customer", "models_order", "models_quotation"]


async def documents_of_customer(
    info: Info,
    model: Any,
    convert: Any,
    *,
    customer_id: int,
    first: int | None,
    after: str | None,
) -> Connection[Any]:
    """A customer's quotations or orders, newest first, counted only if asked."""
    page = await read(
        info,
        customer_documents,
        model=model,
        customer_id=customer_id,
        first=page_size(info, first),
        after=after,
    )

    async def count() -> int:
        async with info.context.db.read_session() as session:
            query = select(func.count()).where(model.customer_id == customer_id)
            return int(await session.scalar(query) or 0)

    return connection(page, convert, count)


@strawberry.type(description="A priced product line of a quotation or an order.")
class PricedLine:
    position: int
    quantity: int
    list_price: Decimal
    unit_price: Decimal = strawberry.field(description="List price less the discount, rounded.")
    discount_percent: Decimal
    line_total: Decimal = strawberry.field(description="unit price × quantity, rounded half-up.")
    product_id: strawberry.Private[int]
    pricing_rule_id: strawberry.Private[int | None]

    @strawberry.field
    async def product(self, info: Info) -> Product | None:
        return await load_product(info, self.product_id)

    @strawberry.field(description="The segment pricing rule that set the price, if any.")
    async def pricing_rule(self, info: Info) -> SegmentPricingRule | None:
        return await load_pricing_rule(info, self.pricing_rule_id)

    @classmethod
    def from_row(cls, row: Any) -> PricedLine:
        return cls(
            position=row.position,
            quantity=row.quantity,
            list_price=row.list_price,
            unit_price=row.unit_price,
            discount_percent=row.discount_percent,
            line_total=row.line_total,
            product_id=row.product_id,
            pricing_rule_id=row.pricing_rule_id,
        )


@strawberry.type(description="One step in a document's status history.")
class StatusChange:
    from_status: str | None
    to_status: str
    note: str | None
    changed_at: dt.datetime
    changed_by_id: strawberry.Private[int | None]

    @strawberry.field
    async def changed_by(self, info: Info) -> User | None:
        return await load_user(info, self.changed_by_id)

    @classmethod
    def from_row(cls, row: Any) -> StatusChange:
        return cls(
            from_status=row.from_status,
            to_status=row.to_status,
            note=row.note,
            changed_at=row.changed_at,
            changed_by_id=row.changed_by_id,
        )


@strawberry.type(description="An offer to a customer.")
class Quotation:
    id: strawberry.ID
    number: str
    status: QuotationStatus
    total: Decimal
    valid_until: dt.date | None
    notes: str | None
    sent_at: dt.datetime | None
    created_at: dt.datetime
    updated_at: dt.datetime
    customer_id: strawberry.Private[int]
    created_by_id: strawberry.Private[int | None]

    @classmethod
    def from_row(cls, row: Any) -> Quotation:
        return cls(
            id=strawberry.ID(str(row.id)),
            number=row.number,
            status=row.status,
            total=row.total,
            valid_until=row.valid_until,
            notes=row.notes,
            sent_at=row.sent_at,
            created_at=row.created_at,
            updated_at=row.updated_at,
            customer_id=row.customer_id,
            created_by_id=row.created_by_id,
        )

    @strawberry.field
    async def customer(self, info: Info) -> Customer | None:
        return await load_customer(info, self.customer_id)

    @strawberry.field
    async def created_by(self, info: Info) -> User | None:
        return await load_user(info, self.created_by_id)

    @strawberry.field
    async def lines(self, info: Info) -> list[PricedLine]:
        rows = await info.context.loaders.lines_by_quotation_id.load(int(self.id))
        return [PricedLine.from_row(r) for r in rows]

    @strawberry.field(description="Every status change, oldest first.")
    async def status_history(self, info: Info) -> list[StatusChange]:
        rows = await info.context.loaders.status_changes_by_quotation_id.load(int(self.id))
        return [StatusChange.from_row(r) for r in rows]


@strawberry.type(description="Money received against an order.")
class Payment:
    id: strawberry.ID
    amount: Decimal
    paid_at: dt.datetime
    method: PaymentMethod
    reference: str | None
    order_id: strawberry.Private[int]
    recorded_by_id: strawberry.Private[int | None]

    @classmethod
    def from_row(cls, row: Any) -> Payment:
        return cls(
            id=strawberry.ID(str(row.id)),
            amount=row.amount,
            paid_at=row.paid_at,
            method=row.method,
            reference=row.reference,
            order_id=row.order_id,
            recorded_by_id=row.recorded_by_id,
        )

    @strawberry.field
    async def recorded_by(self, info: Info) -> User | None:
        return await load_user(info, self.recorded_by_id)


@strawberry.type(description="What a customer bought.")
class Order:
    id: strawberry.ID
    number: str
    status: OrderStatus
    total: Decimal
    order_date: dt.date
    due_date: dt.date
    notes: str | None
    created_at: dt.datetime
    updated_at: dt.datetime
    customer_id: strawberry.Private[int]
    quotation_id: strawberry.Private[int | None]
    created_by_id: strawberry.Private[int | None]

    @classmethod
    def from_row(cls, row: Any) -> Order:
        return cls(
            id=strawberry.ID(str(row.id)),
            number=row.number,
            status=row.status,
            total=row.total,
            order_date=row.order_date,
            due_date=row.due_date,
            notes=row.notes,
            created_at=row.created_at,
            updated_at=row.updated_at,
            customer_id=row.customer_id,
            quotation_id=row.quotation_id,
            created_by_id=row.created_by_id,
        )

    @strawberry.field(description="total − payments; zero once paid, and for cancelled orders.")
    async def balance_due(self, info: Info) -> Decimal:
        if self.status is OrderStatus.CANCELLED:
            return ZERO
        paid = await info.context.loaders.paid_by_order_id.load(int(self.id))
        return self.total - paid

    @strawberry.field
    async def customer(self, info: Info) -> Customer | None:
        return await load_customer(info, self.customer_id)

    @strawberry.field(description="The quotation this order was placed from, if any.")
    async def quotation(self, info: Info) -> Quotation | None:
        if self.quotation_id is None:
            return None
        row = await info.context.loaders.quotation_by_id.load(self.quotation_id)
        return Quotation.from_row(row) if row else None

    @strawberry.field
    async def created_by(self, info: Info) -> User | None:
        return await load_user(info, self.created_by_id)

    @strawberry.field
    async def lines(self, info: Info) -> list[PricedLine]:
        rows = await info.context.loaders.lines_by_order_id.load(int(self.id))
        return [PricedLine.from_row(r) for r in rows]

    @strawberry.field(description="Every status change, oldest first.")
    async def status_history(self, info: Info) -> list[StatusChange]:
        rows = await info.context.loaders.status_changes_by_order_id.load(int(self.id))
        return [StatusChange.from_row(r) for r in rows]

    @strawberry.field(description="Payments, oldest first.")
    async def payments(self, info: Info) -> list[Payment]:
        rows = await info.context.loaders.payments_by_order_id.load(int(self.id))
        return [Payment.from_row(r) for r in rows]


@strawberry.input(description="A product and how many.")
class LineInput:
    product_id: strawberry.ID
    quantity: int


def _line_requests(lines: list[LineInput] | None) -> list[LineRequest]:
    return [
        LineRequest(
            product_id=decode_id(line.product_id, field=f"lines.{i}.productId"),
            quantity=line.quantity,
        )
        for i, line in enumerate(lines or [])
    ]


@strawberry.input
class CreateQuotationInput:
    customer_id: strawberry.ID
    lines: list[LineInput]
    valid_until: dt.date | None = strawberry.field(
        default=None, description="Defaults to the configured validity from today."
    )
    notes: str | None = None


@strawberry.input
class UpdateQuotationStatusInput:
    id: strawberry.ID
    status: QuotationStatus
    note: str | None = None


@strawberry.input(description="An order from an accepted quotation, or from lines.")
class CreateOrderInput:
    customer_id: strawberry.ID | None = strawberry.field(
        default=None, description="Required with lines; taken from the quotation otherwise."
    )
    quotation_id: strawberry.ID | None = None
    lines: list[LineInput] | None = None
    order_date: dt.date | None = strawberry.field(default=None, description="Defaults to today.")
    due_date: dt.date | None = strawberry.field(
        default=None, description="Defaults to the order date plus the payment terms."
    )
    notes: str | None = None
    credit_override_reason: str | None = strawberry.field(
        default=None,
        description="Lets the order through a credit block (MANAGER/ADMIN; recorded).",
    )


@strawberry.input
class UpdateOrderStatusInput:
    id: strawberry.ID
    status: OrderStatus
    note: str | None = None


@strawberry.input
class RecordPaymentInput:
    order_id: strawberry.ID
    amount: Decimal
    method: PaymentMethod
    paid_at: dt.datetime | None = strawberry.field(default=None, description="Defaults to now.")
    reference: str | None = None


@strawberry.type
class QuotationPayload:
    quotation: Quotation | None
    errors: list[UserError]


@strawberry.type
class OrderPayload:
    order: Order | None
    errors: list[UserError]


@strawberry.type
class RecordPaymentPayload:
    payment: Payment | None
    order: Order | None
    errors: list[UserError]


def _or_none(convert: Any, row: Any) -> Any:
    return convert(row) if row is not None else None


def _pk_or_none(id: strawberry.ID) -> int | None:
    """An id that cannot exist ("²", beyond the integer range) is simply not found."""
    try:
        return decode_id(id)
    except NotFound:
        return None


@strawberry.type
class SalesQueries:
    @strawberry.field(description="One quotation by id.", permission_classes=READ)
    async def quotation(self, info: Info, id: strawberry.ID) -> Quotation | None:
        pk = _pk_or_none(id)
        if pk is None:
            return None
        return _or_none(Quotation.from_row, await info.context.loaders.quotation_by_id.load(pk))

    @strawberry.field(description="One order by id.", permission_classes=READ)
    async def order(self, info: Info, id: strawberry.ID) -> Order | None:
        pk = _pk_or_none(id)
        if pk is None:
            return None
        return _or_none(Order.from_row, await info.context.loaders.order_by_id.load(pk))


@strawberry.type
class SalesMutations:
    @strawberry.mutation(
        description="Draft a quotation priced from the catalogue.", permission_classes=WRITE
    )
    async def create_quotation(self, info: Info, input: CreateQuotationInput) -> QuotationPayload:
        actor = acting_user(info)

        async def run(session: Any) -> Any:
            return await quotation_domain.create_quotation(
                session,
                actor=actor,
                config=info.context.config,
                customer_id=decode_id(input.customer_id, field="customerId"),
                lines=_line_requests(input.lines),
                valid_until=input.valid_until,
                notes=input.notes,
            )

        quotation, errors = await write(info, run)
        return QuotationPayload(quotation=_or_none(Quotation.from_row, quotation), errors=errors)

    @strawberry.mutation(
        description="Move a quotation: DRAFT → SENT → ACCEPTED / REJECTED / EXPIRED.",
        permission_classes=WRITE,
    )
    async def update_quotation_status(
        self, info: Info, input: UpdateQuotationStatusInput
    ) -> QuotationPayload:
        actor = acting_user(info)

        async def run(session: Any) -> Any:
            return await quotation_domain.update_quotation_status(
                session,
                actor=actor,
                quotation_id=decode_id(input.id),
                status=input.status,
                note=input.note,
                config=info.context.config,
            )

        quotation, errors = await write(info, run)
        return QuotationPayload(quotation=_or_none(Quotation.from_row, quotation), errors=errors)

    @strawberry.mutation(description="Place an order.", permission_classes=WRITE)
    async def create_order(self, info: Info, input: CreateOrderInput) -> OrderPayload:
        actor = acting_user(info)
        if input.credit_override_reason is not None and not is_allowed(
            actor.role, Action.MANAGE_CREDIT
        ):
            raise Forbidden("Only managers and admins override a credit block")

        async def run(session: Any) -> Any:
            return await order_domain.create_order(
                session,
                actor=actor,
                config=info.context.config,
                customer_id=optional_id(input.customer_id, field="customerId"),
                quotation_id=optional_id(input.quotation_id, field="quotationId"),
                lines=_line_requests(input.lines),
                order_date=input.order_date,
                due_date=input.due_date,
                notes=input.notes,
                credit_override_reason=input.credit_override_reason,
                publisher=info.context.services.publisher,
            )

        order, errors = await write(info, run)
        return OrderPayload(order=_or_none(Order.from_row, order), errors=errors)

    @strawberry.mutation(
        description="Move an order: CONFIRMED → SHIPPED → DELIVERED, or cancel it before delivery.",
        permission_classes=WRITE,
    )
    async def update_order_status(self, info: Info, input: UpdateOrderStatusInput) -> OrderPayload:
        actor = acting_user(info)

        async def run(session: Any) -> Any:
            return await order_domain.update_order_status(
                session,
                actor=actor,
                order_id=decode_id(input.id),
                status=input.status,
                config=info.context.config,
                note=input.note,
                publisher=info.context.services.publisher,
            )

        order, errors = await write(info, run)
        return OrderPayload(order=_or_none(Order.from_row, order), errors=errors)

    @strawberry.mutation(
        description="Record a payment; never more than the balance due.", permission_classes=WRITE
    )
    async def record_payment(self, info: Info, input: RecordPaymentInput) -> RecordPaymentPayload:
        actor = acting_user(info)

        async def run(session: Any) -> Any:
            return await order_domain.record_payment(
                session,
                actor=actor,
                order_id=decode_id(input.order_id, field="orderId"),
                amount=input.amount,
                method=input.method,
                paid_at=input.paid_at,
                reference=input.reference,
                config=info.context.config,
                publisher=info.context.services.publisher,
            )

        result, errors = await write(info, run)
        payment, order = result if result else (None, None)
        return RecordPaymentPayload(
            payment=_or_none(Payment.from_row, payment),
            order=_or_none(Order.from_row, order),
            errors=errors,
        )
