"""Outages for the load test: PostgreSQL restarted, or one database's connections cut."""

from __future__ import annotations

import asyncio
import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import asyncpg
from sqlalchemy.engine import make_url

from scripts.load_support import Outcome

RESTART_POSTGRES = "pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main restart"
RESTART_NOTICE = Path("/tmp/pg_restart_notice.txt")


@dataclass
class OutageWindow:
    began: float | None = None
    ended: float | None = None
    output: str = ""


async def restart_postgres() -> str:
    """Restart the local PostgreSQL cluster (announced in /tmp/pg_restart_notice.txt)."""
    stamp = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    line = f"{stamp} scripts.load_test restarts PostgreSQL now (a few seconds)\n"
    await asyncio.to_thread(_append, RESTART_NOTICE, line)
    process = await asyncio.create_subprocess_shell(
        RESTART_POSTGRES, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT
    )
    out, _ = await process.communicate()
    return f"restart exit {process.returncode} {out.decode(errors='replace').strip()}".strip()


def _append(path: Path, line: str) -> None:
    with path.open("a") as file:
        file.write(line)


async def cut_connections(database_url: str, seconds: float) -> str:
    """An outage of this database only (other databases on the server are untouched): new
    connections refused for ``seconds``, every existing one terminated."""
    url = make_url(database_url)
    name = url.database
    admin = await asyncpg.connect(host=url.host, port=url.port, user=url.username)
    try:
        await admin.execute(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS false')
        killed = await admin.fetchval(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
            "WHERE datname = $1 AND pid <> pg_backend_pid()",
            name,
        )
        await asyncio.sleep(seconds)
    finally:
        await admin.execute(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS true')
        await admin.close()
    return f"{killed} connections terminated, none accepted for {seconds:g} s"


def in_outage(outcome: Outcome, window: OutageWindow, grace: float) -> bool:
    if window.began is None or window.ended is None:
        return False
    return outcome.ended >= window.began and outcome.started < window.ended + grace
