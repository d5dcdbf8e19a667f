"""Credit limits, and the history row each one starts with.

Limits are decided after a chunk's orders and payments because they are sized from what
each customer owes: the credit alerts and dashboards then have every level to show.
"""

from __future__ import annotations

import numpy as np

from scripts.demo_data.context import ChunkContext, Table
from scripts.demo_data.plan import ChunkView
from scripts.demo_data.probabilities import (
    CREDIT_CHOICES,
    CREDIT_NONE_P,
    CREDIT_ZERO_P,
    UTILISATION_HIGH,
    UTILISATION_LOW,
    UTILISATION_P,
)

_HISTORY_COLUMNS = (
    "id", "customer_id", "old_limit", "new_limit", "reason", "changed_by_id", "changed_at",
)  # fmt: skip


def credit_limits(
    rng: np.random.Generator, btype: np.ndarray, outstanding: np.ndarray
) -> np.ndarray:
    """Limits in paise; -1 means no limit (NULL).

    A limit starts as a round figure typical of the business type. For customers who owe
    money it is sized from what they owe, so utilisation looks like a real ledger: most
    customers comfortably within their limit, a tail at WARNING and CRITICAL, a few over
    (those limits are rounded down, so they stay over). Only customers who owe nothing
    get a limit of 0 (cash-and-carry).
    """
    n = len(btype)
    u = rng.random(n)
    pick = rng.integers(0, 1 << 30, n)
    typical = np.empty(n, dtype=np.int64)
    for t, choices in enumerate(CREDIT_CHOICES):
        members = btype == t
        options = np.array(choices, dtype=np.int64) * 100
        typical[members] = options[pick[members] % len(options)]
    band = rng.choice(len(UTILISATION_P), n, p=UTILISATION_P)
    utilisation = rng.uniform(UTILISATION_LOW[band], UTILISATION_HIGH[band])
    exceeded = band == len(UTILISATION_P) - 1
    sized = _round_figure(outstanding / utilisation, up=~exceeded)
    owes = outstanding > 0
    limit = np.where(owes, np.where(band == 0, np.maximum(typical, sized), sized), typical)
    none_p = CREDIT_NONE_P[btype]
    limit[(u >= none_p) & (u < none_p + CREDIT_ZERO_P[btype]) & ~owes] = 0
    limit[u < none_p] = -1
    return limit


def _round_figure(paise: np.ndarray, up: np.ndarray) -> np.ndarray:
    """Two significant figures in rupees (at least thousands), rounded up or down."""
    rupees = paise / 100.0
    digits = np.floor(np.log10(np.maximum(rupees, 1.0))) - 1
    step = np.power(10.0, np.maximum(digits, 3))
    figure = np.where(up, np.ceil(rupees / step), np.floor(rupees / step)) * step
    return figure.astype(np.int64) * 100


def add_credit_history(
    ctx: ChunkContext,
    rng: np.random.Generator,
    v: ChunkView,
    limit: np.ndarray,
    tables: list[Table],
) -> None:
    """One "Initial credit limit" change per customer with a limit, set by a manager."""
    has = np.nonzero(limit >= 0)[0]
    ids = ctx.allocator.ids("credit_limit_history", len(has))
    by = ctx.staff.managers(rng, len(has))
    enc = ctx.encoder
    rows = list(
        zip(
            ids.tolist(),
            v.ids[has].tolist(),
            [None] * len(has),
            enc.money(limit[has]),
            ["Initial credit limit"] * len(has),
            by.tolist(),
            enc.ts(v.created_ts[has]),
            strict=True,
        )
    )
    tables.append(("credit_limit_history", _HISTORY_COLUMNS, rows))
