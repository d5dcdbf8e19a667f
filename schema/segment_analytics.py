"""Segment analytics and the comparison of a kind's segments (figures: resolvers)."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Awaitable, Callable
from decimal import Decimal
from typing import Annotated, Any

import strawberry
from strawberry.types import Info

from resolvers import segment_analytics as analytics
from resolvers.conversion import conversion_rate
from resolvers.errors import DomainError
from resolvers.periods import Period, period_between
from resolvers.roles import Action
from resolvers.segment_comparison import compare_segments
from schema.customers import Customer, load_customer
from schema.enums import SegmentKind
from schema.errors import BadUserInput
from schema.operations import read
from schema.permissions import allowed
from schema.segments import Segment

DAY_FROM = strawberry.argument(name="from", description="First day (default: a year back).")
DAY_TO = strawberry.argument(description="Last day (default: today).")


def _period(info: Info, first: dt.date | None, last: dt.date | None) -> Period:
    try:
        return period_between(first, last, today=info.context.config.today())
    except DomainError as exc:
        raise BadUserInput(exc) from exc


@strawberry.type(description="Revenue, orders and new customers of one calendar month.")
class MonthlyFigures:
    month: str = strawberry.field(description="YYYY-MM.")
    revenue: Decimal
    order_count: int
    new_customers: int = strawberry.field(description="Members created in the month.")


@strawberry.type(description="A customer with its revenue and orders in the period.")
class CustomerRevenue:
    revenue: Decimal
    order_count: int
    customer_id: strawberry.Private[int]

    @strawberry.field
    async def customer(self, info: Info) -> Customer | None:
        return await load_customer(info, self.customer_id)


@strawberry.type(description="Figures of a segment's current members over a period.")
class SegmentAnalytics:
    period_start: dt.date = strawberry.field(name="from", description="First day.")
    period_end: dt.date = strawberry.field(name="to", description="Last day.")
    segment_id: strawberry.Private[int]
    period: strawberry.Private[Period]
    memo: strawberry.Private[dict[str, asyncio.Task[Any]]]

    @classmethod
    def for_segment(
        cls, info: Info, segment_id: int, first: dt.date | None, last: dt.date | None
    ) -> SegmentAnalytics:
        period = _period(info, first, last)
        return cls(
            period_start=period.first_day,
            period_end=period.last_day,
            segment_id=segment_id,
            period=period,
            memo={},
        )

    def _once(self, name: str, compute: Callable[[], Awaitable[Any]]) -> asyncio.Task[Any]:
        """Sibling fields share one computation (they resolve concurrently)."""
        if name not in self.memo:
            self.memo[name] = asyncio.ensure_future(compute())
        return self.memo[name]

    async def _summary(self, info: Info) -> analytics.SegmentSummary:
        return await self._once(
            "summary",
            lambda: read(
                info,
                analytics.segment_summary,
                segment_id=self.segment_id,
                period=self.period,
                tz=info.context.config.timezone,
            ),
        )

    async def _quotations(self, info: Info) -> tuple[int, int]:
        return await self._once(
            "quotations",
            lambda: read(
                info,
                analytics.segment_quotations,
                segment_id=self.segment_id,
                period=self.period,
                tz=info.context.config.timezone,
            ),
        )

    @strawberry.field(description="Members now.")
    async def customer_count(self, info: Info) -> int:
        return await info.context.loaders.customer_count_by_segment_id.load(self.segment_id)

    @strawberry.field(description="Revenue: order totals (not cancelled) dated in the period.")
    async def total_value(self, info: Info) -> Decimal:
        return (await self._summary(info)).total_value

    @strawberry.field(description="Orders (not cancelled) dated in the period.")
    async def order_count(self, info: Info) -> int:
        return (await self._summary(info)).order_count

    @strawberry.field(description="Total value / order count; null without orders.")
    async def average_order_value(self, info: Info) -> Decimal | None:
        return (await self._summary(info)).average_order_value

    @strawberry.field(description="Quotations sent in the period.")
    async def quotation_count(self, info: Info) -> int:
        return (await self._quotations(info))[0]

    @strawberry.field(
        description="Of the quotations sent in the period, the fraction accepted (at any "
        "time); null when none was sent."
    )
    async def conversion_rate(self, info: Info) -> float | None:
        return conversion_rate(*await self._quotations(info))

    @strawberry.field(description="Every calendar month of the period, empty ones as zeros.")
    async def monthly_trend(self, info: Info) -> list[MonthlyFigures]:
        return [
            MonthlyFigures(
                month=m.month.strftime("%Y-%m"),
                revenue=m.revenue,
                order_count=m.order_count,
                new_customers=m.new_customers,
            )
            for m in (await self._summary(info)).months
        ]

    @strawberry.field(description="Members with the most revenue in the period (at most 100).")
    async def top_customers(self, info: Info, limit: int = 10) -> list[CustomerRevenue]:
        rows = await read(
            info,
            analytics.top_customers,
            segment_id=self.segment_id,
            period=self.period,
            limit=limit,
        )
        return [
            CustomerRevenue(revenue=r.revenue, order_count=r.order_count, customer_id=r.customer_id)
            for r in rows
        ]


@strawberry.type(description="One segment's figures beside the others of its kind.")
class SegmentPerformance:
    segment: Segment
    customer_count: int
    total_value: Decimal
    order_count: int
    average_order_value: Decimal | None
    conversion_rate: float | None
    growth_rate: float | None = strawberry.field(
        description="Total value against the previous period of equal length, as a fraction "
        "(0.1 = +10 %); null when that period had no revenue."
    )


@strawberry.type
class SegmentAnalyticsQueries:
    @strawberry.field(
        description="The segments of one kind compared over a period (default: the trailing "
        "12 months), biggest total value first.",
        permission_classes=[allowed(Action.READ)],
    )
    async def segment_performance_comparison(
        self,
        info: Info,
        kind: SegmentKind,
        from_: Annotated[dt.date | None, DAY_FROM] = None,
        to: Annotated[dt.date | None, DAY_TO] = None,
    ) -> list[SegmentPerformance]:
        rows = await read(
            info,
            compare_segments,
            kind=kind,
            period=_period(info, from_, to),
            tz=info.context.config.timezone,
        )
        return [
            SegmentPerformance(
                segment=Segment.from_row(p.segment),
                customer_count=p.customer_count,
                total_value=p.total_value,
                order_count=p.order_count,
                average_order_value=p.average_order_value,
                conversion_rate=p.conversion_rate,
                growth_rate=p.growth_rate,
            )
            for p in rows
        ]
