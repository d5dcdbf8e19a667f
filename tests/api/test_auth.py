"""Signing in, bearer tokens, and how failures reach the client."""

from __future__ import annotations

import base64
import datetime as dt
import json
import logging
import time
import uuid

import pytest
from argon2 import PasswordHasher
from sqlalchemy import update

import resolvers.products
from app.auth import TokenService
from models import User
from models.enums import Role
from tests.contract_checks.operations import operation
from tests.support import TEST_PASSWORD, GraphQLClient, error_codes

LOGIN = operation("Login")
ME = operation("Me")
PRODUCTS = operation("Products")
# The test settings cap the delay of a throttled sign-in at this many seconds.
THROTTLE_DELAY = 0.2


async def login(api, email: str, password: str = TEST_PASSWORD) -> dict:
    data = await api.client.data(LOGIN, {"email": email, "password": password})
    return data["login"]


async def timed_login(api, email: str, password: str) -> tuple[float, dict]:
    started = time.perf_counter()
    payload = await login(api, email, password)
    return time.perf_counter() - started, payload


async def quick_user(api) -> str:
    """A user with a unique email (the process-wide throttle starts clean for it) and a
    deliberately cheap Argon2 hash, so the timing of a sign-in is the throttle's delay and
    not the noise of a full-strength hash on a busy machine."""
    email = f"throttle-{uuid.uuid4().hex[:12]}@sanvi.test"
    cheap = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1).hash(TEST_PASSWORD)
    async with api.db.write_session() as session:
        session.add(User(email=email, name="Quick User", role=Role.SALES, password_hash=cheap))
        await session.commit()
    return email


async def deactivate(api, user_id: int) -> None:
    async with api.db.write_session() as session:
        await session.execute(update(User).where(User.id == user_id).values(active=False))
        await session.commit()


async def me_codes(api, token: str) -> list[str]:
    return error_codes(await api.client.post(ME, token=token))


# Signing in


async def test_login_with_the_right_password_returns_a_token_and_its_expiry(api):
    user = await api.make_user(Role.MANAGER)
    payload = await login(api, user.email)
    assert payload["errors"] == []
    assert payload["token"]
    expires_at = dt.datetime.fromisoformat(payload["expiresAt"])
    assert expires_at > dt.datetime.now(dt.UTC)
    assert payload["user"] == {
        "id": str(user.id),
        "email": user.email,
        "name": user.name,
        "role": "MANAGER",
    }


async def test_me_with_the_issued_token_is_the_signed_in_user(api):
    user = await api.make_user(Role.SALES)
    token = (await login(api, user.email))["token"]
    data = await api.client.data(ME, token=token)
    assert data["me"] == {
        "id": str(user.id),
        "email": user.email,
        "name": user.name,
        "role": "SALES",
    }


async def test_wrong_password_gives_an_error_and_no_token(api):
    user = await api.make_user(Role.SALES)
    payload = await login(api, user.email, "wrong password")
    assert (payload["token"], payload["expiresAt"], payload["user"]) == (None, None, None)
    assert [e["code"] for e in payload["errors"]] == ["INVALID_CREDENTIALS"]


async def test_unknown_email_gives_the_same_answer_as_a_wrong_password(api):
    user = await api.make_user(Role.SALES)
    wrong_password = await login(api, user.email, "wrong password")
    unknown_email = await login(api, "nobody@sanvi.test", "wrong password")
    assert unknown_email == wrong_password
    assert unknown_email["token"] is None


async def test_email_is_case_insensitive_at_login(api):
    user = await api.make_user(Role.SALES, email="asha.rao@sanvi.test")
    payload = await login(api, "  Asha.RAO@Sanvi.Test ")
    assert payload["errors"] == []
    assert payload["user"]["id"] == str(user.id)


async def test_deactivated_user_cannot_sign_in(api):
    user = await api.make_user(Role.SALES)
    await deactivate(api, user.id)
    payload = await login(api, user.email)
    assert payload["token"] is None
    assert [e["code"] for e in payload["errors"]] == ["INVALID_CREDENTIALS"]


async def test_repeated_failures_for_one_email_are_slowed_down(api):
    email = await quick_user(api)
    durations = [(await timed_login(api, email, "wrong password"))[0] for _ in range(6)]
    first, sixth = durations[0], durations[5]
    assert sixth - first >= THROTTLE_DELAY * 0.75, durations
    await login(api, email)  # clean up the throttle for this email


async def test_a_successful_login_resets_the_slowdown(api):
    email = await quick_user(api)
    for _ in range(5):
        await login(api, email, "wrong password")
    slowed, _ = await timed_login(api, email, "wrong password")
    success = await login(api, email)
    assert success["token"]
    after_reset, payload = await timed_login(api, email, "wrong password")
    assert payload["token"] is None
    assert slowed - after_reset >= THROTTLE_DELAY * 0.75, (slowed, after_reset)
    await login(api, email)


async def test_failures_for_one_email_do_not_slow_down_another(api):
    throttled, other = await quick_user(api), await quick_user(api)
    first_other, _ = await timed_login(api, other, "wrong password")
    for _ in range(5):
        await login(api, throttled, "wrong password")
    slowed, _ = await timed_login(api, throttled, "wrong password")
    second_other, _ = await timed_login(api, other, "wrong password")
    assert slowed - second_other >= THROTTLE_DELAY * 0.75, (slowed, second_other, first_other)
    await login(api, throttled)
    await login(api, other)


# Tokens


async def test_token_of_a_deactivated_user_stops_working_at_once(api):
    user = await api.make_user(Role.SALES)
    token = api.token_for(user.id)
    assert (await api.client.data(ME, token=token))["me"]["id"] == str(user.id)
    await deactivate(api, user.id)
    assert await me_codes(api, token) == ["UNAUTHENTICATED"]


async def test_token_with_a_tampered_payload_is_unauthenticated(api):
    victim = await api.make_user(Role.ADMIN)
    attacker = await api.make_user(Role.VIEWER)
    header, payload, signature = api.token_for(attacker.id).split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    claims["sub"] = str(victim.id)
    forged_payload = base64.urlsafe_b64encode(json.dumps(claims).encode()).decode().rstrip("=")
    assert await me_codes(api, f"{header}.{forged_payload}.{signature}") == ["UNAUTHENTICATED"]


async def test_token_with_a_tampered_signature_is_unauthenticated(api):
    user = await api.make_user(Role.SALES)
    header, payload, signature = api.token_for(user.id).split(".")
    flipped = ("A" if signature[0] != "A" else "B") + signature[1:]
    assert await me_codes(api, f"{header}.{payload}.{flipped}") == ["UNAUTHENTICATED"]


async def test_expired_token_is_unauthenticated(api):
    user = await api.make_user(Role.SALES)
    tokens = TokenService(api.app.state.settings.resolved_secret_key(), ttl_seconds=3600)
    expired, expires_at = tokens.issue(user.id, ttl=dt.timedelta(seconds=-60))
    assert expires_at < dt.datetime.now(dt.UTC)
    assert await me_codes(api, expired) == ["UNAUTHENTICATED"]


async def test_token_signed_with_another_secret_is_unauthenticated(api):
    user = await api.make_user(Role.SALES)
    foreign = TokenService("another-secret-key-that-is-long-enough-for-hs256", 3600)
    assert await me_codes(api, foreign.issue(user.id)[0]) == ["UNAUTHENTICATED"]


async def test_token_that_is_not_a_jwt_is_unauthenticated(api):
    assert await me_codes(api, "not.a.jwt") == ["UNAUTHENTICATED"]


async def test_no_token_is_unauthenticated(api):
    assert error_codes(await api.client.post(ME)) == ["UNAUTHENTICATED"]


async def test_authorization_that_is_not_a_bearer_token_is_unauthenticated(api):
    user = await api.make_user(Role.SALES)
    response = await api.client.http.post(
        "/graphql",
        json={"query": ME},
        headers={"Authorization": f"Basic {api.token_for(user.id)}"},
    )
    assert error_codes(response.json()) == ["UNAUTHENTICATED"]


# Unexpected errors


@pytest.fixture
def broken_product_list(monkeypatch):
    """The schema calls ``resolvers.products.list_products`` through the module object."""

    async def explode(*args, **kwargs):
        raise RuntimeError("connection string postgres://secret@db exploded")

    monkeypatch.setattr(resolvers.products, "list_products", explode)


async def _products_response(client: GraphQLClient, **headers: str):
    return await client.http.post(
        "/graphql",
        json={"query": PRODUCTS, "variables": {}},
        headers={"Authorization": f"Bearer {client.token}", **headers},
    )


async def test_unexpected_exception_is_masked_for_the_client(api, broken_product_list):
    client, _ = await api.client_for(Role.SALES)
    response = await _products_response(client)
    [error] = response.json()["errors"]
    assert error["message"] == "Internal server error"
    assert error["extensions"]["code"] == "INTERNAL_SERVER_ERROR"
    assert "secret" not in response.text
    assert "RuntimeError" not in response.text


async def test_masked_error_carries_the_request_id_of_the_response(api, broken_product_list):
    client, _ = await api.client_for(Role.SALES)
    response = await _products_response(client)
    [error] = response.json()["errors"]
    assert error["extensions"]["requestId"] == response.headers["x-request-id"]


async def test_masked_error_keeps_the_request_id_the_client_sent(api, broken_product_list):
    client, _ = await api.client_for(Role.SALES)
    response = await _products_response(client, **{"X-Request-ID": "trace-1234"})
    assert response.headers["x-request-id"] == "trace-1234"
    assert response.json()["errors"][0]["extensions"]["requestId"] == "trace-1234"


async def test_unexpected_exception_is_logged_in_full_with_the_request_id(
    api, broken_product_list, caplog
):
    client, _ = await api.client_for(Role.SALES)
    with caplog.at_level(logging.ERROR, logger="crm.errors"):
        response = await _products_response(client)
    [record] = [r for r in caplog.records if r.name == "crm.errors"]
    assert record.request_id == response.headers["x-request-id"]
    assert record.exc_info is not None
    assert isinstance(record.exc_info[1], RuntimeError)
    assert "products" in record.getMessage()


async def test_expected_errors_are_not_masked_or_logged(api, caplog):
    with caplog.at_level(logging.ERROR, logger="crm.errors"):
        body = await api.client.post(ME)
    assert body["errors"][0]["message"] != "Internal server error"
    assert not [r for r in caplog.records if r.name == "crm.errors"]


# GraphiQL


async def test_browser_get_of_graphql_serves_graphiql(api):
    response = await api.client.http.get("/graphql", headers={"Accept": "text/html"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert "graphiql" in response.text.lower()
