"""Refreshing the stored engagement and relationship scores, for a few customers or all.

Set-based: the engagement scores in one ``INSERT … SELECT``, then one statement gathers
every customer's relationship facts (interactions, quotations, orders, overdue orders,
credit, the fresh engagement score), the pure rules of ``relationship_score`` score them,
and one batched upsert stores the results — a constant number of statements however many
customers are refreshed. ``refresh_customer_scores`` is what mutations call after a change
to a customer's interactions, quotations or orders; the periodic ``refresh-scores`` task
refreshes everyone, which is how scores decay with time.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from sqlalchemy import ColumnElement, and_, case, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from models import (
    Customer,
    CustomerEngagementScore,
    CustomerInteraction,
    CustomerRelationshipScore,
    Order,
    Payment,
    Quotation,
)
from models.base import utcnow
from models.enums import InteractionKind, InteractionStatus, OrderStatus, QuotationStatus
from resolvers.config import DomainConfig
from resolvers.engagement import WINDOW_DAYS, refresh_engagement_scores
from resolvers.relationship_score import RelationshipFacts, RelationshipScore, relationship_score
from resolvers.sql import dialect_insert

YEAR_DAYS = 365
UPSERT_BATCH = 5000


def _zero(value: Any) -> Any:
    return func.coalesce(value, 0)


def _facts_query(now: dt.datetime, today: dt.date, scope: Any) -> Any:
    def scoped(query: Any, column: Any) -> Any:
        return query if scope is None else query.where(column.in_(scope))

    I = CustomerInteraction  # noqa: E741 - a table alias, as in SQL
    interactions = scoped(
        select(
            I.customer_id,
            func.count().label("n"),
            func.sum(
                case((I.kind.in_([InteractionKind.MEETING, InteractionKind.CALL]), 1), else_=0)
            ).label("meetings_and_calls"),
        ).where(
            I.occurred_at >= now - dt.timedelta(days=WINDOW_DAYS),
            I.occurred_at <= now,
            I.status != InteractionStatus.CANCELLED,
        ),
        I.customer_id,
    )
    interactions = interactions.group_by(I.customer_id).subquery("i")
    q = Quotation
    answered = q.status.in_([QuotationStatus.ACCEPTED, QuotationStatus.REJECTED])
    quotations = scoped(
        select(
            q.customer_id,
            func.count().label("sent"),
            func.sum(case((answered, 1), else_=0)).label("answered"),
            func.sum(case((q.status == QuotationStatus.ACCEPTED, 1), else_=0)).label("accepted"),
        ).where(q.sent_at >= now - dt.timedelta(days=YEAR_DAYS), q.sent_at <= now),
        q.customer_id,
    )
    quotations = quotations.group_by(q.customer_id).subquery("q")
    paid = select(Payment.order_id, func.sum(Payment.amount).label("paid"))
    if scope is not None:  # through orders: payments are indexed by order
        paid = paid.where(
            Payment.order_id.in_(select(Order.id).where(Order.customer_id.in_(scope)))
        )
    paid = paid.group_by(Payment.order_id).subquery("paid")
    o = Order
    overdue = and_(o.due_date < today, o.total > _zero(paid.c.paid))
    orders = scoped(
        select(
            o.customer_id,
            func.count().label("n"),
            func.sum(case((o.order_date > today - dt.timedelta(days=YEAR_DAYS), 1), else_=0)).label(
                "n_365d"
            ),
            func.min(o.order_date).label("first_on"),
            func.max(o.order_date).label("last_on"),
            func.sum(case((overdue, 1), else_=0)).label("overdue"),
        )
        .outerjoin(paid, paid.c.order_id == o.id)
        .where(o.status != OrderStatus.CANCELLED, o.order_date <= today),
        o.customer_id,
    )
    orders = orders.group_by(o.customer_id).subquery("o")
    e = CustomerEngagementScore
    query = (
        select(
            Customer.id,
            Customer.credit_limit,
            Customer.credit_outstanding,
            _zero(e.score).label("engagement"),
            _zero(interactions.c.n).label("interactions"),
            _zero(interactions.c.meetings_and_calls).label("meetings_and_calls"),
            _zero(quotations.c.sent).label("sent"),
            _zero(quotations.c.answered).label("answered"),
            _zero(quotations.c.accepted).label("accepted"),
            _zero(orders.c.n).label("orders"),
            _zero(orders.c.n_365d).label("orders_365d"),
            orders.c.first_on,
            orders.c.last_on,
            _zero(orders.c.overdue).label("overdue"),
        )
        .select_from(Customer)
        .outerjoin(e, e.customer_id == Customer.id)
        .outerjoin(interactions, interactions.c.customer_id == Customer.id)
        .outerjoin(quotations, quotations.c.customer_id == Customer.id)
        .outerjoin(orders, orders.c.customer_id == Customer.id)
    )
    return scoped(query, Customer.id)


def facts_from_row(row: Any) -> RelationshipFacts:
    return RelationshipFacts(
        interactions_90d=int(row.interactions),
        meetings_and_calls_90d=int(row.meetings_and_calls),
        quotations_sent_365d=int(row.sent),
        quotations_answered_365d=int(row.answered),
        quotations_accepted_365d=int(row.accepted),
        orders_365d=int(row.orders_365d),
        order_count=int(row.orders),
        first_order_on=row.first_on,
        last_order_on=row.last_on,
        engagement_score=int(row.engagement),
        overdue_orders=int(row.overdue),
        credit_limit=row.credit_limit,
        credit_outstanding=row.credit_outstanding,
    )


def stored_components(result: RelationshipScore) -> list[dict[str, Any]]:
    return [
        {"name": c.name, "weight": str(c.weight), "score": c.score, "detail": c.detail}
        for c in result.components
    ]


async def refresh_relationship_scores(
    session: AsyncSession,
    *,
    customer_scope: ColumnElement[bool] | None = None,
    now: dt.datetime | None = None,
    config: DomainConfig | None = None,
) -> int:
    """Recompute and store the relationship scores of the customers ``customer_scope``
    selects (None: everyone), from the engagement scores as stored. Returns how many."""
    now = now or utcnow()
    config = config or DomainConfig()
    today = config.today(now)
    scope = None if customer_scope is None else select(Customer.id).where(customer_scope)
    rows = (await session.execute(_facts_query(now, today, scope))).all()
    values = []
    for row in rows:
        result = relationship_score(
            facts_from_row(row),
            today=today,
            weights=config.relationship_weights,
            credit=config.credit,
        )
        values.append(
            {
                "customer_id": row.id,
                "score": result.score,
                "grade": result.grade,
                "components": stored_components(result),
                "computed_at": now,
            }
        )
    insert = dialect_insert(session, CustomerRelationshipScore.__table__)
    upsert = insert.on_conflict_do_update(
        index_elements=["customer_id"],
        set_={
            "score": insert.excluded.score,
            "grade": insert.excluded.grade,
            "components": insert.excluded.components,
            "computed_at": insert.excluded.computed_at,
        },
    )
    for start in range(0, len(values), UPSERT_BATCH):
        await session.execute(upsert, values[start : start + UPSERT_BATCH])
    return len(values)


async def refresh_scores(
    session: AsyncSession,
    *,
    customer_scope: ColumnElement[bool] | None = None,
    now: dt.datetime | None = None,
    config: DomainConfig | None = None,
) -> int:
    """Engagement first (the relationship score reads it), then relationship."""
    now = now or utcnow()
    await refresh_engagement_scores(session, customer_scope=customer_scope, now=now, config=config)
    return await refresh_relationship_scores(
        session, customer_scope=customer_scope, now=now, config=config
    )


async def refresh_customer_scores(
    session: AsyncSession,
    customer_ids: Sequence[int] | int,
    *,
    config: DomainConfig | None = None,
    now: dt.datetime | None = None,
) -> None:
    """Keep one customer's (or a few customers') scores current after a change."""
    ids = [customer_ids] if isinstance(customer_ids, int) else list(customer_ids)
    if ids:
        await refresh_scores(session, customer_scope=Customer.id.in_(ids), now=now, config=config)
