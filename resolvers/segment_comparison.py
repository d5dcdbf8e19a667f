"""Segments of one kind side by side over a period, with growth against the period of
equal length just before it.

    growth rate = (total value − previous total value) / previous total value
                  (a fraction: 0.1 = +10 %; None when the previous period had no revenue)

Figures are defined as in ``resolvers.segment_analytics``. Four statements whatever the
number of segments or customers: the segments, their member counts, the orders of both
periods in one pass (a CASE splits them), and the quotations sent in the period.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Row, case, func, literal, select
from sqlalchemy.ext.asyncio import AsyncSession

from models import CustomerSegmentMembership, Order, Quotation
from models.base import Money
from models.enums import OrderStatus, SegmentKind
from resolvers.conversion import conversion_rate, sent_and_accepted_counts, sent_in_period
from resolvers.money import ZERO
from resolvers.periods import Period
from resolvers.segment_analytics import average
from resolvers.segments import customer_counts_by_segment_ids, list_segments


@dataclass(frozen=True)
class SegmentPerformance:
    segment: Row[Any]
    customer_count: int
    total_value: Decimal
    order_count: int
    previous_value: Decimal
    quotations_sent: int
    quotations_accepted: int

    @property
    def average_order_value(self) -> Decimal | None:
        return average(self.total_value, self.order_count)

    @property
    def conversion_rate(self) -> float | None:
        return conversion_rate(self.quotations_sent, self.quotations_accepted)

    @property
    def growth_rate(self) -> float | None:
        if not self.previous_value:
            return None
        return float((self.total_value - self.previous_value) / self.previous_value)


async def compare_segments(
    session: AsyncSession, *, kind: SegmentKind, period: Period, tz: ZoneInfo
) -> list[SegmentPerformance]:
    """Every segment of ``kind``, biggest total value first (then by name)."""
    segments = await list_segments(session, kind=kind)
    ids = [s.id for s in segments]
    if not ids:
        return []
    counts = await customer_counts_by_segment_ids(session, ids)
    M = CustomerSegmentMembership
    of_kind = M.segment_id.in_(ids)
    previous = period.previous()
    current = Order.order_date >= period.first_day
    zero = literal(0, Money())  # so SUM(CASE …) keeps the Money type (paise on SQLite)
    orders = (
        await session.execute(
            select(
                M.segment_id,
                func.sum(case((current, Order.total), else_=zero)).label("value"),
                func.sum(case((current, 1), else_=0)).label("orders"),
                func.sum(case((current, zero), else_=Order.total)).label("previous"),
            )
            .join(M, M.customer_id == Order.customer_id)
            .where(
                of_kind,
                Order.status != OrderStatus.CANCELLED,
                Order.order_date >= previous.first_day,
                Order.order_date <= period.last_day,
            )
            .group_by(M.segment_id)
        )
    ).all()
    start, end = period.instants(tz)
    quotations = (
        await session.execute(
            select(M.segment_id, *sent_and_accepted_counts())
            .join(M, M.customer_id == Quotation.customer_id)
            .where(of_kind, sent_in_period(start, end))
            .group_by(M.segment_id)
        )
    ).all()
    by_orders = {r.segment_id: r for r in orders}
    by_quotes = {r.segment_id: r for r in quotations}
    result = []
    for segment, count in zip(segments, counts, strict=True):
        o, q = by_orders.get(segment.id), by_quotes.get(segment.id)
        result.append(
            SegmentPerformance(
                segment=segment,
                customer_count=count,
                total_value=(o.value if o else None) or ZERO,
                order_count=int(o.orders) if o else 0,
                previous_value=(o.previous if o else None) or ZERO,
                quotations_sent=int(q.sent) if q else 0,
                quotations_accepted=int(q.accepted or 0) if q else 0,
            )
        )
    return sorted(result, key=lambda p: (-p.total_value, p.segment.name, p.segment.id))
