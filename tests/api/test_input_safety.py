"""Input no database should see is refused as a client error, never a crash."""

from __future__ import annotations

from models.enums import Role
from tests.support import error_codes


async def test_a_nul_character_in_variables_is_refused_as_bad_json(api):
    client, _ = await api.client_for(Role.SALES)
    response = await client.http.post(
        "/graphql",
        json={
            "query": "query($s: String) { customers(filter: {search: $s}) { totalCount } }",
            "variables": {"s": "abc\x00def"},
        },
        headers={"Authorization": f"Bearer {client.token}"},
    )
    assert response.status_code == 400
    assert "INTERNAL" not in response.text


async def test_a_nul_character_in_a_string_literal_fails_validation(api):
    client, _ = await api.client_for(Role.SALES)
    body = await client.post('{ customers(filter: {search: "a\\u0000b"}) { totalCount } }')
    assert body["data"] is None
    assert "NUL" in body["errors"][0]["message"]
    assert "INTERNAL_SERVER_ERROR" not in error_codes(body)
