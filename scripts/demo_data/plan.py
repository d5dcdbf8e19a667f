"""The plan: who every customer is and how active, decided once for all of them.

Chunks are generated independently, so anything that must be consistent across the whole
data set (creation order, type, status, territory, expected document counts, and so where
chunks are cut) is drawn here up front from its own random stream, as compact numpy arrays.
Chunks are runs of consecutive customers expected to produce about ``CHUNK_ROWS`` rows (at
most ``CHUNK_CUSTOMERS`` customers), so memory stays flat although long-standing customers
have many more orders than new ones.
"""

from __future__ import annotations

import numpy as np

from scripts.demo_data.clock import HISTORY_DAYS, OPEN, OPEN_SECONDS, local_day, utc_at
from scripts.demo_data.probabilities import (
    ACTIVE,
    INACTIVE,
    MULT_I,
    MULT_O,
    MULT_Q,
    PROSPECT,
    TYPE_P,
)
from scripts.demo_data.vocabulary import STATES

CHUNK_CUSTOMERS = 2000
CHUNK_ROWS = 100_000

ORDERS_PER_CUSTOMER = 10.0
QUOTATIONS_PER_CUSTOMER = 3.0
INTERACTIONS_PER_CUSTOMER = 5.0


class CustomerPlan:
    """Who each customer is and how active, decided once so chunks stay consistent.

    Customers are created over the last three years at a rate that doubles over the
    period, in id order (codes increase with creation time). Prospects are mostly recent,
    inactive customers stopped buying at least six months ago. Expected document counts
    scale with the time a customer could trade, its business type and a gamma-distributed
    activity level, normalised so the averages per customer are the targets.
    """

    def __init__(self, n: int, seed: int, now_ts: int, n_sales: int) -> None:
        rng = np.random.default_rng([seed % 2**64, 1])
        now_day = local_day(now_ts)
        i = np.arange(n, dtype=np.float64)
        position = (i + rng.random(n)) / n
        x = (np.sqrt(1.0 + 3.0 * position) - 1.0) * HISTORY_DAYS
        whole = np.floor(x)
        self.created_day = (now_day - HISTORY_DAYS + whole).astype(np.int64)
        seconds = OPEN + np.floor((x - whole) * OPEN_SECONDS).astype(np.int64)
        self.created_ts = utc_at(self.created_day, seconds)
        age = (now_day - self.created_day).astype(np.float64)

        self.btype = rng.choice(4, n, p=TYPE_P).astype(np.int8)
        u = rng.random(n)
        p_prospect = 0.03 + 0.35 * np.exp(-age / 120.0)
        p_inactive = np.where(age >= 240, 0.16 * (age - 240) / (HISTORY_DAYS - 240), 0.0)
        self.status = np.where(
            u < p_prospect, PROSPECT, np.where(u < p_prospect + p_inactive, INACTIVE, ACTIVE)
        ).astype(np.int8)
        weights = np.array([s[2] for s in STATES])
        self.state = rng.choice(len(STATES), n, p=weights / weights.sum()).astype(np.int16)
        n_cities = np.array([len(s[4]) for s in STATES])[self.state]
        self.city = np.floor(rng.random(n) ** 1.4 * n_cities).astype(np.int16)
        # Territories: each state is worked by three neighbouring reps.
        self.owner = ((self.state.astype(np.int64) * 7 + rng.integers(0, 3, n)) % n_sales).astype(
            np.int16
        )
        activity = rng.gamma(0.9, 1 / 0.9, n)

        self.start_day = self.created_day + 1
        last_day = now_day - 1
        stop = self.created_day + np.floor(age * rng.uniform(0.3, 0.8, n)).astype(np.int64)
        doc_end_day = np.where(self.status == INACTIVE, np.minimum(stop, now_day - 180), last_day)
        self.doc_days = np.maximum(0, doc_end_day - self.start_day + 1)
        self.talk_days = np.maximum(0, last_day - self.start_day + 1)

        prospect = self.status == PROSPECT
        w_q = self.doc_days * MULT_Q[self.btype] * activity * np.where(prospect, 1.5, 1.0)
        w_o = self.doc_days * MULT_O[self.btype] * activity * np.where(prospect, 0.0, 1.0)
        w_i = self.talk_days * MULT_I[self.btype] * np.sqrt(activity) * np.where(prospect, 3, 1)
        self.lam_q = _normalise(w_q, QUOTATIONS_PER_CUSTOMER * n).astype(np.float32)
        self.lam_o = _normalise(w_o, ORDERS_PER_CUSTOMER * n).astype(np.float32)
        self.lam_i = _normalise(w_i, INTERACTIONS_PER_CUSTOMER * n).astype(np.float32)
        # Rows each customer is expected to bring: documents plus their lines, history
        # and payments (measured ratios), and the customer row with tags and credit.
        expected = 6.8 * self.lam_o + 6.0 * self.lam_q + 1.1 * self.lam_i + 2.5
        self.bounds = chunk_bounds(expected)


def chunk_bounds(expected_rows: np.ndarray) -> list[tuple[int, int]]:
    """Split customers into runs of about ``CHUNK_ROWS`` expected rows."""
    n = len(expected_rows)
    if n == 0:
        return []
    before = np.cumsum(expected_rows) - expected_rows
    bucket = np.floor(before / CHUNK_ROWS).astype(np.int64)
    starts = [0, *(np.nonzero(np.diff(bucket))[0] + 1).tolist()]
    bounds = []
    for lo, hi in zip(starts, [*starts[1:], n], strict=True):
        for a in range(lo, hi, CHUNK_CUSTOMERS):
            bounds.append((a, min(hi, a + CHUNK_CUSTOMERS)))
    return bounds


def _normalise(weights: np.ndarray, total: float) -> np.ndarray:
    s = weights.sum()
    return weights * (total / s) if s > 0 else np.zeros_like(weights, dtype=np.float64)


class ChunkView:
    """The plan's arrays for one chunk of customers (local index 0..n-1)."""

    def __init__(
        self,
        plan: CustomerPlan,
        lo: int,
        hi: int,
        *,
        sales_ids: np.ndarray,
        first_id: int,
        first_number: int,
    ) -> None:
        self.lo, self.hi, self.n = lo, hi, hi - lo
        self.ids = first_id + np.arange(lo, hi, dtype=np.int64)
        self.numbers = first_number + np.arange(lo, hi)
        self.created_ts = plan.created_ts[lo:hi]
        self.btype = plan.btype[lo:hi].astype(np.int64)
        self.status = plan.status[lo:hi]
        self.state = plan.state[lo:hi].tolist()
        self.city = plan.city[lo:hi].tolist()
        self.owner_ids = sales_ids[plan.owner[lo:hi].astype(np.int64)]
        self.start_day = plan.start_day[lo:hi]
        self.doc_days = plan.doc_days[lo:hi]
        self.talk_days = plan.talk_days[lo:hi]
        self.lam_q = plan.lam_q[lo:hi].astype(np.float64)
        self.lam_o = plan.lam_o[lo:hi].astype(np.float64)
        self.lam_i = plan.lam_i[lo:hi].astype(np.float64)
