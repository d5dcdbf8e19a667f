"""Rate limits (app/rate_limits.py): token buckets per user and per client address."""

from __future__ import annotations

from app.rate_limits import TokenBuckets
from models.enums import Role
from tests.api.limits_support import client_with
from tests.support import error_codes

ME = "{ me { id } }"
PER_USER = {"rate_limit_user_per_minute": 1, "rate_limit_user_burst": 2}
PER_ADDRESS = {"rate_limit_address_per_minute": 1, "rate_limit_address_burst": 2}


async def test_a_user_over_their_rate_gets_429_with_retry_after(api, database_url, tmp_path):
    viewer = await api.make_user(Role.VIEWER)
    token = api.token_for(viewer.id)
    async with client_with(
        database_url, tmp_path, rate_limit_address_per_minute=0, **PER_USER
    ) as client:
        for _ in range(2):
            assert (await client.data(ME, token=token))["me"]["id"] == str(viewer.id)
        response = await client.http.post(
            "/graphql", json={"query": ME}, headers={"Authorization": f"Bearer {token}"}
        )
    assert response.status_code == 429
    assert response.headers["retry-after"] == "60"
    assert error_codes(response.json()) == ["RATE_LIMITED"]


async def test_one_users_limit_leaves_other_users_alone(api, database_url, tmp_path):
    first, second = await api.make_user(Role.VIEWER), await api.make_user(Role.VIEWER)
    async with client_with(
        database_url, tmp_path, rate_limit_address_per_minute=0, **PER_USER
    ) as client:
        for _ in range(3):
            await client.http.post(
                "/graphql",
                json={"query": ME},
                headers={"Authorization": f"Bearer {api.token_for(first.id)}"},
            )
        body = await client.data(ME, token=api.token_for(second.id))
    assert body["me"]["id"] == str(second.id)


async def test_an_address_over_its_rate_gets_429(api, database_url, tmp_path):
    async with client_with(
        database_url, tmp_path, rate_limit_user_per_minute=0, **PER_ADDRESS
    ) as client:
        for _ in range(2):
            await client.post("{ __typename }")
        response = await client.http.post("/graphql", json={"query": "{ __typename }"})
    assert response.status_code == 429
    assert int(response.headers["retry-after"]) == 60
    assert error_codes(response.json()) == ["RATE_LIMITED"]


async def test_the_address_limit_applies_to_signed_in_users_too(api, database_url, tmp_path):
    users = [await api.make_user(Role.VIEWER) for _ in range(3)]
    async with client_with(
        database_url, tmp_path, rate_limit_user_per_minute=0, **PER_ADDRESS
    ) as client:
        for user in users[:2]:
            await client.data(ME, token=api.token_for(user.id))
        response = await client.http.post(
            "/graphql",
            json={"query": ME},
            headers={"Authorization": f"Bearer {api.token_for(users[2].id)}"},
        )
    assert response.status_code == 429


async def test_health_is_not_rate_limited(api, database_url, tmp_path):
    async with client_with(database_url, tmp_path, **PER_ADDRESS) as client:
        statuses = [(await client.http.get("/health")).status_code for _ in range(5)]
    assert statuses == [200] * 5


def test_a_bucket_refills_at_its_rate():
    now = [0.0]
    buckets = TokenBuckets(per_minute=60, burst=1, clock=lambda: now[0])
    assert buckets.take("a") == 0
    assert buckets.take("a") == 1.0
    now[0] = 1.0
    assert buckets.take("a") == 0


def test_a_bucket_allows_its_burst_at_once():
    buckets = TokenBuckets(per_minute=1, burst=5, clock=lambda: 0.0)
    assert [buckets.take("a") for _ in range(5)] == [0] * 5
    assert buckets.take("a") == 60.0


def test_the_least_recently_used_bucket_is_dropped_beyond_max_keys():
    buckets = TokenBuckets(per_minute=60, burst=1, clock=lambda: 0.0, max_keys=2)
    for key in ("a", "b", "a", "c"):
        buckets.take(key)
    assert list(buckets._buckets) == ["a", "c"]
