"""Shared test helpers: databases per backend, a GraphQL client, users and statement counts."""

from __future__ import annotations

import contextlib
import os
import uuid
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import asyncpg
import httpx
from sqlalchemy import event, text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine

from app.settings import Settings
from models import Base
from models.enums import Role

POSTGRES_ADMIN_URL = os.environ.get(
    "CRM_TEST_POSTGRES_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432/postgres"
)
TEST_PASSWORD = "correct horse battery"


def postgres_required() -> bool:
    return os.environ.get("CI", "").lower() == "true"


async def postgres_reachable() -> bool:
    url = make_url(POSTGRES_ADMIN_URL)
    try:
        conn = await asyncpg.connect(
            host=url.host, port=url.port, user=url.username, database=url.database, timeout=3
        )
    except (OSError, asyncpg.PostgresError, TimeoutError):
        return False
    await conn.close()
    return True


@contextlib.asynccontextmanager
async def temporary_database(backend: str, tmp_dir: Path) -> AsyncIterator[str]:
    """A fresh, empty database URL for one backend, dropped afterwards."""
    if backend == "sqlite":
        yield f"sqlite+aiosqlite:///{tmp_dir / f'crm-{uuid.uuid4().hex[:8]}.sqlite3'}"
        return
    admin = make_url(POSTGRES_ADMIN_URL)
    name = f"crm_test_{uuid.uuid4().hex[:12]}"
    conn = await asyncpg.connect(
        host=admin.host, port=admin.port, user=admin.username, database=admin.database
    )
    try:
        await conn.execute(f'CREATE DATABASE "{name}"')
    finally:
        await conn.close()
    try:
        yield admin.set(database=name).render_as_string(hide_password=False)
    finally:
        conn = await asyncpg.connect(
            host=admin.host, port=admin.port, user=admin.username, database=admin.database
        )
        try:
            await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        finally:
            await conn.close()


def settings_for(database_url: str, data_dir: Path, **overrides: Any) -> Settings:
    """Test settings. Exports answer at once unless a test asks them to wait: the in-process
    app runs no job worker that could finish one in the meantime. Rate limits are off (the
    whole suite is one client address, and user ids repeat after each wipe); their own
    tests switch them on."""
    values: dict[str, Any] = {
        "login_max_delay_seconds": 0.2,
        "export_wait_seconds": 0,
        "rate_limit_user_per_minute": 0,
        "rate_limit_address_per_minute": 0,
    }
    return Settings(
        _env_file=None,
        environment="test",
        database_url=database_url,
        secret_key="test-secret-key-that-is-long-enough-for-hs256",
        data_dir=data_dir,
        **(values | overrides),
    )


async def wipe(engine: AsyncEngine) -> None:
    """Empty every table (keeping the migration version) between tests."""
    tables = [t.name for t in reversed(Base.metadata.sorted_tables)]
    async with engine.begin() as conn:
        if engine.dialect.name == "postgresql":
            quoted = ", ".join(f'"{t}"' for t in tables)
            await conn.execute(text(f"TRUNCATE {quoted} RESTART IDENTITY CASCADE"))
        else:
            for table in tables:
                await conn.execute(text(f'DELETE FROM "{table}"'))


@dataclass
class StatementCounter:
    """Counts SQL statements sent to the database (not transaction control)."""

    statements: list[str] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.statements)

    @contextlib.contextmanager
    def watching(self, engine: AsyncEngine) -> Iterator[StatementCounter]:
        def before(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
            first = statement.lstrip().split(None, 1)[0].upper() if statement.strip() else ""
            if first not in {"BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE"}:
                self.statements.append(statement)

        event.listen(engine.sync_engine, "before_cursor_execute", before)
        try:
            yield self
        finally:
            event.remove(engine.sync_engine, "before_cursor_execute", before)


@dataclass
class GraphQLClient:
    http: httpx.AsyncClient
    token: str | None = None

    async def post(
        self, query: str, variables: dict[str, Any] | None = None, *, token: str | None = None
    ) -> dict[str, Any]:
        headers = {}
        bearer = token if token is not None else self.token
        if bearer:
            headers["Authorization"] = f"Bearer {bearer}"
        response = await self.http.post(
            "/graphql", json={"query": query, "variables": variables or {}}, headers=headers
        )
        assert response.status_code in (200, 400), response.text
        return response.json()

    async def data(
        self, query: str, variables: dict[str, Any] | None = None, *, token: str | None = None
    ) -> dict[str, Any]:
        """The ``data`` of a request that must succeed without top-level errors."""
        body = await self.post(query, variables, token=token)
        assert not body.get("errors"), body["errors"]
        return body["data"]

    def as_user(self, token: str) -> GraphQLClient:
        return GraphQLClient(http=self.http, token=token)


def error_codes(body: dict[str, Any]) -> list[str]:
    return [e.get("extensions", {}).get("code") for e in body.get("errors") or []]


ALL_ROLES = list(Role)
