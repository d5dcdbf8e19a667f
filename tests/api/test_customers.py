"""Creating, changing and listing customers through the contract operations."""

from __future__ import annotations

import base64
import datetime as dt
import json
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import update

from models import Customer, User
from models.enums import Role
from tests.contract_checks.operations import operation
from tests.support import GraphQLClient, error_codes

CREATE = operation("CreateCustomer")
UPDATE = operation("UpdateCustomer")
LIST = operation("CustomerList")
CREATE_ORDER = operation("CreateOrder")
RECORD_PAYMENT = operation("RecordPayment")
CANCEL_ORDER = """mutation($id: ID!) { updateOrderStatus(input: {id: $id, status: CANCELLED}) {
    order { status } errors { field code } } }"""
CUSTOMER = """query($id: ID!) { customer(id: $id) {
    name email phone taxId tags version status address { city state country } } }"""


# Helpers


def customer_input(**fields: Any) -> dict[str, Any]:
    return {"name": "Shree Ganesh Engineering", "businessType": "SMALL_BUSINESS", **fields}


async def create(client: GraphQLClient, **fields: Any) -> dict[str, Any]:
    """The createCustomer payload."""
    data = await client.data(CREATE, {"input": customer_input(**fields)})
    return data["createCustomer"]


async def create_ok(client: GraphQLClient, **fields: Any) -> dict[str, Any]:
    payload = await create(client, **fields)
    assert payload["errors"] == [], payload["errors"]
    return payload["customer"]


async def update_payload(client: GraphQLClient, customer_id: str, **changes: Any) -> dict:
    data = await client.data(UPDATE, {"input": {"id": customer_id, **changes}})
    return data["updateCustomer"]


async def fetch(client: GraphQLClient, customer_id: str) -> dict[str, Any]:
    return (await client.data(CUSTOMER, {"id": customer_id}))["customer"]


async def customers(client: GraphQLClient, **variables: Any) -> dict[str, Any]:
    return (await client.data(LIST, variables))["customers"]


def names(connection: dict[str, Any]) -> list[str]:
    return [edge["node"]["name"] for edge in connection["edges"]]


def errors_by_field(payload: dict[str, Any]) -> dict[str | None, str]:
    return {e["field"]: e["code"] for e in payload["errors"]}


async def set_columns(api, customer_id: str, **values: Any) -> None:
    """Change stored columns directly, for what the API deliberately cannot set."""
    async with api.db.write_session() as session:
        await session.execute(
            update(Customer).where(Customer.id == int(customer_id)).values(**values)
        )
        await session.commit()


def utc(day: int, hour: int = 12, minute: int = 0) -> dt.datetime:
    return dt.datetime(2024, 1, day, hour, minute, tzinfo=dt.UTC)


# Creating


async def test_created_customers_get_consecutive_generated_codes(api):
    client, _ = await api.client_for(Role.SALES)
    first = await create_ok(client, name="First Traders")
    second = await create_ok(client, name="Second Traders")
    assert (first["code"], second["code"]) == ("CUS-000001", "CUS-000002")


async def test_given_code_is_kept_in_upper_case(api):
    client, _ = await api.client_for(Role.SALES)
    customer = await create_ok(client, code=" acme-01 ")
    assert customer["code"] == "ACME-01"


async def test_new_customer_is_active_at_version_one(api):
    client, _ = await api.client_for(Role.SALES)
    customer = await create_ok(client)
    assert (customer["status"], customer["version"]) == ("ACTIVE", 1)


async def test_new_customer_keeps_the_given_status(api):
    client, _ = await api.client_for(Role.SALES)
    customer = await create_ok(client, status="PROSPECT")
    assert customer["status"] == "PROSPECT"


async def test_phone_is_stored_in_e164(api):
    client, _ = await api.client_for(Role.SALES)
    customer = await create_ok(client, phone="+91-98200-12345")
    assert customer["phone"] == "+919820012345"


async def test_email_is_stored_lower_case(api):
    client, _ = await api.client_for(Role.SALES)
    customer = await create_ok(client, email="Accounts@Ganesh.EXAMPLE")
    assert customer["email"] == "accounts@ganesh.example"


async def test_state_is_stored_by_its_name_and_country_defaults_to_india(api):
    client, _ = await api.client_for(Role.SALES)
    customer = await create_ok(client, address={"state": "Orissa", "city": "Cuttack"})
    assert customer["address"]["state"] == "Odisha"
    assert customer["address"]["country"] == "IN"


async def test_owner_defaults_to_the_creating_user(api):
    client, actor = await api.client_for(Role.SALES)
    customer = await create_ok(client)
    assert customer["owner"] == {"id": str(actor.id), "name": actor.name}


async def test_owner_can_be_another_user(api):
    client, _ = await api.client_for(Role.SALES)
    colleague = await api.make_user(Role.SALES)
    customer = await create_ok(client, ownerId=str(colleague.id))
    assert customer["owner"]["id"] == str(colleague.id)


async def test_unknown_owner_is_refused(api):
    client, _ = await api.client_for(Role.SALES)
    payload = await create(client, ownerId="999999")
    assert payload["customer"] is None
    assert errors_by_field(payload) == {"ownerId": "NOT_FOUND"}


async def test_deactivated_owner_is_refused(api):
    client, _ = await api.client_for(Role.SALES)
    former = await api.make_user(Role.SALES)
    async with api.db.write_session() as session:
        await session.execute(update(User).where(User.id == former.id).values(active=False))
        await session.commit()
    payload = await create(client, ownerId=str(former.id))
    assert errors_by_field(payload) == {"ownerId": "NOT_FOUND"}


async def test_viewer_may_not_create_customers(api):
    client, _ = await api.client_for(Role.VIEWER)
    body = await client.post(CREATE, {"input": customer_input()})
    assert error_codes(body) == ["FORBIDDEN"]


async def test_creating_without_signing_in_is_unauthenticated(api):
    body = await api.client.post(CREATE, {"input": customer_input()})
    assert error_codes(body) == ["UNAUTHENTICATED"]


# Validation


@pytest.mark.parametrize(
    ("fields", "field", "code"),
    [
        ({"name": "   "}, "name", "REQUIRED"),
        ({"email": "not-an-email"}, "email", "VALIDATION_ERROR"),
        ({"phone": "12345"}, "phone", "VALIDATION_ERROR"),
        ({"taxId": "AB1"}, "taxId", "VALIDATION_ERROR"),
        ({"address": {"state": "Atlantis"}}, "address.state", "VALIDATION_ERROR"),
        ({"address": {"country": "India"}}, "address.country", "VALIDATION_ERROR"),
        ({"code": "has spaces!"}, "code", "VALIDATION_ERROR"),
    ],
    ids=["blank-name", "email", "phone", "tax-id", "state", "country", "code"],
)
async def test_invalid_field_is_reported_in_the_payload_with_its_field_and_code(
    api, fields, field, code
):
    client, _ = await api.client_for(Role.SALES)
    payload = await create(client, **fields)
    assert payload["customer"] is None
    assert errors_by_field(payload) == {field: code}
    assert payload["errors"][0]["message"]


async def test_several_invalid_fields_are_reported_together(api):
    client, _ = await api.client_for(Role.SALES)
    payload = await create(
        client, name="", email="nope", phone="12345", address={"state": "Atlantis"}
    )
    assert errors_by_field(payload) == {
        "name": "REQUIRED",
        "email": "VALIDATION_ERROR",
        "phone": "VALIDATION_ERROR",
        "address.state": "VALIDATION_ERROR",
    }


async def test_refused_create_saves_nothing(api):
    client, _ = await api.client_for(Role.SALES)
    await create(client, email="nope")
    assert (await customers(client))["totalCount"] == 0


async def test_email_is_unique_ignoring_case(api):
    client, _ = await api.client_for(Role.SALES)
    await create_ok(client, name="First", email="a@x.example")
    payload = await create(client, name="Second", email="A@X.example")
    assert payload["customer"] is None
    assert errors_by_field(payload) == {"email": "DUPLICATE"}


async def test_tax_id_is_unique_however_it_is_written(api):
    client, _ = await api.client_for(Role.SALES)
    await create_ok(client, name="First", taxId="27AAPFU0939F1ZV")
    payload = await create(client, name="Second", taxId="27aapfu 0939 f1zv")
    assert errors_by_field(payload) == {"taxId": "DUPLICATE"}


async def test_code_is_unique_ignoring_case(api):
    client, _ = await api.client_for(Role.SALES)
    await create_ok(client, name="First", code="ACME-01")
    payload = await create(client, name="Second", code="acme-01")
    assert errors_by_field(payload) == {"code": "DUPLICATE"}


async def test_several_duplicates_are_reported_together(api):
    client, _ = await api.client_for(Role.SALES)
    await create_ok(client, name="First", email="a@x.example", taxId="27AAPFU0939F1ZV")
    payload = await create(client, name="Second", email="a@x.example", taxId="27AAPFU0939F1ZV")
    assert errors_by_field(payload) == {"email": "DUPLICATE", "taxId": "DUPLICATE"}


async def test_customers_without_email_or_tax_id_do_not_clash(api):
    client, _ = await api.client_for(Role.SALES)
    await create_ok(client, name="First")
    await create_ok(client, name="Second")
    assert (await customers(client))["totalCount"] == 2


async def test_credit_limit_is_not_an_input_of_create_or_update(api):
    client, _ = await api.client_for(Role.SALES)
    data = await client.data(
        """{ create: __type(name: "CreateCustomerInput") { inputFields { name } }
             update: __type(name: "UpdateCustomerInput") { inputFields { name } } }"""
    )
    for input_type in (data["create"], data["update"]):
        fields = {f["name"].lower() for f in input_type["inputFields"]}
        assert "name" in fields
        assert not any("credit" in f or "limit" in f for f in fields)


async def test_sending_a_credit_limit_to_create_is_a_graphql_error(api):
    client, _ = await api.client_for(Role.SALES)
    body = await client.post(CREATE, {"input": customer_input(creditLimit="1000.00")})
    assert body.get("errors")
    assert (await customers(client))["totalCount"] == 0


# Updating


async def test_update_changes_only_the_given_fields(api):
    client, _ = await api.client_for(Role.SALES)
    created = await create_ok(
        client,
        email="a@x.example",
        phone="98200 12345",
        taxId="27AAPFU0939F1ZV",
        tags=["export"],
        address={"city": "Pune", "state": "MH"},
    )
    payload = await update_payload(client, created["id"], name="Ganesh Engineering Works")
    assert payload["errors"] == []
    updated = payload["customer"]
    assert updated["name"] == "Ganesh Engineering Works"
    unchanged = ("code", "businessType", "status", "email", "phone", "taxId", "tags", "address")
    assert {k: updated[k] for k in unchanged} == {k: created[k] for k in unchanged}
    assert updated["owner"] == created["owner"]


async def test_update_increments_the_version(api):
    client, _ = await api.client_for(Role.SALES)
    created = await create_ok(client)
    first = await update_payload(client, created["id"], name="Renamed Once")
    second = await update_payload(client, created["id"], name="Renamed Twice")
    assert (first["customer"]["version"], second["customer"]["version"]) == (2, 3)


async def test_update_with_the_current_version_is_accepted(api):
    client, _ = await api.client_for(Role.SALES)
    created = await create_ok(client)
    payload = await update_payload(client, created["id"], version=1, name="Renamed")
    assert payload["errors"] == []
    assert payload["customer"]["version"] == 2


async def test_update_with_a_stale_version_is_refused_and_changes_nothing(api):
    client, _ = await api.client_for(Role.SALES)
    created = await create_ok(client)
    await update_payload(client, created["id"], version=1, name="Someone Else's Edit")
    payload = await update_payload(client, created["id"], version=1, name="My Edit")
    assert payload["customer"] is None
    assert errors_by_field(payload) == {"version": "STALE_VERSION"}
    stored = await fetch(client, created["id"])
    assert (stored["name"], stored["version"]) == ("Someone Else's Edit", 2)


async def test_explicit_null_clears_an_optional_field(api):
    client, _ = await api.client_for(Role.SALES)
    created = await create_ok(client, email="a@x.example", phone="98200 12345")
    payload = await update_payload(client, created["id"], email=None)
    assert payload["customer"]["email"] is None
    assert payload["customer"]["phone"] == "+919820012345"


async def test_cleared_email_can_be_used_by_another_customer(api):
    client, _ = await api.client_for(Role.SALES)
    first = await create_ok(client, name="First", email="a@x.example")
    await update_payload(client, first["id"], email=None)
    await create_ok(client, name="Second", email="a@x.example")


@pytest.mark.parametrize("blank", ["", "   ", None], ids=["empty", "spaces", "null"])
async def test_name_cannot_be_blanked(api, blank):
    client, _ = await api.client_for(Role.SALES)
    created = await create_ok(client)
    payload = await update_payload(client, created["id"], name=blank)
    assert errors_by_field(payload) == {"name": "REQUIRED"}
    assert (await fetch(client, created["id"]))["name"] == created["name"]


async def test_tags_are_replaced_not_merged(api):
    client, _ = await api.client_for(Role.SALES)
    created = await create_ok(client, tags=["export", "msme"])
    payload = await update_payload(client, created["id"], tags=["Key Account"])
    assert payload["customer"]["tags"] == ["key-account"]


async def test_empty_tag_list_removes_every_tag(api):
    client, _ = await api.client_for(Role.SALES)
    created = await create_ok(client, tags=["export"])
    payload = await update_payload(client, created["id"], tags=[])
    assert payload["customer"]["tags"] == []


async def test_updating_the_state_alone_keeps_the_rest_of_the_address(api):
    client, _ = await api.client_for(Role.SALES)
    created = await create_ok(client, address={"city": "Pune", "state": "MH"})
    payload = await update_payload(client, created["id"], address={"state": "TN"})
    address = payload["customer"]["address"]
    assert (address["city"], address["state"], address["country"]) == ("Pune", "Tamil Nadu", "IN")


async def test_update_to_another_customers_email_is_a_duplicate(api):
    client, _ = await api.client_for(Role.SALES)
    await create_ok(client, name="First", email="a@x.example")
    second = await create_ok(client, name="Second", email="b@x.example")
    payload = await update_payload(client, second["id"], email="A@x.example")
    assert errors_by_field(payload) == {"email": "DUPLICATE"}


async def test_update_keeping_its_own_email_is_not_a_duplicate(api):
    client, _ = await api.client_for(Role.SALES)
    created = await create_ok(client, email="a@x.example")
    payload = await update_payload(client, created["id"], email="A@X.example", name="Renamed")
    assert payload["errors"] == []


async def test_update_of_an_unknown_customer_is_not_found(api):
    client, _ = await api.client_for(Role.SALES)
    payload = await update_payload(client, "999999", name="Nobody")
    assert errors_by_field(payload) == {"id": "NOT_FOUND"}


async def test_invalid_update_changes_nothing(api):
    client, _ = await api.client_for(Role.SALES)
    created = await create_ok(client, email="a@x.example")
    payload = await update_payload(client, created["id"], name="Renamed", email="nope")
    assert errors_by_field(payload) == {"email": "VALIDATION_ERROR"}
    stored = await fetch(client, created["id"])
    assert (stored["name"], stored["email"], stored["version"]) == (
        created["name"],
        "a@x.example",
        1,
    )


# Listing: search and filters


async def _search_fixture(client: GraphQLClient) -> None:
    await create_ok(
        client,
        name="Shree Ganesh Engineering",
        email="accounts@ganesh.example",
        phone="98200 12345",
        taxId="27AAPFU0939F1ZV",
    )
    await create_ok(client, name="Shree Tools", email="info@tools.example", phone="022 2345 6789")
    await create_ok(client, name="Kaveri Engineering", code="KAV-7")


@pytest.mark.parametrize(
    ("search", "expected"),
    [
        ("ganesh", ["Shree Ganesh Engineering"]),
        ("SHREE", ["Shree Ganesh Engineering", "Shree Tools"]),
        ("shree engineering", ["Shree Ganesh Engineering"]),
        ("  engineering   kaveri ", ["Kaveri Engineering"]),
        ("kav-7", ["Kaveri Engineering"]),
        ("CUS-000002", ["Shree Tools"]),
        ("@tools.example", ["Shree Tools"]),
        ("98200", ["Shree Ganesh Engineering"]),
        ("+912223456789", ["Shree Tools"]),
        ("27aapfu", ["Shree Ganesh Engineering"]),
        ("nothing-like-this", []),
        ("50%", []),
    ],
    ids=[
        "name",
        "case",
        "multi-word",
        "word-order",
        "given-code",
        "generated-code",
        "email",
        "phone-digits",
        "phone-e164",
        "tax-id",
        "no-match",
        "wildcard",
    ],
)
async def test_search_matches_name_code_email_phone_and_tax_id(api, search, expected):
    client, _ = await api.client_for(Role.SALES)
    await _search_fixture(client)
    found = await customers(client, filter={"search": search})
    assert names(found) == expected
    assert found["totalCount"] == len(expected)


async def test_filter_by_business_types(api):
    client, _ = await api.client_for(Role.SALES)
    await create_ok(client, name="Asha", businessType="INDIVIDUAL")
    await create_ok(client, name="Bharat Steel", businessType="ENTERPRISE")
    await create_ok(client, name="City Council", businessType="GOVERNMENT")
    found = await customers(client, filter={"businessTypes": ["ENTERPRISE", "GOVERNMENT"]})
    assert names(found) == ["Bharat Steel", "City Council"]


async def test_filter_by_statuses(api):
    client, _ = await api.client_for(Role.SALES)
    await create_ok(client, name="Active One")
    await create_ok(client, name="Prospect One", status="PROSPECT")
    await create_ok(client, name="Inactive One", status="INACTIVE")
    found = await customers(client, filter={"statuses": ["PROSPECT", "INACTIVE"]})
    assert names(found) == ["Inactive One", "Prospect One"]


@pytest.mark.parametrize("state", ["MH", "mh", "Maharashtra", "Bombay"])
async def test_filter_by_state_code_or_name(api, state):
    client, _ = await api.client_for(Role.SALES)
    await create_ok(client, name="Pune Works", address={"state": "Maharashtra"})
    await create_ok(client, name="Chennai Works", address={"state": "TN"})
    await create_ok(client, name="Nowhere Works")
    found = await customers(client, filter={"states": [state]})
    assert names(found) == ["Pune Works"]


async def test_filter_by_several_states(api):
    client, _ = await api.client_for(Role.SALES)
    await create_ok(client, name="Pune Works", address={"state": "MH"})
    await create_ok(client, name="Chennai Works", address={"state": "TN"})
    await create_ok(client, name="Kolkata Works", address={"state": "WB"})
    found = await customers(client, filter={"states": ["TN", "Maharashtra"]})
    assert names(found) == ["Chennai Works", "Pune Works"]


async def test_filter_by_owner_ids(api):
    client, actor = await api.client_for(Role.SALES)
    colleague = await api.make_user(Role.SALES)
    await create_ok(client, name="Mine")
    await create_ok(client, name="Theirs", ownerId=str(colleague.id))
    found = await customers(client, filter={"ownerIds": [str(colleague.id)]})
    assert names(found) == ["Theirs"]
    found = await customers(client, filter={"ownerIds": [str(actor.id), str(colleague.id)]})
    assert names(found) == ["Mine", "Theirs"]


async def _tagged(client: GraphQLClient) -> None:
    await create_ok(client, name="Both", tags=["export", "msme"])
    await create_ok(client, name="Export Only", tags=["export"])
    await create_ok(client, name="Msme Only", tags=["MSME"])
    await create_ok(client, name="Untagged")


async def test_filter_by_tags_matches_any_of_them(api):
    client, _ = await api.client_for(Role.SALES)
    await _tagged(client)
    found = await customers(client, filter={"tags": ["export", "msme"]})
    assert names(found) == ["Both", "Export Only", "Msme Only"]


async def test_filter_by_all_tags_requires_every_one(api):
    client, _ = await api.client_for(Role.SALES)
    await _tagged(client)
    found = await customers(client, filter={"tags": ["export", "MSME"], "allTags": True})
    assert names(found) == ["Both"]
    assert found["totalCount"] == 1


@pytest.mark.parametrize("spelling", ["Key Account", "KEY-ACCOUNT", " key_account "])
async def test_tag_filter_is_spelled_the_way_tags_are_stored(api, spelling):
    client, _ = await api.client_for(Role.SALES)
    await create_ok(client, name="Tagged", tags=["key-account"])
    await create_ok(client, name="Untagged")
    assert names(await customers(client, filter={"tags": [spelling]})) == ["Tagged"]


async def test_malformed_owner_id_in_a_filter_is_bad_user_input(api):
    client, _ = await api.client_for(Role.SALES)
    body = await client.post(LIST, {"filter": {"ownerIds": ["not-an-id"]}})
    assert error_codes(body) == ["BAD_USER_INPUT"]
    assert body["errors"][0]["extensions"]["field"] == "ownerIds"


@pytest.mark.parametrize(
    ("window", "field"),
    [({"createdTo": "9999-12-31"}, "createdTo"), ({"createdFrom": "0001-01-01"}, "createdFrom")],
    ids=["end-of-calendar", "start-of-calendar"],
)
async def test_creation_day_at_the_edge_of_the_calendar_is_bad_user_input(api, window, field):
    client, _ = await api.client_for(Role.SALES)
    body = await client.post(LIST, {"filter": window})
    assert error_codes(body) == ["BAD_USER_INPUT"]
    assert body["errors"][0]["extensions"]["field"] == field


async def _created_around_midnight(api, client: GraphQLClient) -> None:
    """Times in UTC; the business day is Asia/Kolkata (UTC+05:30)."""
    late = await create_ok(client, name="Late Jan 10")  # 23:30 IST on 10 January
    early = await create_ok(client, name="Early Jan 11")  # 00:30 IST on 11 January
    later = await create_ok(client, name="Jan 12")
    await set_columns(api, late["id"], created_at=utc(10, 18, 0))
    await set_columns(api, early["id"], created_at=utc(10, 19, 0))
    await set_columns(api, later["id"], created_at=utc(12))


@pytest.mark.parametrize(
    ("window", "expected"),
    [
        ({"createdFrom": "2024-01-11"}, ["Early Jan 11", "Jan 12"]),
        ({"createdTo": "2024-01-10"}, ["Late Jan 10"]),
        ({"createdFrom": "2024-01-11", "createdTo": "2024-01-11"}, ["Early Jan 11"]),
        ({"createdFrom": "2024-01-10", "createdTo": "2024-01-12"}, None),
    ],
    ids=["from", "to", "one-day", "inclusive"],
)
async def test_filter_by_creation_days_in_the_business_time_zone(api, window, expected):
    client, _ = await api.client_for(Role.SALES)
    await _created_around_midnight(api, client)
    found = await customers(client, filter=window)
    assert sorted(names(found)) == sorted(expected or ["Late Jan 10", "Early Jan 11", "Jan 12"])


async def test_filters_combine_with_and(api):
    client, _ = await api.client_for(Role.SALES)
    await create_ok(
        client, name="Pune Enterprise", businessType="ENTERPRISE", address={"state": "MH"}
    )
    await create_ok(client, name="Pune Shop", address={"state": "MH"})
    await create_ok(client, name="Chennai Enterprise", businessType="ENTERPRISE")
    found = await customers(client, filter={"states": ["MH"], "businessTypes": ["ENTERPRISE"]})
    assert names(found) == ["Pune Enterprise"]


# Listing: order and pages


async def _three_for_sorting(api, client: GraphQLClient) -> None:
    rows = [
        ("Alpha", "C-2", utc(3), utc(5)),
        ("Bravo", "C-3", utc(1), utc(6)),
        ("Charlie", "C-1", utc(2), utc(4)),
    ]
    for name, code, created, updated in rows:
        customer = await create_ok(client, name=name, code=code)
        await set_columns(api, customer["id"], created_at=created, updated_at=updated)


@pytest.mark.parametrize(
    ("field", "ascending"),
    [
        ("NAME", ["Alpha", "Bravo", "Charlie"]),
        ("CODE", ["Charlie", "Alpha", "Bravo"]),
        ("CREATED_AT", ["Bravo", "Charlie", "Alpha"]),
        ("UPDATED_AT", ["Charlie", "Alpha", "Bravo"]),
    ],
)
@pytest.mark.parametrize("direction", ["ASC", "DESC"])
async def test_order_by_field_and_direction(api, field, ascending, direction):
    client, _ = await api.client_for(Role.SALES)
    await _three_for_sorting(api, client)
    found = await customers(client, orderBy={"field": field, "direction": direction})
    assert names(found) == (ascending if direction == "ASC" else ascending[::-1])


async def test_default_order_is_by_name_ascending(api):
    client, _ = await api.client_for(Role.SALES)
    await _three_for_sorting(api, client)
    assert names(await customers(client)) == ["Alpha", "Bravo", "Charlie"]


async def _walk(client: GraphQLClient, *, first: int, **variables: Any) -> list[list[str]]:
    """Every page's ids, following endCursor until hasNextPage is false."""
    pages: list[list[str]] = []
    after = None
    while True:
        connection = await customers(client, first=first, after=after, **variables)
        pages.append([edge["node"]["id"] for edge in connection["edges"]])
        assert connection["pageInfo"]["endCursor"] == (
            connection["edges"][-1]["cursor"] if connection["edges"] else None
        )
        if not connection["pageInfo"]["hasNextPage"]:
            return pages
        after = connection["pageInfo"]["endCursor"]
        assert len(pages) < 20, "pagination does not end"


async def _with_ties(api, client: GraphQLClient) -> None:
    """Seven customers, four sharing a name and five sharing a creation time."""
    for index, name in enumerate(["Same", "Zulu", "Same", "Alpha", "Same", "Beta", "Same"]):
        customer = await create_ok(client, name=name)
        created = utc(1) if index < 5 else utc(2 + index)
        await set_columns(api, customer["id"], created_at=created)


@pytest.mark.parametrize(
    "order",
    [
        {"field": "NAME", "direction": "ASC"},
        {"field": "NAME", "direction": "DESC"},
        {"field": "CREATED_AT", "direction": "ASC"},
        {"field": "CREATED_AT", "direction": "DESC"},
    ],
    ids=["name-asc", "name-desc", "created-asc", "created-desc"],
)
async def test_pages_cover_every_customer_once_in_order_despite_ties(api, order):
    client, _ = await api.client_for(Role.SALES)
    await _with_ties(api, client)
    everything = await customers(client, first=100, orderBy=order)
    pages = await _walk(client, first=2, orderBy=order)
    assert [len(page) for page in pages] == [2, 2, 2, 1]
    walked = [customer_id for page in pages for customer_id in page]
    assert walked == [edge["node"]["id"] for edge in everything["edges"]]
    assert len(set(walked)) == 7


async def test_pages_of_a_filtered_list_stay_within_the_filter(api):
    client, _ = await api.client_for(Role.SALES)
    for i in range(5):
        await create_ok(client, name=f"Export {i}", tags=["export"])
        await create_ok(client, name=f"Local {i}")
    pages = await _walk(client, first=2, filter={"tags": ["export"]})
    assert sum(len(page) for page in pages) == 5


async def test_total_count_is_the_whole_list_not_the_page(api):
    client, _ = await api.client_for(Role.SALES)
    for i in range(5):
        await create_ok(client, name=f"Customer {i}")
    page = await customers(client, first=2)
    assert len(page["edges"]) == 2
    assert page["totalCount"] == 5
    assert page["pageInfo"]["hasNextPage"] is True


async def test_last_page_has_no_next_page(api):
    client, _ = await api.client_for(Role.SALES)
    for i in range(2):
        await create_ok(client, name=f"Customer {i}")
    page = await customers(client, first=2)
    assert page["pageInfo"]["hasNextPage"] is False


async def test_empty_list_has_no_end_cursor(api):
    client, _ = await api.client_for(Role.SALES)
    page = await customers(client)
    assert page == {
        "totalCount": 0,
        "pageInfo": {"hasNextPage": False, "endCursor": None},
        "edges": [],
    }


async def test_page_size_above_one_hundred_is_bad_user_input(api):
    client, _ = await api.client_for(Role.SALES)
    body = await client.post(LIST, {"first": 101})
    assert error_codes(body) == ["BAD_USER_INPUT"]


async def test_garbage_cursor_is_bad_user_input(api):
    client, _ = await api.client_for(Role.SALES)
    await create_ok(client)
    body = await client.post(LIST, {"after": "not-a-cursor"})
    assert error_codes(body) == ["BAD_USER_INPUT"]
    assert body["errors"][0]["extensions"]["field"] == "after"


@pytest.mark.parametrize(
    "values", [["Alpha", 2**40], ["Al\u0000pha", 1]], ids=["id-out-of-range", "nul-character"]
)
async def test_forged_cursor_is_bad_user_input_not_an_internal_error(api, values):
    client, _ = await api.client_for(Role.SALES)
    forged = base64.urlsafe_b64encode(json.dumps(values).encode()).decode()
    body = await client.post(LIST, {"after": forged})
    assert error_codes(body) == ["BAD_USER_INPUT"]


async def test_cursor_of_another_sort_order_is_bad_user_input(api):
    client, _ = await api.client_for(Role.SALES)
    await create_ok(client, name="First")
    await create_ok(client, name="Second")
    page = await customers(client, first=1)
    body = await client.post(
        LIST,
        {
            "first": 1,
            "after": page["pageInfo"]["endCursor"],
            "orderBy": {"field": "CREATED_AT", "direction": "ASC"},
        },
    )
    assert error_codes(body) == ["BAD_USER_INPUT"]


async def test_viewer_may_list_customers(api):
    seller, _ = await api.client_for(Role.SALES)
    await create_ok(seller)
    viewer, _ = await api.client_for(Role.VIEWER)
    assert (await customers(viewer))["totalCount"] == 1


# Listing: the credit block


async def _customer_with_order(
    api, client: GraphQLClient, *, limit: str | None, order_total: str
) -> tuple[str, str]:
    """A customer with one order and then the given stored limit (set after the order, so
    the credit block lets it through); its id and the order's id."""
    customer = await create_ok(client, name=f"Credit {limit} {order_total}")
    product = await api.make_product(sku=f"SKU-{customer['id']}", price=order_total)
    order_id = await place_order(client, customer["id"], product)
    if limit is not None:
        await set_columns(api, customer["id"], credit_limit=Decimal(limit))
    return customer["id"], order_id


async def place_order(client: GraphQLClient, customer_id: str, product_id: int) -> str:
    data = await client.data(
        CREATE_ORDER,
        {
            "input": {
                "customerId": customer_id,
                "lines": [{"productId": str(product_id), "quantity": 1}],
            }
        },
    )
    assert data["createOrder"]["errors"] == []
    return data["createOrder"]["order"]["id"]


async def credit_of(client: GraphQLClient, customer_id: str) -> dict[str, Any]:
    page = await customers(client, first=100)
    [node] = [e["node"] for e in page["edges"] if e["node"]["id"] == customer_id]
    return node["credit"]


async def test_credit_of_a_customer_without_a_limit_is_no_limit(api):
    client, _ = await api.client_for(Role.SALES)
    customer_id, _ = await _customer_with_order(api, client, limit=None, order_total="750.00")
    assert await credit_of(client, customer_id) == {
        "limit": None,
        "outstanding": "750.00",
        "utilization": None,
        "level": "NO_LIMIT",
    }


async def test_credit_at_three_quarters_of_the_limit_is_a_warning(api):
    client, _ = await api.client_for(Role.SALES)
    customer_id, _ = await _customer_with_order(api, client, limit="1000.00", order_total="750.00")
    assert await credit_of(client, customer_id) == {
        "limit": "1000.00",
        "outstanding": "750.00",
        "utilization": 0.75,
        "level": "WARNING",
    }


async def test_credit_just_under_three_quarters_is_ok(api):
    client, _ = await api.client_for(Role.SALES)
    customer_id, _ = await _customer_with_order(api, client, limit="1000.00", order_total="749.99")
    assert (await credit_of(client, customer_id))["level"] == "OK"


async def test_zero_limit_with_anything_outstanding_is_exceeded(api):
    client, _ = await api.client_for(Role.SALES)
    customer_id, _ = await _customer_with_order(api, client, limit="0", order_total="0.01")
    credit = await credit_of(client, customer_id)
    assert (credit["limit"], credit["outstanding"], credit["level"]) == ("0.00", "0.01", "EXCEEDED")


async def test_zero_limit_with_nothing_outstanding_is_ok(api):
    client, _ = await api.client_for(Role.SALES)
    customer = await create_ok(client)
    await set_columns(api, customer["id"], credit_limit=Decimal("0"))
    credit = await credit_of(client, customer["id"])
    assert (credit["outstanding"], credit["level"]) == ("0.00", "OK")


async def test_cancelled_orders_do_not_count_towards_outstanding(api):
    client, _ = await api.client_for(Role.SALES)
    customer_id, order_id = await _customer_with_order(
        api, client, limit="1000.00", order_total="750.00"
    )
    data = await client.data(CANCEL_ORDER, {"id": order_id})
    assert data["updateOrderStatus"]["errors"] == []
    credit = await credit_of(client, customer_id)
    assert (credit["outstanding"], credit["utilization"], credit["level"]) == ("0.00", 0.0, "OK")


async def test_payments_reduce_outstanding(api):
    client, _ = await api.client_for(Role.SALES)
    customer_id, order_id = await _customer_with_order(
        api, client, limit="1000.00", order_total="750.00"
    )
    data = await client.data(
        RECORD_PAYMENT,
        {"input": {"orderId": order_id, "amount": "500.00", "method": "UPI"}},
    )
    assert data["recordPayment"]["errors"] == []
    credit = await credit_of(client, customer_id)
    assert (credit["outstanding"], credit["utilization"], credit["level"]) == (
        "250.00",
        0.25,
        "OK",
    )


async def test_outstanding_sums_every_open_order(api):
    client, _ = await api.client_for(Role.SALES)
    customer_id, _ = await _customer_with_order(api, client, limit="1000.00", order_total="500.00")
    product = await api.make_product(sku="SKU-SECOND", price="450.00")
    await place_order(client, customer_id, product)
    credit = await credit_of(client, customer_id)
    assert (credit["outstanding"], credit["level"]) == ("950.00", "CRITICAL")


async def test_each_customer_on_a_page_gets_its_own_credit(api):
    client, _ = await api.client_for(Role.SALES)
    warning, _ = await _customer_with_order(api, client, limit="1000.00", order_total="750.00")
    exceeded, _ = await _customer_with_order(api, client, limit="100.00", order_total="100.01")
    untouched = (await create_ok(client, name="No Orders"))["id"]
    page = await customers(client, first=100)
    levels = {e["node"]["id"]: e["node"]["credit"]["level"] for e in page["edges"]}
    assert levels == {warning: "WARNING", exceeded: "EXCEEDED", untouched: "NO_LIMIT"}
