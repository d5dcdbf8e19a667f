"""The role matrix (DESIGN.md §6) for subscriptions, through a real Uvicorn process and a
graphql-transport-ws client.

The expected outcome of every (subscription field, caller) pair is derived from the
schema's permission classes and ``resolvers.roles.PERMISSIONS``, as for queries and
mutations in tests/api/test_roles.py; a new subscription field without a request in
``REQUESTS`` fails here.

graphql-transport-ws acknowledges no subscription, so "let through" is shown by a probe:
after subscribing, the client sends a query that needs the database (``me``). The
permission check of a subscription does no I/O, so a refusal is sent before the probe's
answer; an allowed caller's subscription has sent nothing refused by then.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import AsyncIterator, Iterator
from typing import Any

import pytest
import pytest_asyncio
import websockets
from graphql import OperationDefinitionNode, OperationType, parse

from app.auth import TokenService
from app.db import create_database
from models import User
from models.enums import Role
from resolvers.passwords import hash_password_sync
from tests.api.test_roles import CALLERS, SUBSCRIPTION_FIELDS, expected_outcome
from tests.platform.live import SECRET, LiveServer, live_server
from tests.support import settings_for, wipe

pytestmark = pytest.mark.slow

MISSING = "999999"
REQUESTS: dict[str, str] = {
    "jobProgress": f'subscription {{ jobProgress(id: "{MISSING}") {{ status }} }}',
    "creditAlerts": "subscription { creditAlerts { level } }",
    "taskAlerts": "subscription { taskAlerts { kind } }",
}
PROBE = "query Probe { me { id } }"
REFUSED = {"UNAUTHENTICATED", "FORBIDDEN", "INTERNAL_SERVER_ERROR"}
WITHIN = 15  # seconds to wait for an answer the server owes


@pytest.fixture(scope="module")
def server(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    with live_server(
        database_url,
        tmp_path_factory.mktemp("subscription-roles"),
        job_workers="0",
        scheduler_enabled="false",
    ) as s:
        yield s


@pytest_asyncio.fixture(scope="module")
async def tokens(
    database_url: str, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[dict[Role, str]]:
    """A signed-in user of each role."""
    db = create_database(settings_for(database_url, tmp_path_factory.mktemp("roles-data")))
    try:
        await wipe(db.engine)
        async with db.write_session() as session:
            users = {
                role: User(
                    email=f"{role.value.lower()}@roles.sanvi.test",
                    name=f"{role.value.title()} Caller",
                    role=role,
                    password_hash=hash_password_sync("irrelevant-password"),
                    active=True,
                )
                for role in Role
            }
            session.add_all(users.values())
            await session.commit()
        issue = TokenService(SECRET, 3600).issue
        yield {role: issue(user.id)[0] for role, user in users.items()}
    finally:
        await db.dispose()


@contextlib.asynccontextmanager
async def connection(server: LiveServer, token: str | None) -> AsyncIterator[Any]:
    async with websockets.connect(server.ws_url, subprotocols=["graphql-transport-ws"]) as ws:
        payload = {"Authorization": f"Bearer {token}"} if token else {}
        await ws.send(json.dumps({"type": "connection_init", "payload": payload}))
        yield ws


async def receive(ws: Any) -> dict[str, Any]:
    return json.loads(await asyncio.wait_for(ws.recv(), timeout=WITHIN))


def error_codes(message: dict[str, Any]) -> list[str]:
    """Codes of a graphql-transport-ws "error" or "next" message's errors."""
    payload = message.get("payload")
    errors = payload if message["type"] == "error" else (payload or {}).get("errors") or []
    return [(e.get("extensions") or {}).get("code") for e in errors]


async def subscribe_then_probe(ws: Any, query: str) -> list[dict[str, Any]]:
    """The subscription's messages that arrived before the probe's answer."""
    assert (await receive(ws))["type"] == "connection_ack"
    await ws.send(json.dumps({"id": "field", "type": "subscribe", "payload": {"query": query}}))
    await ws.send(json.dumps({"id": "probe", "type": "subscribe", "payload": {"query": PROBE}}))
    before_probe = []
    while True:
        message = await receive(ws)
        if message.get("id") == "probe":
            assert message["type"] == "next" and not error_codes(message), message
            return before_probe
        before_probe.append(message)


async def first_message(ws: Any, query: str) -> dict[str, Any]:
    assert (await receive(ws))["type"] == "connection_ack"
    await ws.send(json.dumps({"id": "field", "type": "subscribe", "payload": {"query": query}}))
    return await receive(ws)


def _pairs(wanted: str | None) -> list[tuple[str, str]]:
    return [
        (name, caller.value if caller else "anonymous")
        for name in sorted(SUBSCRIPTION_FIELDS)
        for caller in CALLERS
        if expected_outcome(name, caller) == wanted
    ]


def test_the_matrix_has_a_request_for_every_subscription():
    assert set(REQUESTS) == set(SUBSCRIPTION_FIELDS)


@pytest.mark.parametrize("name", sorted(REQUESTS))
def test_each_request_subscribes_to_only_its_own_field(name):
    [operation] = parse(REQUESTS[name]).definitions
    assert isinstance(operation, OperationDefinitionNode)
    assert operation.operation == OperationType.SUBSCRIPTION
    assert [s.name.value for s in operation.selection_set.selections] == [name]


def test_the_probe_itself_is_open_to_every_role():
    assert all(expected_outcome("me", role) is None for role in Role)


@pytest.mark.parametrize(("name", "caller"), _pairs("UNAUTHENTICATED"))
async def test_anonymous_connection_is_refused_at_connection_init(server, name, caller):
    async with connection(server, None) as ws:
        with pytest.raises(websockets.ConnectionClosed) as closed:
            await first_message(ws, REQUESTS[name])
    assert closed.value.rcvd is not None and closed.value.rcvd.code == 4403


@pytest.mark.parametrize(("name", "caller"), _pairs("FORBIDDEN"))
async def test_roles_the_table_denies_are_forbidden(server, tokens, name, caller):
    async with connection(server, tokens[Role(caller)]) as ws:
        message = await first_message(ws, REQUESTS[name])
    assert message["id"] == "field"
    assert error_codes(message) == ["FORBIDDEN"], message


@pytest.mark.parametrize(("name", "caller"), _pairs(None))
async def test_roles_the_table_allows_get_past_the_permission_check(server, tokens, name, caller):
    # when
    async with connection(server, tokens[Role(caller)]) as ws:
        before_probe = await subscribe_then_probe(ws, REQUESTS[name])
    # then: nothing yet, or an answer (jobProgress: no such job); never a refusal or a crash
    refusals = [m for m in before_probe if REFUSED & set(error_codes(m))]
    assert refusals == []
    assert all(m["type"] in ("next", "error", "complete") for m in before_probe), before_probe
