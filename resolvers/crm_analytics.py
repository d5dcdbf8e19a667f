"""CRM analytics over a period of business days, in two set-based statements.

    newCustomers      customers created in the period
    revenue           order totals (not cancelled) with an order date in the period
    interactionsByKind  interactions (not cancelled) that occurred in the period, per kind
                      (every kind listed, zeros included)
    tasks             open / overdue: tasks due in the period that are open, and of those the
                      ones overdue now (``task_rules``); completed / completedOnTime: tasks
                      completed in the period, and of those the ones not completed late
    quotations        sent in the period, and of those the ones accepted / rejected (at any
                      time); conversion rate as ``conversion`` defines it
    averageRelationshipScore  the mean stored relationship score of all customers, now (a
                      current figure, not one of the period); None before any is computed

Periods are whole days in the business time zone (``periods``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import and_, case, func, or_, select, true
from sqlalchemy.ext.asyncio import AsyncSession

from models import Customer, CustomerInteraction, CustomerRelationshipScore, FollowUpTask, Order
from models.enums import (
    InteractionKind,
    InteractionStatus,
    OrderStatus,
    QuotationStatus,
    TaskStatus,
)
from models.quotation import Quotation
from resolvers.config import DomainConfig
from resolvers.conversion import conversion_rate, sent_and_accepted_counts, sent_in_period
from resolvers.money import ZERO
from resolvers.periods import Period
from resolvers.task_rules import overdue_cutoff


@dataclass(frozen=True)
class TaskFigures:
    open: int
    overdue: int
    completed: int
    completed_on_time: int


@dataclass(frozen=True)
class QuotationFigures:
    sent: int
    accepted: int
    rejected: int
    conversion_rate: float | None


@dataclass(frozen=True)
class CrmAnalytics:
    period: Period
    new_customers: int
    revenue: Decimal
    interactions_by_kind: dict[InteractionKind, int]
    tasks: TaskFigures
    quotations: QuotationFigures
    average_relationship_score: float | None


def _count(condition: object) -> object:
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


async def crm_analytics(
    session: AsyncSession, *, period: Period, config: DomainConfig, now: dt.datetime
) -> CrmAnalytics:
    start, end = period.instants(config.timezone)
    t = FollowUpTask
    due_in_period = and_(t.due_at >= start, t.due_at < end)
    completed_in_period = and_(
        t.status == TaskStatus.COMPLETED, t.completed_at >= start, t.completed_at < end
    )
    tasks = select(
        _count(and_(due_in_period, t.status == TaskStatus.OPEN)).label("open"),
        _count(
            and_(
                due_in_period,
                t.status == TaskStatus.OPEN,
                t.due_at < overdue_cutoff(now, config.timezone),
            )
        ).label("overdue"),
        _count(completed_in_period).label("completed"),
        _count(and_(completed_in_period, func.coalesce(t.completed_late, False).is_(False))).label(
            "on_time"
        ),
    ).where(or_(due_in_period, completed_in_period))
    tasks = tasks.subquery("tasks")
    sent, accepted = sent_and_accepted_counts()
    quotations = (
        select(
            sent,
            accepted,
            _count(Quotation.status == QuotationStatus.REJECTED).label("rejected"),
        )
        .where(sent_in_period(start, end))
        .subquery("quotations")
    )
    figures = (
        await session.execute(
            select(
                select(func.count())
                .where(Customer.created_at >= start, Customer.created_at < end)
                .scalar_subquery()
                .label("new_customers"),
                select(func.sum(Order.total))
                .where(
                    Order.status != OrderStatus.CANCELLED,
                    Order.order_date >= period.first_day,
                    Order.order_date <= period.last_day,
                )
                .scalar_subquery()
                .label("revenue"),
                select(func.avg(CustomerRelationshipScore.score))
                .scalar_subquery()
                .label("average_score"),
                tasks.c.open,
                tasks.c.overdue,
                tasks.c.completed,
                tasks.c.on_time,
                quotations.c.sent,
                quotations.c.accepted,
                quotations.c.rejected,
            ).select_from(tasks.join(quotations, true()))
        )
    ).one()
    I = CustomerInteraction  # noqa: E741 - a table alias, as in SQL
    by_kind = dict(
        (
            await session.execute(
                select(I.kind, func.count())
                .where(
                    I.occurred_at >= start,
                    I.occurred_at < end,
                    I.status != InteractionStatus.CANCELLED,
                )
                .group_by(I.kind)
            )
        ).all()
    )
    average = figures.average_score
    return CrmAnalytics(
        period=period,
        new_customers=int(figures.new_customers),
        revenue=figures.revenue if figures.revenue is not None else ZERO,
        interactions_by_kind={kind: int(by_kind.get(kind, 0)) for kind in InteractionKind},
        tasks=TaskFigures(
            open=int(figures.open),
            overdue=int(figures.overdue),
            completed=int(figures.completed),
            completed_on_time=int(figures.on_time),
        ),
        quotations=QuotationFigures(
            sent=int(figures.sent),
            accepted=int(figures.accepted),
            rejected=int(figures.rejected),
            conversion_rate=conversion_rate(int(figures.sent), int(figures.accepted)),
        ),
        average_relationship_score=None
        if average is None
        else float(Decimal(str(average)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)),
    )
