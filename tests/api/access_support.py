"""Helpers for the user-administration, API-key and audit-log tests."""

from __future__ import annotations

from typing import Any

from tests.support import GraphQLClient

ME = "{ me { id name role } }"
CREATE_CUSTOMER = """mutation CreateCustomer($input: CreateCustomerInput!) {
  createCustomer(input: $input) { customer { id owner { id } } errors { field code } } }"""
UPDATE_USER = """mutation UpdateUser($input: UpdateUserInput!) {
  updateUser(input: $input) { user { id name role active } errors { field code } } }"""
CREATE_USER = """mutation CreateUser($input: CreateUserInput!) {
  createUser(input: $input) { user { id email name role active } errors { field code } } }"""
CREATE_API_KEY = """mutation CreateApiKey($input: CreateApiKeyInput!) {
  createApiKey(input: $input) {
    apiKey { id name role prefix createdAt expiresAt revokedAt lastUsedAt createdBy { id } }
    secret
    errors { field code }
  } }"""
REVOKE_API_KEY = """mutation RevokeApiKey($id: ID!) {
  revokeApiKey(id: $id) { apiKey { id revokedAt } errors { field code } } }"""


async def create_api_key(
    admin: GraphQLClient, *, role: str = "SALES", name: str = "ERP sync", **extra: Any
) -> dict[str, Any]:
    """The createApiKey payload of a key that must be created."""
    data = await admin.data(CREATE_API_KEY, {"input": {"name": name, "role": role, **extra}})
    payload = data["createApiKey"]
    assert payload["errors"] == [], payload["errors"]
    return payload


async def update_user(admin: GraphQLClient, user_id: int | str, **changes: Any) -> dict:
    data = await admin.data(UPDATE_USER, {"input": {"id": str(user_id), **changes}})
    return data["updateUser"]


async def create_customer(client: GraphQLClient, name: str = "Keyed Traders") -> dict:
    return await client.post(
        CREATE_CUSTOMER, {"input": {"name": name, "businessType": "SMALL_BUSINESS"}}
    )
