"""Rules compiled to SQL: a per-customer "facts" subquery, and one boolean expression per
condition over it, so a whole rule set is evaluated by the database in one pass.

Facts (one row per customer in scope; only the aggregates some rule needs are joined):

    customer columns   business type, state, city, country, credit limit, created at
    orders             revenue12m, orders12m, total revenue, last order date
                       (orders not cancelled; 12 months = ``trailing_year_start`` on)
    credit             the customer's cached outstanding (resolvers.credit's definition)
    engagement         the stored engagement score

Nulls: a customer without a state, a credit limit, an order or a score has no value for
that field. Such a customer matches no comparison except the negative ones (NEQ, NOT_IN),
because it is indeed not equal to / not in what they name. Money is compared in the
column type (integer paise on SQLite), ratios as exact integer cross-multiplication, days
since the last order as a comparison of the last order date, and days of ``createdAt``
as instants at the start of business days — no float ever decides membership.
"""

from __future__ import annotations

import datetime as dt
import operator
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import (
    ColumnElement,
    Integer,
    Subquery,
    and_,
    case,
    exists,
    false,
    func,
    literal,
    not_,
    or_,
    select,
    true,
    type_coerce,
)

from models import Customer, CustomerEngagementScore, CustomerTag, Order
from models.base import Money
from models.enums import OrderStatus, RuleMatch
from resolvers.search import LIKE_ESCAPE, contains_pattern
from resolvers.segment_conditions import Condition, ConditionField, FieldType, Operator

_F = ConditionField
_O = Operator
ORDER_FIELDS = frozenset(
    {_F.REVENUE_12M, _F.ORDERS_12M, _F.TOTAL_REVENUE, _F.DAYS_SINCE_LAST_ORDER}
)


def trailing_year_start(today: dt.date) -> dt.date:
    """The first day of the trailing 12 months ending ``today`` (365 or 366 days)."""
    try:
        return today.replace(year=today.year - 1) + dt.timedelta(days=1)
    except ValueError:  # 29 February
        return today.replace(year=today.year - 1, day=28) + dt.timedelta(days=1)


def day_start(day: dt.date, tz: ZoneInfo) -> dt.datetime:
    """The UTC instant a business day begins."""
    return dt.datetime.combine(day, dt.time(), tz).astimezone(dt.UTC)


@dataclass(frozen=True)
class FactsContext:
    today: dt.date
    timezone: ZoneInfo


def facts_subquery(
    fields: Iterable[ConditionField],
    *,
    customer_scope: ColumnElement[bool] | None,
    context: FactsContext,
) -> Subquery:
    """One row per customer in scope with the facts ``fields`` need."""
    needed = set(fields)
    columns: list[Any] = [
        Customer.id.label("customer_id"),
        Customer.business_type,
        Customer.state,
        Customer.city,
        Customer.country,
        Customer.credit_limit,
        Customer.credit_outstanding,
        Customer.created_at,
    ]
    query_from: Any = Customer.__table__
    scoped_ids = select(Customer.id).where(customer_scope) if customer_scope is not None else None
    if needed & ORDER_FIELDS:
        start = trailing_year_start(context.today)
        in_year = Order.order_date >= start
        zero = type_coerce(literal(0, Money()), Money())
        orders = select(
            Order.customer_id,
            func.sum(case((in_year, Order.total), else_=zero)).label("revenue_12m"),
            func.sum(case((in_year, 1), else_=0)).label("orders_12m"),
            func.sum(Order.total).label("total_revenue"),
            func.max(Order.order_date).label("last_order_date"),
        ).where(Order.status != OrderStatus.CANCELLED)
        if scoped_ids is not None:
            orders = orders.where(Order.customer_id.in_(scoped_ids))
        orders = orders.group_by(Order.customer_id).subquery("order_facts")
        query_from = query_from.outerjoin(orders, orders.c.customer_id == Customer.id)
        columns += [
            func.coalesce(orders.c.revenue_12m, zero).label("revenue_12m"),
            func.coalesce(orders.c.orders_12m, 0).label("orders_12m"),
            func.coalesce(orders.c.total_revenue, zero).label("total_revenue"),
            orders.c.last_order_date,
        ]
    if _F.ENGAGEMENT_SCORE in needed:
        scores = CustomerEngagementScore.__table__
        query_from = query_from.outerjoin(scores, scores.c.customer_id == Customer.id)
        columns.append(scores.c.score.label("engagement_score"))
    query = select(*columns).select_from(query_from)
    if customer_scope is not None:
        query = query.where(customer_scope)
    return query.subquery("facts")


def _nullable(column: Any, positive: ColumnElement[bool], op: Operator) -> ColumnElement[bool]:
    """Negative operators also match customers without a value (see the module doc)."""
    if op in (_O.NEQ, _O.NOT_IN):
        return or_(column.is_(None), not_(positive))
    return positive


def _ordered(column: Any, op: Operator, values: tuple[Any, ...]) -> ColumnElement[bool]:
    """``column op value`` for EQ/NEQ (as EQ)/GT/GTE/LT/LTE/BETWEEN."""
    v = values[0]
    if op in (_O.EQ, _O.NEQ):
        return column == v
    if op is _O.GT:
        return column > v
    if op is _O.GTE:
        return column >= v
    if op is _O.LT:
        return column < v
    if op is _O.LTE:
        return column <= v
    return column.between(values[0], values[1])


def _text(column: Any, op: Operator, values: tuple[Any, ...]) -> ColumnElement[bool]:
    lowered = func.lower(column)
    if op is _O.CONTAINS:
        return lowered.like(contains_pattern(values[0].lower()), escape=LIKE_ESCAPE)
    if op in (_O.IN, _O.NOT_IN):
        positive = lowered.in_([v.lower() for v in values])
    else:
        positive = lowered == values[0].lower()
    return _nullable(column, positive, op)


def _tags(facts: Subquery, op: Operator, values: tuple[Any, ...]) -> ColumnElement[bool]:
    has = exists().where(
        CustomerTag.customer_id == facts.c.customer_id, CustomerTag.tag.in_(list(values))
    )
    return not_(has) if op is _O.NOT_IN else has


def _days_since(column: Any, op: Operator, values: tuple[int, ...], today: dt.date) -> Any:
    """days since the last order op N ⟺ last order date (reversed op) today − N."""

    def day(n: int) -> dt.date:
        return today - dt.timedelta(days=n)

    mirrored = {_O.GT: _O.LT, _O.GTE: _O.LTE, _O.LT: _O.GT, _O.LTE: _O.GTE}
    if op is _O.BETWEEN:
        return column.between(day(values[1]), day(values[0]))
    if op in mirrored:
        return _ordered(column, mirrored[op], (day(values[0]),))
    return _nullable(column, column == day(values[0]), op)


def _created(column: Any, op: Operator, values: tuple[dt.date, ...], tz: ZoneInfo) -> Any:
    """A day compared with a timestamp: the day is [its start, the next day's start)."""

    def start(day: dt.date, later: int = 0) -> dt.datetime:
        return day_start(day + dt.timedelta(days=later), tz)

    v = values[0]
    on_day = and_(column >= start(v), column < start(v, 1))
    return {
        _O.EQ: on_day,
        _O.NEQ: not_(on_day),
        _O.GT: column >= start(v, 1),
        _O.GTE: column >= start(v),
        _O.LT: column < start(v),
        _O.LTE: column < start(v, 1),
        _O.BETWEEN: and_(column >= start(v), column < start(values[-1], 1)),
    }[op]


def _utilization(facts: Subquery, op: Operator, values: tuple[Decimal, ...]) -> Any:
    """outstanding / limit op r, as outstanding × D op N × limit with r = N / D exactly."""
    limit = facts.c.credit_limit
    outstanding = facts.c.credit_outstanding

    def compare(ratio: Decimal, comparator: Any) -> ColumnElement[bool]:
        places = max(0, -int(ratio.as_tuple().exponent))
        scale = 10**places
        left = outstanding * literal(scale, Integer)
        right = limit * literal(int(ratio * scale), Integer)
        return comparator(left, right)

    has_ratio = and_(limit.is_not(None), limit > Decimal(0))
    if op is _O.NEQ:
        return or_(not_(has_ratio), not_(compare(values[0], operator.eq)))
    if op is _O.BETWEEN:
        positive = and_(compare(values[0], operator.ge), compare(values[1], operator.le))
    else:
        positive = compare(values[0], _COMPARATORS[op])
    return and_(has_ratio, positive)


_COMPARATORS = {
    _O.EQ: operator.eq,
    _O.GT: operator.gt,
    _O.GTE: operator.ge,
    _O.LT: operator.lt,
    _O.LTE: operator.le,
}
_COLUMNS = {
    _F.BUSINESS_TYPE: "business_type",
    _F.STATE: "state",
    _F.CITY: "city",
    _F.COUNTRY: "country",
    _F.REVENUE_12M: "revenue_12m",
    _F.ORDERS_12M: "orders_12m",
    _F.TOTAL_REVENUE: "total_revenue",
    _F.ENGAGEMENT_SCORE: "engagement_score",
    _F.CREDIT_LIMIT: "credit_limit",
    _F.CREATED_AT: "created_at",
    _F.DAYS_SINCE_LAST_ORDER: "last_order_date",
}


def condition_sql(
    condition: Condition, facts: Subquery, context: FactsContext
) -> ColumnElement[bool]:
    """One condition as a boolean SQL expression over ``facts``."""
    op, values, kind = condition.operator, condition.values, condition.type
    if condition.field is _F.TAGS:
        return _tags(facts, op, values)
    if condition.field is _F.CREDIT_UTILIZATION:
        return _utilization(facts, op, values)
    column = facts.c[_COLUMNS[condition.field]]
    if condition.field is _F.DAYS_SINCE_LAST_ORDER:
        return _days_since(column, op, values, context.today)
    if kind is FieldType.DATE:
        return _created(column, op, values, context.timezone)
    if kind is FieldType.TEXT:
        return _text(column, op, values)
    if op in (_O.IN, _O.NOT_IN):
        return _nullable(column, column.in_(list(values)), op)
    return _nullable(column, _ordered(column, op, values), op)


def rule_sql(
    match: RuleMatch, conditions: list[Condition], facts: Subquery, context: FactsContext
) -> ColumnElement[bool]:
    """A rule's conditions combined by ALL (and) or ANY (or)."""
    parts = [condition_sql(c, facts, context) for c in conditions]
    if not parts:
        return true() if match is RuleMatch.ALL else false()
    return and_(*parts) if match is RuleMatch.ALL else or_(*parts)
