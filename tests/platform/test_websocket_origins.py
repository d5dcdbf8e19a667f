"""Cross-origin WebSocket handshakes follow CRM_CORS_ORIGINS, like cross-origin HTTP: a page
on a configured origin may subscribe, a page anywhere else is refused before any message."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
import websockets
from websockets.exceptions import InvalidStatus

from tests.platform.live import LiveServer, live_server

pytestmark = pytest.mark.slow

FRONTEND = "https://crm.sanvi.example"
STRANGER = "https://evil.example"


@pytest.fixture(scope="module")
def server(database_url: str, tmp_path_factory: Any) -> Iterator[LiveServer]:
    with live_server(
        database_url,
        tmp_path_factory.mktemp("ws-origins"),
        scheduler_enabled="false",
        cors_origins=json.dumps([FRONTEND]),
    ) as live:
        yield live


async def test_a_websocket_from_a_configured_origin_is_accepted(server):
    async with websockets.connect(
        server.ws_url, origin=FRONTEND, subprotocols=["graphql-transport-ws"]
    ) as ws:
        assert ws.subprotocol == "graphql-transport-ws"


async def test_a_websocket_from_another_origin_is_refused(server):
    with pytest.raises(InvalidStatus) as refused:
        async with websockets.connect(
            server.ws_url, origin=STRANGER, subprotocols=["graphql-transport-ws"]
        ):
            pass
    assert refused.value.response.status_code == 403
