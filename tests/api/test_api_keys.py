"""API keys: created by ADMINs, shown once, stored hashed, used like bearer tokens."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select, update

from models import ApiKey
from models.enums import Role
from schema.root import schema
from tests.api.access_support import (
    ME,
    REVOKE_API_KEY,
    create_api_key,
    create_customer,
    update_user,
)
from tests.support import error_codes

API_KEYS = """query ApiKeys($includeRevoked: Boolean! = false) {
  apiKeys(first: 10, includeRevoked: $includeRevoked) {
    totalCount edges { node { id name revokedAt lastUsedAt } } } }"""
IN_AN_HOUR = (dt.datetime.now(dt.UTC) + dt.timedelta(hours=1)).isoformat()


async def graphql_response(api, token: str):
    return await api.client.http.post(
        "/graphql", json={"query": ME}, headers={"Authorization": f"Bearer {token}"}
    )


async def assert_refused_like_a_bad_token(api, key: str) -> None:
    refused, bad_token = await graphql_response(api, key), await graphql_response(api, "x.y.z")
    assert refused.status_code == bad_token.status_code
    assert refused.json() == bad_token.json()
    assert error_codes(refused.json()) == ["UNAUTHENTICATED"]


async def test_a_new_key_acts_as_its_creator(api):
    # given
    admin, me = await api.client_for(Role.ADMIN)
    # when
    payload = await create_api_key(admin, role="SALES", expiresAt=IN_AN_HOUR)
    # then the secret signs in as the admin who created it, with the key's role
    assert payload["secret"].startswith(payload["apiKey"]["prefix"] + "_")
    assert payload["apiKey"]["createdBy"] == {"id": str(me.id)}
    data = await api.client.data(ME, token=payload["secret"])
    assert data["me"]["id"] == str(me.id)


async def test_a_key_may_do_only_what_its_role_allows(api):
    admin, _ = await api.client_for(Role.ADMIN)
    viewer_key = (await create_api_key(admin, role="VIEWER"))["secret"]
    body = await create_customer(admin.as_user(viewer_key))
    assert error_codes(body) == ["FORBIDDEN"]


async def test_records_created_with_a_key_belong_to_its_creator(api):
    admin, me = await api.client_for(Role.ADMIN)
    sales_key = (await create_api_key(admin, role="SALES"))["secret"]
    body = await create_customer(admin.as_user(sales_key))
    assert body["data"]["createCustomer"]["customer"]["owner"] == {"id": str(me.id)}


async def test_only_a_hash_of_the_key_is_stored(api):
    admin, _ = await api.client_for(Role.ADMIN)
    payload = await create_api_key(admin)
    secret_part = payload["secret"].removeprefix(payload["apiKey"]["prefix"] + "_")
    async with api.db.read_session() as session:
        stored = (await session.execute(select(ApiKey.__table__))).one()
    assert len(secret_part) >= 40
    assert secret_part not in str(tuple(stored))


async def test_no_query_can_read_a_keys_secret_again(api):
    key_type = schema.get_type_by_name("ApiKey")
    assert not [f.name for f in key_type.fields if "secret" in f.name.lower()]


async def test_a_revoked_key_is_refused_like_a_bad_token(api):
    admin, _ = await api.client_for(Role.ADMIN)
    payload = await create_api_key(admin)
    revoked = await admin.data(REVOKE_API_KEY, {"id": payload["apiKey"]["id"]})
    assert revoked["revokeApiKey"]["apiKey"]["revokedAt"]
    await assert_refused_like_a_bad_token(api, payload["secret"])


async def test_an_expired_key_is_refused_like_a_bad_token(api):
    admin, _ = await api.client_for(Role.ADMIN)
    payload = await create_api_key(admin, expiresAt=IN_AN_HOUR)
    async with api.db.write_session() as session:
        await session.execute(
            update(ApiKey).values(expires_at=dt.datetime.now(dt.UTC) - dt.timedelta(seconds=1))
        )
        await session.commit()
    await assert_refused_like_a_bad_token(api, payload["secret"])


async def test_a_key_with_a_wrong_secret_is_refused_like_a_bad_token(api):
    admin, _ = await api.client_for(Role.ADMIN)
    secret = (await create_api_key(admin))["secret"]
    tampered = secret[:-1] + ("A" if secret[-1] != "A" else "B")
    await assert_refused_like_a_bad_token(api, tampered)
    await assert_refused_like_a_bad_token(api, "crm_0123456789ab_not-a-key")
    await assert_refused_like_a_bad_token(api, "crm_short")


async def test_a_keys_role_is_capped_at_its_creators_current_role(api):
    # given an admin's ADMIN key that can list keys
    admin, _ = await api.client_for(Role.ADMIN)
    creator_client, creator = await api.client_for(Role.ADMIN)
    secret = (await create_api_key(creator_client, role="ADMIN"))["secret"]
    assert "apiKeys" in (await api.client.data(API_KEYS, token=secret))
    # when the creator is demoted to sales
    await update_user(admin, creator.id, role="SALES")
    # then the key acts as sales
    assert error_codes(await api.client.post(API_KEYS, token=secret)) == ["FORBIDDEN"]
    assert (await api.client.data(ME, token=secret))["me"]["role"] == "SALES"


async def test_a_key_cannot_expire_in_the_past(api):
    admin, _ = await api.client_for(Role.ADMIN)
    data = await admin.data(
        'mutation { createApiKey(input: { name: "Old", role: SALES, '
        'expiresAt: "2020-01-01T00:00:00Z" }) { apiKey { id } secret errors { field code } } }'
    )
    assert data["createApiKey"] == {
        "apiKey": None,
        "secret": None,
        "errors": [{"field": "expiresAt", "code": "VALIDATION_ERROR"}],
    }


async def test_api_keys_lists_active_keys_newest_first_and_revoked_ones_on_request(api):
    admin, _ = await api.client_for(Role.ADMIN)
    first = (await create_api_key(admin, name="First"))["apiKey"]
    await create_api_key(admin, name="Second")
    await admin.data(REVOKE_API_KEY, {"id": first["id"]})
    active = (await admin.data(API_KEYS))["apiKeys"]
    everything = (await admin.data(API_KEYS, {"includeRevoked": True}))["apiKeys"]
    assert [e["node"]["name"] for e in active["edges"]] == ["Second"]
    assert [e["node"]["name"] for e in everything["edges"]] == ["Second", "First"]
    assert (active["totalCount"], everything["totalCount"]) == (1, 2)


async def test_using_a_key_records_when_it_was_last_used(api):
    admin, _ = await api.client_for(Role.ADMIN)
    payload = await create_api_key(admin)
    assert payload["apiKey"]["lastUsedAt"] is None
    await api.client.data(ME, token=payload["secret"])
    [node] = [e["node"] for e in (await admin.data(API_KEYS))["apiKeys"]["edges"]]
    assert node["lastUsedAt"] is not None


async def test_revoking_an_unknown_key_is_not_found(api):
    admin, _ = await api.client_for(Role.ADMIN)
    data = await admin.data(REVOKE_API_KEY, {"id": "999999"})
    assert data["revokeApiKey"] == {
        "apiKey": None,
        "errors": [{"field": "id", "code": "NOT_FOUND"}],
    }
