"""Changing credit limits through the API (contract ``UpdateCreditLimit``): managers only,
with a reason, audited in the same transaction, and serialised under concurrency."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from decimal import Decimal

import pytest
import pytest_asyncio
from sqlalchemy import select

from models import CreditLimitHistory, Customer
from models.enums import Role
from tests.contract_checks.operations import operation
from tests.support import GraphQLClient, error_codes

UPDATE_CREDIT_LIMIT = operation("UpdateCreditLimit")
# The contract's CreateCustomer answers only errors; setup needs the new id.
CREATE_CUSTOMER = """mutation($input: CreateCustomerInput!) { createCustomer(input: $input) {
    customer { id } errors { field message code } } }"""

# The credit part of the contract's CustomerPage, and nothing else.
CUSTOMER_PAGE_CREDIT = """query($id: ID!) { customer(id: $id) {
    version
    credit {
      limit
      outstanding
      available
      utilization
      level
      history(first: 10) {
        totalCount
        edges { node { id oldLimit newLimit reason changedAt changedBy { id name } } }
      }
    }
} }"""

INPUT_FIELDS = """query($name: String!) { __type(name: $name) { inputFields { name } } }"""


@dataclass
class Desk:
    """A manager, the sales rep who owns one customer, and that customer."""

    manager: GraphQLClient
    manager_id: int
    manager_name: str
    sales: GraphQLClient
    customer_id: str

    async def update(self, client: GraphQLClient | None = None, **fields) -> dict:
        body = await (client or self.manager).post(
            UPDATE_CREDIT_LIMIT, {"input": {"customerId": self.customer_id, **fields}}
        )
        return body

    async def set_limit(self, new_limit: str | None, reason: str = "Annual review") -> dict:
        body = await self.update(newLimit=new_limit, reason=reason)
        assert not body.get("errors"), body["errors"]
        payload = body["data"]["updateCreditLimit"]
        assert payload["errors"] == [], payload
        return payload

    async def credit(self) -> dict:
        return (await self.manager.data(CUSTOMER_PAGE_CREDIT, {"id": self.customer_id}))["customer"]


@pytest_asyncio.fixture
async def desk(api) -> Desk:
    manager, manager_actor = await api.client_for(Role.MANAGER)
    sales, _ = await api.client_for(Role.SALES)
    created = await sales.data(
        CREATE_CUSTOMER, {"input": {"name": "Narmada Castings", "businessType": "ENTERPRISE"}}
    )
    return Desk(
        manager=manager,
        manager_id=manager_actor.id,
        manager_name=manager_actor.name,
        sales=sales,
        customer_id=created["createCustomer"]["customer"]["id"],
    )


def only_error(body: dict) -> tuple[str | None, str]:
    assert not body.get("errors"), body["errors"]
    payload = body["data"]["updateCreditLimit"]
    assert payload["customer"] is None and payload["change"] is None
    [error] = payload["errors"]
    return error["field"], error["code"]


async def history_rows(api, customer_id: str) -> list[CreditLimitHistory]:
    async with api.db.read_session() as session:
        return list(
            await session.scalars(
                select(CreditLimitHistory)
                .where(CreditLimitHistory.customer_id == int(customer_id))
                .order_by(CreditLimitHistory.changed_at, CreditLimitHistory.id)
            )
        )


async def stored_limit(api, customer_id: str) -> Decimal | None:
    async with api.db.read_session() as session:
        return await session.scalar(
            select(Customer.credit_limit).where(Customer.id == int(customer_id))
        )


# --- a change and its record ---------------------------------------------------------------


async def test_a_manager_sets_a_limit_and_the_payload_shows_the_customers_new_credit(desk):
    # when
    payload = await desk.set_limit("50000.00")
    # then
    assert payload["customer"] == {
        "id": desk.customer_id,
        "credit": {
            "limit": "50000.00",
            "outstanding": "0.00",
            "utilization": 0.0,
            "level": "OK",
        },
    }


async def test_the_change_in_the_payload_records_old_and_new_limit_reason_and_who(desk):
    # given
    await desk.set_limit("50000.00", "Opening limit")
    # when
    payload = await desk.set_limit("80000.00", "Paid on time for a year")
    # then
    change = payload["change"]
    assert change["oldLimit"] == "50000.00"
    assert change["newLimit"] == "80000.00"
    assert change["reason"] == "Paid on time for a year"
    assert change["changedBy"] == {"id": str(desk.manager_id), "name": desk.manager_name}
    assert change["changedAt"].endswith("+00:00")


async def test_the_first_limit_of_a_customer_changes_from_no_limit(desk):
    payload = await desk.set_limit("1000.00")
    assert payload["change"]["oldLimit"] is None


async def test_the_reason_is_stored_with_its_whitespace_collapsed(desk):
    payload = await desk.set_limit("1000.00", "  Good   payer\n ")
    assert payload["change"]["reason"] == "Good payer"


async def test_an_admin_may_change_a_limit(api, desk):
    admin, _ = await api.client_for(Role.ADMIN)
    body = await desk.update(admin, newLimit="2500.00", reason="Board decision")
    assert body["data"]["updateCreditLimit"]["errors"] == []
    assert body["data"]["updateCreditLimit"]["customer"]["credit"]["limit"] == "2500.00"


async def test_history_shows_changes_newest_first_with_their_total_count(desk):
    # given three changes
    await desk.set_limit("1000.00", "first")
    await desk.set_limit("2000.00", "second")
    await desk.set_limit("3000.00", "third")
    # when
    credit = (await desk.credit())["credit"]
    # then
    history = credit["history"]
    assert history["totalCount"] == 3
    nodes = [e["node"] for e in history["edges"]]
    assert [(n["oldLimit"], n["newLimit"], n["reason"]) for n in nodes] == [
        ("2000.00", "3000.00", "third"),
        ("1000.00", "2000.00", "second"),
        (None, "1000.00", "first"),
    ]
    assert [n["changedBy"]["id"] for n in nodes] == [str(desk.manager_id)] * 3
    assert nodes[0]["id"] != nodes[1]["id"] != nodes[2]["id"]


async def test_the_customer_page_credit_part_shows_limit_available_and_level(desk):
    await desk.set_limit("1000.00")
    credit = (await desk.credit())["credit"]
    assert {
        k: credit[k] for k in ("limit", "outstanding", "available", "utilization", "level")
    } == {
        "limit": "1000.00",
        "outstanding": "0.00",
        "available": "1000.00",
        "utilization": 0.0,
        "level": "OK",
    }


async def test_a_change_increases_the_customer_version(desk):
    before = (await desk.credit())["version"]
    await desk.set_limit("1000.00")
    assert (await desk.credit())["version"] == before + 1


# --- who may change it ---------------------------------------------------------------------


@pytest.mark.parametrize("role", [Role.SALES, Role.VIEWER])
async def test_a_limit_change_by_anyone_but_a_manager_or_admin_is_forbidden(api, desk, role):
    # given
    client, _ = await api.client_for(role)
    # when
    body = await desk.update(client, newLimit="99999.00", reason="I would like more")
    # then
    assert error_codes(body) == ["FORBIDDEN"]
    assert body["data"] is None
    assert await stored_limit(api, desk.customer_id) is None
    assert await history_rows(api, desk.customer_id) == []


async def test_a_limit_change_without_signing_in_is_unauthenticated(api, desk):
    body = await api.client.post(
        UPDATE_CREDIT_LIMIT,
        {"input": {"customerId": desk.customer_id, "newLimit": "1.00", "reason": "x"}},
    )
    assert error_codes(body) == ["UNAUTHENTICATED"]


# --- what a change must carry --------------------------------------------------------------


@pytest.mark.parametrize("reason", ["", "   ", "\n\t"])
async def test_a_blank_reason_is_required(api, desk, reason):
    body = await desk.update(newLimit="1000.00", reason=reason)
    assert only_error(body) == ("reason", "REQUIRED")
    assert await history_rows(api, desk.customer_id) == []


async def test_a_reason_of_501_characters_is_refused(api, desk):
    body = await desk.update(newLimit="1000.00", reason="x" * 501)
    assert only_error(body) == ("reason", "VALIDATION_ERROR")
    assert await stored_limit(api, desk.customer_id) is None


async def test_a_reason_of_500_characters_is_accepted(desk):
    payload = await desk.set_limit("1000.00", "x" * 500)
    assert len(payload["change"]["reason"]) == 500


@pytest.mark.parametrize("limit", ["-0.01", "-1000.00"])
async def test_a_negative_limit_is_refused(api, desk, limit):
    body = await desk.update(newLimit=limit, reason="Typo")
    assert only_error(body) == ("newLimit", "VALIDATION_ERROR")
    assert await stored_limit(api, desk.customer_id) is None


@pytest.mark.parametrize("limit", ["1000.005", "0.001"])
async def test_a_limit_with_three_decimals_is_refused(api, desk, limit):
    body = await desk.update(newLimit=limit, reason="Too precise")
    assert only_error(body) == ("newLimit", "VALIDATION_ERROR")
    assert await history_rows(api, desk.customer_id) == []


async def test_a_limit_of_zero_means_no_credit(desk):
    payload = await desk.set_limit("0", "Cash only")
    assert payload["customer"]["credit"]["limit"] == "0.00"
    assert payload["customer"]["credit"]["level"] == "OK"


async def test_a_null_limit_removes_the_limit(api, desk):
    # given
    await desk.set_limit("1000.00")
    # when
    payload = await desk.set_limit(None, "Government body, no limit")
    # then
    assert payload["customer"]["credit"] == {
        "limit": None,
        "outstanding": "0.00",
        "utilization": None,
        "level": "NO_LIMIT",
    }
    assert (payload["change"]["oldLimit"], payload["change"]["newLimit"]) == ("1000.00", None)
    assert await stored_limit(api, desk.customer_id) is None


async def test_an_unknown_customer_is_not_found(desk):
    desk.customer_id = "999999"
    body = await desk.update(newLimit="1.00", reason="x")
    assert only_error(body) == ("customerId", "NOT_FOUND")


# --- versions and repeats ------------------------------------------------------------------


async def test_a_stale_expected_version_is_refused_and_nothing_changes(api, desk):
    # given the manager read version v, then someone changed the limit
    version = (await desk.credit())["version"]
    await desk.set_limit("1000.00")
    # when the manager saves against version v
    body = await desk.update(newLimit="5000.00", reason="Based on v", expectedVersion=version)
    # then
    assert only_error(body) == ("expectedVersion", "STALE_VERSION")
    assert await stored_limit(api, desk.customer_id) == Decimal("1000.00")
    assert len(await history_rows(api, desk.customer_id)) == 1


async def test_the_current_expected_version_is_accepted(desk):
    version = (await desk.credit())["version"]
    body = await desk.update(newLimit="5000.00", reason="Fresh", expectedVersion=version)
    assert body["data"]["updateCreditLimit"]["errors"] == []


async def test_the_same_amount_again_is_unchanged_and_not_recorded(api, desk):
    # given
    await desk.set_limit("1000.00")
    # when
    body = await desk.update(newLimit="1000", reason="Again")
    # then
    assert only_error(body) == ("newLimit", "UNCHANGED")
    assert len(await history_rows(api, desk.customer_id)) == 1


async def test_removing_an_absent_limit_is_unchanged(desk):
    body = await desk.update(newLimit=None, reason="Nothing to remove")
    assert only_error(body) == ("newLimit", "UNCHANGED")


# --- only through updateCreditLimit --------------------------------------------------------


@pytest.mark.parametrize("input_type", ["CreateCustomerInput", "UpdateCustomerInput"])
async def test_customer_inputs_have_no_credit_limit(desk, input_type):
    data = await desk.manager.data(INPUT_FIELDS, {"name": input_type})
    names = [f["name"] for f in data["__type"]["inputFields"]]
    assert names and not [n for n in names if "credit" in n.lower()]


async def test_create_customer_with_a_credit_limit_is_not_valid_graphql(desk):
    body = await desk.sales.post(
        operation("CreateCustomer"),
        {"input": {"name": "Sneaky", "businessType": "ENTERPRISE", "creditLimit": "1.00"}},
    )
    assert body.get("data") is None
    assert "creditLimit" in body["errors"][0]["message"]


# --- concurrency ---------------------------------------------------------------------------

SIMULTANEOUS = 24


async def test_simultaneous_limit_changes_all_apply_in_one_gapless_history_chain(api, desk):
    # given a customer with an initial limit
    await desk.set_limit("1000.00", "initial")
    new_limits = [f"{2000 + 100 * i}.00" for i in range(SIMULTANEOUS)]

    async def change(limit: str) -> dict:
        body = await desk.update(newLimit=limit, reason=f"race to {limit}")
        assert not body.get("errors"), body["errors"]
        return body["data"]["updateCreditLimit"]

    # when all the changes arrive at once
    payloads = await asyncio.gather(*(change(limit) for limit in new_limits))
    # then every one succeeds
    assert [p["errors"] for p in payloads] == [[]] * SIMULTANEOUS
    # and the history (after the initial change) chains them without a gap
    rows = (await history_rows(api, desk.customer_id))[1:]
    assert len(rows) == SIMULTANEOUS
    assert sorted(str(r.new_limit) for r in rows) == sorted(new_limits)
    chain = [Decimal("1000.00")] + [r.new_limit for r in rows]
    assert [r.old_limit for r in rows] == chain[:-1]
    # and the customer ends at the last new value, at one version per change
    assert await stored_limit(api, desk.customer_id) == rows[-1].new_limit
    assert (await desk.credit())["version"] == 1 + 1 + SIMULTANEOUS
