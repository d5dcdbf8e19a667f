"""The few statements whose spelling differs between SQLite and PostgreSQL."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, literal_column
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession


def insert_or_ignore(session: AsyncSession, model: Any) -> Any:
    """``INSERT … ON CONFLICT DO NOTHING``: idempotence by constraint, not by a prior check."""
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    return insert(model).on_conflict_do_nothing()


def dialect_insert(session: AsyncSession, model: Any) -> Any:
    """The dialect's own ``INSERT`` construct, which knows ``ON CONFLICT … DO UPDATE``."""
    dialect = session.get_bind().dialect.name
    return (postgresql.insert if dialect == "postgresql" else sqlite.insert)(model)


def json_object(session: AsyncSession, pairs: dict[str, Any]) -> Any:
    """A JSON object built in SQL: ``json_build_object`` on PostgreSQL, ``json_object`` on
    SQLite (both take alternating keys and values)."""
    dialect = session.get_bind().dialect.name
    build = func.json_build_object if dialect == "postgresql" else func.json_object
    arguments: list[Any] = []
    for key, value in pairs.items():
        arguments += [literal_column(f"'{key}'"), value]  # keys are constants of ours
    return build(*arguments)
