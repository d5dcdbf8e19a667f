"""Thousands of rows inserted at once, the way each database takes them fastest.

Through SQLAlchemy, an ``executemany`` of thousands of rows spends most of its time
outside the database: it processes every value of every row in Python. Here each
column's values go through that column's own bind processing once (each distinct value
once), and the bound rows then travel as

- PostgreSQL: one JSON array of arrays (encoded in C) in one ``INSERT … SELECT`` that
  reads it with ``jsonb_array_elements``. asyncpg's arrays, one per column, cost twice
  the client CPU: asyncpg checks every element against two abstract base classes.
- SQLite: multi-row ``VALUES`` statements, bound in C: under half the time of one
  ``INSERT … SELECT`` over ``json_each``, whose ``json_extract`` parses each row's JSON
  once per column.

The values are those SQLAlchemy would have bound, so the rows stored are the same as an
ORM ``executemany``'s. Both take ``ON CONFLICT DO NOTHING`` and give back the inserted
rows' ``returning`` columns, which the import's creation needs.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import sqlite3
import uuid
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from sqlalchemy import Column, Table, text
from sqlalchemy.engine import Dialect
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

# SQLite's limit on parameters per statement (999 before 3.32).
_SQLITE_PARAMETERS = 32766 if sqlite3.sqlite_version_info >= (3, 32) else 999
_JSON_TYPES = frozenset({str, int, float, bool, type(None)})
# Text reaches a character column without a cast: an explicit cast to VARCHAR(n) would
# cut a value that is too long, where assigning it fails as an executemany would.
_TEXT_TYPES = ("VARCHAR", "TEXT", "CHAR")


def _json_value(value: Any) -> Any:
    """A bound value as JSON holds it: what JSON has no type for, as text the server
    parses back exactly."""
    if isinstance(value, Decimal | dt.date | dt.time | uuid.UUID):
        return str(value)
    return value


def _bound_rows(
    dialect: Dialect, table: Table, columns: Sequence[str], rows: Sequence[Sequence[Any]]
) -> list[tuple[Any, ...]]:
    """The rows with each value bound the way SQLAlchemy binds it and then made
    JSON-ready; processed column by column, so each column's processor is looked up
    once."""
    result: list[Sequence[Any]] = []
    for name, column in zip(columns, zip(*rows, strict=True), strict=True):
        process = table.c[name].type.dialect_impl(dialect).bind_processor(dialect)
        if process is None and {type(value) for value in column} <= _JSON_TYPES:
            result.append(column)  # (most text and integer columns)
            continue
        # A batch repeats its values (one timestamp, a few statuses): each distinct value
        # is processed once.
        done: dict[Any, Any] = {None: None}
        for value in column:
            if value not in done:
                done[value] = _json_value(process(value) if process else value)
        result.append([done[value] for value in column])
    return list(zip(*result, strict=True))


def _names(dialect: Dialect, names: Sequence[str]) -> str:
    """Names as the dialect quotes them where they need it ("row", "column")."""
    return ", ".join(dialect.identifier_preparer.quote(name) for name in names)


def _pick(dialect: Dialect, column: Column[Any], n: int) -> str:
    sql_type = column.type.compile(dialect=dialect)
    if sql_type.startswith(_TEXT_TYPES):
        return f"value->>{n}"
    return f"CAST(value->>{n} AS {sql_type})"


async def _insert_postgresql(
    connection: AsyncConnection,
    table: Table,
    columns: Sequence[str],
    bound: list[tuple[Any, ...]],
    conflicts: str,
    returning: Sequence[str],
) -> list[Any]:
    dialect = connection.dialect
    picks = ", ".join(_pick(dialect, table.c[name], n) for n, name in enumerate(columns))
    sql = (
        f"INSERT INTO {_names(dialect, [table.name])} ({_names(dialect, columns)}) SELECT {picks} "
        f"FROM jsonb_array_elements(CAST(:rows AS jsonb)) AS source(value){conflicts}"
    )
    if returning:
        sql += f" RETURNING {_names(dialect, returning)}"
    result = await connection.execute(text(sql), {"rows": json.dumps(bound)})
    return list(result.all()) if returning else []


def _statement_sizes(rows: int, most: int) -> list[int]:
    """Rows per statement: the largest power of two the parameter limit allows, then
    the remainder in powers of two. The driver caches a prepared statement per distinct
    text (128 per connection, a few MB each at this size); sizes that varied with every
    batch would fill that cache, a handful of fixed sizes keep it small."""
    largest = 1 << max(0, most.bit_length() - 1)
    sizes = [largest] * (rows // largest)
    remainder = rows % largest
    while remainder:
        size = 1 << (remainder.bit_length() - 1)
        sizes.append(size)
        remainder -= size
    return sizes


async def _insert_sqlite(
    connection: AsyncConnection,
    table: Table,
    columns: Sequence[str],
    bound: list[tuple[Any, ...]],
    conflicts: str,
    returning: Sequence[str],
) -> list[Any]:
    """Multi-row ``VALUES`` statements within SQLite's parameter limit, and the inserted
    rows read back as one JSON value.

    Never one statement step per row: the driver releases the GIL around every step, and
    while any other thread of this process runs Python, each step waits up to the GIL's
    switch interval (5 ms) to get it back: an ``executemany`` of 2,000 rows took 11 s
    beside a busy thread, against 46 ms for these statements. A write transaction on
    SQLite holds the one write lock from its ``BEGIN IMMEDIATE`` (app/db.py), so the rows
    above the largest id before the insert are this insert's (a new row's id is one above
    the largest); in a transaction that began without the lock, the insert fails on a
    concurrent write instead of claiming another's rows."""
    dialect = connection.dialect
    name = _names(dialect, [table.name])
    before = 0
    if returning:
        before = await connection.scalar(text(f"SELECT coalesce(max(id), 0) FROM {name}"))
    one = f"({', '.join('?' for _ in columns)})"
    start = 0
    for size in _statement_sizes(len(bound), _SQLITE_PARAMETERS // len(columns)):
        chunk = bound[start : start + size]
        start += size
        await connection.exec_driver_sql(
            f"INSERT INTO {name} ({_names(dialect, columns)}) "
            f"VALUES {', '.join([one] * len(chunk))}{conflicts}",
            tuple(itertools.chain.from_iterable(chunk)),
        )
    if not returning:
        return []
    picked = await connection.scalar(
        text(
            f"SELECT json_group_array(json_array({_names(dialect, returning)})) "
            f"FROM (SELECT * FROM {name} WHERE id > :before ORDER BY id)"
        ),
        {"before": before},
    )
    return [tuple(row) for row in json.loads(picked)]


async def insert_rows(
    session: AsyncSession,
    table: Table,
    columns: Sequence[str],
    rows: Sequence[Sequence[Any]],
    *,
    skip_conflicts: bool = False,
    returning: Sequence[str] = (),
) -> list[Any]:
    """Insert ``rows`` (tuples in ``columns`` order); the ``returning`` columns of the
    rows inserted. With ``skip_conflicts``, a row that would break a unique constraint is
    left out (and not returned)."""
    if not rows:
        return []
    connection = await session.connection()
    bound = _bound_rows(connection.dialect, table, columns, rows)
    conflicts = " ON CONFLICT DO NOTHING" if skip_conflicts else ""
    insert = _insert_postgresql if connection.dialect.name == "postgresql" else _insert_sqlite
    return await insert(connection, table, columns, bound, conflicts, returning)
