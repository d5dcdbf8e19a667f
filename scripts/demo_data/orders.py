"""Orders with their lines and status history: converted quotations plus direct orders.

A customer's order count comes from the plan; the quotations it converted count towards
it, and the rest are spread over the time it could trade. Both kinds are then sorted by
customer and time before ids and numbers are given, so each customer's orders are numbered
in the order they were placed.
"""

from __future__ import annotations

import numpy as np

from models.enums import OrderStatus
from resolvers.numbering import ORDER, QUOTATION, format_number
from scripts.demo_data.clock import DAY, HOUR, OPEN, OPEN_SECONDS, local_day, utc_at
from scripts.demo_data.context import ChunkContext, Table
from scripts.demo_data.documents import CHANGE_COLUMNS, LINE_COLUMNS, draw_lines, line_rows
from scripts.demo_data.encoders import nullable
from scripts.demo_data.payments import add_payments
from scripts.demo_data.phrases import ORDER_CHANGE_NOTES, ORDER_NOTES
from scripts.demo_data.plan import ChunkView
from scripts.demo_data.probabilities import CONVERT_P
from scripts.demo_data.quotations import ChunkQuotations
from scripts.demo_data.sampling import pick

PAYMENT_TERMS_DAYS = 30

_COLUMNS = ("id", "number", "customer_id", "quotation_id", "status", "order_date", "due_date",
            "total", "notes", "created_by_id", "created_at", "updated_at")  # fmt: skip


def add_orders(
    ctx: ChunkContext,
    rng: np.random.Generator,
    v: ChunkView,
    quotes: ChunkQuotations,
    tables: list[Table],
    counts: dict[str, int],
) -> np.ndarray:
    """Orders with lines, history and payments; returns each customer's outstanding."""
    now = ctx.now_ts
    enc = ctx.encoder
    # Orders placed against accepted quotations, a few days after acceptance.
    accepted_at = quotes.accepted_at
    placed_day = local_day(accepted_at) + rng.integers(0, 6, len(accepted_at))
    placed = utc_at(placed_day, OPEN + rng.integers(0, OPEN_SECONDS, len(accepted_at)))
    placed = np.maximum(placed, accepted_at + HOUR)
    converted = (accepted_at >= 0) & (rng.random(len(accepted_at)) < CONVERT_P)
    converted &= placed <= now
    conv_q = np.nonzero(converted)[0]
    conv_cust = quotes.cust[conv_q]
    # The rest of each customer's orders, spread over the time it could trade.
    wanted = np.minimum(rng.poisson(v.lam_o), 600)
    random_count = np.maximum(0, wanted - np.bincount(conv_cust, minlength=v.n))
    rand_cust = np.repeat(np.arange(v.n), random_count)
    r = len(rand_cust)
    day = v.start_day[rand_cust] + np.floor(rng.random(r) * v.doc_days[rand_cust]).astype(np.int64)
    rand_ts = utc_at(day, OPEN + rng.integers(0, OPEN_SECONDS, r))

    cust = np.concatenate([conv_cust, rand_cust])
    ts = np.concatenate([placed[conv_q], rand_ts])
    quotation = np.concatenate([conv_q, np.full(r, -1)])
    o = len(cust)
    # Lines: copied from the quotation, or new.
    qlines = quotes.lines
    conv_rank = np.cumsum(converted) - 1
    take = converted[qlines["doc"]]
    _per_doc, new_lines = draw_lines(rng, v.btype[rand_cust], ctx.catalogue)
    lines = {
        key: np.concatenate([qlines[key][take], new_lines[key]])
        for key in ("position", "product", "quantity", "discount", "unit", "total")
    }
    old_doc = np.concatenate([conv_rank[qlines["doc"][take]], len(conv_q) + new_lines["doc"]])

    order = np.lexsort((ts, cust))
    cust, ts, quotation = cust[order], ts[order], quotation[order]
    rank = np.empty(o, dtype=np.int64)
    rank[order] = np.arange(o)
    doc = rank[old_doc]
    line_order = np.lexsort((lines["position"], doc))
    lines = {key: value[line_order] for key, value in lines.items()}
    doc = doc[line_order]
    lines["doc"] = doc
    per_order = np.bincount(doc, minlength=o)
    total = (
        np.add.reduceat(lines["total"], np.cumsum(per_order) - per_order)
        if o
        else np.zeros(0, np.int64)
    )

    order_date = local_day(ts)
    cancel = rng.random(o) < 0.03
    cancel_at = ts + rng.integers(HOUR, 4 * DAY, o)
    cancelled = cancel & (cancel_at <= now)
    ship_at = ts + rng.integers(DAY, 7 * DAY, o)
    deliver_at = ship_at + rng.integers(DAY, 10 * DAY, o)
    shipped = ~cancel & (ship_at <= now)
    delivered = shipped & (deliver_at <= now)
    status = np.zeros(o, dtype=np.int64)  # CONFIRMED
    status[shipped] = 1
    status[delivered] = 2
    status[cancelled] = 3
    updated = np.select(
        [cancelled, delivered, shipped], [cancel_at, deliver_at, ship_at], default=ts
    )

    creator = v.owner_ids[cust]
    ids = ctx.allocator.ids("orders", o)
    numbers = ctx.allocator.numbers(ORDER, o)
    from_quote = quotation >= 0
    quote_pick = np.where(from_quote, quotation, -1)  # -1 picks the padding below
    quote_numbers = np.append(quotes.numbers, 0)[quote_pick]
    quote_ids = np.append(quotes.ids, 0)[quote_pick]
    free_notes = pick(rng, ORDER_NOTES, o)
    notes = [
        f"Against {format_number(QUOTATION, n)}" if f else note
        for f, n, note in zip(from_quote.tolist(), quote_numbers.tolist(), free_notes, strict=True)
    ]
    statuses = [s.value for s in OrderStatus]
    rows = list(
        zip(
            ids.tolist(),
            [format_number(ORDER, n) for n in numbers.tolist()],
            v.ids[cust].tolist(),
            nullable(quote_ids.tolist(), from_quote),
            np.array(statuses, dtype=object)[status].tolist(),
            enc.date(order_date),
            enc.date(order_date + PAYMENT_TERMS_DAYS),
            enc.money(total),
            notes,
            creator.tolist(),
            enc.ts(ts),
            enc.ts(updated),
            strict=True,
        )
    )
    tables.append(("orders", _COLUMNS, rows))
    line_ids = ctx.allocator.ids("order_lines", len(doc))
    tables.append(
        (
            "order_lines",
            (*LINE_COLUMNS, "order_id"),
            line_rows(line_ids, lines, ids[doc], ctx.catalogue, enc),
        )
    )

    # History: CONFIRMED, then SHIPPED or CANCELLED, then DELIVERED.
    second = shipped | cancelled
    doc = np.concatenate([np.arange(o), np.nonzero(second)[0], np.nonzero(delivered)[0]])
    step = np.repeat(np.arange(3), [o, int(second.sum()), int(delivered.sum())])
    order = np.lexsort((step, doc))
    doc, step = doc[order], step[order]
    m = len(doc)
    is_cancel = (step == 1) & cancelled[doc]
    to_status = np.where(step == 0, 0, np.where(step == 2, 2, np.where(is_cancel, 3, 1)))
    from_status = np.where(step == 0, -1, np.where(step == 2, 1, 0))
    at = np.select(
        [step == 0, is_cancel, step == 1], [ts[doc], cancel_at[doc], ship_at[doc]],
        default=deliver_at[doc],
    )  # fmt: skip
    picks = rng.integers(0, 1 << 30, m).tolist()
    change_notes = [
        None if t == 0 else ORDER_CHANGE_NOTES[t][p % len(ORDER_CHANGE_NOTES[t])]
        for t, p in zip(to_status.tolist(), picks, strict=True)
    ]
    by = np.where(is_cancel & (rng.random(m) < 0.3), ctx.staff.managers(rng, m), creator[doc])
    change_ids = ctx.allocator.ids("order_status_changes", m)
    from_names = [None, *statuses]
    rows = list(
        zip(
            change_ids.tolist(),
            [from_names[f + 1] for f in from_status.tolist()],
            np.array(statuses, dtype=object)[to_status].tolist(),
            change_notes,
            enc.ts(at),
            by.tolist(),
            ids[doc].tolist(),
            strict=True,
        )
    )
    tables.append(("order_status_changes", (*CHANGE_COLUMNS, "order_id"), rows))
    counts["orders"] = o
    return add_payments(
        ctx,
        rng,
        v,
        order_ids=ids,
        cust=cust,
        total=total,
        live=status != 3,
        delivered=delivered,
        deliver_at=deliver_at,
        tables=tables,
        counts=counts,
    )
