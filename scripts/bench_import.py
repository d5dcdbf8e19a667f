"""The customer import at scale, beside a raw bulk insert of the same rows.

Both run on a scratch database of the benchmark's kind, recreated for every run, so the
import creates every customer (the reference data set stays untouched):

- **raw bulk insert**: the CSV read with the csv module and its rows inserted as they
  are (no validation, no matching, no categorisation) in batches of 2,000 through the
  same engine — the floor any import has to stand on;
- **import**: the real thing — a multipart upload of the file to ``importCustomers``
  through the app, then the job (scan, validate, deduplicate, insert, categorise).

Peak memory is the process's resident set sampled every 20 ms during each run, minus
what it was when the run started.
"""

from __future__ import annotations

import csv
import json
import random
import threading
import time
from collections.abc import Awaitable, Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import asyncpg
import httpx
from sqlalchemy import insert
from sqlalchemy.engine import make_url

from app.db import create_database
from app.main import create_app
from app.migrate import upgrade_to_head
from app.settings import Settings
from models import Customer, User
from models.base import utcnow
from models.enums import BusinessType, CustomerStatus, Role
from resolvers.search import customer_search_text

ROOT = Path(__file__).resolve().parent.parent
ROWS = 100_000
SCRATCH = "crm_bench_import_scratch"
POSTGRES_ADMIN = "postgresql+asyncpg://postgres@127.0.0.1:5432/postgres"
_STATES = [
    "MH",
    "Maharashtra",
    "KA",
    "Karnataka",
    "Tamil Nadu",
    "TN",
    "Gujarat",
    "DL",
    "Delhi",
    "Telangana",
    "West Bengal",
    "UP",
    "Punjab",
    "Kerala",
    "Rajasthan",
]
_TYPES = ["Enterprise", "SME", "Small Business", "Individual", "Government", "Corporate"]
_CITIES = ["Pune", "Mumbai", "Bengaluru", "Chennai", "Ahmedabad", "Delhi", "Hyderabad"]
_GST_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def _amount(value: int, rng: random.Random) -> str:
    if rng.random() < 0.5:
        return f"{value:,}"  # Western grouping
    text = str(value)
    head, tail = text[:-3], text[-3:]
    groups = []
    while len(head) > 2:
        groups.insert(0, head[-2:])
        head = head[:-2]
    return ",".join([g for g in [head, *groups] if g] + [tail])  # Indian grouping


def write_csv(path: Path, rows: int, seed: int = 7) -> Path:
    """A deterministic file of ``rows`` valid customers spelled the many ways people do."""
    if path.exists():
        return path
    rng = random.Random(seed)
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(
            [
                "Customer Name",
                "Business Type",
                "Customer Code",
                "E-mail",
                "Mobile",
                "GSTIN",
                "City",
                "State",
                "Credit Limit",
                "Tags",
                "Notes",
            ]
        )
        for i in range(rows):
            gst = f"{rng.randint(10, 35)}{''.join(rng.choices(_GST_ALPHABET, k=5))}{i:04d}"[:12]
            writer.writerow([
                f"Customer {i} Engineering Works",
                rng.choice(_TYPES),
                f"IMP-{i:07d}",
                f"buyer{i}@works{i % 997}.example.in",
                f"+91 9{rng.randint(100000000, 899999999)}" if i % 3 else
                f"9{rng.randint(100000000, 899999999)}",
                f"{gst}{i % 10}Z{i % 7}",
                rng.choice(_CITIES),
                rng.choice(_STATES),
                _amount(rng.randrange(0, 5_000_000, 1000), rng) if i % 4 else "",
                rng.choice(["", "lathe", "cnc; spares", "priority|export"]),
                "imported from the old CRM",
            ])  # fmt: skip
    return path


class PeakMemory:
    """Resident set size sampled in a thread; the peak above the starting point."""

    def __init__(self) -> None:
        self._stop = threading.Event()
        self.start_bytes = self.peak_bytes = self._rss()

    @staticmethod
    def _rss() -> int:
        with open("/proc/self/statm") as statm:
            return int(statm.read().split()[1]) * 4096

    def __enter__(self) -> PeakMemory:
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()
        return self

    def _sample(self) -> None:
        while not self._stop.wait(0.02):
            self.peak_bytes = max(self.peak_bytes, self._rss())

    def __exit__(self, *_: Any) -> None:
        self._stop.set()
        self._thread.join()
        self.peak_bytes = max(self.peak_bytes, self._rss())

    @property
    def growth_mb(self) -> float:
        return (self.peak_bytes - self.start_bytes) / 1e6


async def scratch_url(dialect: str) -> str:
    if dialect == "sqlite":
        path = ROOT / "var" / "bench" / "import-scratch.sqlite3"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)  # noqa: ASYNC240 - a script
        return f"sqlite+aiosqlite:///{path}"
    admin = make_url(POSTGRES_ADMIN)
    conn = await asyncpg.connect(host=admin.host, port=admin.port, user=admin.username)
    try:
        await conn.execute(f'DROP DATABASE IF EXISTS "{SCRATCH}" WITH (FORCE)')
        await conn.execute(f'CREATE DATABASE "{SCRATCH}"')
    finally:
        await conn.close()
    return admin.set(database=SCRATCH).render_as_string(hide_password=False)


def _settings(url: str) -> Settings:
    return Settings(
        database_url=url,
        data_dir=ROOT / "var" / "bench" / "import-files",
        log_level="WARNING",
        secret_key="bench-secret-key-that-is-long-enough-for-hs256",
        max_upload_bytes=200 * 1024 * 1024,
    )


async def _scratch_with_admin(dialect: str) -> tuple[Settings, int]:
    """A migrated, empty scratch database with the one user both runs act as."""
    settings = _settings(await scratch_url(dialect))
    db = create_database(settings)
    try:
        await upgrade_to_head(db.engine)
        async with db.write_session() as session:
            admin = User(email="bench@sanvi.example", name="Bench", role=Role.ADMIN,
                         password_hash="-", active=True)  # fmt: skip
            session.add(admin)
            await session.commit()
            return settings, admin.id
    finally:
        await db.dispose()


async def raw_bulk_insert(dialect: str, path: Path) -> None:
    """The same table rows the import writes (owner, timestamps, search text), from the
    file's cells as they are: no validation, matching, side tables or categorisation."""
    settings, admin_id = await _scratch_with_admin(dialect)
    db = create_database(settings)
    try:
        table = Customer.__table__
        batch: list[dict[str, Any]] = []
        now = utcnow()

        async def flush() -> None:
            async with db.write_session() as session:
                await session.execute(insert(table), batch)
                await session.commit()
            batch.clear()

        with open(path, encoding="utf-8", newline="") as source:  # noqa: ASYNC230
            reader = csv.reader(source)
            next(reader)
            for name, _, code, email, phone, tax_id, city, state, limit, _, _ in reader:
                search = customer_search_text(
                    name=name, code=code, email=email, phone=phone, tax_id=tax_id
                )
                batch.append(
                    {
                        "code": code,
                        "name": name,
                        "business_type": BusinessType.ENTERPRISE,
                        "status": CustomerStatus.ACTIVE,
                        "email": email,
                        "phone": phone,
                        "tax_id": tax_id,
                        "city": city,
                        "state": state,
                        "country": "IN",
                        "owner_id": admin_id,
                        "credit_limit": Decimal(limit.replace(",", "")) if limit else None,
                        "credit_outstanding": Decimal("0.00"),
                        "search_text": search,
                        "version": 1,
                        "created_at": now,
                        "updated_at": now,
                    }
                )
                if len(batch) >= 2000:
                    await flush()
        if batch:
            await flush()
    finally:
        await db.dispose()


async def real_import(dialect: str, path: Path) -> dict[str, Any]:
    settings, admin_id = await _scratch_with_admin(dialect)
    app = create_app(settings, background=False)
    from tests.contract_checks.operations import operation

    token = app.state.tokens.issue(admin_id)[0]
    operations = json.dumps(
        {
            "query": operation("ImportCustomers"),
            "variables": {"file": None, "options": {"onDuplicate": "UPDATE"}},
        }
    )
    try:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://bench") as client:
            with open(path, "rb") as upload:  # noqa: ASYNC230 - streamed by httpx
                response = await client.post(
                    "/graphql",
                    data={"operations": operations, "map": json.dumps({"0": ["variables.file"]})},
                    files={"0": (path.name, upload, "text/csv")},
                    headers={"Authorization": f"Bearer {token}", "X-CSRF-Protection": "1"},
                    timeout=600,
                )
            payload = response.json()["data"]["importCustomers"]
            if payload["errors"]:
                raise RuntimeError(payload["errors"])
            await app.state.platform.runner.run_queued(kinds=["customer-import"])
            body = (
                await client.post(
                    "/graphql",
                    json={
                        "query": operation("ImportJob"),
                        "variables": {"id": payload["job"]["id"]},
                    },
                    headers={"Authorization": f"Bearer {token}"},
                )
            ).json()
            return body["data"]["importJob"]
    finally:
        await app.state.db.dispose()


async def _timed(run: Callable[[], Awaitable[Any]]) -> tuple[float, float, Any]:
    with PeakMemory() as memory:
        started = time.perf_counter()
        result = await run()
        seconds = time.perf_counter() - started
    return seconds, memory.growth_mb, result


async def bench_import(bench: Any) -> list[Any]:
    from scripts.benchmark import Figure

    dialect = bench.db.dialect
    path = write_csv(ROOT / "var" / "bench" / f"import-{ROWS}.csv", ROWS)
    runs = max(1, min(bench.runs, 3))
    raw: list[float] = []
    full: list[float] = []
    raw_memory = full_memory = 0.0
    job: dict[str, Any] = {}
    for _ in range(runs):
        seconds, memory, _ = await _timed(lambda: raw_bulk_insert(dialect, path))
        raw.append(seconds)
        raw_memory = max(raw_memory, memory)
        seconds, memory, job = await _timed(lambda: real_import(dialect, path))
        full.append(seconds)
        full_memory = max(full_memory, memory)
        if job["status"] != "SUCCEEDED" or job["createdCount"] != ROWS:
            raise RuntimeError(f"the benchmark import did not create every row: {job}")
    ratio = sorted(full)[len(full) // 2] / sorted(raw)[len(raw) // 2]
    return [
        Figure(f"raw bulk insert, {ROWS:,} CSV rows", raw,
               note=f"peak memory +{raw_memory:.0f} MB"),
        Figure(f"importCustomers, {ROWS:,} CSV rows", full,
               note=f"peak memory +{full_memory:.0f} MB; {ratio:.1f}× the raw insert; "
               f"created {job['createdCount']:,}, failed {job['failedCount']}"),
    ]  # fmt: skip
