"""The engagement score: recency-weighted interactions, quotation responses and orders, 0–100.

Segmentation (ENGAGEMENT segments) and the relationship score read it. It is computed
set-based in one ``INSERT … SELECT … ON CONFLICT DO
UPDATE`` into ``customer_engagement_scores``, for one customer or for all of them:

    points = Σ over interactions of the last 90 days (not cancelled, not in the future)
             kind weight × recency factor
           + Σ over quotations the customer answered (moved to ACCEPTED or REJECTED) in
             the last 90 days  8 × recency factor of the answer
           + Σ over orders (not cancelled) dated in the last 90 business days
             12 × recency factor of the order date
    kind weight      MEETING 10, CALL 6, EMAIL 3, FOLLOW_UP 2, NOTE 1
    recency factor   1.0 within 30 days, 0.6 within 60 days, 0.3 within 90 days
    score = min(100, round(points))                (round half-up)
    level = HIGHLY_ENGAGED ≥ 60, MODERATELY_ENGAGED ≥ 25, else LOW_ENGAGEMENT
            (thresholds from ``DomainConfig.engagement``; these are the defaults)

Scores decay: a refresh on a later day moves old activity into a lower recency bracket.

So a meeting this month is worth 10 points, a call two months ago 1.8. The arithmetic runs
in integer tenths of a point, so both databases round identically. A refresh rewrites only
the scores whose value or inputs changed; ``computed_at`` is when the stored figures were
computed.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Integer,
    Text,
    case,
    cast,
    func,
    literal,
    literal_column,
    or_,
    select,
)
from sqlalchemy.ext.asyncio import AsyncSession

from models import (
    Customer,
    CustomerEngagementScore,
    CustomerInteraction,
    Order,
    Quotation,
    QuotationStatusChange,
)
from models.base import UTCDateTime, enum_column, utcnow
from models.enums import (
    EngagementLevel,
    InteractionKind,
    InteractionStatus,
    OrderStatus,
    QuotationStatus,
)
from resolvers.config import DomainConfig, EngagementThresholds
from resolvers.sql import dialect_insert, json_object

MODEL = "recency-90d-v2"
WINDOW_DAYS = 90
KIND_WEIGHTS: dict[InteractionKind, int] = {
    InteractionKind.MEETING: 10,
    InteractionKind.CALL: 6,
    InteractionKind.EMAIL: 3,
    InteractionKind.FOLLOW_UP: 2,
    InteractionKind.NOTE: 1,
}
QUOTATION_RESPONSE_WEIGHT = 8
ORDER_WEIGHT = 12
# (age below, factor in tenths): the first bracket an interaction's age falls into applies.
RECENCY_TENTHS: tuple[tuple[int, int], ...] = ((30, 10), (60, 6), (90, 3))
LEVEL_THRESHOLDS: tuple[tuple[int, EngagementLevel], ...] = (
    (60, EngagementLevel.HIGHLY_ENGAGED),
    (25, EngagementLevel.MODERATELY_ENGAGED),
    (0, EngagementLevel.LOW_ENGAGEMENT),
)


def level_thresholds(
    thresholds: EngagementThresholds | None = None,
) -> tuple[tuple[int, EngagementLevel], ...]:
    """(lowest score, level), highest first; the defaults are ``LEVEL_THRESHOLDS``."""
    if thresholds is None:
        return LEVEL_THRESHOLDS
    return (
        (thresholds.highly, EngagementLevel.HIGHLY_ENGAGED),
        (thresholds.moderately, EngagementLevel.MODERATELY_ENGAGED),
        (0, EngagementLevel.LOW_ENGAGEMENT),
    )


def engagement_level(score: int, thresholds: EngagementThresholds | None = None) -> EngagementLevel:
    """The level of a score (the same thresholds the SQL below applies)."""
    return next(level for low, level in level_thresholds(thresholds) if score >= low)


def _recency_tenths(age_start: Any, start_of: Any) -> ColumnElement[Any]:
    """The recency factor (tenths) of a moment ``age_start`` compared with ``start_of(days)``."""
    return case(
        *(
            (age_start >= start_of(days), literal(tenths, Integer))
            for days, tenths in RECENCY_TENTHS
        ),
        else_=literal(0, Integer),
    )


def _points_in_tenths(now: dt.datetime) -> ColumnElement[Any]:
    I = CustomerInteraction  # noqa: E741 - a table alias, as in SQL
    weight = case(
        *((I.kind == kind, literal(w, Integer)) for kind, w in KIND_WEIGHTS.items()),
        else_=literal(0, Integer),
    )
    return weight * _recency_tenths(I.occurred_at, lambda days: now - dt.timedelta(days=days))


def _quotation_responses(now: dt.datetime, scope: Any) -> Any:
    """Per customer: answers (ACCEPTED/REJECTED) to quotations in the window, in tenths."""
    change, q = QuotationStatusChange, Quotation
    tenths = QUOTATION_RESPONSE_WEIGHT * _recency_tenths(
        change.changed_at, lambda days: now - dt.timedelta(days=days)
    )
    query = (
        select(q.customer_id, func.sum(tenths).label("tenths"), func.count().label("n"))
        .join(change, change.quotation_id == q.id)
        .where(
            change.to_status.in_([QuotationStatus.ACCEPTED.value, QuotationStatus.REJECTED.value]),
            change.changed_at >= now - dt.timedelta(days=WINDOW_DAYS),
            change.changed_at <= now,
        )
    )
    if scope is not None:
        query = query.where(q.customer_id.in_(scope))
    return query.group_by(q.customer_id).subquery("responses")


def _recent_orders(today: dt.date, scope: Any) -> Any:
    """Per customer: orders (not cancelled) dated in the window, in tenths."""
    o = Order
    tenths = ORDER_WEIGHT * _recency_tenths(
        o.order_date, lambda days: today - dt.timedelta(days=days - 1)
    )
    query = select(o.customer_id, func.sum(tenths).label("tenths"), func.count().label("n")).where(
        o.status != OrderStatus.CANCELLED,
        o.order_date >= today - dt.timedelta(days=WINDOW_DAYS - 1),
        o.order_date <= today,
    )
    if scope is not None:
        query = query.where(o.customer_id.in_(scope))
    return query.group_by(o.customer_id).subquery("orders")


async def refresh_engagement_scores(
    session: AsyncSession,
    *,
    customer_scope: ColumnElement[bool] | None = None,
    now: dt.datetime | None = None,
    config: DomainConfig | None = None,
) -> None:
    """Recompute the scores of the customers ``customer_scope`` selects (a condition on
    ``customers``; None: everyone) in one statement."""
    now = now or utcnow()
    config = config or DomainConfig()
    scope = None if customer_scope is None else select(Customer.id).where(customer_scope)
    I = CustomerInteraction  # noqa: E741
    recent = select(
        I.customer_id,
        func.sum(_points_in_tenths(now)).label("tenths"),
        func.count().label("interactions"),
        *(
            func.sum(case((I.kind == kind, 1), else_=0)).label(kind.value.lower())
            for kind in InteractionKind
        ),
    ).where(
        I.occurred_at >= now - dt.timedelta(days=WINDOW_DAYS),
        I.occurred_at <= now,
        I.status != InteractionStatus.CANCELLED,
    )
    if scope is not None:
        recent = recent.where(I.customer_id.in_(scope))
    recent = recent.group_by(I.customer_id).subquery("recent")
    responses = _quotation_responses(now, scope)
    orders = _recent_orders(config.today(now), scope)
    tenths = (
        func.coalesce(recent.c.tenths, 0)
        + func.coalesce(responses.c.tenths, 0)
        + func.coalesce(orders.c.tenths, 0)
    )
    score = case((tenths >= 995, 100), else_=(tenths + 5) // 10)
    level_type = enum_column(EngagementLevel)
    thresholds = level_thresholds(config.engagement)
    level = case(
        *((score >= low, literal(level, level_type)) for low, level in thresholds[:-1]),
        else_=literal(thresholds[-1][1], level_type),
    )
    inputs = json_object(
        session,
        {
            "model": literal_column(f"'{MODEL}'"),
            "interactionsLast90Days": func.coalesce(recent.c.interactions, 0),
            **{
                f"{kind.value.lower()}s": func.coalesce(recent.c[kind.value.lower()], 0)
                for kind in InteractionKind
            },
            "quotationResponses": func.coalesce(responses.c.n, 0),
            "orders": func.coalesce(orders.c.n, 0),
        },
    )
    rows = (
        select(Customer.id, score, level, inputs, literal(now, UTCDateTime()))
        .select_from(Customer)
        .outerjoin(recent, recent.c.customer_id == Customer.id)
        .outerjoin(responses, responses.c.customer_id == Customer.id)
        .outerjoin(orders, orders.c.customer_id == Customer.id)
        .where(customer_scope if customer_scope is not None else literal(True))
    )
    stored = CustomerEngagementScore.__table__.c
    insert = dialect_insert(session, CustomerEngagementScore).from_select(
        ["customer_id", "score", "level", "inputs", "computed_at"], rows
    )
    await session.execute(
        insert.on_conflict_do_update(
            index_elements=["customer_id"],
            set_={
                "score": insert.excluded.score,
                "level": insert.excluded.level,
                "inputs": insert.excluded.inputs,
                "computed_at": insert.excluded.computed_at,
            },
            # A score whose inputs did not change is left as computed (and not rewritten:
            # on 100,000 customers, most scores are unchanged between runs).
            where=or_(
                stored.score != insert.excluded.score,
                stored.level != insert.excluded.level,
                cast(stored.inputs, Text) != cast(insert.excluded.inputs, Text),
            ),
        )
    )
