"""ADMINs create users and change their name, role and whether they are active."""

from __future__ import annotations

from models.enums import Role
from tests.api.access_support import (
    CREATE_USER,
    ME,
    create_api_key,
    create_customer,
    update_user,
)
from tests.support import TEST_PASSWORD, error_codes

LOGIN = """mutation Login($email: String!, $password: String!) {
  login(email: $email, password: $password) { token errors { code } } }"""
NEW_PASSWORD = "a long enough password"


async def create_user(admin, **fields) -> dict:
    values = {"email": "neha@sanvi.co.in", "name": "Neha Kulkarni", "role": "SALES"}
    values |= {"password": NEW_PASSWORD} | fields
    return (await admin.data(CREATE_USER, {"input": values}))["createUser"]


async def login_token(api, email: str, password: str = TEST_PASSWORD) -> str | None:
    data = await api.client.data(LOGIN, {"email": email, "password": password})
    return data["login"]["token"]


async def test_admin_creates_a_user_who_can_sign_in_with_the_given_password(api):
    # given
    admin, _ = await api.client_for(Role.ADMIN)
    # when
    payload = await create_user(admin, email=" Neha@Sanvi.Co.In ")
    # then
    assert payload["errors"] == []
    assert payload["user"] | {"id": None} == {
        "id": None,
        "email": "neha@sanvi.co.in",
        "name": "Neha Kulkarni",
        "role": "SALES",
        "active": True,
    }
    assert await login_token(api, "neha@sanvi.co.in", NEW_PASSWORD)


async def test_creating_a_user_with_a_taken_email_is_a_duplicate_error(api):
    admin, _ = await api.client_for(Role.ADMIN)
    await create_user(admin)
    payload = await create_user(admin, email="NEHA@sanvi.co.in")
    assert payload["user"] is None
    assert payload["errors"] == [{"field": "email", "code": "DUPLICATE"}]


async def test_creating_a_user_with_a_short_password_is_refused(api):
    admin, _ = await api.client_for(Role.ADMIN)
    payload = await create_user(admin, password="short")
    assert payload["errors"] == [{"field": "password", "code": "VALIDATION_ERROR"}]


async def test_admin_renames_a_user(api):
    admin, _ = await api.client_for(Role.ADMIN)
    user = await api.make_user(Role.SALES)
    payload = await update_user(admin, user.id, name="  Ravi   Menon ")
    assert payload["errors"] == []
    assert payload["user"]["name"] == "Ravi Menon"


async def test_a_new_role_applies_to_the_users_very_next_request(api):
    # given a sales rep who may create customers
    admin, _ = await api.client_for(Role.ADMIN)
    rep_client, rep = await api.client_for(Role.SALES)
    assert (await create_customer(rep_client))["data"]["createCustomer"]["errors"] == []
    # when an admin makes them a viewer
    payload = await update_user(admin, rep.id, role="VIEWER")
    # then their same token no longer may
    assert payload["user"]["role"] == "VIEWER"
    assert error_codes(await create_customer(rep_client, "Later Traders")) == ["FORBIDDEN"]


async def test_deactivating_a_user_stops_their_token_at_once(api):
    admin, _ = await api.client_for(Role.ADMIN)
    rep_client, rep = await api.client_for(Role.SALES)
    assert (await rep_client.data(ME))["me"]["id"] == str(rep.id)
    payload = await update_user(admin, rep.id, active=False)
    assert payload["user"]["active"] is False
    assert error_codes(await rep_client.post(ME)) == ["UNAUTHENTICATED"]


async def test_a_deactivated_user_cannot_sign_in_and_a_reactivated_one_can(api):
    admin, _ = await api.client_for(Role.ADMIN)
    rep = await api.make_user(Role.SALES)
    await update_user(admin, rep.id, active=False)
    assert await login_token(api, rep.email) is None
    await update_user(admin, rep.id, active=True)
    assert await login_token(api, rep.email)


async def test_deactivating_an_admin_stops_the_api_keys_they_created(api):
    # given two admins, one of whom created a key
    admin, _ = await api.client_for(Role.ADMIN)
    key_owner_client, key_owner = await api.client_for(Role.ADMIN)
    secret = (await create_api_key(key_owner_client))["secret"]
    assert (await api.client.data(ME, token=secret))["me"]["id"] == str(key_owner.id)
    # when the other deactivates the key's creator
    await update_user(admin, key_owner.id, active=False)
    # then the key stops working
    assert error_codes(await api.client.post(ME, token=secret)) == ["UNAUTHENTICATED"]


async def test_the_last_active_admin_cannot_deactivate_themselves(api):
    admin, me = await api.client_for(Role.ADMIN)
    payload = await update_user(admin, me.id, active=False)
    assert payload == {"user": None, "errors": [{"field": "active", "code": "LAST_ADMIN"}]}
    assert (await admin.data(ME))["me"]["role"] == "ADMIN"


async def test_the_last_active_admin_cannot_be_demoted(api):
    admin, me = await api.client_for(Role.ADMIN)
    payload = await update_user(admin, me.id, role="MANAGER")
    assert payload["errors"] == [{"field": "role", "code": "LAST_ADMIN"}]


async def test_an_admin_may_demote_another_admin(api):
    admin, _ = await api.client_for(Role.ADMIN)
    other = await api.make_user(Role.ADMIN)
    payload = await update_user(admin, other.id, role="MANAGER")
    assert payload["errors"] == []
    assert payload["user"]["role"] == "MANAGER"


async def test_updating_an_unknown_user_is_not_found(api):
    admin, _ = await api.client_for(Role.ADMIN)
    payload = await update_user(admin, 999999, name="Nobody")
    assert payload == {"user": None, "errors": [{"field": "id", "code": "NOT_FOUND"}]}


async def test_a_manager_may_not_change_users(api):
    manager, _ = await api.client_for(Role.MANAGER)
    rep = await api.make_user(Role.SALES)
    body = await manager.post(
        "mutation($id: ID!) { updateUser(input: { id: $id, role: ADMIN }) { user { id } } }",
        {"id": str(rep.id)},
    )
    assert error_codes(body) == ["FORBIDDEN"]


USERS = """query Users($all: Boolean!) { users(first: 50, includeInactive: $all) {
  totalCount edges { node { id active } } } }"""


async def test_admins_list_deactivated_users_to_reactivate_them(api):
    admin, _ = await api.client_for(Role.ADMIN)
    rep = await api.make_user(Role.SALES)
    await update_user(admin, rep.id, active=False)
    active_only = (await admin.data(USERS, {"all": False}))["users"]
    everyone = (await admin.data(USERS, {"all": True}))["users"]
    assert str(rep.id) not in [e["node"]["id"] for e in active_only["edges"]]
    assert {"id": str(rep.id), "active": False} in [e["node"] for e in everyone["edges"]]
    assert everyone["totalCount"] == active_only["totalCount"] + 1


async def test_only_admins_may_list_deactivated_users(api):
    manager, _ = await api.client_for(Role.MANAGER)
    assert error_codes(await manager.post(USERS, {"all": True})) == ["FORBIDDEN"]
