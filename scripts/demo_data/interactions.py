"""Interactions with customers: calls, e-mails, meetings, notes and follow-ups.

Their count follows the time since a customer was created rather than the time it traded,
so prospects and inactive customers are still being talked to. Subjects name real catalogue
products; the pools are expanded once for all chunks so rows only index into shared strings.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

import numpy as np

from models.enums import InteractionStatus
from scripts.demo_data.catalogue import CATEGORIES
from scripts.demo_data.clock import OPEN, OPEN_SECONDS, local_day, utc_at
from scripts.demo_data.context import ChunkContext, Table
from scripts.demo_data.encoders import nullable
from scripts.demo_data.phrases import (
    INTERACTION_NOTES,
    INTERACTION_OUTCOMES,
    INTERACTION_SUBJECTS,
    INTERACTION_TAG_SETS,
)
from scripts.demo_data.plan import ChunkView
from scripts.demo_data.probabilities import (
    CALL,
    FOLLOW_UP,
    KIND_P,
    KINDS,
    MEETING,
    NOTE,
    PRIORITIES,
)
from scripts.demo_data.sampling import pick

_COLUMNS = (
    "id", "customer_id", "kind", "subject", "notes", "priority", "status", "outcome",
    "occurred_at", "duration_minutes", "tags", "follow_up_required", "follow_up_date",
    "created_by_id", "created_at", "updated_at",
)  # fmt: skip
_STATUSES = (InteractionStatus.PENDING, InteractionStatus.COMPLETED, InteractionStatus.CANCELLED)


@dataclass(frozen=True)
class ChunkInteractions:
    """What follow-up tasks need of a chunk's interactions (index i is the i-th one)."""

    cust: np.ndarray  # customer, as a local index into the chunk
    ids: np.ndarray
    at: np.ndarray
    kind: np.ndarray
    subject: np.ndarray  # index into the kind's subject pool
    follow_up: np.ndarray
    follow_up_day: np.ndarray


class Interactions:
    """A chunk's interactions, from subject pools built once for all chunks."""

    def __init__(self, ctx: ChunkContext) -> None:
        self.ctx = ctx
        self.now_day = local_day(ctx.now_ts)
        # Subject pools: every template × product, so rows only index into shared strings.
        self.subjects: list[list[str]] = []
        for templates in INTERACTION_SUBJECTS:
            pool = []
            for template in templates:
                if "{p}" in template or "{c}" in template:
                    pool.extend(
                        template.format(p=name, c=CATEGORIES[c].lower())
                        for name, c in zip(
                            ctx.catalogue.names, ctx.catalogue.category.tolist(), strict=True
                        )
                    )
                else:
                    pool.append(template)
            self.subjects.append(pool)
        self.tag_json = [json.dumps(list(t)) for t in INTERACTION_TAG_SETS]

    def add(
        self,
        rng: np.random.Generator,
        v: ChunkView,
        tables: list[Table],
        counts: dict[str, int],
    ) -> ChunkInteractions:
        ctx = self.ctx
        enc = ctx.encoder
        per_customer = np.minimum(rng.poisson(v.lam_i), 300)
        cust = np.repeat(np.arange(v.n), per_customer)
        n = len(cust)
        day = v.start_day[cust] + np.floor(rng.random(n) * v.talk_days[cust]).astype(np.int64)
        at = utc_at(day, OPEN + rng.integers(0, OPEN_SECONDS, n))
        order = np.lexsort((at, cust))
        cust, day, at = cust[order], day[order], at[order]

        kind = rng.choice(5, n, p=KIND_P)
        pools = [len(pool) for pool in self.subjects]
        subject = np.floor(rng.random(n) * np.array(pools)[kind]).astype(np.int64)
        age = self.now_day - day
        u = rng.random(n)
        pending = ((age < 3) & (u < 0.5)) | (u > 0.98)
        cancelled = ~pending & (u < 0.04) & ((kind == CALL) | (kind == MEETING))
        status = np.where(pending, 0, np.where(cancelled, 2, 1))  # PENDING/CANCELLED/COMPLETED
        has_outcome = (status == 1) & (kind != NOTE)
        duration = np.select(
            [kind == CALL, kind == MEETING, kind == FOLLOW_UP],
            [rng.integers(3, 41, n), rng.integers(30, 151, n), rng.integers(5, 21, n)],
            default=0,
        )
        has_duration = (kind == CALL) | (kind == MEETING) | (kind == FOLLOW_UP)
        follow_up = (rng.random(n) < 0.2) & (status != 2)
        follow_up_day = day + rng.integers(2, 15, n)
        owner = v.owner_ids[cust]
        sales_ids = ctx.staff.sales_ids
        author = np.where(
            rng.random(n) < 0.85, owner, sales_ids[rng.integers(0, len(sales_ids), n)]
        )
        ids = ctx.allocator.ids("customer_interactions", n)
        kinds = [k.value for k in KINDS]
        status_names = [st.value for st in _STATUSES]
        subjects = [
            self.subjects[k][s] for k, s in zip(kind.tolist(), subject.tolist(), strict=True)
        ]
        notes = pick(rng, (*INTERACTION_NOTES, None, None, None, None, None), n)
        outcomes = nullable(pick(rng, INTERACTION_OUTCOMES, n), has_outcome)
        at_l = enc.ts(at)
        rows = list(
            zip(
                ids.tolist(),
                v.ids[cust].tolist(),
                [kinds[k] for k in kind.tolist()],
                subjects,
                notes,
                [PRIORITIES[k].value for k in rng.choice(4, n, p=[0.25, 0.5, 0.2, 0.05]).tolist()],
                [status_names[s] for s in status.tolist()],
                outcomes,
                at_l,
                nullable(duration.tolist(), has_duration),
                pick(rng, self.tag_json, n),
                enc.boolean(follow_up),
                enc.date(follow_up_day, follow_up),
                author.tolist(),
                at_l,
                at_l,
                strict=True,
            )
        )
        tables.append(("customer_interactions", _COLUMNS, rows))
        counts["interactions"] = n
        return ChunkInteractions(
            cust=cust,
            ids=ids,
            at=at,
            kind=kind,
            subject=subject,
            follow_up=follow_up,
            follow_up_day=follow_up_day,
        )
