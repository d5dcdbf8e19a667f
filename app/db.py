"""Engine and session factories for SQLite (embedded) and PostgreSQL (production).

SQLite needs three adjustments to behave like a real transactional database here:
WAL so readers never block the writer, foreign keys switched on, and write units of work
that take the write lock at ``BEGIN IMMEDIATE`` — otherwise a read-then-write transaction
upgrades its lock late and loses updates or fails with "database is locked". Reads keep a
deferred ``BEGIN`` so they never queue behind writers.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

from app.settings import Settings

SQLITE_BUSY_TIMEOUT_MS = 30_000


def create_engine(settings: Settings) -> AsyncEngine:
    url = make_url(settings.database_url)
    if url.get_backend_name() == "sqlite":
        if url.database and url.database != ":memory:":
            Path(url.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_async_engine(url, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000})
        _configure_sqlite(engine)
        return engine
    return create_async_engine(
        url,
        pool_size=settings.database_pool_size,
        max_overflow=settings.database_pool_size,
        pool_pre_ping=True,
        connect_args=postgresql_connect_args(settings),
    )


def postgresql_connect_args(settings: Settings) -> dict[str, Any]:
    """``statement_timeout`` on every connection: the server stops a runaway statement
    even if the request that sent it was cancelled (``CRM_REQUEST_TIMEOUT_SECONDS``)."""
    timeout_ms = round(settings.database_statement_timeout_seconds * 1000)
    if timeout_ms <= 0:
        return {}
    return {"server_settings": {"statement_timeout": str(timeout_ms)}}


def _configure_sqlite(engine: AsyncEngine) -> None:
    @event.listens_for(engine.sync_engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy, not the driver, decide when transactions begin.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine.sync_engine, "begin")
    def _on_begin(connection: Any) -> None:
        mode = connection.get_execution_options().get("sqlite_begin", "DEFERRED")
        connection.exec_driver_sql(f"BEGIN {mode}")


@dataclass(frozen=True)
class Database:
    """The engine plus two session factories: one for reads, one for units of work."""

    engine: AsyncEngine
    read_session: async_sessionmaker[AsyncSession]
    write_session: async_sessionmaker[AsyncSession]

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    async def dispose(self) -> None:
        await self.engine.dispose()


def create_database(settings: Settings) -> Database:
    engine = create_engine(settings)
    writer = engine.execution_options(sqlite_begin="IMMEDIATE")
    return Database(
        engine=engine,
        read_session=async_sessionmaker(engine, expire_on_commit=False),
        write_session=async_sessionmaker(writer, expire_on_commit=False),
    )
