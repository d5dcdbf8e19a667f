"""Thousands of rows inserted at once, the way each database takes them fastest.

Through SQLAlchemy, an ``executemany`` of thousands of rows spends most of its time
outside the database: it processes every value of every row in Python. Here each
column's values go through that column's own bind processing once (each distinct value
once), and the bound rows then travel as

- PostgreSQL: one JSON array of arrays (encoded in C) in one ``INSERT … SELECT`` that
  reads it with ``jsonb_array_elements``. asyncpg's arrays, one per column, cost twice
  the client CPU: asyncpg checks every element against two abstract base classes.
- SQLite: the driver's own ``executemany`` of the bound rows, which binds them in C:
  half the time of one ``INSERT … SELECT`` over ``json_each``, whose ``json_extract``
  parses each row's JSON once per column.

The values are those SQLAlchemy would have bound, so the rows stored are the same as an
ORM ``executemany``'s. Both take ``ON CONFLICT DO NOTHING`` and give back the inserted
rows' ``returning`` columns, which the import's creation needs.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from sqlalchemy import Column, Table, text
from sqlalchemy.engine import Dialect
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

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


def _columns(
    dialect: Dialect, table: Table, columns: Sequence[str], rows: Sequence[Sequence[Any]]
) -> list[Sequence[Any]]:
    """The rows as one sequence per column, each value bound the way SQLAlchemy binds it
    and then made JSON-ready."""
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
    return result


def _pick(dialect: Dialect, column: Column[Any], n: int) -> str:
    sql_type = column.type.compile(dialect=dialect)
    if sql_type.startswith(_TEXT_TYPES):
        return f"value->>{n}"
    return f"CAST(value->>{n} AS {sql_type})"


async def _insert_postgresql(
    connection: AsyncConnection,
    table: Table,
    columns: Sequence[str],
    bound: list[Sequence[Any]],
    conflicts: str,
    returning: Sequence[str],
) -> list[Any]:
    dialect = connection.dialect
    picks = ", ".join(_pick(dialect, table.c[name], n) for n, name in enumerate(columns))
    sql = (
        f"INSERT INTO {table.name} ({', '.join(columns)}) SELECT {picks} "
        f"FROM jsonb_array_elements(CAST(:rows AS jsonb)) AS source(value){conflicts}"
    )
    if returning:
        sql += f" RETURNING {', '.join(returning)}"
    result = await connection.execute(
        text(sql), {"rows": json.dumps(list(zip(*bound, strict=True)))}
    )
    return list(result.all()) if returning else []


async def _insert_sqlite(
    connection: AsyncConnection,
    table: Table,
    columns: Sequence[str],
    bound: list[Sequence[Any]],
    conflicts: str,
    returning: Sequence[str],
) -> list[Any]:
    """SQLite's ``executemany`` returns nothing, so the inserted rows are read back: a
    write transaction on SQLite holds the one write lock from its ``BEGIN IMMEDIATE``
    (app/db.py), so the rows above the largest id before the insert are this insert's (a
    new row's id is one above the largest). In a transaction that began without the lock,
    the insert fails on a concurrent write instead of claiming another's rows."""
    before = 0
    if returning:
        before = await connection.scalar(text(f"SELECT coalesce(max(id), 0) FROM {table.name}"))
    placeholders = ", ".join("?" for _ in columns)
    await connection.exec_driver_sql(
        f"INSERT INTO {table.name} ({', '.join(columns)}) VALUES ({placeholders}){conflicts}",
        list(zip(*bound, strict=True)),
    )
    if not returning:
        return []
    result = await connection.execute(
        text(f"SELECT {', '.join(returning)} FROM {table.name} WHERE id > :before ORDER BY id"),
        {"before": before},
    )
    return list(result.all())


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
    bound = _columns(connection.dialect, table, columns, rows)
    conflicts = " ON CONFLICT DO NOTHING" if skip_conflicts else ""
    insert = _insert_postgresql if connection.dialect.name == "postgresql" else _insert_sqlite
    return await insert(connection, table, columns, bound, conflicts, returning)
