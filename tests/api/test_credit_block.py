"""The credit block on orders (contract ``CreateOrder``): refused over the limit with
CREDIT_LIMIT_EXCEEDED, a manager's recorded override, concurrent orders that cannot
overrun the limit together, and a cached outstanding that never drifts."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from decimal import Decimal

import pytest
import pytest_asyncio
from sqlalchemy import func, select

from models import (
    CreditAlertEvent,
    CreditOverrideEvent,
    Customer,
    FollowUpTask,
    Order,
    OrderLine,
    OrderStatusChange,
    Payment,
)
from models.enums import Role
from resolvers.credit import outstanding_definition
from tests.contract_checks.operations import operation
from tests.support import GraphQLClient, error_codes

CREATE_ORDER = operation("CreateOrder")
# The contract's CreateCustomer answers only errors; setup needs the new id.
CREATE_CUSTOMER = """mutation($input: CreateCustomerInput!) { createCustomer(input: $input) {
    customer { id } errors { field message code } } }"""
RECORD_PAYMENT = operation("RecordPayment")
UPDATE_CREDIT_LIMIT = operation("UpdateCreditLimit")
CREATE_QUOTATION = operation("CreateQuotation")
UPDATE_QUOTATION_STATUS = operation("UpdateQuotationStatus")

UPDATE_ORDER_STATUS = """mutation($input: UpdateOrderStatusInput!) {
    updateOrderStatus(input: $input) { order { id status } errors { field message code } } }"""

CREDIT = """query($id: ID!) { customer(id: $id) {
    credit { limit outstanding available utilization level } } }"""


@dataclass
class Desk:
    """A sales rep and a manager, products priced 1.00 and 0.01 to compose any total."""

    api: object
    sales: GraphQLClient
    manager: GraphQLClient
    manager_id: int
    unit_product: str
    cent_product: str

    async def customer(self, name: str, limit: str | None) -> str:
        created = await self.sales.data(
            CREATE_CUSTOMER, {"input": {"name": name, "businessType": "ENTERPRISE"}}
        )
        customer_id = created["createCustomer"]["customer"]["id"]
        if limit is not None:
            payload = (
                await self.manager.data(
                    UPDATE_CREDIT_LIMIT,
                    {"input": {"customerId": customer_id, "newLimit": limit, "reason": "Set up"}},
                )
            )["updateCreditLimit"]
            assert payload["errors"] == [], payload
        return customer_id

    def lines(self, amount: str) -> list[dict]:
        units, cents = divmod(int(Decimal(amount) * 100), 100)
        lines = []
        if units:
            lines.append({"productId": self.unit_product, "quantity": units})
        if cents:
            lines.append({"productId": self.cent_product, "quantity": cents})
        return lines

    async def order(
        self, customer_id: str, amount: str, client: GraphQLClient | None = None, **extra
    ) -> dict:
        body = await (client or self.sales).post(
            CREATE_ORDER,
            {"input": {"customerId": customer_id, "lines": self.lines(amount), **extra}},
        )
        return body

    async def placed(self, customer_id: str, amount: str, **extra) -> dict:
        body = await self.order(customer_id, amount, **extra)
        assert not body.get("errors"), body["errors"]
        payload = body["data"]["createOrder"]
        assert payload["errors"] == [], payload
        assert payload["order"]["total"] == str(Decimal(amount).quantize(Decimal("0.01")))
        return payload["order"]

    async def pay(self, order_id: str, amount: str) -> None:
        payload = (
            await self.sales.data(
                RECORD_PAYMENT, {"input": {"orderId": order_id, "amount": amount, "method": "UPI"}}
            )
        )["recordPayment"]
        assert payload["errors"] == [], payload

    async def move(self, order_id: str, status: str) -> dict:
        return (
            await self.sales.data(
                UPDATE_ORDER_STATUS, {"input": {"id": order_id, "status": status}}
            )
        )["updateOrderStatus"]

    async def credit(self, customer_id: str) -> dict:
        return (await self.sales.data(CREDIT, {"id": customer_id}))["customer"]["credit"]


@pytest_asyncio.fixture
async def desk(api) -> Desk:
    sales, _ = await api.client_for(Role.SALES)
    manager, manager_actor = await api.client_for(Role.MANAGER)
    return Desk(
        api=api,
        sales=sales,
        manager=manager,
        manager_id=manager_actor.id,
        unit_product=str(await api.make_product(sku="UNIT", price="1.00")),
        cent_product=str(await api.make_product(sku="CENT", price="0.01")),
    )


def refusal(body: dict) -> list[tuple[str | None, str]]:
    assert not body.get("errors"), body["errors"]
    payload = body["data"]["createOrder"]
    assert payload["order"] is None
    return [(e["field"], e["code"]) for e in payload["errors"]]


async def count_rows(api, *models) -> dict[str, int]:
    async with api.db.read_session() as session:
        return {
            m.__tablename__: await session.scalar(select(func.count()).select_from(m))
            for m in models
        }


async def stored_outstanding(api, customer_id: str) -> Decimal:
    async with api.db.read_session() as session:
        return await session.scalar(
            select(Customer.credit_outstanding).where(Customer.id == int(customer_id))
        )


# --- the block -----------------------------------------------------------------------------


async def test_an_order_over_the_limit_is_refused_with_credit_limit_exceeded(desk):
    customer = await desk.customer("Tapi Pumps", "1000.00")
    body = await desk.order(customer, "1200.00")
    assert [code for _, code in refusal(body)] == ["CREDIT_LIMIT_EXCEEDED"]


async def test_a_refused_order_writes_no_order_lines_status_alert_or_task(api, desk):
    # given a customer already at 70 % (OK)
    customer = await desk.customer("Tapi Pumps", "1000.00")
    await desk.placed(customer, "700.00")
    tables = (Order, OrderLine, OrderStatusChange, CreditAlertEvent, FollowUpTask, Payment)
    before = await count_rows(api, *tables)
    # when an order that would take it to 130 % is refused
    refused = refusal(await desk.order(customer, "600.00"))
    # then nothing was written and the exposure is untouched
    assert [code for _, code in refused] == ["CREDIT_LIMIT_EXCEEDED"]
    assert await count_rows(api, *tables) == before
    assert await stored_outstanding(api, customer) == Decimal("700.00")


async def test_an_order_taking_outstanding_exactly_to_the_limit_is_allowed(desk):
    # given 400 outstanding of 1000
    customer = await desk.customer("Sabarmati Gears", "1000.00")
    await desk.placed(customer, "400.00")
    # when an order of 600 would make it exactly 1000
    await desk.placed(customer, "600.00")
    # then
    assert await desk.credit(customer) == {
        "limit": "1000.00",
        "outstanding": "1000.00",
        "available": "0.00",
        "utilization": 1.0,
        "level": "CRITICAL",
    }


async def test_an_order_one_cent_over_the_limit_is_refused(api, desk):
    customer = await desk.customer("Sabarmati Gears", "1000.00")
    await desk.placed(customer, "400.00")
    refused = refusal(await desk.order(customer, "600.01"))
    assert [code for _, code in refused] == ["CREDIT_LIMIT_EXCEEDED"]
    assert await stored_outstanding(api, customer) == Decimal("400.00")


async def test_an_order_from_an_accepted_quotation_is_blocked_like_one_from_lines(api, desk):
    # given an accepted quotation worth more than the limit
    customer = await desk.customer("Krishna Valves", "100.00")
    quotation = (
        await desk.sales.data(
            CREATE_QUOTATION, {"input": {"customerId": customer, "lines": desk.lines("150.00")}}
        )
    )["createQuotation"]["quotation"]["id"]
    for status in ("SENT", "ACCEPTED"):
        await desk.sales.data(
            UPDATE_QUOTATION_STATUS, {"input": {"id": quotation, "status": status}}
        )
    # when it becomes an order
    body = await desk.sales.post(CREATE_ORDER, {"input": {"quotationId": quotation}})
    # then
    assert [code for _, code in refusal(body)] == ["CREDIT_LIMIT_EXCEEDED"]
    assert (await count_rows(api, Order))["orders"] == 0


async def test_a_customer_without_a_limit_is_never_blocked(desk):
    customer = await desk.customer("Godavari Infra", None)
    order = await desk.placed(customer, "99999.99")
    assert order["status"] == "CONFIRMED"
    assert (await desk.credit(customer))["level"] == "NO_LIMIT"


async def test_a_limit_of_zero_blocks_any_positive_order(desk):
    customer = await desk.customer("Cash Only Traders", "0")
    refused = refusal(await desk.order(customer, "0.01"))
    assert [code for _, code in refused] == ["CREDIT_LIMIT_EXCEEDED"]


async def test_a_cancelled_order_cannot_be_reopened_to_raise_exposure_again(api, desk):
    customer = await desk.customer("Mahanadi Mills", "1000.00")
    order = await desk.placed(customer, "800.00")
    assert (await desk.move(order["id"], "CANCELLED"))["errors"] == []
    for status in ("CONFIRMED", "SHIPPED", "DELIVERED"):
        payload = await desk.move(order["id"], status)
        assert [e["code"] for e in payload["errors"]] == ["INVALID_TRANSITION"]
    assert await stored_outstanding(api, customer) == Decimal("0.00")


# --- the override --------------------------------------------------------------------------


async def test_a_manager_override_places_the_order_and_records_who_why_and_how_much(api, desk):
    # given 900 of 1000 used
    customer = await desk.customer("Kaveri Exports", "1000.00")
    await desk.placed(customer, "900.00")
    # when a manager overrides the block for 250.50
    body = await desk.order(
        customer, "250.50", desk.manager, creditOverrideReason="Advance cheque received"
    )
    # then the order is placed
    payload = body["data"]["createOrder"]
    assert payload["errors"] == []
    order_id = int(payload["order"]["id"])
    # and the override is recorded
    async with api.db.read_session() as session:
        [event] = (await session.scalars(select(CreditOverrideEvent))).all()
    assert (event.customer_id, event.order_id, event.actor_id) == (
        int(customer),
        order_id,
        desk.manager_id,
    )
    assert event.reason == "Advance cheque received"
    assert (event.amount, event.outstanding_before, event.limit) == (
        Decimal("250.50"),
        Decimal("900.00"),
        Decimal("1000.00"),
    )
    assert await stored_outstanding(api, customer) == Decimal("1150.50")


async def test_an_admin_may_override_a_block(api, desk):
    admin, _ = await api.client_for(Role.ADMIN)
    customer = await desk.customer("Kaveri Exports", "10.00")
    body = await desk.order(customer, "20.00", admin, creditOverrideReason="Director approval")
    assert body["data"]["createOrder"]["errors"] == []


async def test_an_override_reason_within_the_limit_records_no_override(api, desk):
    customer = await desk.customer("Kaveri Exports", "1000.00")
    body = await desk.order(customer, "20.00", desk.manager, creditOverrideReason="Just in case")
    assert body["data"]["createOrder"]["errors"] == []
    assert (await count_rows(api, CreditOverrideEvent))["credit_override_events"] == 0


@pytest.mark.parametrize("reason", ["", "   "])
async def test_a_blank_override_reason_does_not_lift_the_block(api, desk, reason):
    customer = await desk.customer("Kaveri Exports", "10.00")
    body = await desk.order(customer, "20.00", desk.manager, creditOverrideReason=reason)
    assert [code for _, code in refusal(body)] == ["CREDIT_LIMIT_EXCEEDED"]
    assert (await count_rows(api, CreditOverrideEvent))["credit_override_events"] == 0


async def test_an_override_reason_of_501_characters_is_refused(api, desk):
    customer = await desk.customer("Kaveri Exports", "10.00")
    body = await desk.order(customer, "20.00", desk.manager, creditOverrideReason="x" * 501)
    assert refusal(body) == [("creditOverrideReason", "VALIDATION_ERROR")]
    assert (await count_rows(api, Order))["orders"] == 0


@pytest.mark.parametrize("amount", ["20.00", "5.00"], ids=["over-the-limit", "within-the-limit"])
async def test_a_sales_rep_asking_for_an_override_is_forbidden(api, desk, amount):
    customer = await desk.customer("Kaveri Exports", "10.00")
    body = await desk.order(customer, amount, creditOverrideReason="My customer, I vouch")
    assert error_codes(body) == ["FORBIDDEN"]
    assert body["data"] is None
    assert await count_rows(api, Order, CreditOverrideEvent) == {
        "orders": 0,
        "credit_override_events": 0,
    }


async def test_a_viewer_cannot_place_an_order_at_all(api, desk):
    viewer, _ = await api.client_for(Role.VIEWER)
    customer = await desk.customer("Kaveri Exports", None)
    assert error_codes(await desk.order(customer, "1.00", viewer)) == ["FORBIDDEN"]


# --- concurrency ---------------------------------------------------------------------------


async def test_simultaneous_orders_cannot_together_exceed_the_limit(api, desk):
    # given a limit of 1000
    customer = await desk.customer("Race Engineering", "1000.00")
    # when ten orders of 150 arrive at once
    bodies = await asyncio.gather(*(desk.order(customer, "150.00") for _ in range(10)))
    # then exactly six fit and four are refused
    payloads = [b["data"]["createOrder"] for b in bodies]
    placed = [p for p in payloads if not p["errors"]]
    refused = [e["code"] for p in payloads for e in p["errors"]]
    assert len(placed) == 6
    assert refused == ["CREDIT_LIMIT_EXCEEDED"] * 4
    # and the limit holds, in the cache and in the orders themselves
    assert await stored_outstanding(api, customer) == Decimal("900.00")
    async with api.db.read_session() as session:
        billed = await session.scalar(
            select(func.sum(Order.total)).where(Order.customer_id == int(customer))
        )
    assert billed == Decimal("900.00")


# --- what lowers exposure ------------------------------------------------------------------


async def test_payments_reduce_outstanding_so_a_paid_down_customer_can_order_again(desk):
    # given a customer at its limit, blocked
    customer = await desk.customer("Paid Down Pvt", "1000.00")
    order = await desk.placed(customer, "1000.00")
    assert refusal(await desk.order(customer, "300.00"))
    # when it pays 300
    await desk.pay(order["id"], "300.00")
    # then the outstanding falls and the same order now goes through
    assert (await desk.credit(customer))["outstanding"] == "700.00"
    await desk.placed(customer, "300.00")
    assert (await desk.credit(customer))["available"] == "0.00"


async def test_cancelling_an_order_releases_its_exposure(desk):
    # given a customer at its limit
    customer = await desk.customer("Cancelled Co", "1000.00")
    order = await desk.placed(customer, "800.00")
    assert refusal(await desk.order(customer, "500.00"))
    # when the order is cancelled
    assert (await desk.move(order["id"], "CANCELLED"))["errors"] == []
    # then its exposure is released
    assert (await desk.credit(customer))["outstanding"] == "0.00"
    await desk.placed(customer, "500.00")


async def test_shipping_and_delivering_do_not_change_exposure(desk):
    customer = await desk.customer("Shipped Co", "1000.00")
    order = await desk.placed(customer, "250.00")
    for status in ("SHIPPED", "DELIVERED"):
        assert (await desk.move(order["id"], status))["errors"] == []
    assert (await desk.credit(customer))["outstanding"] == "250.00"


async def test_the_cached_outstanding_always_equals_its_definition(api, desk):
    # given three customers and a mixed sequence of orders, payments and cancellations
    a = await desk.customer("Drift A", "1000.00")
    b = await desk.customer("Drift B", None)
    c = await desk.customer("Drift C", "500.00")
    a1 = await desk.placed(a, "400.00")
    a2 = await desk.placed(a, "350.25")
    await desk.pay(a1["id"], "100.10")
    await desk.pay(a1["id"], "299.90")  # a1 fully paid
    assert refusal(await desk.order(a, "800.00"))
    overridden = await desk.order(a, "900.00", desk.manager, creditOverrideReason="Seasonal")
    assert overridden["data"]["createOrder"]["errors"] == []
    assert (await desk.move(a2["id"], "CANCELLED"))["errors"] == []
    b1 = await desk.placed(b, "12345.67")
    await desk.pay(b1["id"], "45.67")
    assert (await desk.move(b1["id"], "CANCELLED"))["errors"][0]["code"] == "HAS_PAYMENTS"
    b2 = await desk.placed(b, "10.00")
    assert (await desk.move(b2["id"], "SHIPPED"))["errors"] == []
    assert (await desk.move(b2["id"], "CANCELLED"))["errors"] == []
    c1 = await desk.placed(c, "499.99")
    await desk.pay(c1["id"], "0.01")
    await desk.placed(c, "0.02")
    # when the cache is compared with the definition, customer by customer
    async with api.db.read_session() as session:
        rows = (
            await session.execute(
                select(
                    Customer.id,
                    Customer.credit_outstanding,
                    outstanding_definition(Customer.id).label("defined"),
                ).order_by(Customer.id)
            )
        ).all()
    # then they agree everywhere
    assert [(r.credit_outstanding, r.defined) for r in rows] == [
        (Decimal("900.00"), Decimal("900.00")),
        (Decimal("12300.00"), Decimal("12300.00")),
        (Decimal("500.00"), Decimal("500.00")),
    ]
