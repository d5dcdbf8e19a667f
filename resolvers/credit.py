"""Credit exposure, defined once (DESIGN.md §4).

    outstanding = Σ (order total − payments) over the customer's orders not cancelled
    available   = limit − outstanding
    utilisation = outstanding / limit

A null limit means no limit: no utilisation, level NO_LIMIT, never blocked. A limit of 0
means no credit at all: any outstanding amount is EXCEEDED. Levels are judged in Decimal
against configurable thresholds: WARNING ≥ 75 %, CRITICAL ≥ 90 %, EXCEEDED > 100 %.
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from models import Order, Payment
from models.enums import OrderStatus
from resolvers.config import CreditThresholds
from resolvers.money import ZERO, round_money

HUNDRED = Decimal(100)


class CreditLevel(enum.StrEnum):
    NO_LIMIT = "NO_LIMIT"
    OK = "OK"
    WARNING = "WARNING"
    CRITICAL = "CRITICAL"
    EXCEEDED = "EXCEEDED"


@dataclass(frozen=True)
class CreditStatus:
    limit: Decimal | None
    outstanding: Decimal
    available: Decimal | None
    utilization: Decimal | None
    level: CreditLevel


def credit_level(
    limit: Decimal | None, outstanding: Decimal, thresholds: CreditThresholds
) -> CreditLevel:
    if limit is None:
        return CreditLevel.NO_LIMIT
    if limit == 0:
        return CreditLevel.EXCEEDED if outstanding > 0 else CreditLevel.OK
    percent = outstanding * HUNDRED / limit
    if percent > HUNDRED:
        return CreditLevel.EXCEEDED
    if percent >= thresholds.critical_percent:
        return CreditLevel.CRITICAL
    if percent >= thresholds.warning_percent:
        return CreditLevel.WARNING
    return CreditLevel.OK


def credit_status(
    limit: Decimal | None, outstanding: Decimal, thresholds: CreditThresholds
) -> CreditStatus:
    utilization = None if not limit else outstanding / limit
    return CreditStatus(
        limit=limit,
        outstanding=outstanding,
        available=None if limit is None else round_money(limit - outstanding),
        utilization=utilization,
        level=credit_level(limit, outstanding, thresholds),
    )


async def outstanding_by_customer_ids(
    session: AsyncSession, customer_ids: Sequence[int]
) -> list[Decimal]:
    """Outstanding amounts for many customers in one aggregate statement."""
    paid = (
        select(Payment.order_id, func.sum(Payment.amount).label("paid"))
        .where(Payment.customer_id.in_(customer_ids))
        .group_by(Payment.order_id)
        .subquery()
    )
    rows = (
        await session.execute(
            select(
                Order.customer_id,
                func.sum(Order.total).label("billed"),
                func.sum(func.coalesce(paid.c.paid, Decimal(0))).label("paid"),
            )
            .outerjoin(paid, paid.c.order_id == Order.id)
            .where(Order.customer_id.in_(customer_ids), Order.status != OrderStatus.CANCELLED)
            .group_by(Order.customer_id)
        )
    ).all()
    by_id = {r.customer_id: (r.billed or ZERO) - (r.paid or ZERO) for r in rows}
    return [by_id.get(i, ZERO) for i in customer_ids]


async def paid_by_order_ids(session: AsyncSession, order_ids: Sequence[int]) -> list[Decimal]:
    rows = (
        await session.execute(
            select(Payment.order_id, func.sum(Payment.amount).label("paid"))
            .where(Payment.order_id.in_(order_ids))
            .group_by(Payment.order_id)
        )
    ).all()
    by_id = {r.order_id: r.paid for r in rows}
    return [by_id.get(i) or ZERO for i in order_ids]
