"""Real Uvicorn server processes on loopback, and a graphql-transport-ws client."""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import websockets

ROOT = Path(__file__).resolve().parents[2]
SECRET = "live-test-secret-key-long-enough-for-hs256"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class LiveServer:
    process: subprocess.Popen[bytes]
    port: int
    log: Path

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def ws_url(self) -> str:
        return f"ws://127.0.0.1:{self.port}/graphql"

    def kill(self) -> None:
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=10)


def server_env(database_url: str, data_dir: Path, port: int, **settings: str) -> dict[str, str]:
    env = {
        **os.environ,
        "CRM_ENVIRONMENT": "test",
        "CRM_DATABASE_URL": database_url,
        "CRM_SECRET_KEY": SECRET,
        "CRM_DATA_DIR": str(data_dir),
        "CRM_PUBLIC_BASE_URL": f"http://127.0.0.1:{port}",
        "CRM_JOB_MODULES": '["tests.platform.jobs_for_tests"]',
        "CRM_JOB_POLL_SECONDS": "0.2",
        "CRM_JOB_HEARTBEAT_SECONDS": "0.5",
        "CRM_JOB_STALE_AFTER_SECONDS": "3",
        "CRM_SUBSCRIPTION_RECHECK_SECONDS": "0.5",
        "CRM_LOG_LEVEL": "WARNING",
        # One loopback address for every test client: rate limits have their own tests.
        "CRM_RATE_LIMIT_USER_PER_MINUTE": "0",
        "CRM_RATE_LIMIT_ADDRESS_PER_MINUTE": "0",
    }
    env.update({f"CRM_{k.upper()}": v for k, v in settings.items()})
    return env


@contextlib.contextmanager
def live_server(database_url: str, data_dir: Path, **settings: str) -> Iterator[LiveServer]:
    port = free_port()
    log = data_dir / f"server-{port}.log"
    with open(log, "wb") as out:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "uvicorn",
                "app.main:app",
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
                "--no-access-log",
            ],
            cwd=ROOT,
            env=server_env(database_url, data_dir, port, **settings),
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    server = LiveServer(process=process, port=port, log=log)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                if httpx.get(f"{server.base_url}/health", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"server did not start:\n{log.read_text()[-3000:]}")
            time.sleep(0.1)
        yield server
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


@contextlib.asynccontextmanager
async def subscription(
    server: LiveServer, token: str, query: str, variables: dict[str, Any]
) -> AsyncIterator[asyncio.Queue[dict[str, Any]]]:
    """Messages of one graphql-transport-ws subscription ("next", "error", "complete")."""
    async with websockets.connect(server.ws_url, subprotocols=["graphql-transport-ws"]) as ws:
        await ws.send(
            json.dumps({"type": "connection_init", "payload": {"Authorization": f"Bearer {token}"}})
        )
        ack = json.loads(await asyncio.wait_for(ws.recv(), timeout=10))
        assert ack["type"] == "connection_ack", ack
        await ws.send(
            json.dumps(
                {
                    "id": "1",
                    "type": "subscribe",
                    "payload": {"query": query, "variables": variables},
                }
            )
        )
        messages: asyncio.Queue[dict[str, Any]] = asyncio.Queue()

        async def pump() -> None:
            try:
                async for raw in ws:
                    message = json.loads(raw)
                    if message["type"] in ("next", "error", "complete"):
                        await messages.put(message)
            except websockets.ConnectionClosed as exc:
                await messages.put({"type": "closed", "code": exc.rcvd.code if exc.rcvd else None})
            else:
                await messages.put({"type": "closed", "code": ws.close_code})

        task = asyncio.create_task(pump())
        try:
            yield messages
        finally:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task


async def next_message(messages: asyncio.Queue[dict[str, Any]], within: float = 15) -> dict:
    return await asyncio.wait_for(messages.get(), timeout=within)
