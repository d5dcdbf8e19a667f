"""exportCustomers through a real server with job workers: a small export's payload
already carries its download link, because the mutation waits for the job."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import httpx
import pytest
import pytest_asyncio

from app.auth import TokenService
from app.db import Database, create_database
from models import Customer, User
from models.enums import BusinessType, CustomerStatus, Role
from resolvers.passwords import hash_password_sync
from tests.contract_checks.operations import operation
from tests.platform.live import SECRET, LiveServer, live_server, next_message, subscription
from tests.support import settings_for, wipe

pytestmark = pytest.mark.slow

EXPORT = operation("ExportCustomers")
JOB_PROGRESS = operation("JobProgress")


@pytest.fixture(scope="module")
def server(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    # No scheduler: its sweeps would race each test's wipe of the shared database.
    with live_server(
        database_url,
        tmp_path_factory.mktemp("export-live"),
        scheduler_enabled="false",
        export_wait_seconds="10",
    ) as s:
        yield s


@pytest_asyncio.fixture
async def db(database_url: str, tmp_path: Path) -> AsyncIterator[Database]:
    database = create_database(settings_for(database_url, tmp_path))
    await wipe(database.engine)
    try:
        yield database
    finally:
        await database.dispose()


async def manager_token(db: Database) -> str:
    async with db.write_session() as session:
        user = User(
            email="manager@sanvi.test",
            name="Export Manager",
            role=Role.MANAGER,
            password_hash=hash_password_sync("irrelevant-password"),
            active=True,
        )
        session.add(user)
        await session.commit()
    return TokenService(SECRET, 3600).issue(user.id)[0]


async def add_customers(db: Database, *names: str) -> None:
    now = dt.datetime.now(dt.UTC)
    async with db.write_session() as session:
        for number, name in enumerate(names, 1):
            session.add(
                Customer(
                    code=f"LIVE-{number:03d}",
                    name=name,
                    business_type=BusinessType.SMALL_BUSINESS,
                    status=CustomerStatus.ACTIVE,
                    country="IN",
                    search_text=name.lower(),
                    version=1,
                    created_at=now,
                    updated_at=now,
                )
            )
        await session.commit()


async def test_a_small_export_answers_with_its_download_url(server, db):
    # given
    token = await manager_token(db)
    await add_customers(db, "Kaveri Pumps", "Delhi Lathe Works", "Pune Press Tools")
    headers = {"Authorization": f"Bearer {token}"}
    variables = {"format": "CSV", "fields": ["CODE", "NAME"]}
    async with httpx.AsyncClient(base_url=server.base_url, timeout=30) as client:
        # when
        response = await client.post(
            "/graphql", json={"query": EXPORT, "variables": variables}, headers=headers
        )
        # then
        payload = response.json()["data"]["exportCustomers"]
        assert payload["errors"] == []
        job = payload["job"]
        assert (job["status"], job["rowCount"], job["format"]) == ("SUCCEEDED", 3, "CSV")
        assert job["url"].startswith(server.base_url)
        download = await client.get(job["url"])
    assert download.status_code == 200
    rows = list(csv.reader(io.StringIO(download.text, newline="")))
    assert rows == [
        ["Code", "Name"],
        ["LIVE-001", "Kaveri Pumps"],
        ["LIVE-002", "Delhi Lathe Works"],
        ["LIVE-003", "Pune Press Tools"],
    ]


async def test_job_progress_carries_the_finished_exports_url(server, db):
    # given: an export the server has run
    token = await manager_token(db)
    await add_customers(db, "Kaveri Pumps")
    headers = {"Authorization": f"Bearer {token}"}
    async with httpx.AsyncClient(base_url=server.base_url, timeout=30) as client:
        response = await client.post(
            "/graphql", json={"query": EXPORT, "variables": {"format": "JSON"}}, headers=headers
        )
    job = response.json()["data"]["exportCustomers"]["job"]
    # when
    async with subscription(server, token, JOB_PROGRESS, {"id": job["id"]}) as messages:
        message = await next_message(messages)
    # then
    event = message["payload"]["data"]["jobProgress"]
    assert event["status"] == "SUCCEEDED"
    assert event["url"] and "customers-" in event["url"] and ".json" in event["url"]
