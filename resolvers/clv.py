"""Lifetime value in the database: the current fit, stored figures, one customer's rescore.

Historical figures (revenue, orders, first and last order, tenure) come from orders not
cancelled; tenure is days from the first order to today in the business time zone. The
predictions come from the newest ``clv_model_fits`` row (or the heuristic, see
``clv_scoring``). Everything here takes an explicit session and never commits.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from sqlalchemy import Row, delete, func, select

from models import Customer, Order
from models.clv import ClvModelFit
from models.enums import OrderStatus
from models.scoring import CustomerLifetimeValue
from resolvers.clv_data import Rfm, load_purchase_days, summarise
from resolvers.clv_model import BgNbdParams, GammaGammaParams
from resolvers.clv_scoring import ClvConfig, FittedParams, Scores, score
from resolvers.errors import NotFound
from resolvers.sql import dialect_insert

CENT = Decimal("0.01")
NOT_SCORED = "not-scored"


def money(value: float) -> Decimal:
    return Decimal(repr(float(value))).quantize(CENT, rounding=ROUND_HALF_UP)


async def latest_fit(session) -> Row[Any] | None:  # type: ignore[no-untyped-def]
    statement = (
        select(*ClvModelFit.__table__.c)
        .order_by(ClvModelFit.fitted_at.desc(), ClvModelFit.id.desc())
        .limit(1)
    )
    return (await session.execute(statement)).first()


def params_of(fit: Row[Any] | None) -> FittedParams | None:
    """The parameters a stored fit scores with; None for the heuristic."""
    if fit is None or fit.bgnbd_r is None:
        return None
    gamma_gamma = (
        GammaGammaParams(fit.gamma_gamma_p, fit.gamma_gamma_q, fit.gamma_gamma_v)
        if fit.gamma_gamma_p is not None and fit.gamma_gamma_q and fit.gamma_gamma_q > 1
        else None
    )
    return FittedParams(
        BgNbdParams(fit.bgnbd_r, fit.bgnbd_alpha, fit.bgnbd_a, fit.bgnbd_b), gamma_gamma
    )


def storage_rows(
    rfm: Rfm, scores: Scores, config: ClvConfig, *, today: dt.date, computed_at: dt.datetime
) -> list[dict[str, Any]]:
    """``customer_lifetime_values`` rows, plain dicts for a bulk upsert."""
    revenue = rfm.revenue.tolist()
    orders = rfm.orders.tolist()
    first = rfm.first_day.tolist()
    last = rfm.last_day.tolist()
    today_ordinal = today.toordinal()
    rows = []
    for i, customer_id in enumerate(rfm.customer_ids.tolist()):
        total = money(revenue[i])
        rows.append(
            {
                "customer_id": customer_id,
                "total_revenue": total,
                "order_count": orders[i],
                "average_order_value": (total / orders[i]).quantize(CENT, ROUND_HALF_UP)
                if orders[i]
                else None,
                "first_order_on": dt.date.fromordinal(first[i]),
                "last_order_on": dt.date.fromordinal(last[i]),
                "tenure_days": today_ordinal - first[i],
                "probability_alive": float(scores.probability_alive[i]),
                "expected_purchases": float(scores.expected_purchases[i]),
                "predicted_value": money(scores.predicted_value[i]),
                "horizon_days": config.horizon_days,
                "risk_score": float(scores.risk_score[i]),
                "risk_level": scores.risk_levels[i],
                "model_version": scores.model,
                "computed_at": computed_at,
            }
        )
    return rows


async def upsert_lifetime_values(session, rows: Sequence[dict[str, Any]]) -> None:  # type: ignore[no-untyped-def]
    if not rows:
        return
    insert = dialect_insert(session, CustomerLifetimeValue)
    columns = {c: insert.excluded[c] for c in rows[0] if c != "customer_id"}
    await session.execute(
        insert.on_conflict_do_update(index_elements=["customer_id"], set_=columns), list(rows)
    )


async def delete_lifetime_values_older_than(session, computed_before: dt.datetime) -> int:  # type: ignore[no-untyped-def]
    """Rows a full rescore did not touch: customers whose purchases are gone (cancelled)."""
    result = await session.execute(
        delete(CustomerLifetimeValue).where(CustomerLifetimeValue.computed_at < computed_before)
    )
    return int(result.rowcount or 0)


async def calculate_lifetime_value(
    session,  # type: ignore[no-untyped-def]
    *,
    customer_id: int,
    config: ClvConfig,
    today: dt.date,
    now: dt.datetime,
) -> None:
    """Rescore one customer with the current parameters and store the figures."""
    if await session.scalar(select(Customer.id).where(Customer.id == customer_id)) is None:
        raise NotFound("No customer with this id", field="customerId")
    fit = await latest_fit(session)
    data = await load_purchase_days(session, customer_ids=[customer_id], until=today)
    rfm = summarise(data, today)
    if len(rfm) == 0:
        await session.execute(
            delete(CustomerLifetimeValue).where(CustomerLifetimeValue.customer_id == customer_id)
        )
        return
    scores = score(
        rfm,
        params_of(fit),
        config,
        typical_rhythm_weeks=fit.typical_rhythm_weeks if fit is not None else None,
    )
    await upsert_lifetime_values(
        session, storage_rows(rfm, scores, config, today=today, computed_at=now)
    )


async def stored_lifetime_values(session, customer_ids: Sequence[int]) -> dict[int, Row[Any]]:  # type: ignore[no-untyped-def]
    statement = select(*CustomerLifetimeValue.__table__.c).where(
        CustomerLifetimeValue.customer_id.in_(list(customer_ids))
    )
    return {row.customer_id: row for row in (await session.execute(statement))}


async def live_history(  # type: ignore[no-untyped-def]
    session, customer_ids: Sequence[int], *, unscored_only: bool = False
) -> dict[int, Row[Any]]:
    """Historical figures computed on the fly, for customers not scored yet (one GROUP BY)."""
    statement = (
        select(
            Order.customer_id,
            func.coalesce(func.sum(Order.total), 0).label("total_revenue"),
            func.count().label("order_count"),
            func.min(Order.order_date).label("first_order_on"),
            func.max(Order.order_date).label("last_order_on"),
        )
        .where(Order.customer_id.in_(list(customer_ids)), Order.status != OrderStatus.CANCELLED)
        .group_by(Order.customer_id)
    )
    if unscored_only:
        scored = select(CustomerLifetimeValue.customer_id).where(
            CustomerLifetimeValue.customer_id == Order.customer_id
        )
        statement = statement.where(~scored.exists())
    return {row.customer_id: row for row in (await session.execute(statement))}


async def lifetime_values_by_customer_ids(session, customer_ids: Sequence[int]) -> list[Any]:  # type: ignore[no-untyped-def]
    """Loader batch: the stored row per customer, else live historical figures, else None.

    Always two statements, whatever the page: the stored rows, and the live history of
    customers without one (``NOT EXISTS`` keeps the second cheap when all are scored).
    """
    stored = await stored_lifetime_values(session, customer_ids)
    live = await live_history(session, customer_ids, unscored_only=True)
    return [stored.get(c) or live.get(c) for c in customer_ids]
