"""Publish/subscribe across server processes, announced only when the writer commits.

* PostgreSQL: ``pg_notify`` inside the writing transaction (PostgreSQL delivers it at
  commit and drops it on rollback) and one dedicated ``LISTEN`` connection per process,
  re-established after a database restart.
* SQLite: events wait on the session and are delivered in-process after its commit.

Either way, subscribers in this process get events through the same in-process hub.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from collections.abc import Iterator
from typing import Any

import asyncpg
from sqlalchemy import event, func, select
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session

logger = logging.getLogger("crm.pubsub")
CHANNEL = "crm_events"
LISTENER_NAME = "crm-event-listener"
QUEUE_SIZE = 1000


class EventHub:
    """In-process fan-out of events to the subscribers of a topic."""

    def __init__(self) -> None:
        self._subscribers: dict[str, set[asyncio.Queue[dict[str, Any]]]] = {}

    @contextlib.contextmanager
    def subscribe(self, topic: str) -> Iterator[asyncio.Queue[dict[str, Any]]]:
        queue: asyncio.Queue[dict[str, Any]] = asyncio.Queue(QUEUE_SIZE)
        self._subscribers.setdefault(topic, set()).add(queue)
        try:
            yield queue
        finally:
            subscribers = self._subscribers.get(topic)
            if subscribers is not None:
                subscribers.discard(queue)
                if not subscribers:
                    del self._subscribers[topic]

    def deliver(self, topic: str, payload: dict[str, Any]) -> None:
        for queue in list(self._subscribers.get(topic, ())):
            if queue.full():  # a stalled subscriber loses its oldest event, not the server
                queue.get_nowait()
            queue.put_nowait(payload)


class LocalPublisher:
    """SQLite: deliver after the session's commit, within this process."""

    def __init__(self, hub: EventHub) -> None:
        self.hub = hub

    async def publish(self, session: AsyncSession, topic: str, payload: dict[str, Any]) -> None:
        pending = session.sync_session.info.setdefault(_PENDING, [])
        pending.append((self.hub, topic, payload))

    async def start(self) -> None:
        return None

    async def stop(self) -> None:
        return None


_PENDING = "crm_pending_events"


@event.listens_for(Session, "after_commit")
def _deliver_pending(session: Session) -> None:
    for hub, topic, payload in session.info.pop(_PENDING, ()):
        hub.deliver(topic, payload)


@event.listens_for(Session, "after_soft_rollback")
def _forget_pending(session: Session, _transaction: Any) -> None:
    session.info.pop(_PENDING, None)


class PostgresPublisher:
    """PostgreSQL: NOTIFY in the writing transaction, LISTEN on a dedicated connection."""

    def __init__(self, hub: EventHub, database_url: str, *, retry_seconds: float = 1.0) -> None:
        self.hub = hub
        self._url = make_url(database_url)
        self._retry = retry_seconds
        self._task: asyncio.Task[None] | None = None
        self.listening = asyncio.Event()

    async def publish(self, session: AsyncSession, topic: str, payload: dict[str, Any]) -> None:
        message = json.dumps({"topic": topic, "data": payload}, default=str)
        await session.execute(select(func.pg_notify(CHANNEL, message)))

    def _on_notify(self, _conn: Any, _pid: int, _channel: str, message: str) -> None:
        try:
            decoded = json.loads(message)
            self.hub.deliver(decoded["topic"], decoded["data"])
        except (ValueError, KeyError, TypeError):
            logger.warning("ignored a malformed event", extra={"event": message[:200]})

    async def _listen_forever(self) -> None:
        while True:
            connection = None
            try:
                connection = await asyncpg.connect(
                    host=self._url.host,
                    port=self._url.port,
                    user=self._url.username,
                    password=self._url.password,
                    database=self._url.database,
                    timeout=10,
                    server_settings={"application_name": LISTENER_NAME},
                )
                closed = asyncio.Event()
                connection.add_termination_listener(lambda _c, closed=closed: closed.set())
                await connection.add_listener(CHANNEL, self._on_notify)
                self.listening.set()
                logger.info("listening for events")
                while not closed.is_set():
                    with contextlib.suppress(TimeoutError):
                        await asyncio.wait_for(closed.wait(), timeout=5)
                    if not closed.is_set():
                        await connection.execute("SELECT 1")  # notices a dead peer
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                logger.warning("event listener disconnected; retrying", extra={"error": str(exc)})
            finally:
                self.listening.clear()
                if connection is not None and not connection.is_closed():
                    with contextlib.suppress(Exception):
                        await connection.close(timeout=2)
            await asyncio.sleep(self._retry)

    async def start(self) -> None:
        self._task = asyncio.create_task(self._listen_forever(), name="pubsub-listener")
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self.listening.wait(), timeout=10)

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task


def create_publisher(hub: EventHub, database_url: str) -> LocalPublisher | PostgresPublisher:
    if make_url(database_url).get_backend_name() == "postgresql":
        return PostgresPublisher(hub, database_url)
    return LocalPublisher(hub)
