"""RFM summaries for the lifetime-value model, from purchase days.

A purchase day is one customer's orders (not cancelled) on one business day — orders carry
their business date (``orders.order_date``, reckoned in the business time zone), so several
orders on one day count once, as the model's literature requires. The database does the
grouping (one ``GROUP BY customer_id, order_date`` statement); numpy turns the sorted day
rows into per-customer arrays without a Python loop per customer. ``crm clv-backtest``
builds the same day rows from a CSV file and goes through the same ``summarise`` function.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from models.enums import OrderStatus
from models.order import Order

DAYS_PER_WEEK = 7.0


@dataclass(frozen=True)
class PurchaseDays:
    """One row per (customer, purchase day), sorted by customer then day."""

    customer_ids: np.ndarray  # int64
    days: np.ndarray  # int64 proleptic ordinals (date.toordinal())
    amounts: np.ndarray  # float64, total of the day's orders
    order_counts: np.ndarray  # int64, orders that day


@dataclass(frozen=True)
class Rfm:
    """Per-customer summary, arrays aligned with ``customer_ids`` (ascending).

    ``frequency`` repeat purchase days; ``recency`` and ``T`` in weeks; ``monetary`` the mean
    of the repeat-day totals (0 without repeats); ``revenue`` and ``orders`` over all days.
    """

    customer_ids: np.ndarray
    frequency: np.ndarray
    recency: np.ndarray
    T: np.ndarray
    monetary: np.ndarray
    revenue: np.ndarray
    orders: np.ndarray
    first_day: np.ndarray
    last_day: np.ndarray

    def __len__(self) -> int:
        return int(self.customer_ids.size)


def purchase_days_from_rows(rows: Sequence[tuple]) -> PurchaseDays:
    """Rows ``(customer_id, day: date, amount, order_count)`` already grouped by day."""
    if not rows:
        empty = np.zeros(0, dtype=np.int64)
        return PurchaseDays(empty, empty, np.zeros(0), empty)
    return _sorted(_unsorted_from_rows(rows))


def _unsorted_from_rows(rows: Sequence[tuple]) -> PurchaseDays:
    ids, days, amounts, counts = zip(*rows, strict=True)
    return PurchaseDays(
        np.asarray(ids, dtype=np.int64),
        np.fromiter((d.toordinal() for d in days), dtype=np.int64, count=len(days)),
        np.fromiter((float(a) for a in amounts), dtype=float, count=len(amounts)),
        np.asarray(counts, dtype=np.int64),
    )


def _sorted(data: PurchaseDays) -> PurchaseDays:
    order = np.lexsort((data.days, data.customer_ids))
    return PurchaseDays(
        data.customer_ids[order], data.days[order], data.amounts[order], data.order_counts[order]
    )


def summarise(data: PurchaseDays, calibration_end: dt.date) -> Rfm:
    """RFM per customer from purchase days up to and including ``calibration_end``."""
    end = calibration_end.toordinal()
    keep = data.days <= end
    ids, days = data.customer_ids[keep], data.days[keep]
    amounts, counts = data.amounts[keep], data.order_counts[keep]
    customers, first_index, day_count = np.unique(ids, return_index=True, return_counts=True)
    last_index = first_index + day_count - 1
    revenue = np.add.reduceat(amounts, first_index) if ids.size else np.zeros(0)
    orders = np.add.reduceat(counts, first_index) if ids.size else np.zeros(0, dtype=np.int64)
    frequency = (day_count - 1).astype(float)
    first_day, last_day = days[first_index], days[last_index]
    repeat_revenue = revenue - amounts[first_index] if ids.size else np.zeros(0)
    monetary = np.divide(
        repeat_revenue, frequency, out=np.zeros_like(repeat_revenue), where=frequency > 0
    )
    return Rfm(
        customer_ids=customers,
        frequency=frequency,
        recency=(last_day - first_day) / DAYS_PER_WEEK,
        T=(end - first_day) / DAYS_PER_WEEK,
        monetary=monetary,
        revenue=revenue,
        orders=orders,
        first_day=first_day,
        last_day=last_day,
    )


def purchase_days_statement(
    customer_ids: Sequence[int] | None = None, until: dt.date | None = None
):  # type: ignore[no-untyped-def]
    """The one set-based statement: orders not cancelled, grouped per customer and day."""
    statement = (
        select(
            Order.customer_id,
            Order.order_date,
            func.sum(Order.total),
            func.count(),
        )
        .where(Order.status != OrderStatus.CANCELLED)
        .group_by(Order.customer_id, Order.order_date)
    )
    if customer_ids is not None:
        statement = statement.where(Order.customer_id.in_(list(customer_ids)))
    if until is not None:
        statement = statement.where(Order.order_date <= until)
    return statement


async def load_purchase_days(
    session: AsyncSession,
    *,
    customer_ids: Sequence[int] | None = None,
    until: dt.date | None = None,
) -> PurchaseDays:
    """Purchase days of the given customers (all when None).

    Streamed in partitions turned into arrays at once, so a million day rows never sit in
    memory as Python objects all together.
    """
    parts: list[PurchaseDays] = []
    result = await session.stream(purchase_days_statement(customer_ids, until))
    async for partition in result.partitions(50_000):
        parts.append(_unsorted_from_rows(partition))
    if not parts:
        return purchase_days_from_rows([])
    return _sorted(
        PurchaseDays(
            np.concatenate([p.customer_ids for p in parts]),
            np.concatenate([p.days for p in parts]),
            np.concatenate([p.amounts for p in parts]),
            np.concatenate([p.order_counts for p in parts]),
        )
    )
