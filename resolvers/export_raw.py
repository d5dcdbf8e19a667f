"""The customer rows of an export as the database driver returns them, converted here.

Reading 100,000 customers through SQLAlchemy rows cost twice the CPU of the driver's own
tuples: a ``Row`` per customer and a result processor per cell (on SQLite a regular-
expression date parser and a text round trip per amount). The rows also stay tracked by
the garbage collector, so a large export triggered several full collections of the whole
process. The export reads the driver's tuples instead and converts only the two column
types whose storage differs from their Python value:

* ``Money`` — SQLite stores integer cents; PostgreSQL returns ``Decimal`` as stored;
* ``UTCDateTime`` — SQLite stores naive UTC ISO text; PostgreSQL returns aware datetimes.

Enums are stored as their names, which are their values; text and integers need nothing.
A test reads the same customers both ways and compares (``test_customer_export``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

MONEY = frozenset({"credit_limit", "credit_outstanding"})
TIMESTAMPS = frozenset({"created_at", "updated_at"})


def _cents(values: Sequence[int | None]) -> list[Decimal | None]:
    # scaleb keeps the exponent: 15000000 → Decimal("150000.00"), as Money gives.
    return [None if v is None else Decimal(v).scaleb(-2) for v in values]


def _utc_text(values: Sequence[str | None]) -> list[dt.datetime | None]:
    parse, utc = dt.datetime.fromisoformat, dt.UTC
    return [None if v is None else parse(v).replace(tzinfo=utc) for v in values]


def _as_utc(values: Sequence[dt.datetime | None]) -> list[dt.datetime | None]:
    return [None if v is None else v.astimezone(dt.UTC) for v in values]


def _converter(name: str, dialect: str) -> Callable[[Sequence[Any]], Sequence[Any]] | None:
    if name in MONEY:
        return _cents if dialect == "sqlite" else None
    if name in TIMESTAMPS:
        return _utc_text if dialect == "sqlite" else _as_utc
    return None


async def fetch_columns(session: AsyncSession, statement: Any) -> dict[str, Sequence[Any]]:
    """The statement's result column by column (empty when it found no rows)."""
    dialect = (await session.connection()).dialect.name
    result = await session.execute(statement)
    names = list(result.keys())
    rows = result.cursor.fetchall()  # the driver's rows, buffered by the async adapter
    result.close()
    if not rows:
        return {}
    columns: dict[str, Sequence[Any]] = {}
    for name, values in zip(names, zip(*rows, strict=True), strict=True):
        convert = _converter(name, dialect)
        columns[name] = values if convert is None else convert(values)
    return columns
