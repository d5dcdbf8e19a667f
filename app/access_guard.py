"""Closing a signed-in WebSocket as soon as its access ends.

A WebSocket signs in once, at ``connection_init``. Each signed-in connection gets a guard
task that closes it (code 4403, like a refused sign-in) when

* an announcement on ``ACCESS_CHANGED_TOPIC`` concerns its user (deactivated, or given
  another role: the client reconnects with the new one) or its API key (revoked) — these
  travel through the same pub/sub as every other event, so they reach every process; or
* a periodic re-check (every ``subscription_recheck_seconds``) finds, twice in a row, that
  its credential no longer signs in the same user with the same role: an expired key, or a
  change made outside the API (``crm`` commands, SQL) that nobody announced. Waiting for the
  second failure lets each subscription first end with its own UNAUTHENTICATED error at
  its own re-check, which tells a client more than a closed socket.

Closing the socket ends every operation on it at once, whatever each is waiting for.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from resolvers.access_events import ACCESS_CHANGED_TOPIC, concerns
from resolvers.actor import Actor
from resolvers.ports import EventSubscriber
from schema.context import Context

logger = logging.getLogger("crm.access")
CLOSE_CODE = 4403
CLOSE_REASON = "Access revoked"


@dataclass
class ConnectionContext(Context):
    """The context of a WebSocket connection: also the socket, so a guard can close it."""

    websocket: Any = None


@dataclass
class AccessGuards:
    """One guard task per signed-in WebSocket, keyed by the connection's ASGI scope."""

    events: EventSubscriber
    authenticate: Callable[[str | None], Awaitable[Actor | None]]
    recheck_every: float

    def __post_init__(self) -> None:
        self._tasks: dict[int, asyncio.Task[None]] = {}

    def watch(self, context: Context, *, credential: str, actor: Actor) -> None:
        websocket = getattr(context, "websocket", None)
        if websocket is None:
            return
        key = id(websocket.scope)
        self.stop(websocket.scope)
        self._tasks[key] = asyncio.create_task(
            self._guard(websocket, credential, actor), name=f"access-guard-{actor.id}"
        )

    def stop(self, scope: Any) -> None:
        task = self._tasks.pop(id(scope), None)
        if task is not None:
            task.cancel()

    async def _still_allowed(self, credential: str, actor: Actor) -> bool:
        current = await self.authenticate(credential)
        return current is not None and (current.id, current.role) == (actor.id, actor.role)

    async def _guard(self, websocket: Any, credential: str, actor: Actor) -> None:
        failed_checks = 0
        with self.events.subscribe(ACCESS_CHANGED_TOPIC) as queue:
            while failed_checks < 2:
                try:
                    message = await asyncio.wait_for(queue.get(), timeout=self.recheck_every)
                except TimeoutError:
                    try:
                        allowed = await self._still_allowed(credential, actor)
                    except Exception:  # a database hiccup must not close live connections
                        logger.warning("access re-check failed", exc_info=True)
                        continue
                    failed_checks = 0 if allowed else failed_checks + 1
                    continue
                if concerns(message, user_id=actor.id, api_key_id=actor.api_key_id):
                    break
        logger.info(
            "closing a connection whose access ended",
            extra={"user_id": actor.id, "api_key_id": actor.api_key_id},
        )
        with contextlib.suppress(Exception):
            await websocket.close(code=CLOSE_CODE, reason=CLOSE_REASON)
