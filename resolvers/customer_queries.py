"""Reading customers: filters, sort orders and keyset pages over plain rows.

List pages select table columns into rows (no ORM identity map): on a nested page of 100
customers, building ORM objects costs more than the database work.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from sqlalchemy import ColumnElement, Row, Select, and_, case, exists, func, literal, select
from sqlalchemy.ext.asyncio import AsyncSession

from models import Customer, CustomerLifetimeValue, CustomerTag, Money
from models.enums import BusinessType, CustomerStatus, EngagementLevel, RiskLevel
from resolvers.clv_filters import lifetime_value_conditions
from resolvers.config import CreditThresholds
from resolvers.credit import CreditLevel, levels_condition
from resolvers.pagination import Page, SortKey, fetch_page, parse_datetime
from resolvers.rows import rows_by_ids
from resolvers.search import LIKE_ESCAPE, contains_pattern, normalise_query
from resolvers.segment_defaults import VolumeTier
from resolvers.segment_filters import segment_filter_conditions

CUSTOMER_COLUMNS = Customer.__table__.c


@dataclass(frozen=True)
class CustomerFilter:
    search: str | None = None
    business_types: Sequence[BusinessType] = ()
    statuses: Sequence[CustomerStatus] = ()
    states: Sequence[str] = ()
    owner_ids: Sequence[int] = ()
    tags: Sequence[str] = ()
    all_tags: bool = False
    created_from: dt.datetime | None = None
    created_to: dt.datetime | None = None
    ids: Sequence[int] = field(default_factory=tuple)
    segment_ids: Sequence[int] = ()
    volume_tiers: Sequence[VolumeTier] = ()
    engagement_levels: Sequence[EngagementLevel] = ()
    credit_levels: Sequence[CreditLevel] = ()
    credit_thresholds: CreditThresholds = field(default_factory=CreditThresholds)
    risk_levels: Sequence[RiskLevel] = ()
    min_predicted_value: Decimal | None = None
    max_predicted_value: Decimal | None = None


class CustomerSortField(enum.StrEnum):
    NAME = "NAME"
    CODE = "CODE"
    CREATED_AT = "CREATED_AT"
    UPDATED_AT = "UPDATED_AT"
    PREDICTED_VALUE = "PREDICTED_VALUE"
    RISK = "RISK"


_CLV = CustomerLifetimeValue
# Customers never scored sort as the lowest predicted value and the lowest risk.
_PREDICTED_VALUE = func.coalesce(
    select(_CLV.predicted_value).where(_CLV.customer_id == Customer.id).scalar_subquery(),
    literal(Decimal("-1"), Money()),
).label("sort_value")
_RISK_RANK = func.coalesce(
    select(
        case(
            (_CLV.risk_level == RiskLevel.HIGH, 3),
            (_CLV.risk_level == RiskLevel.MEDIUM, 2),
            (_CLV.risk_level == RiskLevel.LOW, 1),
            else_=0,
        )
    )
    .where(_CLV.customer_id == Customer.id)
    .scalar_subquery(),
    0,
).label("sort_value")
# Sort keys that are not customer columns, selected beside them as ``sort_value``.
_DERIVED_SORTS: dict[CustomerSortField, tuple[Any, Any]] = {
    CustomerSortField.PREDICTED_VALUE: (_PREDICTED_VALUE, Decimal),
    CustomerSortField.RISK: (_RISK_RANK, int),
}


_SORT_COLUMNS: dict[CustomerSortField, tuple[Any, Any]] = {
    CustomerSortField.NAME: (Customer.name, str),
    CustomerSortField.CODE: (Customer.code, str),
    CustomerSortField.CREATED_AT: (Customer.created_at, parse_datetime),
    CustomerSortField.UPDATED_AT: (Customer.updated_at, parse_datetime),
}


def filter_conditions(flt: CustomerFilter | None) -> list[ColumnElement[bool]]:
    """The WHERE clauses of a customer filter; shared by lists, counts and exports."""
    if flt is None:
        return []
    conditions: list[ColumnElement[bool]] = []
    if flt.search and flt.search.strip():
        for word in normalise_query(flt.search).split(" "):
            conditions.append(Customer.search_text.like(contains_pattern(word), escape=LIKE_ESCAPE))
    if flt.business_types:
        conditions.append(Customer.business_type.in_(list(flt.business_types)))
    if flt.statuses:
        conditions.append(Customer.status.in_(list(flt.statuses)))
    if flt.states:
        conditions.append(Customer.state.in_(list(flt.states)))
    if flt.owner_ids:
        conditions.append(Customer.owner_id.in_(list(flt.owner_ids)))
    if flt.ids:
        conditions.append(Customer.id.in_(list(flt.ids)))
    if flt.tags:
        tags = sorted(set(flt.tags))
        if flt.all_tags:
            for tag in tags:
                conditions.append(
                    exists().where(CustomerTag.customer_id == Customer.id, CustomerTag.tag == tag)
                )
        else:
            conditions.append(
                exists().where(CustomerTag.customer_id == Customer.id, CustomerTag.tag.in_(tags))
            )
    if flt.credit_levels:
        conditions.append(levels_condition(list(flt.credit_levels), flt.credit_thresholds))
    if flt.created_from:
        conditions.append(Customer.created_at >= flt.created_from)
    if flt.created_to:
        conditions.append(Customer.created_at < flt.created_to)
    conditions += lifetime_value_conditions(
        risk_levels=flt.risk_levels,
        min_predicted_value=flt.min_predicted_value,
        max_predicted_value=flt.max_predicted_value,
    )
    conditions += segment_filter_conditions(
        segment_ids=flt.segment_ids,
        volume_tiers=flt.volume_tiers,
        engagement_levels=flt.engagement_levels,
    )
    return conditions


def filtered_customers(flt: CustomerFilter | None) -> Select[Any]:
    query = select(*CUSTOMER_COLUMNS)
    conditions = filter_conditions(flt)
    return query.where(and_(*conditions)) if conditions else query


def sort_key(sort: CustomerSortField, *, descending: bool) -> tuple[SortKey, list[str]]:
    column, parser = _SORT_COLUMNS.get(sort) or _DERIVED_SORTS[sort]
    key = SortKey(columns=[column, Customer.id], parsers=[parser, int], descending=descending)
    return key, [column.key, "id"]


async def list_customers(
    session: AsyncSession,
    *,
    flt: CustomerFilter | None,
    sort: CustomerSortField = CustomerSortField.NAME,
    descending: bool = False,
    first: int,
    after: str | None = None,
) -> Page[Row[Any]]:
    key, names = sort_key(sort, descending=descending)
    query = filtered_customers(flt)
    if sort in _DERIVED_SORTS:
        query = query.add_columns(_DERIVED_SORTS[sort][0])
    return await fetch_page(session, query, key=key, key_names=names, first=first, after=after)


async def count_customers(session: AsyncSession, *, flt: CustomerFilter | None) -> int:
    conditions = filter_conditions(flt)
    query = select(func.count()).select_from(Customer)
    if conditions:
        query = query.where(and_(*conditions))
    return int(await session.scalar(query) or 0)


async def customers_by_ids(session: AsyncSession, ids: Sequence[int]) -> list[Row[Any] | None]:
    return await rows_by_ids(session, Customer, ids)


async def tags_by_customer_ids(session: AsyncSession, ids: Sequence[int]) -> list[list[str]]:
    rows = (
        await session.execute(
            select(CustomerTag.customer_id, CustomerTag.tag)
            .where(CustomerTag.customer_id.in_(ids))
            .order_by(CustomerTag.customer_id, CustomerTag.tag)
        )
    ).all()
    tags: dict[int, list[str]] = {}
    for customer_id, tag in rows:
        tags.setdefault(customer_id, []).append(tag)
    return [tags.get(i, []) for i in ids]
