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
from typing import Any

from sqlalchemy import (
    BigInteger,
    ColumnElement,
    and_,
    func,
    literal,
    not_,
    or_,
    select,
    type_coerce,
    update,
)
from sqlalchemy.ext.asyncio import AsyncSession

from models import Customer, Money, Order, Payment
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

    @property
    def rank(self) -> int:
        """Severity, for "crossed upwards" and "at or above": NO_LIMIT and OK rank alike."""
        return _RANK[self]


_RANK = {
    CreditLevel.NO_LIMIT: 0,
    CreditLevel.OK: 0,
    CreditLevel.WARNING: 1,
    CreditLevel.CRITICAL: 2,
    CreditLevel.EXCEEDED: 3,
}


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


def level_condition(
    level: CreditLevel,
    thresholds: CreditThresholds,
    *,
    limit: ColumnElement[Any] = Customer.credit_limit,
    outstanding: ColumnElement[Any] = Customer.credit_outstanding,
) -> ColumnElement[bool]:
    """The SQL twin of ``credit_level``: customers whose level is ``level``.

    Compared as exact products (outstanding × 100 ≥ limit × threshold), never as a division,
    so the boundaries fall where the Decimal function puts them on both databases (SQLite
    stores money as integer cents; PostgreSQL as NUMERIC). A test checks the two agree.
    """

    def at_least(percent: Decimal) -> ColumnElement[bool]:
        # outstanding × 100 / limit ≥ p / q  ⇔  outstanding × 100q ≥ limit × p: exact for any
        # configured threshold (rounding it to basis points moved 75.555 % to 75.56 %). Bound
        # as integers, so no money conversion touches them and SQLite compares exact integers.
        numerator, denominator = percent.as_integer_ratio()
        return outstanding * literal(100 * denominator, BigInteger()) >= limit * literal(
            numerator, BigInteger()
        )

    exceeded = and_(limit.is_not(None), outstanding > limit)
    within = and_(limit.is_not(None), outstanding <= limit)
    if level is CreditLevel.NO_LIMIT:
        return limit.is_(None)
    if level is CreditLevel.EXCEEDED:
        return exceeded
    if level is CreditLevel.CRITICAL:
        return and_(within, limit > 0, at_least(thresholds.critical_percent))
    if level is CreditLevel.WARNING:
        return and_(
            within,
            limit > 0,
            at_least(thresholds.warning_percent),
            not_(at_least(thresholds.critical_percent)),
        )
    return and_(within, or_(limit == 0, not_(at_least(thresholds.warning_percent))))


def levels_condition(
    levels: Sequence[CreditLevel], thresholds: CreditThresholds
) -> ColumnElement[bool]:
    return or_(*(level_condition(level, thresholds) for level in levels))


def outstanding_definition(customer_id: ColumnElement[Any]) -> ColumnElement[Any]:
    """Outstanding computed from orders and payments (what ``credit_outstanding`` caches)."""
    billed = (
        select(func.coalesce(func.sum(Order.total), Decimal(0)))
        .where(Order.customer_id == customer_id, Order.status != OrderStatus.CANCELLED)
        .scalar_subquery()
    )
    paid = (
        select(func.coalesce(func.sum(Payment.amount), Decimal(0)))
        .join(Order, Order.id == Payment.order_id)
        .where(Payment.customer_id == customer_id, Order.status != OrderStatus.CANCELLED)
        .scalar_subquery()
    )
    return type_coerce(billed - paid, Money())


async def recompute_outstanding(session: AsyncSession, customer_ids: Sequence[int] = ()) -> None:
    """Rebuild the cached outstanding from orders and payments (after bulk loads)."""
    statement = update(Customer).values(credit_outstanding=outstanding_definition(Customer.id))
    if customer_ids:
        statement = statement.where(Customer.id.in_(customer_ids))
    await session.execute(statement.execution_options(synchronize_session=False))


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
