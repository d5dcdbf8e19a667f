"""An import whose server process is killed mid-way, through real Uvicorn processes: only
whole batches stay, the job is failed after the restart, and re-running converges."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
import pytest_asyncio
from sqlalchemy import func, select

from app.db import Database, create_database
from models import Customer, CustomerImportChange, Job
from models.enums import JobStatus, Role
from tests.contract_checks.operations import operation
from tests.platform.live import live_server
from tests.platform.test_live_platform import make_user, wait_for_job
from tests.support import settings_for, wipe

pytestmark = pytest.mark.slow

ROWS = 20_000
BATCH = 50


@pytest_asyncio.fixture
async def db(database_url: str, tmp_path: Path) -> AsyncIterator[Database]:
    database = create_database(settings_for(database_url, tmp_path))
    await wipe(database.engine)
    try:
        yield database
    finally:
        await database.dispose()


def _file() -> bytes:
    lines = ["Name,Business Type,Code,Email"]
    lines += [
        f"Kill Test {i},Enterprise,KT-{i:05d},buyer{i}@kill{i % 50}.example.in" for i in range(ROWS)
    ]
    return ("\n".join(lines) + "\n").encode()


async def _start_import(base_url: str, token: str, options: dict | None = None) -> int:
    operations = json.dumps(
        {"query": operation("ImportCustomers"), "variables": {"file": None, "options": options}}
    )
    async with httpx.AsyncClient(base_url=base_url, timeout=60) as client:
        response = await client.post(
            "/graphql",
            data={"operations": operations, "map": json.dumps({"0": ["variables.file"]})},
            files={"0": ("customers.csv", _file(), "text/csv")},
            headers={"Authorization": f"Bearer {token}", "X-CSRF-Protection": "1"},
        )
    payload = response.json()["data"]["importCustomers"]
    assert payload["errors"] == [], payload
    return int(payload["job"]["id"])


async def _count(db: Database, query) -> int:
    async with db.read_session() as session:
        return int(await session.scalar(query) or 0)


async def _wait_for_progress(db: Database, job_id: int, rows: int) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        async with db.read_session() as session:
            job = await session.get(Job, job_id)
        if job.processed_rows >= rows:
            assert job.status is JobStatus.RUNNING, "the import finished before the kill"
            return
        await asyncio.sleep(0.05)
    raise AssertionError("the import made no progress")


async def test_a_killed_import_keeps_whole_batches_fails_and_converges_when_rerun(
    database_url, tmp_path, db
):
    _, token = await make_user(db, Role.MANAGER)
    settings = {"job_workers": "1", "import_batch_rows": str(BATCH)}
    with live_server(database_url, tmp_path, scheduler_enabled="false", **settings) as victim:
        job_id = await _start_import(victim.base_url, token)
        await _wait_for_progress(db, job_id, 10 * BATCH)
        victim.kill()

    committed = await _count(db, select(func.count()).select_from(Customer))
    changes = await _count(
        db,
        select(func.count())
        .select_from(CustomerImportChange)
        .where(CustomerImportChange.job_id == job_id),
    )
    assert 0 < committed < ROWS
    assert committed % BATCH == 0  # whole batches only
    assert changes == committed  # each batch's bookkeeping committed with its rows

    with live_server(database_url, tmp_path, **settings) as restarted:
        failed = await wait_for_job(db, job_id, {JobStatus.FAILED}, within=30)
        rerun = await _start_import(restarted.base_url, token, {"onDuplicate": "UPDATE"})
        finished = await wait_for_job(db, rerun, {JobStatus.SUCCEEDED}, within=120)

    assert "stopped responding" in failed.error_message
    assert finished.result["createdCount"] == ROWS - committed
    assert finished.result["unchangedCount"] == committed
    assert await _count(db, select(func.count()).select_from(Customer)) == ROWS
