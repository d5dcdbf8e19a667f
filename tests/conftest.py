"""Fixtures: every API test runs against SQLite and against PostgreSQL.

Under ``CI=true`` PostgreSQL is required and an unreachable server fails the run;
elsewhere the PostgreSQL half is skipped with a message saying how to start it.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import httpx
import pytest
import pytest_asyncio
from asgi_lifespan import LifespanManager
from starlette.applications import Starlette

from app.db import Database, create_engine
from app.main import create_app
from app.migrate import upgrade_to_head
from models import Product, User
from models.enums import Role
from resolvers.actor import Actor
from resolvers.passwords import hash_password_sync
from tests.support import (
    POSTGRES_ADMIN_URL,
    TEST_PASSWORD,
    GraphQLClient,
    StatementCounter,
    postgres_reachable,
    postgres_required,
    settings_for,
    temporary_database,
    wipe,
)

START_POSTGRES = "pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start"


@pytest_asyncio.fixture(scope="session", params=["sqlite", "postgresql"])
async def database_url(request: pytest.FixtureRequest, tmp_path_factory: Any) -> AsyncIterator[str]:
    backend = request.param
    if backend == "postgresql" and not await postgres_reachable():
        message = (
            f"PostgreSQL is not reachable at {POSTGRES_ADMIN_URL}; start it with: {START_POSTGRES}"
        )
        if postgres_required():
            pytest.fail(f"CI=true requires PostgreSQL. {message}")
        pytest.skip(message)
    async with temporary_database(backend, tmp_path_factory.mktemp(backend)) as url:
        engine = create_engine(settings_for(url, tmp_path_factory.getbasetemp()))
        try:
            await upgrade_to_head(engine)
        finally:
            await engine.dispose()
        yield url


@pytest_asyncio.fixture(scope="session")
async def app(database_url: str, tmp_path_factory: Any) -> AsyncIterator[Starlette]:
    # No job workers or scheduler here: tests drive background work explicitly, and a
    # worker in this process would race the live servers of tests/platform for their jobs.
    application = create_app(
        settings_for(database_url, tmp_path_factory.mktemp("data")), background=False
    )
    async with LifespanManager(application):
        yield application


@pytest.fixture(scope="session")
def password_hash() -> str:
    return hash_password_sync(TEST_PASSWORD)


@dataclass
class Api:
    """The running app, a GraphQL client, and quick ways to make users and records."""

    app: Starlette
    client: GraphQLClient
    password_hash: str

    @property
    def db(self) -> Database:
        return self.app.state.db

    @property
    def dialect(self) -> str:
        return self.db.dialect

    def token_for(self, user_id: int) -> str:
        return self.app.state.tokens.issue(user_id)[0]

    async def make_user(
        self, role: Role = Role.SALES, *, email: str | None = None, name: str | None = None
    ) -> Actor:
        async with self.db.write_session() as session:
            count = len((await session.execute(User.__table__.select())).all())
            user = User(
                email=email or f"{role.value.lower()}{count}@sanvi.test",
                name=name or f"{role.value.title()} User {count}",
                role=role,
                password_hash=self.password_hash,
                active=True,
            )
            session.add(user)
            await session.commit()
            return Actor(id=user.id, role=user.role, name=user.name, email=user.email)

    async def client_for(self, role: Role = Role.SALES) -> tuple[GraphQLClient, Actor]:
        actor = await self.make_user(role)
        return self.client.as_user(self.token_for(actor.id)), actor

    async def make_product(
        self, *, sku: str, price: str, category: str = "Lathes", active: bool = True
    ) -> int:
        async with self.db.write_session() as session:
            product = Product(
                sku=sku,
                name=f"Product {sku}",
                category=category,
                list_price=Decimal(price),
                active=active,
            )
            session.add(product)
            await session.commit()
            return product.id

    async def run_jobs(self, *kinds: str) -> list[int]:
        """Run the queued jobs (of these kinds, or all) now, as a worker would."""
        return await self.app.state.platform.runner.run_queued(kinds=list(kinds) or None)

    def count_statements(self) -> Any:
        return StatementCounter().watching(self.db.engine)


@pytest_asyncio.fixture
async def api(app: Starlette, password_hash: str) -> AsyncIterator[Api]:
    await wipe(app.state.db.engine)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
        yield Api(app=app, client=GraphQLClient(http=http), password_hash=password_hash)
