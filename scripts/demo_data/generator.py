"""Turns the plan into rows, one chunk of customers at a time.

Each chunk draws from its own random stream (seed, chunk index), so its rows depend only on
the plan and the chunks before it (for ids and numbers), never on timing: chunks are
generated strictly in order by a single producer.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from resolvers.numbering import CUSTOMER
from scripts.demo_data.allocation import Allocator
from scripts.demo_data.catalogue import Catalogue
from scripts.demo_data.context import ChunkContext, Table
from scripts.demo_data.credit import add_credit_history
from scripts.demo_data.customers import add_customers
from scripts.demo_data.encoders import Encoder
from scripts.demo_data.interactions import Interactions
from scripts.demo_data.orders import add_orders
from scripts.demo_data.plan import ChunkView, CustomerPlan
from scripts.demo_data.quotations import add_quotations
from scripts.demo_data.staff import Staff
from scripts.demo_data.tasks import FollowUpTasks


@dataclass
class Chunk:
    tables: list[Table]  # in insertion order
    counts: dict[str, int]  # rows per SeedStats field


class ChunkGenerator:
    """Turns the plan into rows, one chunk of customers at a time, strictly in order."""

    def __init__(
        self,
        *,
        plan: CustomerPlan,
        seed: int,
        now_ts: int,
        catalogue: Catalogue,
        staff: Staff,
        bases: dict[str, int],
        counters: dict[str, int],
        encoder: Encoder,
    ) -> None:
        self.plan = plan
        self.seed = seed
        self.staff = staff
        self.first_customer_id = bases["customers"]
        self.first_customer_number = counters[CUSTOMER] + 1
        self.allocator = Allocator(bases, counters)
        self.ctx = ChunkContext(
            seed=seed,
            now_ts=now_ts,
            catalogue=catalogue,
            staff=staff,
            encoder=encoder,
            allocator=self.allocator,
        )
        self.interactions = Interactions(self.ctx)
        self.tasks = FollowUpTasks(self.ctx, self.interactions.subjects)

    def chunk(self, index: int) -> Chunk:
        lo, hi = self.plan.bounds[index]
        rng = np.random.default_rng([self.seed % 2**64, 2, index])
        view = ChunkView(
            self.plan,
            lo,
            hi,
            sales_ids=self.staff.sales_ids,
            first_id=self.first_customer_id,
            first_number=self.first_customer_number,
        )
        tables: list[Table] = []
        counts: dict[str, int] = {}
        quotes = add_quotations(self.ctx, rng, view, tables, counts)
        outstanding = add_orders(self.ctx, rng, view, quotes, tables, counts)
        interactions = self.interactions.add(rng, view, tables, counts)
        self.tasks.add(rng, view, interactions, tables, counts)
        # Customers are generated last (they carry their outstanding) but inserted first.
        parents: list[Table] = []
        limits = add_customers(self.ctx, rng, view, outstanding, parents, counts)
        add_credit_history(self.ctx, rng, view, limits, parents)
        return Chunk(tables=parents + tables, counts=counts)
