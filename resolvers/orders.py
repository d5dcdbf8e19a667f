"""Orders: from an accepted quotation or from lines; CONFIRMED → SHIPPED → DELIVERED,
cancellable until delivered; payments never exceed the balance due."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal

from sqlalchemy import func, insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from models import (
    CreditOverrideEvent,
    Customer,
    Order,
    OrderLine,
    OrderStatusChange,
    Payment,
    Quotation,
    QuotationLine,
)
from models.base import utcnow
from models.enums import OrderStatus, PaymentMethod, QuotationStatus
from resolvers.actor import Actor
from resolvers.categorisation import categorize_customers
from resolvers.config import DomainConfig
from resolvers.contact_validation import normalise_optional_text
from resolvers.credit_exposure import (
    ExposureCause,
    apply_exposure_change,
    check_credit,
    lock_customer,
)
from resolvers.credit_limits import validate_reason
from resolvers.documents import check_transition, lock_by_id, record_status_change
from resolvers.errors import Conflict, DomainError, NotAllowed, ValidationFailed
from resolvers.money import ZERO, document_total, round_money
from resolvers.numbering import ORDER, next_number
from resolvers.ports import EventPublisher
from resolvers.pricing import LineRequest, PricedLine, price_lines
from resolvers.relationship_refresh import refresh_customer_scores
from resolvers.roles import Action, is_allowed

_S = OrderStatus
TRANSITIONS: dict[OrderStatus, frozenset[OrderStatus]] = {
    _S.CONFIRMED: frozenset({_S.SHIPPED, _S.CANCELLED}),
    _S.SHIPPED: frozenset({_S.DELIVERED, _S.CANCELLED}),
}


async def _lines_from_quotation(
    session: AsyncSession, quotation_id: int, customer_id: int | None
) -> tuple[int, list[PricedLine]]:
    quotation = await lock_by_id(session, Quotation, quotation_id, what="quotation")
    if quotation.status is not QuotationStatus.ACCEPTED:
        raise DomainError(
            "Only an accepted quotation can become an order",
            field="quotationId",
            code="QUOTATION_NOT_ACCEPTED",
        )
    if customer_id is not None and customer_id != quotation.customer_id:
        raise ValidationFailed("The quotation belongs to another customer", field="customerId")
    existing = await session.scalar(
        select(Order.number).where(
            Order.quotation_id == quotation_id, Order.status != OrderStatus.CANCELLED
        )
    )
    if existing:
        raise Conflict(
            f"This quotation is already ordered ({existing})",
            field="quotationId",
            code="ALREADY_ORDERED",
        )
    rows = (
        await session.execute(
            select(*QuotationLine.__table__.c)
            .where(QuotationLine.quotation_id == quotation_id)
            .order_by(QuotationLine.position)
        )
    ).all()
    lines = [
        PricedLine(
            position=r.position,
            product_id=r.product_id,
            quantity=r.quantity,
            list_price=r.list_price,
            unit_price=r.unit_price,
            discount_percent=r.discount_percent,
            pricing_rule_id=r.pricing_rule_id,
            line_total=r.line_total,
        )
        for r in rows
    ]
    return quotation.customer_id, lines


async def create_order(
    session: AsyncSession,
    *,
    actor: Actor,
    config: DomainConfig,
    customer_id: int | None,
    quotation_id: int | None = None,
    lines: Sequence[LineRequest] = (),
    order_date: dt.date | None = None,
    due_date: dt.date | None = None,
    notes: str | None = None,
    credit_override_reason: str | None = None,
    publisher: EventPublisher | None = None,
) -> Order:
    """Place an order, refused when it would take the customer over the credit limit
    unless a manager overrides with a reason (recorded)."""
    if quotation_id is not None and lines:
        raise ValidationFailed("Give either a quotation or lines, not both", field="lines")
    today = config.today()
    order_date = order_date or today
    if order_date > today:
        raise ValidationFailed("An order cannot be dated in the future", field="orderDate")
    if quotation_id is not None:
        customer_id, priced_lines = await _lines_from_quotation(session, quotation_id, customer_id)
    else:
        if customer_id is None:
            raise ValidationFailed("A customer is required", field="customerId", code="REQUIRED")
        priced = await price_lines(session, customer_id=customer_id, lines=lines, on=order_date)
        priced_lines = priced.lines
    due_date = due_date or order_date + dt.timedelta(days=config.payment_terms_days)
    if due_date < order_date:
        raise ValidationFailed("The due date is before the order date", field="dueDate")
    total = document_total(line.line_total for line in priced_lines)
    customer = await lock_customer(session, customer_id, field="customerId")
    override = _credit_override(customer, total, credit_override_reason, actor, config)
    now = utcnow()
    order = Order(
        number=await next_number(session, ORDER),
        customer_id=customer_id,
        quotation_id=quotation_id,
        status=OrderStatus.CONFIRMED,
        order_date=order_date,
        due_date=due_date,
        total=total,
        notes=normalise_optional_text(notes, field="notes", max_length=5000),
        created_by_id=actor.id,
        created_at=now,
        updated_at=now,
    )
    session.add(order)
    await session.flush()
    await session.execute(
        insert(OrderLine), [{"order_id": order.id, **line.as_row()} for line in priced_lines]
    )
    await record_status_change(
        session,
        OrderStatusChange,
        document_field="order_id",
        document_id=order.id,
        from_status=None,
        to_status=OrderStatus.CONFIRMED,
        actor=actor,
        note=None,
    )
    if override is not None:
        session.add(
            CreditOverrideEvent(
                customer_id=customer.id,
                order_id=order.id,
                amount=total,
                outstanding_before=customer.credit_outstanding,
                limit=customer.credit_limit,
                reason=override,
                actor_id=actor.id,
                occurred_at=now,
            )
        )
    await apply_exposure_change(
        session,
        customer=customer,
        delta=total,
        cause=ExposureCause.ORDER,
        actor=actor,
        config=config,
        publisher=publisher,
    )
    await refresh_customer_scores(session, customer.id, config=config)
    # Revenue, order counts and utilisation feed segmentation rules.
    await categorize_customers(session, customer_ids=[customer.id], config=config)
    return order


def _credit_override(
    customer: Customer,
    total: Decimal,
    reason: str | None,
    actor: Actor,
    config: DomainConfig,
) -> str | None:
    """The override reason when the order needs one; a refusal when it needs one and has none."""
    check = check_credit(customer.credit_limit, customer.credit_outstanding, total, config.credit)
    if check.allowed:
        return None
    if reason is None or not reason.strip():
        raise DomainError(
            f"This order ({total}) would take {customer.name} over the credit limit: "
            f"{check.outstanding} of {check.limit} is already used, {check.available} is left. "
            "A manager may override with a reason.",
            code="CREDIT_LIMIT_EXCEEDED",
        )
    if not is_allowed(actor.role, Action.MANAGE_CREDIT):
        raise NotAllowed("Only managers and admins override a credit block")
    return validate_reason(reason, field="creditOverrideReason")


async def _paid_on(session: AsyncSession, order_id: int) -> Decimal:
    paid = await session.scalar(
        select(func.sum(Payment.amount)).where(Payment.order_id == order_id)
    )
    return paid or ZERO


async def update_order_status(
    session: AsyncSession,
    *,
    actor: Actor,
    order_id: int,
    status: OrderStatus,
    config: DomainConfig,
    note: str | None = None,
    publisher: EventPublisher | None = None,
) -> Order:
    order = await lock_by_id(session, Order, order_id, what="order")
    check_transition(TRANSITIONS, order.status, status, what="order")
    if status is OrderStatus.CANCELLED and await _paid_on(session, order.id) > 0:
        raise DomainError(
            "An order with payments cannot be cancelled; refund the payments first",
            field="status",
            code="HAS_PAYMENTS",
        )
    previous = order.status
    order.status = status
    order.updated_at = utcnow()
    await record_status_change(
        session,
        OrderStatusChange,
        document_field="order_id",
        document_id=order.id,
        from_status=previous,
        to_status=status,
        actor=actor,
        note=normalise_optional_text(note, field="note", max_length=500),
    )
    if status is OrderStatus.CANCELLED:  # an order with payments is never cancelled
        await apply_exposure_change(
            session,
            customer=await lock_customer(session, order.customer_id, field="id"),
            delta=-order.total,
            cause=ExposureCause.CANCELLATION,
            actor=actor,
            config=config,
            publisher=publisher,
        )
    await session.flush()
    return order


async def record_payment(
    session: AsyncSession,
    *,
    actor: Actor,
    order_id: int,
    amount: Decimal,
    method: PaymentMethod,
    config: DomainConfig,
    paid_at: dt.datetime | None = None,
    reference: str | None = None,
    publisher: EventPublisher | None = None,
) -> tuple[Payment, Order]:
    if amount <= 0 or round_money(amount) != amount:
        raise ValidationFailed(
            "The amount must be positive with at most two decimals", field="amount"
        )
    order = await lock_by_id(session, Order, order_id, what="order")
    if order.status is OrderStatus.CANCELLED:
        raise DomainError(
            "A cancelled order takes no payments", field="orderId", code="ORDER_CANCELLED"
        )
    now = utcnow()
    paid_at = paid_at or now
    if paid_at > now + dt.timedelta(minutes=5):
        raise ValidationFailed("A payment cannot be dated in the future", field="paidAt")
    balance = order.total - await _paid_on(session, order.id)
    if amount > balance:
        raise DomainError(
            f"The amount exceeds the balance due ({balance})",
            field="amount",
            code="EXCEEDS_BALANCE",
        )
    payment = Payment(
        order_id=order.id,
        customer_id=order.customer_id,
        amount=amount,
        paid_at=paid_at,
        method=method,
        reference=normalise_optional_text(reference, field="reference", max_length=100),
        recorded_by_id=actor.id,
        created_at=now,
    )
    session.add(payment)
    order.updated_at = now
    await apply_exposure_change(
        session,
        customer=await lock_customer(session, order.customer_id, field="orderId"),
        delta=-amount,
        cause=ExposureCause.PAYMENT,
        actor=actor,
        config=config,
        publisher=publisher,
    )
    await session.flush()
    return payment, order
