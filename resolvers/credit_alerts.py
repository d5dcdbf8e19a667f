"""Reading credit: customers at or above an alert level, most utilised first; dry runs."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import Float, Row, and_, case, cast, func, literal, select
from sqlalchemy.ext.asyncio import AsyncSession

from models import Customer
from resolvers.config import CreditThresholds
from resolvers.credit import CreditLevel, levels_condition
from resolvers.credit_exposure import CreditCheck, check_credit
from resolvers.errors import NotFound, ValidationFailed
from resolvers.pagination import Page, SortKey, fetch_page

# A zero limit with money outstanding is infinitely used: it sorts before everything.
_NO_CREDIT_USED = 1e18

UTILIZATION = case(
    (Customer.credit_limit == 0, literal(_NO_CREDIT_USED, Float())),
    else_=cast(Customer.credit_outstanding, Float()) / cast(Customer.credit_limit, Float()),
).label("utilization_order")

_KEY = SortKey(columns=[UTILIZATION, Customer.id], parsers=[float, int], descending=True)
ALERT_LEVELS = (CreditLevel.WARNING, CreditLevel.CRITICAL, CreditLevel.EXCEEDED)


def levels_at_or_above(minimum: CreditLevel) -> list[CreditLevel]:
    if minimum not in ALERT_LEVELS:
        raise ValidationFailed(
            "Alerts start at WARNING: ask for WARNING, CRITICAL or EXCEEDED", field="minLevel"
        )
    return [level for level in ALERT_LEVELS if level.rank >= minimum.rank]


def _alerts_query(minimum: CreditLevel, thresholds: CreditThresholds) -> Any:
    condition = levels_condition(levels_at_or_above(minimum), thresholds)
    return select(*Customer.__table__.c, UTILIZATION).where(
        and_(Customer.credit_limit.is_not(None), condition)
    )


async def credit_alerts(
    session: AsyncSession,
    *,
    minimum: CreditLevel,
    thresholds: CreditThresholds,
    first: int,
    after: str | None,
) -> Page[Row[Any]]:
    return await fetch_page(
        session,
        _alerts_query(minimum, thresholds),
        key=_KEY,
        key_names=["utilization_order", "id"],
        first=first,
        after=after,
    )


async def count_credit_alerts(
    session: AsyncSession, *, minimum: CreditLevel, thresholds: CreditThresholds
) -> int:
    query = _alerts_query(minimum, thresholds).with_only_columns(func.count())
    return int(await session.scalar(query) or 0)


async def dry_run(
    session: AsyncSession, *, customer_id: int, amount: Decimal, thresholds: CreditThresholds
) -> CreditCheck:
    if not amount.is_finite() or amount < 0:
        raise ValidationFailed("The amount must be zero or more", field="amount")
    row = (
        await session.execute(
            select(Customer.credit_limit, Customer.credit_outstanding).where(
                Customer.id == customer_id
            )
        )
    ).first()
    if row is None:
        raise NotFound("No customer with this id", field="customerId")
    return check_credit(row.credit_limit, row.credit_outstanding, amount, thresholds)
