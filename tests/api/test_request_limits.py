"""Request limits (app/request_limits.py): batching, body size against upload size, time."""

from __future__ import annotations

import asyncio
import json

import pytest
from pydantic import ValidationError
from sqlalchemy import text

import schema.users
from app.settings import Settings
from models.enums import Role
from tests.api.interaction_support import make_customer
from tests.api.limits_support import client_with, token_header
from tests.api.test_interaction_uploads import CSRF, LOG_INTERACTION
from tests.support import error_codes

ME = {"query": "{ me { id } }"}


async def test_a_batched_request_is_refused_while_batching_is_off(api):
    response = await api.client.http.post("/graphql", json=[ME, ME])
    assert response.status_code == 400
    assert error_codes(response.json()) == ["BATCHING_DISABLED"]


async def test_a_batch_runs_when_batching_is_switched_on(api, database_url, tmp_path):
    _, viewer = await api.client_for(Role.VIEWER)
    headers = token_header(api.token_for(viewer.id))
    async with client_with(database_url, tmp_path, graphql_batch_max_operations=2) as client:
        response = await client.http.post("/graphql", json=[ME, ME], headers=headers)
    assert response.status_code == 200
    assert [r["data"]["me"]["id"] for r in response.json()] == [str(viewer.id)] * 2


async def test_a_batch_larger_than_allowed_is_refused(api, database_url, tmp_path):
    async with client_with(database_url, tmp_path, graphql_batch_max_operations=2) as client:
        response = await client.http.post("/graphql", json=[ME, ME, ME])
    assert response.status_code == 400
    assert error_codes(response.json()) == ["TOO_MANY_OPERATIONS"]


async def test_a_body_declared_larger_than_the_limit_gets_413(api, database_url, tmp_path):
    limits = {"max_upload_bytes": 1000, "max_request_body_bytes": 4000}
    body = json.dumps({"query": "{ me { id } }", "variables": {"pad": "x" * 5000}})
    async with client_with(database_url, tmp_path, **limits) as client:
        response = await client.http.post(
            "/graphql", content=body, headers={"Content-Type": "application/json"}
        )
    assert response.status_code == 413
    assert error_codes(response.json()) == ["PAYLOAD_TOO_LARGE"]


async def test_a_streamed_body_is_cut_off_at_the_limit_with_413(api, database_url, tmp_path):
    limits = {"max_upload_bytes": 1000, "max_request_body_bytes": 4000}
    chunks_sent = 0

    async def endless():
        nonlocal chunks_sent
        yield b'{"query": "{ me { id } }", "variables": {"pad": "'
        while chunks_sent < 1000:
            chunks_sent += 1
            yield b"x" * 1000

    async with client_with(database_url, tmp_path, **limits) as client:
        response = await client.http.post(
            "/graphql", content=endless(), headers={"Content-Type": "application/json"}
        )
    assert response.status_code == 413
    assert error_codes(response.json()) == ["PAYLOAD_TOO_LARGE"]
    assert chunks_sent < 10


async def test_an_upload_just_over_its_limit_gets_the_uploads_own_error(
    api, database_url, tmp_path
):
    # given a request body limit above the upload limit
    rep = await api.make_user(Role.SALES)
    customer = await make_customer(api, owner_id=rep.id)
    limits = {"max_upload_bytes": 2000, "max_request_body_bytes": 16_000}
    variables = {
        "input": {
            "customerId": str(customer),
            "kind": "MEETING",
            "subject": "Site visit",
            "attachments": [None],
        }
    }
    big = b"%PDF-1.4\n" + b"x" * 4000
    # when
    async with client_with(database_url, tmp_path, **limits) as client:
        response = await client.http.post(
            "/graphql",
            data={
                "operations": json.dumps({"query": LOG_INTERACTION, "variables": variables}),
                "map": json.dumps({"0": ["variables.input.attachments.0"]}),
            },
            files={"0": ("big.pdf", big, "application/pdf")},
            headers={**token_header(api.token_for(rep.id)), **CSRF},
        )
    # then
    result = response.json()["data"]["createInteraction"]
    assert [(e["field"], e["code"]) for e in result["errors"]] == [("attachments.0", "TOO_LARGE")]


def test_the_body_limit_must_exceed_the_upload_limit():
    with pytest.raises(ValidationError, match="MAX_REQUEST_BODY_BYTES"):
        Settings(_env_file=None, max_upload_bytes=1000, max_request_body_bytes=1000)


def test_the_default_body_limit_leaves_room_above_the_upload_limit():
    settings = Settings(_env_file=None)
    assert settings.request_body_limit > settings.max_upload_bytes


async def test_an_operation_running_past_the_time_limit_is_stopped(
    api, database_url, tmp_path, monkeypatch
):
    # given a resolver that would take far longer than the limit
    _, viewer = await api.client_for(Role.VIEWER)

    async def slow_load_user(info, user_id):
        await asyncio.sleep(30)

    monkeypatch.setattr(schema.users, "load_user", slow_load_user)
    # when
    async with client_with(database_url, tmp_path, request_timeout_seconds=0.05) as client:
        body = await client.post("{ me { id } }", token=api.token_for(viewer.id))
    # then
    assert body["data"] is None
    assert error_codes(body) == ["REQUEST_TIMEOUT"]
    assert "0.05 seconds" in body["errors"][0]["message"]


async def test_postgresql_connections_carry_the_statement_timeout(api):
    if api.dialect != "postgresql":
        pytest.skip("statement_timeout is a PostgreSQL setting")
    async with api.db.read_session() as session:
        value = (await session.execute(text("SHOW statement_timeout"))).scalar_one()
    assert value == "1min"  # CRM_DATABASE_STATEMENT_TIMEOUT_SECONDS=60


async def test_a_statement_timeout_of_zero_leaves_postgresql_unlimited(api, database_url, tmp_path):
    if api.dialect != "postgresql":
        pytest.skip("statement_timeout is a PostgreSQL setting")
    async with client_with(database_url, tmp_path, database_statement_timeout_seconds=0) as client:
        assert client.app is not None
        async with client.app.state.db.read_session() as session:
            value = (await session.execute(text("SHOW statement_timeout"))).scalar_one()
    assert value == "0"
