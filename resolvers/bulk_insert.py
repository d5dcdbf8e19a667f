"""Many rows in one ``INSERT`` with one parameter per column (PostgreSQL) or per batch (SQLite).

An ``executemany`` of thousands of rows spends most of its time outside the database:
SQLAlchemy processes every value of every row, and the driver binds them one row at a
time. Here each column's values go through that column's own bind processing once, in
Python, and travel as

- PostgreSQL: one array per column, ``unnest``-ed by the server;
- SQLite: one JSON array of rows, read with ``json_each`` (the values already in the
  form the driver would have stored, so the rows are the same as an ``executemany``'s).

``INSERT … SELECT`` also takes ``ON CONFLICT DO NOTHING`` and ``RETURNING``, which the
import's creation needs.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Table, TextClause, text
from sqlalchemy.engine import Dialect
from sqlalchemy.ext.asyncio import AsyncSession


def _columns(
    dialect: Dialect, table: Table, columns: Sequence[str], rows: Sequence[Sequence[Any]]
) -> list[list[Any]]:
    """The rows as one list per column, each value bound the way SQLAlchemy binds it."""
    result = []
    for n, name in enumerate(columns):
        process = table.c[name].type.dialect_impl(dialect).bind_processor(dialect)
        column = [row[n] for row in rows]
        if process is not None:
            # A batch repeats its values (one timestamp, a few statuses): each distinct
            # value is processed once.
            done: dict[Any, Any] = {None: None}
            column = [
                done[value] if value in done else done.setdefault(value, process(value))
                for value in column
            ]
        result.append(column)
    return result


def bulk_insert(
    dialect: Dialect,
    table: Table,
    columns: Sequence[str],
    rows: Sequence[Sequence[Any]],
    *,
    skip_conflicts: bool = False,
    returning: Sequence[str] = (),
) -> tuple[TextClause, dict[str, Any]]:
    """The statement and its parameters inserting ``rows`` (tuples in ``columns`` order)."""
    values = _columns(dialect, table, columns, rows)
    target = f"INSERT INTO {table.name} ({', '.join(columns)}) "
    if dialect.name == "postgresql":
        arrays = ", ".join(
            f"CAST(:c{n} AS {table.c[name].type.compile(dialect=dialect)}[])"
            for n, name in enumerate(columns)
        )
        sql = f"{target}SELECT * FROM unnest({arrays})"
        params = {f"c{n}": column for n, column in enumerate(values)}
    else:
        picks = ", ".join(f"json_extract(value, '$[{n}]')" for n in range(len(columns)))
        # "WHERE true" keeps SQLite from reading ON CONFLICT as part of the SELECT.
        sql = f"{target}SELECT {picks} FROM json_each(:rows) WHERE true"
        params = {"rows": json.dumps([list(row) for row in zip(*values, strict=True)])}
    if skip_conflicts:
        sql += " ON CONFLICT DO NOTHING"
    if returning:
        sql += f" RETURNING {', '.join(returning)}"
    return text(sql), params


async def insert_rows(
    session: AsyncSession,
    table: Table,
    columns: Sequence[str],
    rows: Sequence[Sequence[Any]],
    *,
    skip_conflicts: bool = False,
    returning: Sequence[str] = (),
) -> list[Any]:
    """Insert ``rows`` in one statement; the ``returning`` columns of the inserted rows."""
    if not rows:
        return []
    statement, params = bulk_insert(
        session.get_bind().dialect,
        table,
        columns,
        rows,
        skip_conflicts=skip_conflicts,
        returning=returning,
    )
    result = await session.execute(statement, params)
    return list(result.all()) if returning else []
