"""Platform services through real Uvicorn processes on loopback: signed downloads, the
shared job queue, live job progress over WebSocket, and recovery from a killed process."""

from __future__ import annotations

import asyncio
import datetime as dt
import time
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
import pytest_asyncio
import websockets
from sqlalchemy import select, text, update

from app.auth import TokenService
from app.db import Database, create_database
from app.pubsub import LISTENER_NAME, EventHub, PostgresPublisher
from app.signing import DownloadSigner
from app.storage import LocalFileStorage
from models import Job, User
from models.enums import JobStatus, Role
from resolvers.actor import Actor
from resolvers.jobs import enqueue_job
from resolvers.passwords import hash_password_sync
from tests.contract_checks.operations import operation
from tests.platform import jobs_for_tests  # noqa: F401  (registers the test job kinds)
from tests.platform.live import SECRET, live_server, next_message, subscription
from tests.support import settings_for, wipe

pytestmark = pytest.mark.slow


@pytest_asyncio.fixture
async def db(database_url: str, tmp_path: Path) -> AsyncIterator[Database]:
    database = create_database(settings_for(database_url, tmp_path))
    await wipe(database.engine)
    try:
        yield database
    finally:
        await database.dispose()


async def make_user(db: Database, role: Role = Role.SALES) -> tuple[Actor, str]:
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
    token = TokenService(SECRET, 3600).issue(user.id)[0]
    return Actor(id=user.id, role=role, name=user.name, email=user.email), token


async def queue_job(db: Database, actor: Actor, kind: str, **options) -> int:
    async with db.write_session() as session:
        job = await enqueue_job(session, kind=kind, actor=actor, options=options)
        await session.commit()
        return job.id


async def job_row(db: Database, job_id: int) -> Job:
    async with db.read_session() as session:
        return await session.get(Job, job_id)


async def wait_for_job(db: Database, job_id: int, statuses: set[JobStatus], within: float = 30):
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        job = await job_row(db, job_id)
        if job.status in statuses:
            return job
        await asyncio.sleep(0.1)
    raise AssertionError(f"job {job_id} is still {job.status} after {within} s")


async def get(url: str, **kwargs) -> httpx.Response:
    async with httpx.AsyncClient() as client:
        return await client.get(url, **kwargs)


def is_postgres(database_url: str) -> bool:
    return database_url.startswith("postgresql")


# ------------------------------------------------------------------ downloads


def stored_file(tmp_path: Path, content: bytes) -> str:
    storage = LocalFileStorage(tmp_path / "files")
    with storage.writer(suffix=".csv") as (out, stored):
        out.write(content)
    return stored[0].key


async def test_a_signed_link_downloads_the_file_with_its_name_and_type(database_url, tmp_path, db):
    key = stored_file(tmp_path, b"code,name\nCUS-1,Ganesh\n")
    with live_server(database_url, tmp_path) as server:
        signer = DownloadSigner(SECRET, server.base_url)
        expires = dt.datetime.now(dt.UTC) + dt.timedelta(minutes=5)
        url = signer.url(key, filename="customers.csv", expires_at=expires)
        response = await get(url)
    assert response.status_code == 200
    assert response.content == b"code,name\nCUS-1,Ganesh\n"
    assert response.headers["content-type"].startswith("text/csv")
    assert response.headers["content-length"] == "23"
    assert 'filename="customers.csv"' in response.headers["content-disposition"]


async def test_a_signed_link_answers_range_requests(database_url, tmp_path, db):
    key = stored_file(tmp_path, b"0123456789")
    with live_server(database_url, tmp_path) as server:
        signer = DownloadSigner(SECRET, server.base_url)
        url = signer.url(
            key, filename="digits.txt", expires_at=dt.datetime.now(dt.UTC) + dt.timedelta(minutes=5)
        )
        response = await get(url, headers={"Range": "bytes=2-4"})
    assert response.status_code == 206
    assert response.content == b"234"


async def test_tampered_expired_and_unknown_links_are_refused_alike(database_url, tmp_path, db):
    key = stored_file(tmp_path, b"secret rows")
    with live_server(database_url, tmp_path) as server:
        signer = DownloadSigner(SECRET, server.base_url)
        later = dt.datetime.now(dt.UTC) + dt.timedelta(minutes=5)
        good = signer.url(key, filename="rows.csv", expires_at=later)
        links = {
            "tampered signature": good[:-3] + ("AAA" if not good.endswith("AAA") else "BBB"),
            "renamed file": good.replace("name=rows.csv", "name=other.csv"),
            "extended expiry": good.replace(
                f"exp={int(later.timestamp())}", f"exp={int(later.timestamp()) + 3600}"
            ),
            "expired": signer.url(
                key,
                filename="rows.csv",
                expires_at=dt.datetime.now(dt.UTC) - dt.timedelta(seconds=1),
            ),
            "unknown file": signer.url(
                "2026/01/" + "0" * 32 + ".csv", filename="rows.csv", expires_at=later
            ),
            "path traversal": f"{server.base_url}/downloads/..%2F..%2Fetc%2Fpasswd"
            "?exp=1&name=x&sig=x",
            "another secret": DownloadSigner("another-secret", server.base_url).url(
                key, filename="rows.csv", expires_at=later
            ),
        }
        answers = {name: await get(url) for name, url in links.items()}
        assert (await get(good)).status_code == 200
    assert {name: r.status_code for name, r in answers.items()} == dict.fromkeys(links, 403)
    assert len({r.text for r in answers.values()}) == 1  # the same answer, revealing nothing


# ------------------------------------------------------------------ jobs and progress


async def test_job_progress_streams_a_job_until_it_finishes_with_its_download_url(
    database_url, tmp_path, db
):
    manager, token = await make_user(db, Role.MANAGER)
    with live_server(database_url, tmp_path) as server:
        job_id = await queue_job(db, manager, "test-count", steps=4, pause=0.3, text="done")
        async with subscription(server, token, operation("JobProgress"), {"id": str(job_id)}) as m:
            events = []
            while True:
                message = await next_message(m)
                assert message["type"] == "next", message
                events.append(message["payload"]["data"]["jobProgress"])
                if events[-1]["status"] in ("SUCCEEDED", "FAILED"):
                    break
            assert (await next_message(m))["type"] == "complete"
        final = events[-1]
        assert final["status"] == "SUCCEEDED"
        assert final["progress"] == 1.0
        assert final["processedRows"] == final["totalRows"] == 4
        assert any(e["status"] == "RUNNING" for e in events)
        progress = [e["progress"] for e in events]
        assert progress == sorted(progress)
        download = await get(final["url"])
    assert download.status_code == 200
    assert download.content == b"done"


async def test_job_progress_of_someone_elses_job_is_not_found(database_url, tmp_path, db):
    owner, _ = await make_user(db, Role.MANAGER)
    _, stranger_token = await make_user(db, Role.SALES)
    job_id = await queue_job(db, owner, "test-count", steps=1)
    with live_server(database_url, tmp_path, job_workers="0") as server:
        async with subscription(
            server, stranger_token, operation("JobProgress"), {"id": str(job_id)}
        ) as messages:
            message = await next_message(messages)
    errors = message["payload"] if message["type"] == "error" else message["payload"]["errors"]
    assert errors[0]["extensions"]["code"] == "BAD_USER_INPUT"


async def test_a_websocket_without_a_valid_token_is_refused(database_url, tmp_path, db):
    with (
        live_server(database_url, tmp_path) as server,
        pytest.raises(websockets.ConnectionClosedError) as refused,
    ):
        async with subscription(server, "not-a-token", operation("JobProgress"), {"id": "1"}):
            pass
    assert refused.value.rcvd.code == 4403


async def test_a_deactivated_users_open_subscription_is_closed(database_url, tmp_path, db):
    manager, token = await make_user(db, Role.MANAGER)
    with live_server(database_url, tmp_path) as server:
        job_id = await queue_job(db, manager, "test-hang")
        async with subscription(server, token, operation("JobProgress"), {"id": str(job_id)}) as m:
            first = await next_message(m)
            assert first["type"] == "next"
            async with db.write_session() as session:
                await session.execute(
                    update(User).where(User.id == manager.id).values(active=False)
                )
                await session.commit()
            ending = []
            while not ending or ending[-1]["type"] not in ("complete", "closed"):
                ending.append(await next_message(m, within=10))
    codes = [
        e.get("extensions", {}).get("code")
        for message in ending
        if message["type"] == "next"
        for e in message["payload"].get("errors") or []
    ]
    assert "UNAUTHENTICATED" in codes


# ------------------------------------------------------------------ several processes


async def test_two_processes_share_one_job_queue(database_url, tmp_path, db):
    if not is_postgres(database_url):
        pytest.skip("several server processes share a queue on PostgreSQL")
    manager, _ = await make_user(db, Role.MANAGER)
    with (
        live_server(database_url, tmp_path, job_workers="1") as one,
        live_server(database_url, tmp_path, job_workers="1") as two,
    ):
        job_ids = [await queue_job(db, manager, "test-count", steps=3, pause=0.3) for _ in range(6)]
        jobs = [await wait_for_job(db, j, {JobStatus.SUCCEEDED}) for j in job_ids]
    pids = {job.worker_id.split(":")[1] for job in jobs}
    assert pids == {str(one.process.pid), str(two.process.pid)}


async def test_a_subscriber_on_one_process_hears_a_job_run_by_another(database_url, tmp_path, db):
    if not is_postgres(database_url):
        pytest.skip("events cross processes through PostgreSQL")
    manager, token = await make_user(db, Role.MANAGER)
    with (
        live_server(database_url, tmp_path, job_workers="0") as listener,
        live_server(database_url, tmp_path, job_workers="1") as worker,
    ):
        job_id = await queue_job(db, manager, "test-count", steps=5, pause=0.4)
        async with subscription(
            listener, token, operation("JobProgress"), {"id": str(job_id)}
        ) as m:
            seen = []
            while not seen or seen[-1]["status"] != "SUCCEEDED":
                message = await next_message(m)
                assert message["type"] == "next", message
                seen.append(message["payload"]["data"]["jobProgress"])
        job = await job_row(db, job_id)
    assert job.worker_id.split(":")[1] == str(worker.process.pid)
    assert len([e for e in seen if e["status"] == "RUNNING"]) >= 2  # live progress, not polling


async def test_a_killed_process_job_is_failed_by_the_survivor_whose_own_job_finishes(
    database_url, tmp_path, db
):
    if not is_postgres(database_url):
        pytest.skip("two server processes on one database: PostgreSQL")
    manager, _ = await make_user(db, Role.MANAGER)
    with live_server(database_url, tmp_path, job_workers="1") as survivor:
        # Long enough to outlive a second server's start, the kill and the stale sweep on a
        # busy machine: the check below needs it still running when the doomed job fails.
        survivors_job = await queue_job(db, manager, "test-count", steps=60, pause=0.3)
        await wait_for_job(db, survivors_job, {JobStatus.RUNNING})
        with live_server(database_url, tmp_path, job_workers="1") as victim:
            doomed = await queue_job(db, manager, "test-hang")
            running = await wait_for_job(db, doomed, {JobStatus.RUNNING})
            assert running.worker_id.split(":")[1] == str(victim.process.pid)
            victim.kill()
        failed = await wait_for_job(db, doomed, {JobStatus.FAILED}, within=20)
        mid_way = await job_row(db, survivors_job)
        finished = await wait_for_job(db, survivors_job, {JobStatus.SUCCEEDED}, within=60)
    assert "stopped responding" in failed.error_message
    assert mid_way.status is JobStatus.RUNNING  # never touched while it was alive
    assert finished.error_message is None
    assert finished.worker_id.split(":")[1] == str(survivor.process.pid)


async def test_nothing_runs_a_job_of_an_unknown_kind(database_url, tmp_path, db):
    manager, _ = await make_user(db, Role.MANAGER)
    async with db.write_session() as session:
        job = Job(
            kind="not-a-kind",
            status=JobStatus.QUEUED,
            options={},
            result={},
            created_by_id=manager.id,
            created_at=dt.datetime.now(dt.UTC),
        )
        session.add(job)
        await session.commit()
    with live_server(database_url, tmp_path):
        await asyncio.sleep(1)
    async with db.read_session() as session:
        status = await session.scalar(select(Job.status).where(Job.id == job.id))
    assert status is JobStatus.QUEUED


async def queue_announced_job(db: Database, database_url: str, actor: Actor, **options) -> int:
    publisher = PostgresPublisher(EventHub(), database_url)
    async with db.write_session() as session:
        job = await enqueue_job(
            session, kind="test-count", actor=actor, options=options, publisher=publisher
        )
        await session.commit()
        return job.id


async def test_a_queued_job_wakes_idle_workers_at_once(database_url, tmp_path, db):
    if not is_postgres(database_url):
        pytest.skip("cross-process wake-ups travel through PostgreSQL")
    manager, _ = await make_user(db, Role.MANAGER)
    with live_server(database_url, tmp_path, job_poll_seconds="60"):
        await asyncio.sleep(0.5)  # the worker is now idle, waiting up to a minute
        job_id = await queue_announced_job(db, database_url, manager, steps=1, pause=0)
        job = await wait_for_job(db, job_id, {JobStatus.SUCCEEDED}, within=10)
    assert job.status is JobStatus.SUCCEEDED


async def test_the_event_listener_reconnects_after_losing_its_connection(
    database_url, tmp_path, db
):
    if not is_postgres(database_url):
        pytest.skip("the LISTEN connection exists on PostgreSQL")
    manager, token = await make_user(db, Role.MANAGER)
    with live_server(database_url, tmp_path, job_poll_seconds="60") as server:
        # given the server's LISTEN connection is cut, as by a database restart
        async with db.write_session() as session:
            killed = await session.scalar(
                text(
                    "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                    "WHERE application_name = :name AND datname = current_database()"
                ),
                {"name": LISTENER_NAME},
            )
            await session.commit()
        assert killed >= 1  # ours, and any other app on this database (the test client's)
        await asyncio.sleep(2.5)  # it retries every second
        # when a job is announced, then the server hears it and streams its progress
        job_id = await queue_announced_job(db, database_url, manager, steps=3, pause=0.3)
        async with subscription(server, token, operation("JobProgress"), {"id": str(job_id)}) as m:
            statuses = []
            while not statuses or statuses[-1] != "SUCCEEDED":
                statuses.append((await next_message(m))["payload"]["data"]["jobProgress"]["status"])
    assert statuses[-1] == "SUCCEEDED"
