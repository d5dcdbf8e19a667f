"""The guard that closes a signed-in WebSocket when its access ends (no server needed)."""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
from collections.abc import Iterator
from dataclasses import dataclass, field
from types import SimpleNamespace

from app.access_guard import CLOSE_CODE, AccessGuards
from app.pubsub import EventHub
from models.enums import Role
from resolvers.access_events import ACCESS_CHANGED_TOPIC
from resolvers.actor import Actor

RECHECK = 0.05
USER = Actor(id=7, role=Role.SALES, name="Asha", email="asha@sanvi.test")
KEYED = Actor(id=7, role=Role.SALES, name="Asha", email="asha@sanvi.test", api_key_id=3)


@dataclass
class FakeSocket:
    scope: dict = field(default_factory=lambda: {"type": "websocket"})
    closed_with: int | None = None

    async def close(self, code: int, reason: str = "") -> None:
        self.closed_with = code


class Credentials:
    """Answers re-checks from a list of outcomes (the last repeats)."""

    def __init__(self, *answers: Actor | None) -> None:
        self.answers = list(answers)

    async def authenticate(self, credential: str | None) -> Actor | None:
        return self.answers.pop(0) if len(self.answers) > 1 else self.answers[0]


@contextlib.contextmanager
def watched(hub: EventHub, credentials: Credentials, actor: Actor = USER) -> Iterator[FakeSocket]:
    """A signed-in connection under a guard, stopped afterwards as the server would."""
    socket = FakeSocket()
    guards = AccessGuards(events=hub, authenticate=credentials.authenticate, recheck_every=RECHECK)
    guards.watch(SimpleNamespace(websocket=socket), credential="token", actor=actor)
    try:
        yield socket
    finally:
        guards.stop(socket.scope)


async def settle(seconds: float = RECHECK / 2) -> None:
    await asyncio.sleep(seconds)


async def closed_code(socket: FakeSocket, within: float = 2.0) -> int | None:
    """The close code, waiting for it a while (a busy machine delays the guard's timer)."""
    for _ in range(int(within / 0.01)):
        if socket.closed_with is not None:
            break
        await asyncio.sleep(0.01)
    return socket.closed_with


async def test_an_announcement_for_its_user_closes_the_connection_at_once():
    hub = EventHub()
    with watched(hub, Credentials(USER)) as socket:
        await settle(0)
        hub.deliver(ACCESS_CHANGED_TOPIC, {"userId": USER.id})
        assert await closed_code(socket) == CLOSE_CODE


async def test_an_announcement_for_its_api_key_closes_the_connection():
    hub = EventHub()
    with watched(hub, Credentials(KEYED), KEYED) as socket:
        await settle(0)
        hub.deliver(ACCESS_CHANGED_TOPIC, {"apiKeyId": 3})
        assert await closed_code(socket) == CLOSE_CODE


async def test_announcements_for_someone_else_leave_the_connection_open():
    hub = EventHub()
    with watched(hub, Credentials(USER)) as socket:
        await settle(0)
        hub.deliver(ACCESS_CHANGED_TOPIC, {"userId": 8})
        hub.deliver(ACCESS_CHANGED_TOPIC, {"apiKeyId": 3})
        await settle(RECHECK * 3)
        assert socket.closed_with is None


async def test_a_credential_that_stops_working_closes_the_connection_at_the_second_recheck():
    hub = EventHub()
    with watched(hub, Credentials(None)) as socket:
        await settle(RECHECK * 1.5)
        assert socket.closed_with is None  # the subscriptions' own re-checks answer first
        assert await closed_code(socket) == CLOSE_CODE


async def test_a_changed_role_found_at_the_rechecks_closes_the_connection():
    hub = EventHub()
    with watched(hub, Credentials(dataclasses.replace(USER, role=Role.VIEWER))) as socket:
        assert await closed_code(socket) == CLOSE_CODE


async def test_a_single_failed_recheck_followed_by_success_leaves_it_open():
    hub = EventHub()
    with watched(hub, Credentials(None, USER)) as socket:
        await settle(RECHECK * 4)
        assert socket.closed_with is None
