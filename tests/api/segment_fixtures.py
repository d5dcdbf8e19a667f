"""Customers with known facts, written straight to the database (what the API cannot set:
creation times, orders in the past, interactions, payments), for segmentation tests."""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal
from typing import Any

from sqlalchemy import insert, select

from models import (
    Customer,
    CustomerInteraction,
    CustomerSegment,
    CustomerSegmentMembership,
    CustomerTag,
    Order,
    Payment,
    Quotation,
)
from models.enums import (
    BusinessType,
    CustomerStatus,
    InteractionKind,
    InteractionStatus,
    OrderStatus,
    PaymentMethod,
    Priority,
    QuotationStatus,
)
from resolvers.config import DomainConfig
from resolvers.credit import recompute_outstanding

CONFIG = DomainConfig()
_numbers = itertools.count(1)


def today() -> dt.date:
    return CONFIG.today()


def now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def local_noon(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(12), CONFIG.timezone).astimezone(dt.UTC)


async def add_customer(
    api: Any,
    name: str,
    *,
    business_type: BusinessType = BusinessType.SMALL_BUSINESS,
    state: str | None = None,
    city: str | None = None,
    country: str = "IN",
    credit_limit: str | None = None,
    created_at: dt.datetime | None = None,
    tags: tuple[str, ...] = (),
) -> int:
    number = next(_numbers)
    created = created_at or now()
    async with api.db.write_session() as session:
        customer_id = (
            await session.execute(
                insert(Customer)
                .values(
                    code=f"SEG-{number:05d}",
                    name=name,
                    business_type=business_type,
                    status=CustomerStatus.ACTIVE,
                    state=state,
                    city=city,
                    country=country,
                    credit_limit=Decimal(credit_limit) if credit_limit is not None else None,
                    search_text=name.lower(),
                    version=1,
                    created_at=created,
                    updated_at=created,
                )
                .returning(Customer.id)
            )
        ).scalar_one()
        if tags:
            await session.execute(
                insert(CustomerTag), [{"customer_id": customer_id, "tag": t} for t in tags]
            )
        await session.commit()
    return customer_id


async def add_order(
    api: Any,
    customer_id: int,
    total: str,
    *,
    on: dt.date,
    status: OrderStatus = OrderStatus.DELIVERED,
) -> int:
    number = next(_numbers)
    async with api.db.write_session() as session:
        order_id = (
            await session.execute(
                insert(Order)
                .values(
                    number=f"SO-{number:05d}",
                    customer_id=customer_id,
                    status=status,
                    order_date=on,
                    due_date=on,
                    total=Decimal(total),
                    created_at=local_noon(on),
                    updated_at=local_noon(on),
                )
                .returning(Order.id)
            )
        ).scalar_one()
        await recompute_outstanding(session, [customer_id])  # what createOrder keeps current
        await session.commit()
    return order_id


async def add_payment(api: Any, customer_id: int, order_id: int, amount: str) -> None:
    async with api.db.write_session() as session:
        await session.execute(
            insert(Payment).values(
                order_id=order_id,
                customer_id=customer_id,
                amount=Decimal(amount),
                paid_at=now(),
                method=PaymentMethod.UPI,
                created_at=now(),
            )
        )
        await recompute_outstanding(session, [customer_id])  # what recordPayment keeps current
        await session.commit()


async def add_interaction(
    api: Any, customer_id: int, kind: InteractionKind, *, days_ago: float
) -> None:
    at = now() - dt.timedelta(days=days_ago)
    async with api.db.write_session() as session:
        await session.execute(
            insert(CustomerInteraction).values(
                customer_id=customer_id,
                kind=kind,
                subject=f"{kind.value.title()} with the customer",
                priority=Priority.MEDIUM,
                status=InteractionStatus.COMPLETED,
                occurred_at=at,
                tags=[],
                follow_up_required=False,
                created_at=at,
                updated_at=at,
            )
        )
        await session.commit()


async def add_quotation(
    api: Any,
    customer_id: int,
    *,
    sent_on: dt.date | None,
    status: QuotationStatus,
    total: str = "1000.00",
) -> None:
    number = next(_numbers)
    sent_at = local_noon(sent_on) if sent_on else None
    async with api.db.write_session() as session:
        await session.execute(
            insert(Quotation).values(
                number=f"SQ-{number:05d}",
                customer_id=customer_id,
                status=status,
                total=Decimal(total),
                sent_at=sent_at,
                created_at=sent_at or now(),
                updated_at=sent_at or now(),
            )
        )
        await session.commit()


async def members(api: Any, segment_key: str) -> set[int]:
    """The ids of the customers in a segment, read straight from the database."""
    M, S = CustomerSegmentMembership, CustomerSegment
    async with api.db.read_session() as session:
        rows = await session.scalars(
            select(M.customer_id).join(S, S.id == M.segment_id).where(S.key == segment_key)
        )
        return set(rows.all())


async def segment_id(api: Any, key: str) -> str:
    async with api.db.read_session() as session:
        found = await session.scalar(select(CustomerSegment.id).where(CustomerSegment.key == key))
    assert found is not None, f"no segment {key}"
    return str(found)
