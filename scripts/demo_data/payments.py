"""Payments against delivered orders, and what each customer still owes afterwards.

Most orders are paid in full, some in part, the most recent ones often not yet, so the
receivables and credit views have a realistic mix. Each method respects its legal or
practical ceiling; larger amounts go by bank transfer.
"""

from __future__ import annotations

import numpy as np

from scripts.demo_data.clock import DAY
from scripts.demo_data.context import ChunkContext, Table
from scripts.demo_data.plan import ChunkView
from scripts.demo_data.probabilities import METHOD_LIMIT_PAISE, PAY_METHOD_P, PAY_METHODS

_COLUMNS = ("id", "order_id", "customer_id", "amount", "paid_at", "method", "reference",
            "recorded_by_id", "created_at")  # fmt: skip


def add_payments(
    ctx: ChunkContext,
    rng: np.random.Generator,
    v: ChunkView,
    *,
    order_ids: np.ndarray,
    cust: np.ndarray,
    total: np.ndarray,
    live: np.ndarray,
    delivered: np.ndarray,
    deliver_at: np.ndarray,
    tables: list[Table],
    counts: dict[str, int],
) -> np.ndarray:
    """Payments for the chunk's orders; returns each customer's outstanding in paise.

    Outstanding is the exposure the API computes: totals of ``live`` (not cancelled)
    orders less what was paid on them.
    """
    now = ctx.now_ts
    enc = ctx.encoder
    o = len(order_ids)
    recent = deliver_at > now - 60 * DAY
    u = rng.random(o)
    full = np.where(recent, u < 0.70, u < 0.90)
    partial = ~full & np.where(recent, u < 0.80, u < 0.96)
    paid_at = deliver_at + rng.integers(0, 50 * DAY, o)
    pays = delivered & (full | partial) & (paid_at <= now)
    share = rng.uniform(0.2, 0.9, o)
    amount = np.where(full, total, np.maximum(1, np.floor(total * share).astype(np.int64)))
    idx = np.nonzero(pays)[0]
    p = len(idx)
    amount = amount[idx]
    method = rng.choice(len(PAY_METHODS), p, p=PAY_METHOD_P)
    method[amount > METHOD_LIMIT_PAISE[method]] = 0  # large amounts go by bank transfer
    ref_number = rng.integers(10**11, 10**12, p).tolist()
    pay_ids = ctx.allocator.ids("payments", p)
    methods = [m.value for m in PAY_METHODS]
    paid_l = enc.ts(paid_at[idx])
    rows = list(
        zip(
            pay_ids.tolist(),
            order_ids[idx].tolist(),
            v.ids[cust[idx]].tolist(),
            enc.money(amount),
            paid_l,
            [methods[k] for k in method.tolist()],
            [
                _payment_reference(k, n, pid)
                for k, n, pid in zip(method.tolist(), ref_number, pay_ids.tolist(), strict=True)
            ],
            ctx.staff.managers(rng, p).tolist(),
            paid_l,
            strict=True,
        )
    )
    tables.append(("payments", _COLUMNS, rows))
    counts["payments"] = p
    outstanding = np.zeros(v.n, dtype=np.int64)
    np.add.at(outstanding, cust[live], total[live])
    np.subtract.at(outstanding, cust[idx], amount)
    return outstanding


def _payment_reference(method: int, number: int, payment_id: int) -> str | None:
    """A reference in the form each method's paperwork uses (index in ``PAY_METHODS``)."""
    if method == 0:
        return f"UTR{number}"
    if method == 1:
        return f"UPI/{number}"
    if method == 2:
        return f"CHQ {number % 1_000_000:06d}"
    if method == 3:
        return f"CARD XXXX{number % 10_000:04d}"
    return f"RCPT-{payment_id}"
