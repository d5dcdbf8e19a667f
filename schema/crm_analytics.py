"""``crmAnalytics``: the CRM's activity over a period of business days."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated

import strawberry
from strawberry.types import Info

from models.base import utcnow
from resolvers import crm_analytics as analytics
from resolvers.errors import DomainError
from resolvers.periods import period_between
from resolvers.roles import Action
from schema.enums import InteractionKind
from schema.errors import BadUserInput
from schema.operations import read
from schema.permissions import allowed

DAY_FROM = strawberry.argument(name="from", description="First day (default: a year back).")
DAY_TO = strawberry.argument(description="Last day (default: today).")


@strawberry.type(description="How many interactions of one kind occurred.")
class InteractionKindCount:
    kind: InteractionKind
    count: int


@strawberry.type(description="Follow-up tasks in the period.")
class TaskAnalytics:
    open: int = strawberry.field(description="Due in the period and still open.")
    overdue: int = strawberry.field(description="Of those, overdue now.")
    completed: int = strawberry.field(description="Completed in the period.")
    completed_on_time: int = strawberry.field(
        description="Of those, completed no later than their due day."
    )


@strawberry.type(description="Quotations sent in the period.")
class QuotationAnalytics:
    sent: int
    accepted: int = strawberry.field(description="Of those sent, accepted (at any time).")
    rejected: int = strawberry.field(description="Of those sent, rejected (at any time).")
    conversion_rate: float | None = strawberry.field(
        description="accepted / sent as a fraction (0.25 = 25 %); null when nothing was sent."
    )


@strawberry.type(description="The CRM's activity over a period of business days.")
class CrmAnalytics:
    first_day: dt.date
    last_day: dt.date
    new_customers: int = strawberry.field(description="Customers created in the period.")
    revenue: Decimal = strawberry.field(
        description="Order totals (not cancelled) with an order date in the period."
    )
    interactions_by_kind: list[InteractionKindCount] = strawberry.field(
        description="Interactions (not cancelled) in the period, every kind listed."
    )
    tasks: TaskAnalytics
    quotations: QuotationAnalytics
    average_relationship_score: float | None = strawberry.field(
        description="The mean current relationship score of all scored customers."
    )

    @classmethod
    def from_domain(cls, a: analytics.CrmAnalytics) -> CrmAnalytics:
        return cls(
            first_day=a.period.first_day,
            last_day=a.period.last_day,
            new_customers=a.new_customers,
            revenue=a.revenue,
            interactions_by_kind=[
                InteractionKindCount(kind=kind, count=count)
                for kind, count in a.interactions_by_kind.items()
            ],
            tasks=TaskAnalytics(
                open=a.tasks.open,
                overdue=a.tasks.overdue,
                completed=a.tasks.completed,
                completed_on_time=a.tasks.completed_on_time,
            ),
            quotations=QuotationAnalytics(
                sent=a.quotations.sent,
                accepted=a.quotations.accepted,
                rejected=a.quotations.rejected,
                conversion_rate=a.quotations.conversion_rate,
            ),
            average_relationship_score=a.average_relationship_score,
        )


@strawberry.type
class CrmAnalyticsQueries:
    @strawberry.field(
        description="New customers, revenue, interactions, tasks, quotations and the average "
        "relationship score over a period (default: the trailing 12 months).",
        permission_classes=[allowed(Action.READ)],
    )
    async def crm_analytics(
        self,
        info: Info,
        from_: Annotated[dt.date | None, DAY_FROM] = None,
        to: Annotated[dt.date | None, DAY_TO] = None,
    ) -> CrmAnalytics:
        now = utcnow()
        config = info.context.config
        try:
            period = period_between(from_, to, today=config.today(now))
        except DomainError as exc:
            raise BadUserInput(exc) from exc
        result = await read(info, analytics.crm_analytics, period=period, config=config, now=now)
        return CrmAnalytics.from_domain(result)
