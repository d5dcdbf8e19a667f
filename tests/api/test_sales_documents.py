"""Quotations, orders and payments through the API, using the frontend's contract operations."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

import pytest
import pytest_asyncio

from app.domain_config import domain_config
from models.enums import Role
from tests.contract_checks.operations import operation
from tests.support import GraphQLClient, error_codes

CREATE_QUOTATION = operation("CreateQuotation")
UPDATE_QUOTATION_STATUS = operation("UpdateQuotationStatus")
CREATE_ORDER = operation("CreateOrder")
RECORD_PAYMENT = operation("RecordPayment")

CREATE_CUSTOMER = """mutation($input: CreateCustomerInput!) { createCustomer(input: $input) {
    customer { id } errors { field message code } } }"""

UPDATE_ORDER_STATUS = """mutation($input: UpdateOrderStatusInput!) {
    updateOrderStatus(input: $input) {
        order { id status balanceDue }
        errors { field message code } } }"""

HISTORY = "statusHistory { fromStatus toStatus note changedAt changedBy { id name } }"
LINES = "lines { position quantity listPrice unitPrice discountPercent lineTotal product { id } }"

QUOTATION = f"""query($id: ID!) {{ quotation(id: $id) {{
    id number status total sentAt customer {{ id }} {LINES} {HISTORY} }} }}"""

ORDER = f"""query($id: ID!) {{ order(id: $id) {{
    id number status total balanceDue orderDate dueDate customer {{ id }} quotation {{ id }}
    payments {{ amount method }} {LINES} {HISTORY} }} }}"""

CUSTOMER_DOCUMENTS = """query($id: ID!, $first: Int, $after: String) { customer(id: $id) {
    %s(first: $first, after: $after) {
        totalCount pageInfo { hasNextPage endCursor } edges { cursor node { id number } } } } }"""

QUOTATION_MOVES = {
    ("DRAFT", "SENT"),
    ("SENT", "ACCEPTED"),
    ("SENT", "REJECTED"),
    ("SENT", "EXPIRED"),
}
QUOTATION_STATUSES = ["DRAFT", "SENT", "ACCEPTED", "REJECTED", "EXPIRED"]
PATH_TO = {
    "DRAFT": [],
    "SENT": ["SENT"],
    "ACCEPTED": ["SENT", "ACCEPTED"],
    "REJECTED": ["SENT", "REJECTED"],
    "EXPIRED": ["SENT", "EXPIRED"],
}
INVALID_QUOTATION_TARGETS = {
    current: [target for target in QUOTATION_STATUSES if (current, target) not in QUOTATION_MOVES]
    for current in QUOTATION_STATUSES
}


@dataclass
class Desk:
    """A signed-in sales rep with a customer and a product, and the steps of a sale."""

    client: GraphQLClient
    actor_id: int
    customer_id: str
    product_id: str
    today: dt.date

    async def quote(self, lines: list[dict[str, Any]] | None = None, **extra: Any) -> dict:
        lines = lines if lines is not None else [{"productId": self.product_id, "quantity": 2}]
        data = await self.client.data(
            CREATE_QUOTATION,
            {"input": {"customerId": self.customer_id, "lines": lines, **extra}},
        )
        return data["createQuotation"]

    async def move_quotation(self, quotation_id: str, status: str) -> dict:
        data = await self.client.data(
            UPDATE_QUOTATION_STATUS, {"input": {"id": quotation_id, "status": status}}
        )
        return data["updateQuotationStatus"]

    async def quotation_in(self, status: str) -> str:
        payload = await self.quote()
        quotation_id = payload["quotation"]["id"]
        for step in PATH_TO[status]:
            assert (await self.move_quotation(quotation_id, step))["errors"] == []
        return quotation_id

    async def order(self, **fields: Any) -> dict:
        data = await self.client.data(CREATE_ORDER, {"input": fields})
        return data["createOrder"]

    async def order_from_lines(self, quantity: int = 2, **fields: Any) -> dict:
        payload = await self.order(
            customerId=self.customer_id,
            lines=[{"productId": self.product_id, "quantity": quantity}],
            **fields,
        )
        assert payload["errors"] == [], payload
        return payload["order"]

    async def move_order(self, order_id: str, status: str) -> dict:
        data = await self.client.data(
            UPDATE_ORDER_STATUS, {"input": {"id": order_id, "status": status}}
        )
        return data["updateOrderStatus"]

    async def pay(self, order_id: str, amount: str, method: str = "UPI") -> dict:
        data = await self.client.data(
            RECORD_PAYMENT, {"input": {"orderId": order_id, "amount": amount, "method": method}}
        )
        return data["recordPayment"]

    async def read_quotation(self, quotation_id: str) -> dict:
        return (await self.client.data(QUOTATION, {"id": quotation_id}))["quotation"]

    async def read_order(self, order_id: str) -> dict:
        return (await self.client.data(ORDER, {"id": order_id}))["order"]


def _only_error(payload: dict) -> tuple[str | None, str]:
    [error] = payload["errors"]
    return error["field"], error["code"]


@pytest_asyncio.fixture
async def desk(api) -> Desk:
    client, actor = await api.client_for(Role.SALES)
    created = await client.data(
        CREATE_CUSTOMER, {"input": {"name": "Kaveri Tool Works", "businessType": "ENTERPRISE"}}
    )
    product_id = await api.make_product(sku="LTH-625", price="625.00")
    return Desk(
        client=client,
        actor_id=actor.id,
        customer_id=created["createCustomer"]["customer"]["id"],
        product_id=str(product_id),
        today=domain_config(api.app.state.settings).today(),
    )


# --- quotations --------------------------------------------------------------------------


async def test_quotation_lines_are_priced_from_the_list_price(api, desk):
    # given
    drill = await api.make_product(sku="DRL-199", price="199.99")
    washer = await api.make_product(sku="WSH-005", price="0.05")
    # when
    payload = await desk.quote(
        [{"productId": str(drill), "quantity": 3}, {"productId": str(washer), "quantity": 7}]
    )
    # then
    assert payload["errors"] == []
    lines = [
        {k: line[k] for k in ("quantity", "listPrice", "unitPrice", "discountPercent", "lineTotal")}
        for line in payload["quotation"]["lines"]
    ]
    assert lines == [
        {
            "quantity": 3,
            "listPrice": "199.99",
            "unitPrice": "199.99",
            "discountPercent": "0.00",
            "lineTotal": "599.97",
        },
        {
            "quantity": 7,
            "listPrice": "0.05",
            "unitPrice": "0.05",
            "discountPercent": "0.00",
            "lineTotal": "0.35",
        },
    ]


async def test_quotation_total_is_the_sum_of_its_rounded_lines(api, desk):
    # given
    drill = await api.make_product(sku="DRL-199", price="199.99")
    washer = await api.make_product(sku="WSH-005", price="0.05")
    # when
    payload = await desk.quote(
        [{"productId": str(drill), "quantity": 3}, {"productId": str(washer), "quantity": 7}]
    )
    # then
    assert payload["quotation"]["total"] == "600.32"


async def test_quotation_total_is_a_string_with_two_decimals(desk):
    payload = await desk.quote([{"productId": desk.product_id, "quantity": 2}])
    assert payload["quotation"]["total"] == "1250.00"


async def test_new_quotation_is_a_numbered_draft(desk):
    quotation = (await desk.quote())["quotation"]
    assert re.fullmatch(r"QUO-\d{7}", quotation["number"])
    assert quotation["status"] == "DRAFT"


async def test_quotation_numbers_are_unique_and_increasing(desk):
    first = (await desk.quote())["quotation"]["number"]
    second = (await desk.quote())["quotation"]["number"]
    assert first < second


async def test_new_quotation_history_records_who_drafted_it(desk):
    # given
    quotation_id = (await desk.quote())["quotation"]["id"]
    # when
    quotation = await desk.read_quotation(quotation_id)
    # then
    [entry] = quotation["statusHistory"]
    assert (entry["fromStatus"], entry["toStatus"]) == (None, "DRAFT")
    assert entry["changedBy"]["id"] == str(desk.actor_id)
    assert entry["changedAt"]


async def test_quotation_can_be_read_by_id_with_its_customer_and_lines(desk):
    quotation_id = (await desk.quote())["quotation"]["id"]
    quotation = await desk.read_quotation(quotation_id)
    assert quotation["customer"] == {"id": desk.customer_id}
    assert [(line["position"], line["product"]["id"]) for line in quotation["lines"]] == [
        (1, desk.product_id)
    ]


@pytest.mark.parametrize("kind", ["quotation", "order"])
async def test_document_with_an_id_that_does_not_exist_is_null(desk, kind):
    # given ids that are unknown, malformed, a digit that is not ASCII, and beyond any integer
    missing = ["999999", "abc", "²", "99999999999999999999"]
    query = f"query($id: ID!) {{ {kind}(id: $id) {{ id }} }}"
    # when
    answers = {id_: await desk.client.post(query, {"id": id_}) for id_ in missing}
    # then: not found, not a crash (no errors; extensions carry only the query cost)
    assert {
        id_: {k: v for k, v in body.items() if k != "extensions"} for id_, body in answers.items()
    } == {id_: {"data": {kind: None}} for id_ in missing}


async def test_sending_a_draft_quotation_sets_sent_at(desk):
    # given
    quotation_id = await desk.quotation_in("DRAFT")
    # when
    payload = await desk.move_quotation(quotation_id, "SENT")
    # then
    assert payload == {"quotation": {"id": quotation_id, "status": "SENT"}, "errors": []}
    assert (await desk.read_quotation(quotation_id))["sentAt"] is not None


async def test_draft_quotation_has_no_sent_at(desk):
    quotation_id = await desk.quotation_in("DRAFT")
    assert (await desk.read_quotation(quotation_id))["sentAt"] is None


@pytest.mark.parametrize("outcome", ["ACCEPTED", "REJECTED", "EXPIRED"])
async def test_sent_quotation_can_be_closed(desk, outcome):
    quotation_id = await desk.quotation_in("SENT")
    payload = await desk.move_quotation(quotation_id, outcome)
    assert payload == {"quotation": {"id": quotation_id, "status": outcome}, "errors": []}


async def test_each_quotation_status_change_is_recorded_with_who_made_it(desk):
    # given
    quotation_id = await desk.quotation_in("ACCEPTED")
    # when
    history = (await desk.read_quotation(quotation_id))["statusHistory"]
    # then
    assert [(h["fromStatus"], h["toStatus"]) for h in history] == [
        (None, "DRAFT"),
        ("DRAFT", "SENT"),
        ("SENT", "ACCEPTED"),
    ]
    assert {h["changedBy"]["id"] for h in history} == {str(desk.actor_id)}


@pytest.mark.parametrize("current", QUOTATION_STATUSES)
async def test_invalid_quotation_transitions_are_refused(desk, current):
    # given
    quotation_id = await desk.quotation_in(current)
    # when each move the machine does not allow is tried (a refusal changes nothing)
    refusals = {
        target: await desk.move_quotation(quotation_id, target)
        for target in INVALID_QUOTATION_TARGETS[current]
    }
    # then
    assert {target: _only_error(p) for target, p in refusals.items()} == {
        target: ("status", "INVALID_TRANSITION") for target in INVALID_QUOTATION_TARGETS[current]
    }
    assert all(p["quotation"] is None for p in refusals.values())
    assert (await desk.read_quotation(quotation_id))["status"] == current


async def test_quotation_with_an_unknown_product_names_the_line(desk):
    payload = await desk.quote(
        [{"productId": desk.product_id, "quantity": 1}, {"productId": "999999", "quantity": 1}]
    )
    assert payload["quotation"] is None
    assert _only_error(payload) == ("lines.1.productId", "NOT_FOUND")


async def test_quotation_with_an_inactive_product_names_the_line(api, desk):
    retired = await api.make_product(sku="OLD-1", price="10.00", active=False)
    payload = await desk.quote([{"productId": str(retired), "quantity": 1}])
    assert payload["quotation"] is None
    assert _only_error(payload) == ("lines.0.productId", "NOT_FOUND")


async def test_quotation_line_with_zero_quantity_is_refused(desk):
    payload = await desk.quote([{"productId": desk.product_id, "quantity": 0}])
    assert payload["quotation"] is None
    assert _only_error(payload) == ("lines.0.quantity", "VALIDATION_ERROR")


async def test_quotation_without_lines_is_refused(desk):
    payload = await desk.quote([])
    assert payload["quotation"] is None
    assert _only_error(payload) == ("lines", "REQUIRED")


async def test_refused_quotation_leaves_nothing_behind(desk):
    await desk.quote([])
    assert (await _page(desk, "quotations"))["totalCount"] == 0


# --- orders ------------------------------------------------------------------------------


async def test_order_from_an_accepted_quotation_copies_its_lines_and_total(api, desk):
    # given
    drill = await api.make_product(sku="DRL-199", price="199.99")
    quotation_id = (
        await desk.quote(
            [
                {"productId": desk.product_id, "quantity": 1},
                {"productId": str(drill), "quantity": 3},
            ]
        )
    )["quotation"]["id"]
    for step in PATH_TO["ACCEPTED"]:
        await desk.move_quotation(quotation_id, step)
    quotation = await desk.read_quotation(quotation_id)
    # when
    payload = await desk.order(quotationId=quotation_id)
    # then
    assert payload["errors"] == []
    order = await desk.read_order(payload["order"]["id"])
    assert order["total"] == quotation["total"] == "1224.97"
    assert order["lines"] == quotation["lines"]


async def test_order_from_a_quotation_links_the_quotation_and_its_customer(desk):
    quotation_id = await desk.quotation_in("ACCEPTED")
    order_id = (await desk.order(quotationId=quotation_id))["order"]["id"]
    order = await desk.read_order(order_id)
    assert order["quotation"] == {"id": quotation_id}
    assert order["customer"] == {"id": desk.customer_id}


@pytest.mark.parametrize("status", ["DRAFT", "SENT", "REJECTED", "EXPIRED"])
async def test_order_from_a_quotation_that_is_not_accepted_is_refused(desk, status):
    quotation_id = await desk.quotation_in(status)
    payload = await desk.order(quotationId=quotation_id)
    assert payload["order"] is None
    assert _only_error(payload) == ("quotationId", "QUOTATION_NOT_ACCEPTED")


async def test_second_order_from_the_same_quotation_is_refused(desk):
    # given
    quotation_id = await desk.quotation_in("ACCEPTED")
    assert (await desk.order(quotationId=quotation_id))["errors"] == []
    # when
    payload = await desk.order(quotationId=quotation_id)
    # then
    assert payload["order"] is None
    assert _only_error(payload) == ("quotationId", "ALREADY_ORDERED")


async def test_order_from_a_quotation_of_another_customer_is_refused(desk):
    # given
    quotation_id = await desk.quotation_in("ACCEPTED")
    other = await desk.client.data(
        CREATE_CUSTOMER, {"input": {"name": "Other Traders", "businessType": "INDIVIDUAL"}}
    )
    # when
    payload = await desk.order(
        quotationId=quotation_id, customerId=other["createCustomer"]["customer"]["id"]
    )
    # then
    assert payload["order"] is None
    assert _only_error(payload) == ("customerId", "VALIDATION_ERROR")


async def test_order_from_a_quotation_and_lines_at_once_is_refused(desk):
    quotation_id = await desk.quotation_in("ACCEPTED")
    payload = await desk.order(
        quotationId=quotation_id, lines=[{"productId": desk.product_id, "quantity": 1}]
    )
    assert payload["order"] is None
    assert _only_error(payload) == ("lines", "VALIDATION_ERROR")


async def test_order_from_lines_is_a_numbered_confirmed_order_priced_from_the_list(desk):
    order = await desk.order_from_lines(quantity=2)
    assert re.fullmatch(r"ORD-\d{7}", order["number"])
    assert (order["status"], order["total"], order["balanceDue"]) == (
        "CONFIRMED",
        "1250.00",
        "1250.00",
    )


async def test_order_from_lines_has_no_quotation(desk):
    order = await desk.read_order((await desk.order_from_lines())["id"])
    assert order["quotation"] is None
    assert order["customer"] == {"id": desk.customer_id}


async def test_order_from_lines_without_a_customer_is_refused(desk):
    payload = await desk.order(lines=[{"productId": desk.product_id, "quantity": 1}])
    assert payload["order"] is None
    assert _only_error(payload) == ("customerId", "REQUIRED")


async def test_order_due_date_defaults_to_thirty_days_after_the_order_date(desk):
    order = await desk.order_from_lines(orderDate="2025-01-15")
    assert (order["orderDate"], order["dueDate"]) == ("2025-01-15", "2025-02-14")


async def test_order_date_defaults_to_today_in_the_business_time_zone(desk):
    order = await desk.order_from_lines()
    assert order["orderDate"] == desk.today.isoformat()
    assert order["dueDate"] == (desk.today + dt.timedelta(days=30)).isoformat()


async def test_order_dated_in_the_future_is_refused(desk):
    tomorrow = (desk.today + dt.timedelta(days=1)).isoformat()
    payload = await desk.order(
        customerId=desk.customer_id,
        lines=[{"productId": desk.product_id, "quantity": 1}],
        orderDate=tomorrow,
    )
    assert payload["order"] is None
    assert _only_error(payload) == ("orderDate", "VALIDATION_ERROR")


async def test_order_moves_confirmed_shipped_delivered_and_records_each_step(desk):
    # given
    order_id = (await desk.order_from_lines())["id"]
    # when
    shipped = await desk.move_order(order_id, "SHIPPED")
    delivered = await desk.move_order(order_id, "DELIVERED")
    # then
    assert (shipped["order"]["status"], delivered["order"]["status"]) == ("SHIPPED", "DELIVERED")
    history = (await desk.read_order(order_id))["statusHistory"]
    assert [(h["fromStatus"], h["toStatus"]) for h in history] == [
        (None, "CONFIRMED"),
        ("CONFIRMED", "SHIPPED"),
        ("SHIPPED", "DELIVERED"),
    ]
    assert {h["changedBy"]["id"] for h in history} == {str(desk.actor_id)}


async def test_cancelling_a_delivered_order_is_refused(desk):
    # given
    order_id = (await desk.order_from_lines())["id"]
    await desk.move_order(order_id, "SHIPPED")
    await desk.move_order(order_id, "DELIVERED")
    # when
    payload = await desk.move_order(order_id, "CANCELLED")
    # then
    assert payload["order"] is None
    assert _only_error(payload) == ("status", "INVALID_TRANSITION")
    assert (await desk.read_order(order_id))["status"] == "DELIVERED"


async def test_cancelling_an_order_with_payments_is_refused(desk):
    # given
    order_id = (await desk.order_from_lines())["id"]
    assert (await desk.pay(order_id, "100.00"))["errors"] == []
    # when
    payload = await desk.move_order(order_id, "CANCELLED")
    # then
    assert payload["order"] is None
    assert _only_error(payload) == ("status", "HAS_PAYMENTS")


async def test_cancelled_order_has_nothing_due(desk):
    order_id = (await desk.order_from_lines())["id"]
    payload = await desk.move_order(order_id, "CANCELLED")
    assert payload["order"] == {"id": order_id, "status": "CANCELLED", "balanceDue": "0.00"}


async def test_quotation_of_a_cancelled_order_can_be_ordered_again(desk):
    # given
    quotation_id = await desk.quotation_in("ACCEPTED")
    first = (await desk.order(quotationId=quotation_id))["order"]["id"]
    await desk.move_order(first, "CANCELLED")
    # when
    payload = await desk.order(quotationId=quotation_id)
    # then
    assert payload["errors"] == []


# --- payments ----------------------------------------------------------------------------


async def test_payment_reduces_the_balance_due(desk):
    # given
    order_id = (await desk.order_from_lines(quantity=2))["id"]
    # when
    payload = await desk.pay(order_id, "250.00", method="CHEQUE")
    # then
    assert payload["errors"] == []
    assert (payload["payment"]["amount"], payload["payment"]["method"]) == ("250.00", "CHEQUE")
    assert payload["order"] == {"id": order_id, "balanceDue": "1000.00"}


async def test_fully_paid_order_has_a_balance_due_of_zero(desk):
    order_id = (await desk.order_from_lines(quantity=2))["id"]
    await desk.pay(order_id, "1000.00")
    payload = await desk.pay(order_id, "250.00")
    assert payload["order"]["balanceDue"] == "0.00"
    assert (await desk.read_order(order_id))["balanceDue"] == "0.00"


async def test_payment_above_the_balance_due_is_refused(desk):
    # given an order of 1250.00 with 1000.00 paid
    order_id = (await desk.order_from_lines(quantity=2))["id"]
    await desk.pay(order_id, "1000.00")
    # when
    payload = await desk.pay(order_id, "250.01")
    # then
    assert (payload["payment"], payload["order"]) == (None, None)
    assert _only_error(payload) == ("amount", "EXCEEDS_BALANCE")
    assert (await desk.read_order(order_id))["balanceDue"] == "250.00"


async def test_payment_on_a_cancelled_order_is_refused(desk):
    order_id = (await desk.order_from_lines())["id"]
    await desk.move_order(order_id, "CANCELLED")
    payload = await desk.pay(order_id, "1.00")
    assert payload["payment"] is None
    assert _only_error(payload) == ("orderId", "ORDER_CANCELLED")


@pytest.mark.parametrize("amount", ["-5.00", "0", "0.00", "10.005"])
async def test_payment_amount_must_be_positive_with_at_most_two_decimals(desk, amount):
    order_id = (await desk.order_from_lines())["id"]
    payload = await desk.pay(order_id, amount)
    assert payload["payment"] is None
    assert _only_error(payload) == ("amount", "VALIDATION_ERROR")
    assert (await desk.read_order(order_id))["payments"] == []


@pytest.mark.parametrize("amount", ["NaN", "Infinity", "-Infinity", "1e400", 1e300])
async def test_decimal_scalar_refuses_a_value_that_is_not_a_plain_number(desk, amount):
    # given
    order_id = (await desk.order_from_lines())["id"]
    # when
    body = await desk.client.post(
        RECORD_PAYMENT, {"input": {"orderId": order_id, "amount": amount, "method": "CASH"}}
    )
    # then: a top-level input error, not a crash
    assert body["errors"]
    assert body.get("data") is None
    assert "INTERNAL_SERVER_ERROR" not in error_codes(body)
    assert (await desk.read_order(order_id))["payments"] == []


@pytest.mark.parametrize("literal", ['"NaN"', '"Infinity"', "1e400"])
async def test_decimal_scalar_refuses_a_literal_that_is_not_a_plain_number(desk, literal):
    query = f"""mutation {{ recordPayment(input: {{ orderId: "1", amount: {literal},
        method: CASH }}) {{ errors {{ code }} }} }}"""
    body = await desk.client.post(query)
    assert body["errors"]
    assert "INTERNAL_SERVER_ERROR" not in error_codes(body)


# --- a customer's documents --------------------------------------------------------------


async def _make_documents(desk: Desk, kind: str, count: int) -> list[str]:
    """Ids of ``count`` new quotations or orders for the desk's customer, oldest first."""
    ids = []
    for _ in range(count):
        if kind == "quotations":
            ids.append((await desk.quote())["quotation"]["id"])
        else:
            ids.append((await desk.order_from_lines())["id"])
    return ids


async def _page(desk: Desk, kind: str, first: int | None = None, after: str | None = None):
    variables = {"id": desk.customer_id, "first": first, "after": after}
    return (await desk.client.data(CUSTOMER_DOCUMENTS % kind, variables))["customer"][kind]


@pytest.mark.parametrize("kind", ["quotations", "orders"])
async def test_customer_documents_are_listed_newest_first(desk, kind):
    # given
    ids = await _make_documents(desk, kind, 3)
    # when
    page = await _page(desk, kind)
    # then
    assert [e["node"]["id"] for e in page["edges"]] == ids[::-1]
    assert page["totalCount"] == 3
    assert page["pageInfo"]["hasNextPage"] is False


@pytest.mark.parametrize("kind", ["quotations", "orders"])
async def test_customer_documents_page_on_with_first_and_after(desk, kind):
    # given
    ids = await _make_documents(desk, kind, 3)
    # when
    first_page = await _page(desk, kind, first=2)
    second_page = await _page(desk, kind, first=2, after=first_page["pageInfo"]["endCursor"])
    # then
    assert [e["node"]["id"] for e in first_page["edges"]] == [ids[2], ids[1]]
    assert first_page["pageInfo"]["hasNextPage"] is True
    assert first_page["pageInfo"]["endCursor"] == first_page["edges"][-1]["cursor"]
    assert [e["node"]["id"] for e in second_page["edges"]] == [ids[0]]
    assert second_page["pageInfo"]["hasNextPage"] is False
    assert first_page["totalCount"] == second_page["totalCount"] == 3


@pytest.mark.parametrize("kind", ["quotations", "orders"])
async def test_customer_documents_list_only_that_customers_documents(desk, kind):
    # given a document for another customer
    other = await desk.client.data(
        CREATE_CUSTOMER, {"input": {"name": "Other Traders", "businessType": "INDIVIDUAL"}}
    )
    other_id = other["createCustomer"]["customer"]["id"]
    if kind == "quotations":
        await desk.client.data(
            CREATE_QUOTATION,
            {
                "input": {
                    "customerId": other_id,
                    "lines": [{"productId": desk.product_id, "quantity": 1}],
                }
            },
        )
    else:
        await desk.order(customerId=other_id, lines=[{"productId": desk.product_id, "quantity": 1}])
    ids = await _make_documents(desk, kind, 1)
    # when
    page = await _page(desk, kind)
    # then
    assert [e["node"]["id"] for e in page["edges"]] == ids
    assert page["totalCount"] == 1
