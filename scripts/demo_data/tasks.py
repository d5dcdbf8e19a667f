"""Follow-up tasks: from interactions that asked for one, and from reps' own plans.

A third of the follow-ups asked for become tasks titled after the interaction's subject;
a fifth of customers also get a manual task, half of them created in the last ten days, so
the task views have open, overdue and completed work at any ``now``.
"""

from __future__ import annotations

import numpy as np

from models.enums import TaskSource, TaskStatus
from scripts.demo_data.clock import DAY, HOUR, OPEN, OPEN_SECONDS, local_day, utc_at
from scripts.demo_data.context import ChunkContext, Table
from scripts.demo_data.encoders import nullable
from scripts.demo_data.interactions import ChunkInteractions
from scripts.demo_data.phrases import (
    TASK_CANCEL_OUTCOMES,
    TASK_DESCRIPTIONS,
    TASK_OUTCOMES,
    TASK_TITLES,
)
from scripts.demo_data.plan import ChunkView
from scripts.demo_data.probabilities import PRIORITIES
from scripts.demo_data.sampling import pick

_COLUMNS = (
    "id", "customer_id", "interaction_id", "quotation_id", "title", "description",
    "assignee_id", "created_by_id", "due_at", "priority", "status", "completed_at",
    "completed_by_id", "outcome", "source", "created_at", "updated_at",
)  # fmt: skip
_STATUSES = (TaskStatus.OPEN.value, TaskStatus.COMPLETED.value, TaskStatus.CANCELLED.value)


class FollowUpTasks:
    """A chunk's tasks, with titles for every interaction subject built once."""

    def __init__(self, ctx: ChunkContext, subjects: list[list[str]]) -> None:
        self.ctx = ctx
        self.now_day = local_day(ctx.now_ts)
        self.titles_from_subject = [["Follow up: " + s for s in pool] for pool in subjects]

    def add(
        self,
        rng: np.random.Generator,
        v: ChunkView,
        interactions: ChunkInteractions,
        tables: list[Table],
        counts: dict[str, int],
    ) -> None:
        ctx = self.ctx
        now = ctx.now_ts
        enc = ctx.encoder
        i = interactions
        from_int = np.nonzero(i.follow_up & (rng.random(len(i.cust)) < 0.3))[0]
        manual_cust = np.nonzero((rng.random(v.n) < 0.2) & (v.talk_days > 0))[0]
        t_man = len(manual_cust)
        current = rng.random(t_man) < 0.5
        hist_day = v.start_day[manual_cust] + np.floor(
            rng.random(t_man) * v.talk_days[manual_cust]
        ).astype(np.int64)
        hist_at = utc_at(hist_day, OPEN + rng.integers(0, OPEN_SECONDS, t_man))
        recent_day = np.maximum(self.now_day - rng.integers(1, 11, t_man), v.start_day[manual_cust])
        recent_at = utc_at(recent_day, OPEN + rng.integers(0, OPEN_SECONDS, t_man))
        man_created = np.where(current, recent_at, hist_at)
        man_due_day = local_day(man_created) + rng.integers(1, 15, t_man)

        t_cust = np.concatenate([i.cust[from_int], manual_cust])
        created = np.concatenate([i.at[from_int] + 600, man_created])
        due = np.concatenate(
            [
                utc_at(i.follow_up_day[from_int], 11 * HOUR),
                utc_at(man_due_day, 11 * HOUR),
            ]
        )
        interaction = np.concatenate([i.ids[from_int], np.full(t_man, -1)])
        title_pick = rng.integers(0, len(TASK_TITLES), t_man).tolist()
        titles = [
            self.titles_from_subject[k][s]
            for k, s in zip(i.kind[from_int].tolist(), i.subject[from_int].tolist(), strict=True)
        ] + [TASK_TITLES[k] for k in title_pick]
        order = np.lexsort((created, t_cust))
        t_cust, created, due, interaction = (
            t_cust[order], created[order], due[order], interaction[order],
        )  # fmt: skip
        titles = [titles[k] for k in order.tolist()]
        t = len(t_cust)
        u = rng.random(t)
        overdue_long = due < now - 3 * DAY
        status = np.where(
            overdue_long, np.where(u < 0.9, 1, 2), np.where(u < 0.8, 0, 1)
        )  # OPEN/COMPLETED/CANCELLED
        late = rng.integers(-2 * DAY, 2 * DAY, t)
        done_at = np.where(
            overdue_long,
            np.clip(due + late, created + 600, now),
            created + np.floor(rng.random(t) * (now - created)).astype(np.int64),
        )
        completed = status == 1
        cancelled = status == 2
        updated = np.where(completed, done_at, np.where(cancelled, np.minimum(due, now), created))
        assignee = v.owner_ids[t_cust]
        creator = np.where(rng.random(t) < 0.8, assignee, ctx.staff.managers(rng, t))
        outcome = [
            (TASK_OUTCOMES[p % len(TASK_OUTCOMES)] if s == 1 else
             TASK_CANCEL_OUTCOMES[p % 3] if s == 2 else None)
            for s, p in zip(status.tolist(), rng.integers(0, 1 << 30, t).tolist(), strict=True)
        ]  # fmt: skip
        task_ids = ctx.allocator.ids("follow_up_tasks", t)
        from_interaction = interaction >= 0
        rows = list(
            zip(
                task_ids.tolist(),
                v.ids[t_cust].tolist(),
                nullable(interaction.tolist(), from_interaction),
                [None] * t,
                titles,
                pick(rng, TASK_DESCRIPTIONS, t),
                assignee.tolist(),
                creator.tolist(),
                enc.ts(due),
                [PRIORITIES[k].value for k in rng.choice(4, t, p=[0.2, 0.5, 0.25, 0.05]).tolist()],
                [_STATUSES[s] for s in status.tolist()],
                enc.ts(done_at, completed),
                nullable(assignee.tolist(), completed),
                outcome,
                [
                    TaskSource.INTERACTION.value if f else TaskSource.MANUAL.value
                    for f in from_interaction.tolist()
                ],
                enc.ts(created),
                enc.ts(updated),
                strict=True,
            )
        )
        tables.append(("follow_up_tasks", _COLUMNS, rows))
        counts["tasks"] = t
