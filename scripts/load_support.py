"""What the load and fault scripts share: a throw-away PostgreSQL database with demo data
and load users, a real ``crm serve`` process on loopback, and timed GraphQL calls.

Everything here stays on 127.0.0.1; the databases it drops are only the ones these
scripts create (names starting ``crm_load`` or ``crm_fault``).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import asyncpg
import httpx
from sqlalchemy import select, update
from sqlalchemy.engine import make_url

from app.auth import TokenService
from app.db import Database
from app.migrate import upgrade_to_head
from app.settings import Settings
from models import Customer, Product
from models.enums import Role

ROOT = Path(__file__).resolve().parent.parent
POSTGRES_ADMIN_URL = os.environ.get(
    "CRM_LOAD_POSTGRES_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432/postgres"
)
OWN_DATABASE_PREFIXES = ("crm_load", "crm_fault")
LOAD_PASSWORD = "load-test-password"
SERVE = (sys.executable, "-m", "app.cli", "serve", "--host", "127.0.0.1")
# Business refusals a realistic client meets and handles; any other payload code is an error.
EXPECTED_REFUSALS = frozenset({"CREDIT_LIMIT_EXCEEDED", "UNCHANGED"})


def contract_operation(name: str) -> str:
    """The frontend's operation text (tests/contract/operations.graphql), fragments included."""
    from tests.contract_checks.operations import operation

    return operation(name)


# ---------------------------------------------------------------- database and data set


async def fresh_database(name: str) -> str:
    """Drop (if it exists) and create one of this script's databases; return its URL."""
    if not name.startswith(OWN_DATABASE_PREFIXES):
        raise SystemExit(f"refusing to recreate {name!r}: names start with {OWN_DATABASE_PREFIXES}")
    admin = make_url(POSTGRES_ADMIN_URL)
    conn = await asyncpg.connect(
        host=admin.host, port=admin.port, user=admin.username, database=admin.database
    )
    try:
        await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await conn.execute(f'CREATE DATABASE "{name}"')
    finally:
        await conn.close()
    return admin.set(database=name).render_as_string(hide_password=False)


def run_directory(database: str) -> Path:
    """``var/load/<database>/``, emptied: the server's data and log of this run."""
    path = ROOT / "var" / "load" / database
    shutil.rmtree(path, ignore_errors=True)
    path.mkdir(parents=True)
    return path


def local_settings(database_url: str, data_dir: Path) -> Settings:
    """Settings for this process's own database work (migrate, seed, verify)."""
    return Settings(
        _env_file=None,  # type: ignore[call-arg]
        environment="test",
        database_url=database_url,
        data_dir=data_dir,
        secret_key="unused-by-the-scripts-own-connection",
        log_level="WARNING",
    )


@dataclass
class LoadUser:
    id: int
    role: Role
    token: str
    customer_ids: list[int] = field(default_factory=list)


@dataclass
class DataSet:
    manager: LoadUser
    reps: list[LoadUser]
    all_customer_ids: list[int]
    product_ids: list[int]
    seed_summary: str


async def prepare_data_set(
    db: Database, *, customers: int, seed: int, reps: int, secret: str
) -> DataSet:
    """Migrate, seed demo data, add one MANAGER and ``reps`` SALES users, and give the
    customers to the reps round-robin (so each rep's follow-up tasks are their own)."""
    from resolvers.users import create_user
    from scripts.seed_demo import seed_demo

    await upgrade_to_head(db.engine)
    stats = await seed_demo(db, customers=customers, seed=seed)
    async with db.write_session() as session:
        manager = await create_user(
            session,
            email="load.manager@sanvi.example",
            name="Load Manager",
            role=Role.MANAGER,
            password=LOAD_PASSWORD,
        )
        rep_users = [
            await create_user(
                session,
                email=f"load.rep{i}@sanvi.example",
                name=f"Load Rep {i}",
                role=Role.SALES,
                password=LOAD_PASSWORD,
            )
            for i in range(1, reps + 1)
        ]
        for k, rep in enumerate(rep_users):
            await session.execute(
                update(Customer).where(Customer.id % reps == k).values(owner_id=rep.id)
            )
        await session.commit()
    async with db.read_session() as session:
        rows = (await session.execute(select(Customer.id, Customer.owner_id))).all()
        products = (
            await session.scalars(select(Product.id).where(Product.active).order_by(Product.id))
        ).all()
    tokens = TokenService(secret, 24 * 3600)

    def load_user(user: Any) -> LoadUser:
        return LoadUser(id=user.id, role=user.role, token=tokens.issue(user.id)[0])

    loaded = [load_user(u) for u in rep_users]
    by_id = {u.id: u for u in loaded}
    for customer_id, owner_id in rows:
        if owner_id in by_id:
            by_id[owner_id].customer_ids.append(customer_id)
    return DataSet(
        manager=load_user(manager),
        reps=loaded,
        all_customer_ids=[r[0] for r in rows],
        product_ids=list(products),
        seed_summary=(
            f"{stats.customers:,} customers, {stats.orders:,} orders, "
            f"{stats.interactions:,} interactions seeded in {stats.seconds:.1f} s"
        ),
    )


# ---------------------------------------------------------------- the server process


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def production_env(database_url: str, data_dir: Path, port: int, secret: str) -> dict[str, str]:
    """The environment of a production server, with rate limits raised: every load client
    comes from 127.0.0.1, and a few users stand for many people."""
    inherited = {k: v for k, v in os.environ.items() if not k.startswith("CRM_")}
    return inherited | {
        "CRM_ENVIRONMENT": "production",
        "CRM_DATABASE_URL": database_url,
        "CRM_SECRET_KEY": secret,
        "CRM_DATA_DIR": str(data_dir),
        "CRM_PUBLIC_BASE_URL": f"http://127.0.0.1:{port}",
        "CRM_LOG_LEVEL": "WARNING",
        "CRM_RATE_LIMIT_USER_PER_MINUTE": "1000000",
        "CRM_RATE_LIMIT_USER_BURST": "100000",
        "CRM_RATE_LIMIT_ADDRESS_PER_MINUTE": "1000000",
        "CRM_RATE_LIMIT_ADDRESS_BURST": "100000",
    }


def new_secret() -> str:
    return secrets.token_urlsafe(48)


@dataclass
class Server:
    process: subprocess.Popen[bytes]
    port: int
    log: Path

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def worker_pids(self) -> list[int]:
        """Uvicorn's worker processes (children of the supervisor; none with one worker)."""
        path = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        try:
            return sorted(int(p) for p in path.read_text().split())
        except OSError:
            return []

    def alive(self) -> bool:
        return self.process.poll() is None

    def log_tail(self, chars: int = 3000) -> str:
        return self.log.read_text(errors="replace")[-chars:]


def start_server(
    database_url: str, data_dir: Path, *, workers: int, secret: str, timeout: float = 90
) -> Server:
    """``crm serve --workers N`` (it migrates first) on a free loopback port, once healthy."""
    port = free_port()
    data_dir.mkdir(parents=True, exist_ok=True)
    log = data_dir / f"server-{port}.log"
    with open(log, "wb") as out:
        process = subprocess.Popen(
            [*SERVE, "--port", str(port), "--workers", str(workers)],
            cwd=ROOT,
            env=production_env(database_url, data_dir, port, secret),
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: stopped as a whole
        )
    server = Server(process=process, port=port, log=log)
    deadline = time.monotonic() + timeout
    while True:
        if _healthy(server) and (workers <= 1 or len(server.worker_pids()) >= workers):
            return server
        if process.poll() is not None or time.monotonic() > deadline:
            stop_server(server)
            raise RuntimeError(f"the server did not start:\n{server.log_tail()}")
        time.sleep(0.2)


def _healthy(server: Server) -> bool:
    try:
        return httpx.get(f"{server.base_url}/health", timeout=2).status_code == 200
    except httpx.HTTPError:
        return False


def stop_server(server: Server) -> None:
    """SIGTERM to the process group, SIGKILL if it is still there after 15 s."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(server.process.pid, signal.SIGTERM)
    try:
        server.process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(server.process.pid, signal.SIGKILL)
        server.process.wait()


@contextlib.contextmanager
def running_server(database_url: str, data_dir: Path, **kwargs: Any) -> Iterator[Server]:
    server = start_server(database_url, data_dir, **kwargs)
    try:
        yield server
    finally:
        stop_server(server)


# ---------------------------------------------------------------- timed GraphQL calls


@dataclass
class Outcome:
    """One request: when it started and ended (seconds since the run began), and how it went:
    ``ok``, ``refused`` (an expected business refusal) or ``error``."""

    operation: str
    started: float
    ended: float
    status: str
    detail: str = ""
    payload: dict[str, Any] | None = None

    @property
    def seconds(self) -> float:
        return self.ended - self.started


async def call(
    client: httpx.AsyncClient,
    token: str,
    operation: str,
    field_name: str,
    variables: dict[str, Any],
    *,
    epoch: float,
) -> Outcome:
    """Send one contract operation and classify the answer."""
    started = time.perf_counter() - epoch
    try:
        response = await client.post(
            "/graphql",
            json={"query": contract_operation(operation), "variables": variables},
            headers={"Authorization": f"Bearer {token}"},
        )
    except httpx.HTTPError as exc:
        ended = time.perf_counter() - epoch
        return Outcome(operation, started, ended, "error", f"{type(exc).__name__}")
    ended = time.perf_counter() - epoch
    if response.status_code != 200:
        return Outcome(operation, started, ended, "error", f"HTTP {response.status_code}")
    body = response.json()
    if body.get("errors"):
        first = body["errors"][0]
        code = (first.get("extensions") or {}).get("code") or first.get("message", "")[:60]
        return Outcome(operation, started, ended, "error", f"GraphQL {code}")
    payload = (body.get("data") or {}).get(field_name)
    if payload is None:
        return Outcome(operation, started, ended, "error", "no data")
    problems = payload.get("errors") if isinstance(payload, dict) else None
    if problems:
        code = problems[0].get("code") or "?"
        status = "refused" if code in EXPECTED_REFUSALS else "error"
        return Outcome(operation, started, ended, status, f"payload {code}", payload)
    return Outcome(operation, started, ended, "ok", payload=payload)


def today() -> dt.date:
    return dt.datetime.now(dt.UTC).date()
