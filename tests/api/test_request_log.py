"""The request log (app/request_log.py): one JSON line per HTTP request, whose request id
is the one in the ``X-Request-ID`` header and in a masked error, with who asked, which
operation, how long it took and how many SQL statements it sent."""

from __future__ import annotations

import asyncio
import json
import logging

import pytest
from sqlalchemy import text

import resolvers.products
from app.logging import JsonFormatter
from models.enums import Role

PRODUCTS = "query ProductList { products(first: 5) { totalCount edges { node { sku } } } }"


@pytest.fixture
def broken_product_list(monkeypatch):
    async def explode(*args, **kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(resolvers.products, "list_products", explode)


@pytest.fixture
def request_log(caplog):
    """The request log lines as the JSON objects the log handler writes."""
    formatter = JsonFormatter()

    def lines() -> list[dict]:
        return [json.loads(formatter.format(r)) for r in caplog.records if r.name == "crm.http"]

    with caplog.at_level(logging.INFO, logger="crm.http"):
        yield lines


async def _post(client, query: str, **headers: str):
    if client.token:
        headers["Authorization"] = f"Bearer {client.token}"
    return await client.http.post("/graphql", json={"query": query}, headers=headers)


async def test_a_request_logs_one_json_line_with_user_operation_duration_and_statements(
    api, request_log
):
    # given
    client, actor = await api.client_for(Role.VIEWER)
    # when
    response = await _post(client, PRODUCTS)
    # then
    assert response.json()["data"]["products"]["totalCount"] == 0
    [line] = request_log()
    assert line["request_id"] == response.headers["x-request-id"]
    assert (line["method"], line["path"], line["status"]) == ("POST", "/graphql", 200)
    assert line["user_id"] == actor.id
    assert line["operation_names"] == ["ProductList"]
    assert isinstance(line["duration_ms"], float) and line["duration_ms"] >= 0
    assert line["statements"] > 0


async def test_the_statement_count_is_what_the_request_sent(api, request_log):
    client, _ = await api.client_for(Role.VIEWER)
    with api.count_statements() as counter:
        await _post(client, PRODUCTS)
    [line] = request_log()
    assert line["statements"] == counter.count


async def test_statements_sent_outside_the_request_are_not_counted(api, request_log):
    # given: database work outside any request (as a job worker's) running meanwhile
    client, _ = await api.client_for(Role.VIEWER)
    await _post(client, PRODUCTS)
    done = asyncio.Event()
    background_statements = 0

    async def background_work() -> None:
        nonlocal background_statements
        while not done.is_set():
            async with api.db.read_session() as session:
                await session.execute(text("SELECT 1"))
            background_statements += 1
            await asyncio.sleep(0)

    worker = asyncio.get_running_loop().create_task(background_work())
    # when
    try:
        await _post(client, PRODUCTS)
    finally:
        done.set()
        await worker
    # then
    alone, alongside = request_log()
    assert background_statements > 0
    assert alongside["statements"] == alone["statements"]


async def test_an_anonymous_request_logs_no_user_and_an_unnamed_operation(api, request_log):
    await _post(api.client, "{ me { id } }")
    [line] = request_log()
    assert line["user_id"] is None
    assert line["operation_names"] == [None]


async def test_a_masked_error_carries_the_request_id_of_its_log_lines(
    api, broken_product_list, request_log, caplog
):
    # given
    client, actor = await api.client_for(Role.SALES)
    # when
    response = await _post(client, PRODUCTS, **{"X-Request-ID": "trace-5678"})
    # then: the client sees a masked error with the id of the response and of the log lines
    [error] = response.json()["errors"]
    assert error["message"] == "Internal server error"
    assert error["extensions"] == {"code": "INTERNAL_SERVER_ERROR", "requestId": "trace-5678"}
    assert response.headers["x-request-id"] == "trace-5678"
    [line] = request_log()
    assert line["request_id"] == "trace-5678"
    assert (line["user_id"], line["operation_names"]) == (actor.id, ["ProductList"])
    [logged_error] = [r for r in caplog.records if r.name == "crm.errors"]
    assert logged_error.levelno == logging.ERROR
    assert logged_error.request_id == "trace-5678"
    assert "disk on fire" in json.loads(JsonFormatter().format(logged_error))["exception"]


async def test_a_fresh_request_id_is_made_when_none_or_a_bad_one_is_sent(api, request_log):
    first = await _post(api.client, "{ me { id } }")
    second = await _post(api.client, "{ me { id } }", **{"X-Request-ID": "no spaces allowed"})
    ids = [line["request_id"] for line in request_log()]
    assert ids == [first.headers["x-request-id"], second.headers["x-request-id"]]
    assert len(set(ids)) == 2
    assert "no spaces allowed" not in ids


@pytest.mark.parametrize(
    ("role", "query", "code"),
    [
        (Role.VIEWER, "{ products(first: 1) { noSuchField } }", None),  # a validation error
        (None, "query Who { me { id } }", "UNAUTHENTICATED"),
        (
            Role.VIEWER,
            'mutation Grab { createSegment(input: { name: "X" }) { errors { code } } }',
            "FORBIDDEN",
        ),
    ],
)
async def test_expected_errors_are_neither_masked_nor_logged_as_errors(
    api, request_log, caplog, role, query, code
):
    client = (await api.client_for(role))[0] if role else api.client
    with caplog.at_level(logging.INFO):
        response = await _post(client, query)
    codes = [e.get("extensions", {}).get("code") for e in response.json()["errors"]]
    assert codes == [code]
    assert "Internal server error" not in response.text
    assert "requestId" not in response.text
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING] == []
    [line] = request_log()
    assert line["status"] in (200, 400)


async def test_a_request_outside_graphql_is_logged_without_operations(api, request_log):
    await api.client.http.get("/health")
    [line] = request_log()
    assert (line["path"], line["status"], line["operation_names"]) == ("/health", 200, [])
