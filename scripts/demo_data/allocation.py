"""Primary keys and document numbers are assigned here, not by the database.

With ids known up front, children reference their parents without ``RETURNING`` and every
table's ids within a chunk are contiguous. Both continue from what the database already
holds, and PostgreSQL's sequences are moved past them when seeding finishes.
"""

from __future__ import annotations

import numpy as np
from sqlalchemy import func, select

from app.db import Database
from models import (
    Counter,
    CreditLimitHistory,
    Customer,
    CustomerInteraction,
    FollowUpTask,
    Order,
    OrderLine,
    OrderStatusChange,
    Payment,
    Product,
    Quotation,
    QuotationLine,
    QuotationStatusChange,
    User,
)
from resolvers.numbering import CUSTOMER, ORDER, QUOTATION

ID_TABLES = (
    User, Product, Customer, CreditLimitHistory, Quotation, QuotationLine,
    QuotationStatusChange, Order, OrderLine, OrderStatusChange, Payment, CustomerInteraction,
    FollowUpTask,
)  # fmt: skip


async def read_bases(db: Database) -> tuple[dict[str, int], dict[str, int]]:
    """First free id per table, and the current document counters (0 when never used)."""
    async with db.read_session() as session:
        bases = {}
        for model in ID_TABLES:
            top = (await session.execute(select(func.max(model.id)))).scalar()
            bases[model.__tablename__] = (top or 0) + 1
        rows = (await session.execute(select(Counter.key, Counter.value))).all()
    values = {key: value for key, value in rows}
    counters = {key: values.get(key, 0) for key in (CUSTOMER, QUOTATION, ORDER)}
    return bases, counters


class Allocator:
    """Hands out consecutive ids per table and numbers per document counter, in order."""

    def __init__(self, bases: dict[str, int], counters: dict[str, int]) -> None:
        self.next_id = dict(bases)
        self.last_number = dict(counters)

    def ids(self, table: str, count: int) -> np.ndarray:
        first = self.next_id[table]
        self.next_id[table] = first + count
        return np.arange(first, first + count, dtype=np.int64)

    def numbers(self, counter: str, count: int) -> np.ndarray:
        first = self.last_number[counter] + 1
        self.last_number[counter] += count
        return first + np.arange(count)
