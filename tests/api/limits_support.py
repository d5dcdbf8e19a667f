"""An app of its own with tight limits, on the session's database, for the limit tests."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
from asgi_lifespan import LifespanManager
from starlette.applications import Starlette

from app.main import create_app
from tests.support import GraphQLClient, StatementCounter, settings_for


@dataclass
class LimitedClient(GraphQLClient):
    app: Starlette | None = None


@contextlib.asynccontextmanager
async def client_with(
    database_url: str, data_dir: Path, **overrides: Any
) -> AsyncIterator[LimitedClient]:
    """A GraphQL client of a separate app configured with ``overrides``."""
    application = create_app(settings_for(database_url, data_dir, **overrides), background=False)
    async with LifespanManager(application):
        transport = httpx.ASGITransport(app=application)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
            yield LimitedClient(http=http, app=application)


def token_header(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def count_statements(client: LimitedClient) -> Any:
    assert client.app is not None
    return StatementCounter().watching(client.app.state.db.engine)
