"""Analytics of one segment over a period, set-based on both databases.

The segment's customers are its members now. Over the period:

    total value          revenue: order totals (orders not cancelled) dated in the period
    order count          those orders
    average order value  total value / order count (Decimal, half-up), None without orders
    quotations           sent in the period; conversion as ``resolvers.conversion``
    monthly trend        revenue, orders and new customers (members created that month)
                         per calendar month of the period, months without any as zeros
    top customers        the members with the most revenue in the period

Months are generated in Python and filled from one ``GROUP BY`` over a month-bucket
``CASE``, so no date function differs between the databases. AVG is never used: SQLite
would answer a float, so averages are SUM / COUNT in Decimal.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Row, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from models import Customer, CustomerSegmentMembership, Order, Quotation
from models.enums import OrderStatus
from resolvers.conversion import sent_and_accepted_counts, sent_in_period
from resolvers.money import ZERO, round_money
from resolvers.periods import Period, month_bucket

MAX_TOP = 100


@dataclass(frozen=True)
class MonthFigures:
    month: dt.date
    revenue: Decimal
    order_count: int
    new_customers: int


@dataclass(frozen=True)
class SegmentSummary:
    total_value: Decimal
    order_count: int
    months: list[MonthFigures]

    @property
    def average_order_value(self) -> Decimal | None:
        return round_money(self.total_value / self.order_count) if self.order_count else None


def average(total: Decimal, count: int) -> Decimal | None:
    return round_money(total / count) if count else None


def _members(segment_id: int) -> Any:
    M = CustomerSegmentMembership
    return select(M.customer_id).where(M.segment_id == segment_id)


def _orders_in(period: Period) -> list[Any]:
    return [
        Order.status != OrderStatus.CANCELLED,
        Order.order_date >= period.first_day,
        Order.order_date <= period.last_day,
    ]


async def segment_summary(
    session: AsyncSession, *, segment_id: int, period: Period, tz: ZoneInfo
) -> SegmentSummary:
    """Totals and the monthly trend: two GROUP BY statements."""
    months = period.months()
    bucket = month_bucket(Order.order_date, months).label("bucket")
    orders = (
        await session.execute(
            select(bucket, func.sum(Order.total).label("revenue"), func.count().label("n"))
            .where(Order.customer_id.in_(_members(segment_id)), *_orders_in(period))
            .group_by(bucket)
        )
    ).all()
    start, end = period.instants(tz)
    created = month_bucket(Customer.created_at, months, tz=tz).label("bucket")
    customers = (
        await session.execute(
            select(created, func.count().label("n"))
            .where(
                Customer.id.in_(_members(segment_id)),
                Customer.created_at >= start,
                Customer.created_at < end,
            )
            .group_by(created)
        )
    ).all()
    revenue = {r.bucket: (r.revenue or ZERO, int(r.n)) for r in orders}
    new = {r.bucket: int(r.n) for r in customers}
    trend = [
        MonthFigures(m, revenue.get(i, (ZERO, 0))[0], revenue.get(i, (ZERO, 0))[1], new.get(i, 0))
        for i, m in enumerate(months)
    ]
    return SegmentSummary(
        total_value=sum((m.revenue for m in trend), ZERO),
        order_count=sum(m.order_count for m in trend),
        months=trend,
    )


async def segment_quotations(
    session: AsyncSession, *, segment_id: int, period: Period, tz: ZoneInfo
) -> tuple[int, int]:
    """(sent, accepted) of the members' quotations sent in the period."""
    start, end = period.instants(tz)
    row = (
        await session.execute(
            select(*sent_and_accepted_counts()).where(
                Quotation.customer_id.in_(_members(segment_id)), sent_in_period(start, end)
            )
        )
    ).one()
    return int(row.sent), int(row.accepted or 0)


async def top_customers(
    session: AsyncSession, *, segment_id: int, period: Period, limit: int
) -> list[Row[Any]]:
    """(customer_id, revenue, order_count) of the biggest members, ties by id."""
    revenue = func.sum(Order.total).label("revenue")
    return list(
        (
            await session.execute(
                select(Order.customer_id, revenue, func.count().label("order_count"))
                .where(Order.customer_id.in_(_members(segment_id)), *_orders_in(period))
                .group_by(Order.customer_id)
                .order_by(revenue.desc(), Order.customer_id)
                .limit(max(0, min(limit, MAX_TOP)))
            )
        ).all()
    )
