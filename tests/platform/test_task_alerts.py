"""``taskAlerts`` through a real Uvicorn process and a graphql-transport-ws client: a rep
hears of tasks assigned to them and of their tasks becoming overdue, and nothing else."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import pytest_asyncio

from app.auth import TokenService
from app.domain_config import domain_config
from app.platform import Platform, create_platform
from models import Customer, FollowUpTask, User
from models.enums import BusinessType, CustomerStatus, Priority, Role, TaskSource, TaskStatus
from resolvers import task_sweeps
from resolvers.passwords import hash_password_sync
from tests.contract_checks.operations import operation
from tests.platform.live import SECRET, LiveServer, live_server, next_message, subscription
from tests.support import settings_for, wipe

pytestmark = pytest.mark.slow

TASK_ALERTS = """subscription { taskAlerts { kind occurredAt
    task { id title isOverdue assignee { id } } } }"""
CREATE_TASK = operation("CreateFollowUpTask")
SUBSCRIBED = 0.5  # graphql-transport-ws does not acknowledge a subscription


@pytest.fixture(scope="module")
def server(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    # No scheduler in the server: the tests run the sweeps themselves, and a server sweep
    # would race each test's wipe of the shared database (a deadlock with TRUNCATE).
    with live_server(
        database_url,
        tmp_path_factory.mktemp("tasks-live"),
        job_workers="0",
        scheduler_enabled="false",
    ) as s:
        yield s


@pytest_asyncio.fixture
async def platform(database_url: str, tmp_path: Path) -> AsyncIterator[Platform]:
    """This test process's own platform: another server process, as far as SQL sees."""
    instance = create_platform(settings_for(database_url, tmp_path))
    await wipe(instance.db.engine)
    try:
        yield instance
    finally:
        await instance.db.dispose()


async def make_user(platform: Platform, role: Role, name: str) -> tuple[int, str]:
    async with platform.db.write_session() as session:
        user = User(
            email=f"{name.lower().replace(' ', '.')}@sanvi.test",
            name=name,
            role=role,
            password_hash=hash_password_sync("irrelevant-password"),
            active=True,
        )
        session.add(user)
        await session.commit()
    return user.id, TokenService(SECRET, 3600).issue(user.id)[0]


async def make_customer(platform: Platform, owner_id: int) -> int:
    async with platform.db.write_session() as session:
        customer = Customer(
            code="ALERT-1",
            name="Alert Customer",
            business_type=BusinessType.ENTERPRISE,
            status=CustomerStatus.ACTIVE,
            owner_id=owner_id,
            search_text="alert customer",
        )
        session.add(customer)
        await session.commit()
    return customer.id


async def create_task(server: LiveServer, token: str, customer: int, assignee: int, title: str):
    variables = {
        "input": {
            "customerId": str(customer),
            "title": title,
            "dueAt": (dt.datetime.now(dt.UTC) + dt.timedelta(days=1)).isoformat(),
            "assigneeId": str(assignee),
        }
    }
    async with httpx.AsyncClient() as client:
        response = await client.post(
            f"{server.base_url}/graphql",
            json={"query": CREATE_TASK, "variables": variables},
            headers={"Authorization": f"Bearer {token}"},
            timeout=15,
        )
    body = response.json()
    assert not body.get("errors") and body["data"]["createFollowUpTask"]["errors"] == [], body


def alert_of(message: dict[str, Any]) -> dict[str, Any]:
    assert message["type"] == "next", message
    assert not message["payload"].get("errors"), message
    return message["payload"]["data"]["taskAlerts"]


async def test_a_rep_hears_of_a_task_assigned_to_them_and_not_of_others(server, platform):
    # given a rep listening, and a manager assigning tasks
    rep_id, rep_token = await make_user(platform, Role.SALES, "Ravi Rep")
    other_id, _ = await make_user(platform, Role.SALES, "Olga Other")
    _, manager_token = await make_user(platform, Role.MANAGER, "Mona Manager")
    customer = await make_customer(platform, rep_id)
    async with subscription(server, rep_token, TASK_ALERTS, {}) as messages:
        await asyncio.sleep(SUBSCRIBED)
        # when
        await create_task(server, manager_token, customer, other_id, "Not yours")
        await create_task(server, manager_token, customer, rep_id, "Visit the plant")
        # then: only the rep's own task arrives
        alert = alert_of(await next_message(messages))
    assert alert["kind"] == "ASSIGNED"
    assert alert["task"]["title"] == "Visit the plant"
    assert alert["task"]["assignee"] == {"id": str(rep_id)}


async def test_a_rep_hears_once_when_their_task_becomes_overdue(server, platform):
    if platform.db.dialect != "postgresql":
        pytest.skip("SQLite delivers events within one process; the sweep runs in this one")
    # given an open task of the rep's, due two days ago, not yet announced
    rep_id, rep_token = await make_user(platform, Role.SALES, "Ravi Rep")
    customer = await make_customer(platform, rep_id)
    async with platform.db.write_session() as session:
        task = FollowUpTask(
            customer_id=customer,
            title="Chase the payment",
            assignee_id=rep_id,
            due_at=dt.datetime.now(dt.UTC) - dt.timedelta(days=2),
            priority=Priority.HIGH,
            status=TaskStatus.OPEN,
            source=TaskSource.MANUAL,
        )
        session.add(task)
        await session.commit()
    config = domain_config(platform.settings)

    async def sweep() -> list[int]:
        async with platform.db.write_session() as session:
            found = await task_sweeps.announce_overdue_tasks(
                session, now=dt.datetime.now(dt.UTC), config=config, publisher=platform.publisher
            )
            await session.commit()
        return found

    async with subscription(server, rep_token, TASK_ALERTS, {}) as messages:
        await asyncio.sleep(SUBSCRIBED)
        # when the overdue sweep runs twice (another process, as the scheduler would)
        assert await sweep() == [task.id]
        assert await sweep() == []
        # then exactly one alert arrives
        alert = alert_of(await next_message(messages))
        assert alert["kind"] == "OVERDUE"
        assert alert["task"] == {
            "id": str(task.id),
            "title": "Chase the payment",
            "isOverdue": True,
            "assignee": {"id": str(rep_id)},
        }
        with pytest.raises(TimeoutError):
            await next_message(messages, within=1.0)
