"""Ending someone's access closes their open subscriptions at once, through a real server.

The server re-checks subscriptions only once a minute here, so a connection that closes
within seconds was closed by the announcement of the change, not by the periodic re-check.
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Iterator

import httpx
import pytest
import pytest_asyncio

from app.auth import TokenService
from app.db import Database, create_database
from models import User
from models.enums import Role
from resolvers.actor import Actor
from resolvers.jobs import enqueue_job
from resolvers.passwords import hash_password_sync
from tests.contract_checks.operations import operation
from tests.platform import jobs_for_tests  # noqa: F401  (registers the test job kinds)
from tests.platform.live import SECRET, LiveServer, live_server, next_message, subscription
from tests.support import settings_for

pytestmark = pytest.mark.slow
CLOSED_WITHIN = 5.0  # seconds; the periodic re-check would take 60


@pytest.fixture(scope="module")
def server(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    with live_server(
        database_url,
        tmp_path_factory.mktemp("access"),
        scheduler_enabled="false",
        job_workers="0",
        subscription_recheck_seconds="60",
    ) as running:
        yield running


@pytest_asyncio.fixture
async def db(database_url: str, tmp_path) -> AsyncIterator[Database]:
    database = create_database(settings_for(database_url, tmp_path))
    try:
        yield database
    finally:
        await database.dispose()


async def make_user(db: Database, role: Role) -> tuple[Actor, str]:
    async with db.write_session() as session:
        user = User(
            email=f"{role.value.lower()}-{time.monotonic_ns()}@sanvi.test",
            name=f"{role.value.title()} Tester",
            role=role,
            password_hash=hash_password_sync("irrelevant-password"),
            active=True,
        )
        session.add(user)
        await session.commit()
    actor = Actor(id=user.id, role=role, name=user.name, email=user.email)
    return actor, TokenService(SECRET, 3600).issue(user.id)[0]


async def queued_job(db: Database, actor: Actor) -> str:
    async with db.write_session() as session:
        job = await enqueue_job(session, kind="test-hang", actor=actor, options={})
        await session.commit()
        return str(job.id)


async def call(server: LiveServer, token: str, query: str, variables: dict) -> dict:
    async with httpx.AsyncClient(base_url=server.base_url) as client:
        response = await client.post(
            "/graphql",
            json={"query": query, "variables": variables},
            headers={"Authorization": f"Bearer {token}"},
        )
    body = response.json()
    assert not body.get("errors"), body
    return body["data"]


async def closing_message(messages) -> dict:
    """The first message that ends the subscription, within ``CLOSED_WITHIN`` seconds."""
    started = time.monotonic()
    while True:
        left = CLOSED_WITHIN - (time.monotonic() - started)
        message = await next_message(messages, within=max(left, 0.01))
        if message["type"] in ("closed", "complete", "error"):
            return message


async def test_deactivating_a_user_closes_their_open_subscription_at_once(server, db):
    # given a manager watching a job
    _, admin_token = await make_user(db, Role.ADMIN)
    manager, manager_token = await make_user(db, Role.MANAGER)
    job_id = await queued_job(db, manager)
    async with subscription(server, manager_token, operation("JobProgress"), {"id": job_id}) as m:
        assert (await next_message(m))["type"] == "next"
        # when an admin deactivates the manager
        data = await call(
            server,
            admin_token,
            "mutation($id: ID!) { updateUser(input: { id: $id, active: false }) "
            "{ user { active } errors { code } } }",
            {"id": str(manager.id)},
        )
        assert data["updateUser"] == {"user": {"active": False}, "errors": []}
        # then the connection is closed as a refused sign-in would be
        assert await closing_message(m) == {"type": "closed", "code": 4403}


async def test_revoking_an_api_key_closes_subscriptions_made_with_it_at_once(server, db):
    # given an admin's key watching the admin's job
    admin, admin_token = await make_user(db, Role.ADMIN)
    created = await call(
        server,
        admin_token,
        'mutation { createApiKey(input: { name: "Watcher", role: MANAGER }) '
        "{ apiKey { id } secret } }",
        {},
    )
    key = created["createApiKey"]
    job_id = await queued_job(db, admin)
    async with subscription(server, key["secret"], operation("JobProgress"), {"id": job_id}) as m:
        assert (await next_message(m))["type"] == "next"
        # when the key is revoked
        await call(
            server,
            admin_token,
            "mutation($id: ID!) { revokeApiKey(id: $id) { apiKey { revokedAt } } }",
            {"id": key["apiKey"]["id"]},
        )
        # then its connection closes
        assert await closing_message(m) == {"type": "closed", "code": 4403}


async def test_another_users_deactivation_leaves_a_subscription_open(server, db):
    _, admin_token = await make_user(db, Role.ADMIN)
    manager, manager_token = await make_user(db, Role.MANAGER)
    bystander, _ = await make_user(db, Role.SALES)
    job_id = await queued_job(db, manager)
    async with subscription(server, manager_token, operation("JobProgress"), {"id": job_id}) as m:
        assert (await next_message(m))["type"] == "next"
        await call(
            server,
            admin_token,
            "mutation($id: ID!) { updateUser(input: { id: $id, active: false }) { user { id } } }",
            {"id": str(bystander.id)},
        )
        with pytest.raises(TimeoutError):
            await next_message(m, within=2)
