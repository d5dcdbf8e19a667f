"""Deterministic demo data at reference scale: 100,000 customers in a few minutes.

``seed_demo(db, customers=100_000)`` fills a freshly migrated, empty database with users of
every role, a machinery catalogue, customers across Indian states and three years of
quotations, orders, payments, interactions, follow-up tasks and credit history. The same
``seed`` and ``now`` always give the same rows (``now`` defaults to a fixed date, not the
wall clock), so benchmarks and screenshots are reproducible. Only the password hash
differs between runs: Argon2 salts it at random.

This module is the entry point the CLI and the benchmark use; the work is done by
``scripts.demo_data``:

* ``plan`` decides every customer once, as numpy arrays; ``generator`` turns a run of
  customers (a chunk) into rows, fully vectorised, with ``quotations``, ``orders``,
  ``payments``, ``interactions``, ``tasks``, ``customers`` and ``credit``.
* ``allocation`` assigns ids and document numbers here, so children reference parents
  without ``RETURNING``; ``encoders`` put values in the form each database stores.
* ``pipeline`` generates the next chunk in a worker thread while ``writers`` insert the
  previous one (``executemany`` on SQLite, binary ``COPY`` on PostgreSQL), one transaction
  per chunk, so memory stays flat; ``finish`` moves sequences and counters on and runs
  ``ANALYZE``.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import insert, select

from app.db import Database
from models import Customer, Product, User
from resolvers.numbering import CUSTOMER, ORDER, QUOTATION
from scripts.demo_data.allocation import read_bases
from scripts.demo_data.catalogue import Catalogue, make_products
from scripts.demo_data.encoders import PostgresEncoder, SQLiteEncoder
from scripts.demo_data.finish import advance_counters, finish
from scripts.demo_data.generator import ChunkGenerator
from scripts.demo_data.pipeline import COUNTED, run_pipeline
from scripts.demo_data.plan import CustomerPlan
from scripts.demo_data.staff import Staff, make_users, sales_team_size
from scripts.demo_data.writers import writers_for

__all__ = [
    "DEFAULT_NOW",
    "DEMO_ADMIN_EMAIL",
    "DEMO_PASSWORD",
    "SeedStats",
    "database_is_empty",
    "seed_demo",
]

DEMO_PASSWORD = "demo-password"
DEMO_ADMIN_EMAIL = "admin@sanvi.example"
DEFAULT_NOW = dt.datetime(2026, 11, 1, tzinfo=dt.UTC)


@dataclass
class SeedStats:
    users: int
    products: int
    customers: int
    quotations: int
    orders: int
    payments: int
    interactions: int
    tasks: int
    seconds: float


async def database_is_empty(db: Database) -> bool:
    """True when there are no customers and no users."""
    async with db.read_session() as session:
        has_customers = (await session.execute(select(Customer.id).limit(1))).first()
        has_users = (await session.execute(select(User.id).limit(1))).first()
    return has_customers is None and has_users is None


async def seed_demo(
    db: Database,
    *,
    customers: int = 2000,
    seed: int = 42,
    now: dt.datetime | None = None,
    progress: Callable[[str], None] | None = None,
) -> SeedStats:
    """Fill an empty, migrated database with reproducible demo data; see the module doc."""
    started = time.perf_counter()
    if customers < 0:
        raise ValueError("customers must not be negative")
    now = DEFAULT_NOW if now is None else now
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    now_ts = int(now.timestamp())
    say = progress or (lambda _message: None)

    if not await database_is_empty(db):
        raise RuntimeError(
            "refusing to seed demo data: the database already has users or customers"
        )
    bases, counters = await read_bases(db)

    n_sales = sales_team_size(customers)
    users = make_users(
        seed=seed,
        n_sales=n_sales,
        now_ts=now_ts,
        first_id=bases["users"],
        admin_email=DEMO_ADMIN_EMAIL,
        password=DEMO_PASSWORD,
    )
    products = make_products(now_ts, bases["products"])
    catalogue = Catalogue(products)
    async with db.write_session() as session, session.begin():
        taken = (
            await session.execute(select(Product.sku).where(Product.sku.in_(catalogue.skus)))
        ).scalars()
        if clash := sorted(taken):
            raise RuntimeError(f"refusing to seed demo data: products {clash} already exist")
        await session.execute(insert(User), users)
        await session.execute(insert(Product), products)
    say(f"users: {len(users)}, products: {len(products)}")

    written = dict.fromkeys(COUNTED, 0)
    if customers:
        generator = ChunkGenerator(
            plan=CustomerPlan(customers, seed, now_ts, n_sales),
            seed=seed,
            now_ts=now_ts,
            catalogue=catalogue,
            staff=Staff.from_users(users),
            bases=bases,
            counters=counters,
            encoder=SQLiteEncoder() if db.dialect == "sqlite" else PostgresEncoder(),
        )
        written = await run_pipeline(generator, writers_for(db), say)
        last_number = generator.allocator.last_number
        await advance_counters(
            db,
            {
                CUSTOMER: counters[CUSTOMER] + customers,
                QUOTATION: last_number[QUOTATION],
                ORDER: last_number[ORDER],
            },
        )
    await finish(db, say)
    stats = SeedStats(
        users=len(users),
        products=len(products),
        **written,
        seconds=round(time.perf_counter() - started, 3),
    )
    say(f"done in {stats.seconds:.1f} s")
    return stats
