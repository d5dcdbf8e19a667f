"""Rows inserted in bulk are stored exactly as an executemany stores them."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import insert, text

from models import Customer
from models.enums import BusinessType, CustomerStatus
from resolvers.bulk_insert import _statement_sizes, insert_rows

CUSTOMER_COLUMNS = (
    "code",
    "name",
    "business_type",
    "status",
    "country",
    "credit_limit",
    "credit_outstanding",
    "search_text",
    "version",
    "created_at",
    "updated_at",
)
RAW = text(
    "SELECT code, name, business_type, status, country, credit_limit, credit_outstanding, "
    "search_text, version, created_at, updated_at FROM customers "
    "WHERE code LIKE :prefix ORDER BY code"
)


def _customer(prefix: str, n: int) -> tuple:
    at = dt.datetime(
        2026, 3, 4, 5, 6, 7, 891011, tzinfo=dt.timezone(dt.timedelta(hours=5, minutes=30))
    )
    limit = [Decimal("1234567.895"), None, Decimal("0")][n % 3]
    return (
        f"{prefix}{n}",
        f"Näme {n} \"quoted\" 'x'",
        BusinessType.ENTERPRISE,
        CustomerStatus.ACTIVE,
        "IN",
        limit,
        Decimal("0.00"),
        f"näme {n}",
        1,
        at,
        at,
    )


async def test_bulk_inserted_rows_read_back_as_executemany_rows_do(api):
    rows = [_customer("BULK-A-", n) for n in range(3)]
    twins = [_customer("BULK-B-", n) for n in range(3)]
    async with api.db.write_session() as session:
        returned = await insert_rows(
            session, Customer.__table__, CUSTOMER_COLUMNS, rows, returning=("code",)
        )
        await session.execute(
            insert(Customer.__table__), [dict(zip(CUSTOMER_COLUMNS, r, strict=True)) for r in twins]
        )
        await session.commit()
    async with api.db.read_session() as session:
        bulk = (await session.execute(RAW, {"prefix": "BULK-A-%"})).all()
        plain = (await session.execute(RAW, {"prefix": "BULK-B-%"})).all()
    # then the driver hands back the same stored values (enums, money, timestamps), codes aside
    assert [r[1:] for r in bulk] == [r[1:] for r in plain]
    assert [r[0] for r in returned] == ["BULK-A-0", "BULK-A-1", "BULK-A-2"]
    assert bulk[0][5] == plain[0][5]  # money rounded half-up by the column type, both ways


async def test_conflicting_rows_are_skipped_and_not_returned(api):
    async with api.db.write_session() as session:
        first = await insert_rows(
            session,
            Customer.__table__,
            CUSTOMER_COLUMNS,
            [_customer("BULK-C-", 0)],
            returning=("code",),
        )
        again = await insert_rows(
            session,
            Customer.__table__,
            CUSTOMER_COLUMNS,
            [_customer("BULK-C-", 0), _customer("BULK-C-", 1)],
            skip_conflicts=True,
            returning=("code",),
        )
        await session.commit()
    assert [r[0] for r in first] == ["BULK-C-0"]
    assert [r[0] for r in again] == ["BULK-C-1"]


def test_sqlite_statements_come_in_a_few_fixed_sizes_within_the_parameter_limit():
    for rows, most in [(2000, 1560), (1, 1560), (5000, 16383), (7, 3), (999, 999)]:
        sizes = _statement_sizes(rows, most)
        assert sum(sizes) == rows
        assert all(size <= most and size & (size - 1) == 0 for size in sizes)
    # then however a batch's rows vary, the texts the driver caches stay a handful
    assert len({size for rows in range(1, 3000) for size in _statement_sizes(rows, 1560)}) == 11
