"""Transport safety: no cross-site request can change anything (multipart needs a header a
browser only sends after a CORS preflight, GET never mutates, text/plain is refused), CORS
admits only the configured origins, and every response carries the security headers."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pydantic
import pytest
import pytest_asyncio
from asgi_lifespan import LifespanManager
from starlette.applications import Starlette
from starlette.responses import PlainTextResponse
from starlette.routing import Route

from app.main import create_app
from app.security_headers import SecurityHeadersMiddleware
from models.enums import Role
from tests.support import settings_for

FRONTEND = "https://crm.sanvi.example"
STRANGER = "https://evil.example"
CREATE_CUSTOMER = """mutation { createCustomer(input: {name: "Forged", businessType: INDIVIDUAL})
    { customer { id } errors { code } } }"""
API_HEADERS = {
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "referrer-policy": "no-referrer",
    "cross-origin-opener-policy": "same-origin",
}


def assert_security_headers(response: httpx.Response) -> None:
    for name, value in API_HEADERS.items():
        assert response.headers.get(name) == value, (name, response.headers)
    policy = response.headers["content-security-policy"]
    assert "frame-ancestors 'none'" in policy
    assert "strict-transport-security" not in response.headers  # the test URL is http


async def customer_count(api: Any, token: str) -> int:
    body = await api.client.post("{ customers { totalCount } }", token=token)
    return body["data"]["customers"]["totalCount"]


# Cross-site requests cannot change anything


async def test_a_multipart_post_without_a_preflight_header_is_refused(api):
    operations = json.dumps({"query": "{ __typename }"})
    response = await api.client.http.post(
        "/graphql", data={"operations": operations, "map": "{}"}, files={"x": ("x", b"x")}
    )
    assert response.status_code == 400
    assert "X-CSRF-Protection" in response.json()["errors"][0]["message"]


async def test_a_multipart_post_with_a_preflight_header_is_executed(api):
    operations = json.dumps({"query": "{ __typename }"})
    response = await api.client.http.post(
        "/graphql",
        data={"operations": operations, "map": "{}"},
        files={"x": ("x", b"x")},
        headers={"X-CSRF-Protection": "1"},
    )
    assert response.status_code == 200
    assert response.json()["data"] == {"__typename": "Query"}


async def test_a_mutation_over_get_changes_nothing(api):
    client, _ = await api.client_for(Role.SALES)
    response = await api.client.http.get(
        "/graphql",
        params={"query": CREATE_CUSTOMER},
        headers={"Authorization": f"Bearer {client.token}"},
    )
    assert response.status_code == 405
    assert await customer_count(api, client.token) == 0


async def test_a_text_plain_post_a_form_could_send_changes_nothing(api):
    client, _ = await api.client_for(Role.SALES)
    response = await api.client.http.post(
        "/graphql",
        content=json.dumps({"query": CREATE_CUSTOMER}),
        headers={"Content-Type": "text/plain", "Authorization": f"Bearer {client.token}"},
    )
    assert response.status_code == 415
    assert await customer_count(api, client.token) == 0


# CORS


@pytest_asyncio.fixture(scope="module")
async def cors_app(database_url: str, tmp_path_factory: Any) -> AsyncIterator[Starlette]:
    settings = settings_for(database_url, tmp_path_factory.mktemp("cors"), cors_origins=[FRONTEND])
    application = create_app(settings, background=False)
    async with LifespanManager(application):
        yield application


@pytest_asyncio.fixture
async def cors_client(cors_app: Starlette) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=cors_app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
        yield http


def preflight_headers(origin: str) -> dict[str, str]:
    return {
        "Origin": origin,
        "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "authorization, content-type",
    }


async def test_a_preflight_from_an_allowed_origin_is_answered(cors_client):
    response = await cors_client.options("/graphql", headers=preflight_headers(FRONTEND))
    assert response.status_code == 200
    assert response.headers["access-control-allow-origin"] == FRONTEND
    assert "POST" in response.headers["access-control-allow-methods"]
    allowed_headers = response.headers["access-control-allow-headers"].lower()
    assert "authorization" in allowed_headers
    assert "content-type" in allowed_headers


async def test_a_preflight_from_another_origin_is_refused(cors_client):
    response = await cors_client.options("/graphql", headers=preflight_headers(STRANGER))
    assert response.status_code == 400
    assert "access-control-allow-origin" not in response.headers


async def test_a_request_from_an_allowed_origin_may_read_the_answer_and_its_request_id(
    cors_client,
):
    response = await cors_client.post(
        "/graphql", json={"query": "{ __typename }"}, headers={"Origin": FRONTEND}
    )
    assert response.headers["access-control-allow-origin"] == FRONTEND
    assert "x-request-id" in response.headers["access-control-expose-headers"].lower()
    assert "access-control-allow-credentials" not in response.headers


async def test_a_request_from_another_origin_gets_no_cors_headers(cors_client):
    response = await cors_client.post(
        "/graphql", json={"query": "{ __typename }"}, headers={"Origin": STRANGER}
    )
    assert "access-control-allow-origin" not in response.headers


async def test_without_configured_origins_no_origin_is_allowed(api):
    response = await api.client.http.options("/graphql", headers=preflight_headers(FRONTEND))
    assert response.status_code == 400
    assert "access-control-allow-origin" not in response.headers


# Security headers on every kind of response


async def test_graphql_answers_carry_the_security_headers(api):
    response = await api.client.http.post("/graphql", json={"query": "{ __typename }"})
    assert_security_headers(response)
    assert "default-src 'none'" in response.headers["content-security-policy"]


async def test_graphql_request_errors_carry_the_security_headers(api):
    response = await api.client.http.post(
        "/graphql", content=b"{", headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 400
    assert_security_headers(response)


async def test_health_carries_the_security_headers(api):
    assert_security_headers(await api.client.http.get("/health"))


async def test_an_unknown_path_carries_the_security_headers(api):
    response = await api.client.http.get("/no-such-page")
    assert response.status_code == 404
    assert_security_headers(response)


async def test_a_refused_method_carries_the_security_headers(api):
    response = await api.client.http.delete("/graphql")
    assert response.status_code == 405
    assert_security_headers(response)


async def test_a_download_carries_the_security_headers_and_keeps_its_own_caching(api):
    platform = api.app.state.platform
    with platform.files.writer(suffix=".csv") as (out, stored):
        out.write(b"code,name\n")
    link = platform.signer.url(
        stored[0].key,
        filename="customers.csv",
        expires_at=dt.datetime.now(dt.UTC) + dt.timedelta(hours=1),
    )
    response = await api.client.http.get(re.sub(r"^https?://[^/]+", "", link))
    assert response.status_code == 200
    assert_security_headers(response)
    assert response.headers["cache-control"] == "private, no-store"
    assert "sandbox" in response.headers["content-security-policy"]


async def test_a_refused_download_carries_the_security_headers(api):
    response = await api.client.http.get("/downloads/2026/01/nothing.csv?name=x&exp=1&sig=x")
    assert response.status_code == 403
    assert_security_headers(response)


async def test_an_unexpected_failure_still_answers_500_with_the_security_headers(api, monkeypatch):
    def broken(*args: Any, **kwargs: Any) -> bool:
        raise RuntimeError("signer is down")

    monkeypatch.setattr(api.app.state.platform.signer, "valid", broken)
    transport = httpx.ASGITransport(app=api.app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
        response = await http.get("/downloads/2026/01/nothing.csv?name=x&exp=1&sig=x")
    assert response.status_code == 500
    assert_security_headers(response)
    assert "signer is down" not in response.text


async def test_graphiql_may_load_its_own_assets_and_nothing_else(api):
    response = await api.client.http.get("/graphql", headers={"Accept": "text/html"})
    assert response.status_code == 200
    policy = dict(
        directive.strip().split(" ", 1)
        for directive in response.headers["content-security-policy"].split(";")
    )
    script_origins = set(re.findall(r'<script[^>]*\ssrc="(https://[^/"]+)/', response.text))
    assert script_origins
    assert all(origin in policy["script-src"] for origin in script_origins)
    assert "'sha256-" in policy["script-src"]  # its inline script, by hash
    assert "'unsafe-inline'" not in policy["script-src"]
    assert "'unsafe-eval'" not in policy["script-src"]
    assert "'self'" in policy["connect-src"]
    assert policy["frame-ancestors"] == "'none'"
    assert response.headers["x-frame-options"] == "DENY"


# Strict-Transport-Security follows the public base URL


def _hello_app(public_base_url: str) -> SecurityHeadersMiddleware:
    async def hello(_: Any) -> PlainTextResponse:
        return PlainTextResponse("hello")

    return SecurityHeadersMiddleware(
        Starlette(routes=[Route("/", hello)]), public_base_url=public_base_url
    )


async def test_strict_transport_security_is_sent_when_the_public_url_is_https():
    transport = httpx.ASGITransport(app=_hello_app("https://crm.sanvi.example"))
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
        response = await http.get("/")
    assert response.headers["strict-transport-security"].startswith("max-age=")


async def test_strict_transport_security_is_not_sent_when_the_public_url_is_http():
    transport = httpx.ASGITransport(app=_hello_app("http://127.0.0.1:8000"))
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
        response = await http.get("/")
    assert "strict-transport-security" not in response.headers


@pytest.mark.parametrize(
    "origin", ["https://crm.sanvi.example/", "crm.sanvi.example", "https://crm.sanvi.example/app"]
)
def test_a_cors_origin_no_browser_would_send_is_refused_by_the_settings(origin, tmp_path):
    with pytest.raises(pydantic.ValidationError, match="CRM_CORS_ORIGINS"):
        settings_for("sqlite+aiosqlite:///unused.sqlite3", tmp_path, cors_origins=[origin])
