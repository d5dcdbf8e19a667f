"""Quotations with their lines and status history; accepted ones become orders.

Generated first in a chunk because orders copy the lines of the quotations they convert;
``add_quotations`` hands back what orders need. Each status change is a history row, so a
quotation's ``updated_at`` and ``sent_at`` always agree with its history.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from models.enums import QuotationStatus
from resolvers.numbering import QUOTATION, format_number
from scripts.demo_data.clock import DAY, OPEN, OPEN_SECONDS, utc_at
from scripts.demo_data.context import ChunkContext, Table
from scripts.demo_data.documents import CHANGE_COLUMNS, LINE_COLUMNS, draw_lines, line_rows
from scripts.demo_data.encoders import nullable
from scripts.demo_data.phrases import QUOTATION_FINAL_NOTES, QUOTATION_NOTES, REJECT_REASONS
from scripts.demo_data.plan import ChunkView
from scripts.demo_data.probabilities import ACCEPT_P, PROSPECT, REJECT_P
from scripts.demo_data.sampling import pick

QUOTATION_VALIDITY_DAYS = 30

_COLUMNS = ("id", "number", "customer_id", "status", "valid_until", "total", "notes",
            "sent_at", "created_by_id", "created_at", "updated_at")  # fmt: skip


@dataclass(frozen=True)
class ChunkQuotations:
    """A chunk's quotations as orders need them (index i is the i-th quotation)."""

    cust: np.ndarray  # customer, as a local index into the chunk
    ids: np.ndarray
    numbers: np.ndarray
    accepted_at: np.ndarray  # epoch seconds, -1 when not accepted
    lines: dict[str, np.ndarray]


def add_quotations(
    ctx: ChunkContext,
    rng: np.random.Generator,
    v: ChunkView,
    tables: list[Table],
    counts: dict[str, int],
) -> ChunkQuotations:
    now = ctx.now_ts
    enc = ctx.encoder
    per_customer = np.minimum(rng.poisson(v.lam_q), 200)
    cust = np.repeat(np.arange(v.n), per_customer)
    q = len(cust)
    day = v.start_day[cust] + np.floor(rng.random(q) * v.doc_days[cust]).astype(np.int64)
    created = utc_at(day, OPEN + rng.integers(0, OPEN_SECONDS, q))
    order = np.lexsort((created, cust))
    cust, day, created = cust[order], day[order], created[order]
    btype = v.btype[cust]
    prospect = v.status[cust] == PROSPECT

    per_doc, lines = draw_lines(rng, btype, ctx.catalogue)
    starts = np.cumsum(per_doc) - per_doc
    total = np.add.reduceat(lines["total"], starts) if q else np.zeros(0, np.int64)

    sent = created + rng.integers(1800, 3 * DAY, q)
    is_sent = sent <= now
    valid_until = day + QUOTATION_VALIDITY_DAYS
    u = rng.random(q)
    p_accept = np.where(prospect, 0.0, ACCEPT_P[btype])
    accepted = u < p_accept
    rejected = ~accepted & (u < p_accept + REJECT_P)
    decided_at = sent + rng.integers(DAY, 25 * DAY, q)
    expires_at = utc_at(valid_until + 1, 1800)  # the nightly expiry run, 00:30 local
    decided = is_sent & (accepted | rejected) & (decided_at <= now)
    expired = is_sent & ~accepted & ~rejected & (expires_at <= now)
    status = np.full(q, 0, dtype=np.int64)  # DRAFT
    status[is_sent] = 1  # SENT
    status[decided & accepted] = 2
    status[decided & rejected] = 3
    status[expired] = 4
    final_at = np.where(expired, expires_at, decided_at)
    updated = np.where(status >= 2, final_at, np.where(is_sent, sent, created))

    creator = np.where(rng.random(q) < 0.9, v.owner_ids[cust], ctx.staff.managers(rng, q))
    ids = ctx.allocator.ids("quotations", q)
    numbers = ctx.allocator.numbers(QUOTATION, q)
    statuses = [s.value for s in QuotationStatus]
    status_names = np.array(statuses, dtype=object)[status].tolist()
    created_l = enc.ts(created)
    rows = list(
        zip(
            ids.tolist(),
            [format_number(QUOTATION, n) for n in numbers.tolist()],
            v.ids[cust].tolist(),
            status_names,
            enc.date(valid_until),
            enc.money(total),
            pick(rng, QUOTATION_NOTES, q),
            enc.ts(sent, is_sent),
            creator.tolist(),
            created_l,
            enc.ts(updated),
            strict=True,
        )
    )
    tables.append(("quotations", _COLUMNS, rows))
    line_ids = ctx.allocator.ids("quotation_lines", len(lines["doc"]))
    tables.append(
        (
            "quotation_lines",
            (*LINE_COLUMNS, "quotation_id"),
            line_rows(line_ids, lines, ids[lines["doc"]], ctx.catalogue, enc),
        )
    )

    # Status history: created as DRAFT, then SENT, then the outcome.
    has_final = status >= 2
    doc = np.concatenate([np.arange(q), np.nonzero(is_sent)[0], np.nonzero(has_final)[0]])
    step = np.repeat(np.arange(3), [q, int(is_sent.sum()), int(has_final.sum())])
    order = np.lexsort((step, doc))
    doc, step = doc[order], step[order]
    m = len(doc)
    to_status = np.where(step == 0, 0, np.where(step == 1, 1, status[doc]))
    from_status = np.where(step == 0, -1, np.where(step == 1, 0, 1))
    at = np.where(step == 0, created[doc], np.where(step == 1, sent[doc], final_at[doc]))
    by_system = (step == 2) & (to_status == 4)
    note_pick = rng.integers(0, len(REJECT_REASONS), m)
    notes = [
        (None if s == 0 else "Sent by email" if s == 1 else
         QUOTATION_FINAL_NOTES[t] or REJECT_REASONS[r])
        for s, t, r in zip(step.tolist(), to_status.tolist(), note_pick.tolist(), strict=True)
    ]  # fmt: skip
    change_ids = ctx.allocator.ids("quotation_status_changes", m)
    from_names = [None, *statuses]
    rows = list(
        zip(
            change_ids.tolist(),
            [from_names[f + 1] for f in from_status.tolist()],
            np.array(statuses, dtype=object)[to_status].tolist(),
            notes,
            enc.ts(at),
            nullable(creator[doc].tolist(), ~by_system),
            ids[doc].tolist(),
            strict=True,
        )
    )
    tables.append(("quotation_status_changes", (*CHANGE_COLUMNS, "quotation_id"), rows))
    counts["quotations"] = q
    return ChunkQuotations(
        cust=cust,
        ids=ids,
        numbers=numbers,
        accepted_at=np.where(status == 2, decided_at, -1),
        lines=lines,
    )
