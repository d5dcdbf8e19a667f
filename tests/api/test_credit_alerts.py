"""Credit levels and alerts: the alert list (contract ``CreditAlerts``), the ``creditLevels``
filter, threshold crossings and their follow-up tasks, dry runs (contract ``CreditCheck``),
and the SQL level filter agreeing with the Decimal rule on the exact boundaries."""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass
from decimal import Decimal

import pytest
import pytest_asyncio
from sqlalchemy import func, insert, select, update

from models import CreditAlertEvent, Customer, FollowUpTask, Order
from models.enums import BusinessType, CustomerStatus, Role, TaskSource, TaskStatus
from resolvers.config import CreditThresholds
from resolvers.credit import CreditLevel, credit_level, level_condition
from tests.contract_checks.operations import operation
from tests.support import GraphQLClient, StatementCounter, error_codes

CREDIT_ALERTS = operation("CreditAlerts")
CREDIT_CHECK = operation("CreditCheck")
CREATE_ORDER = operation("CreateOrder")
RECORD_PAYMENT = operation("RecordPayment")
UPDATE_CREDIT_LIMIT = operation("UpdateCreditLimit")

CREATE_CUSTOMER = """mutation($input: CreateCustomerInput!) { createCustomer(input: $input) {
    customer { id } errors { field message code } } }"""

UPDATE_ORDER_STATUS = """mutation($input: UpdateOrderStatusInput!) {
    updateOrderStatus(input: $input) { order { id status } errors { field message code } } }"""

CUSTOMERS_AT = """query($levels: [CreditLevel!], $first: Int) {
    customers(filter: {creditLevels: $levels}, first: $first) {
        totalCount edges { node { id credit { level } } } } }"""

# The credit part of the contract's CustomerDashboard, and nothing else.
DASHBOARD_CREDIT = """query($filter: CustomerFilter, $first: Int, $after: String) {
    customers(filter: $filter, first: $first, after: $after) {
        pageInfo { hasNextPage endCursor }
        edges { node { credit { limit outstanding available utilization level } } } } }"""

THRESHOLDS = CreditThresholds()
NOW = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
_ids = itertools.count(1)


async def insert_customers(api, owner_id: int, credits: list[tuple[str | None, str]]) -> list[str]:
    """Customers with (limit, outstanding) set directly, as after a bulk load."""
    rows = []
    for limit, outstanding in credits:
        number = next(_ids)
        rows.append(
            {
                "code": f"CR-{number:06d}",
                "name": f"Credit Customer {number:06d}",
                "business_type": BusinessType.SMALL_BUSINESS,
                "status": CustomerStatus.ACTIVE,
                "country": "IN",
                "owner_id": owner_id,
                "credit_limit": None if limit is None else Decimal(limit),
                "credit_outstanding": Decimal(outstanding),
                "search_text": f"credit customer {number:06d}",
                "version": 1,
                "created_at": NOW,
                "updated_at": NOW,
            }
        )
    async with api.db.write_session() as session:
        ids = (await session.scalars(insert(Customer).returning(Customer.id), rows)).all()
        await session.commit()
    return [str(i) for i in ids]


def money(amount: str) -> str:
    return str(Decimal(amount).quantize(Decimal("0.01")))


def alerted_ids(connection: dict) -> list[str]:
    """The customer ids of a ``creditLimitAlerts`` connection, in order."""
    return [edge["node"]["customer"]["id"] for edge in connection["edges"]]


# --- the alert list ------------------------------------------------------------------------


@pytest_asyncio.fixture
async def viewer(api) -> tuple[GraphQLClient, int]:
    client, actor = await api.client_for(Role.VIEWER)
    return client, actor.id


async def test_alerts_list_customers_at_or_above_warning_most_utilised_first(api, viewer):
    # given customers at 50 %, 80 %, 120 %, 75 %, 95 %, without a limit, and at 0 of 0
    client, owner = viewer
    ids = await insert_customers(
        api,
        owner,
        [
            ("1000.00", "500.00"),
            ("1000.00", "800.00"),
            ("1000.00", "1200.00"),
            ("1000.00", "750.00"),
            ("1000.00", "950.00"),
            (None, "99999.00"),
            ("0", "0"),
        ],
    )
    # when
    data = await client.data(CREDIT_ALERTS, {})
    # then
    assert alerted_ids(data["creditLimitAlerts"]) == [ids[2], ids[4], ids[1], ids[3]]
    assert data["creditLimitAlerts"]["totalCount"] == 4
    assert [e["node"]["level"] for e in data["creditLimitAlerts"]["edges"]] == [
        "EXCEEDED",
        "CRITICAL",
        "WARNING",
        "WARNING",
    ]


async def test_an_alert_carries_the_customers_limit_outstanding_utilisation_and_owner(api, viewer):
    client, owner = viewer
    [customer] = await insert_customers(api, owner, [("2000.00", "1900.00")])
    data = await client.data(CREDIT_ALERTS, {})
    [edge] = data["creditLimitAlerts"]["edges"]
    node = edge["node"]
    assert {k: node[k] for k in ("level", "limit", "outstanding", "utilization")} == {
        "level": "CRITICAL",
        "limit": "2000.00",
        "outstanding": "1900.00",
        "utilization": 0.95,
    }
    assert node["customer"]["id"] == customer
    assert node["customer"]["owner"]["id"] == str(owner)


async def test_a_zero_limit_with_money_outstanding_sorts_before_everything(api, viewer):
    client, owner = viewer
    ids = await insert_customers(
        api, owner, [("1000.00", "5000.00"), ("0", "0.01"), ("1000.00", "800.00")]
    )
    data = await client.data(CREDIT_ALERTS, {})
    assert alerted_ids(data["creditLimitAlerts"]) == [ids[1], ids[0], ids[2]]
    assert data["creditLimitAlerts"]["edges"][0]["node"]["level"] == "EXCEEDED"


@pytest.mark.parametrize(
    ("min_level", "expected"),
    [("WARNING", [3, 2, 1]), ("CRITICAL", [3, 2]), ("EXCEEDED", [3])],
)
async def test_min_level_keeps_customers_at_or_above_it(api, viewer, min_level, expected):
    client, owner = viewer
    ids = await insert_customers(
        api,
        owner,
        [("100.00", "10.00"), ("100.00", "80.00"), ("100.00", "90.00"), ("100.00", "100.01")],
    )
    data = await client.data(CREDIT_ALERTS, {"minLevel": min_level})
    assert alerted_ids(data["creditLimitAlerts"]) == [ids[i] for i in expected]
    assert data["creditLimitAlerts"]["totalCount"] == len(expected)


@pytest.mark.parametrize("min_level", ["OK", "NO_LIMIT"])
async def test_a_min_level_below_warning_is_bad_user_input(viewer, min_level):
    client, _ = viewer
    body = await client.post(CREDIT_ALERTS, {"minLevel": min_level})
    assert error_codes(body) == ["BAD_USER_INPUT"]


@pytest.mark.parametrize("customer_id", ["", "not-a-number", "0", "999999"])
async def test_a_credit_check_of_no_customer_is_bad_user_input(viewer, customer_id):
    # "" and "not-a-number" were masked as internal errors (found by schema fuzzing)
    client, _ = viewer
    body = await client.post(CREDIT_CHECK, {"customerId": customer_id, "amount": "1.00"})
    assert error_codes(body) == ["BAD_USER_INPUT"]


async def test_alert_pages_follow_each_other_without_repeats_or_gaps(api, viewer):
    # given 23 customers in alert, several of them tied on utilisation
    client, owner = viewer
    credits = [("1000.00", f"{750 + 10 * (i % 8)}.00") for i in range(20)]
    credits += [("0", "1.00"), ("0", "2.00"), ("10.00", "11.00")]
    ids = await insert_customers(api, owner, credits)
    # when read 5 at a time
    seen: list[str] = []
    after = None
    while True:
        page = (await client.data(CREDIT_ALERTS, {"first": 5, "after": after}))["creditLimitAlerts"]
        assert page["totalCount"] == 23
        seen += alerted_ids(page)
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    # then every customer comes exactly once, in the order of a single page
    assert len(seen) == len(set(seen)) == 23
    assert set(seen) == set(ids)
    single = await client.data(CREDIT_ALERTS, {"first": 100})
    assert alerted_ids(single["creditLimitAlerts"]) == seen


async def test_customers_filter_by_credit_levels(api, viewer):
    client, owner = viewer
    ids = await insert_customers(
        api,
        owner,
        [(None, "0"), ("100.00", "0"), ("100.00", "75.00"), ("100.00", "90.00"), ("1.00", "2")],
    )
    data = await client.data(CUSTOMERS_AT, {"levels": ["WARNING", "EXCEEDED"]})
    assert sorted(e["node"]["id"] for e in data["customers"]["edges"]) == sorted([ids[2], ids[4]])
    assert data["customers"]["totalCount"] == 2


# --- the SQL twin agrees with the Decimal rule on the boundaries ---------------------------

BOUNDARIES = {
    "74.99 %": ("10000.00", "7499.00"),
    "75 %": ("10000.00", "7500.00"),
    "just under 75 %": ("1000.01", "750.00"),
    "just over 75 %": ("1000.01", "750.01"),
    "89.99 %": ("10000.00", "8999.00"),
    "89.99999 %": ("100000.00", "89999.99"),
    "90 %": ("10000.00", "9000.00"),
    "100 %": ("10000.00", "10000.00"),
    "100.01 %": ("10000.00", "10001.00"),
    "a cent over": ("999999999.99", "1000000000.00"),
    "limit 0, nothing outstanding": ("0", "0"),
    "limit 0, 0.01 outstanding": ("0", "0.01"),
    "no limit": (None, "123.45"),
    "no limit, nothing outstanding": (None, "0"),
}
EXPECTED_LEVELS = {
    "74.99 %": "OK",
    "75 %": "WARNING",
    "just under 75 %": "OK",
    "just over 75 %": "WARNING",
    "89.99 %": "WARNING",
    "89.99999 %": "WARNING",
    "90 %": "CRITICAL",
    "100 %": "CRITICAL",
    "100.01 %": "EXCEEDED",
    "a cent over": "EXCEEDED",
    "limit 0, nothing outstanding": "OK",
    "limit 0, 0.01 outstanding": "EXCEEDED",
    "no limit": "NO_LIMIT",
    "no limit, nothing outstanding": "NO_LIMIT",
}


async def boundary_customers(api, owner_id: int) -> dict[str, str]:
    """One customer per boundary case, set directly in the database: case name → id."""
    ids = await insert_customers(api, owner_id, list(BOUNDARIES.values()))
    return dict(zip(BOUNDARIES, ids, strict=True))


def test_credit_level_puts_each_boundary_case_at_its_level():
    levels = {
        name: credit_level(None if limit is None else Decimal(limit), Decimal(out), THRESHOLDS)
        for name, (limit, out) in BOUNDARIES.items()
    }
    assert {name: level.value for name, level in levels.items()} == EXPECTED_LEVELS


async def test_the_credit_levels_filter_agrees_with_credit_level_on_every_boundary(api, viewer):
    # given one customer per boundary case, set directly in the database
    client, owner = viewer
    ids = await boundary_customers(api, owner)
    by_id = {customer_id: name for name, customer_id in ids.items()}
    # when each level is asked for
    found: dict[str, str] = {}
    for level in CreditLevel:
        data = await client.data(CUSTOMERS_AT, {"levels": [level.value], "first": 100})
        for edge in data["customers"]["edges"]:
            assert edge["node"]["id"] not in found, "a customer at two levels"
            found[edge["node"]["id"]] = level.value
            assert edge["node"]["credit"]["level"] == level.value
    # then SQL puts every customer where the Decimal rule does
    assert {by_id[i]: level for i, level in found.items()} == EXPECTED_LEVELS


async def test_the_alert_list_agrees_with_credit_level_on_every_boundary(api, viewer):
    client, owner = viewer
    ids = await boundary_customers(api, owner)
    data = await client.data(CREDIT_ALERTS, {"first": 100})
    listed = {
        e["node"]["customer"]["id"]: e["node"]["level"] for e in data["creditLimitAlerts"]["edges"]
    }
    expected = {
        ids[name]: level
        for name, level in EXPECTED_LEVELS.items()
        if level in ("WARNING", "CRITICAL", "EXCEEDED")
    }
    assert listed == expected


async def test_the_sql_level_agrees_with_credit_level_for_thresholds_with_more_decimals(
    api, viewer
):
    # given configured thresholds that are not whole basis points, and customers around them
    thresholds = CreditThresholds(
        warning_percent=Decimal("75.555"), critical_percent=Decimal("90.005")
    )
    credits = [
        ("1000.00", "755.54"),
        ("1000.00", "755.55"),
        ("1000.00", "755.56"),
        ("1000.00", "900.04"),
        ("1000.00", "900.05"),
        ("3.00", "2.27"),
    ]
    _, owner = viewer
    ids = [int(i) for i in await insert_customers(api, owner, credits)]
    # when each level is selected in SQL
    sql_levels = {}
    async with api.db.read_session() as session:
        for level in CreditLevel:
            found = await session.scalars(
                select(Customer.id).where(Customer.id.in_(ids), level_condition(level, thresholds))
            )
            sql_levels.update(dict.fromkeys(found, level))
    # then every customer is where the Decimal rule puts it
    expected = {
        i: credit_level(Decimal(limit), Decimal(out), thresholds)
        for i, (limit, out) in zip(ids, credits, strict=True)
    }
    assert sql_levels == expected
    assert [level.value for level in expected.values()] == [
        "OK",
        "WARNING",
        "WARNING",
        "WARNING",
        "CRITICAL",
        "WARNING",
    ]


# --- the dashboard's credit part costs the same at any page size ---------------------------


async def _statements_for(api, client, first: int) -> int:
    counter = StatementCounter()
    with counter.watching(api.db.engine):
        data = await client.data(DASHBOARD_CREDIT, {"first": first})
    assert len(data["customers"]["edges"]) == first
    return counter.count


async def test_the_dashboard_credit_part_runs_the_same_statements_for_10_and_100(api, viewer):
    client, owner = viewer
    credits = [(None if i % 3 == 0 else "1000.00", f"{i * 7 % 1300}.00") for i in range(120)]
    await insert_customers(api, owner, credits)
    small = await _statements_for(api, client, 10)
    large = await _statements_for(api, client, 100)
    assert small == large


# --- threshold crossings -------------------------------------------------------------------


@dataclass
class Desk:
    """A sales rep who owns the customers, a manager, and products priced 1.00 and 0.01."""

    api: object
    sales: GraphQLClient
    sales_id: int
    manager: GraphQLClient
    manager_id: int
    unit_product: str
    cent_product: str

    async def customer(self, limit: str | None, name: str = "Tungabhadra Steel") -> str:
        created = await self.sales.data(
            CREATE_CUSTOMER, {"input": {"name": name, "businessType": "ENTERPRISE"}}
        )
        customer_id = created["createCustomer"]["customer"]["id"]
        if limit is not None:
            await self.set_limit(customer_id, limit)
        return customer_id

    async def set_limit(self, customer_id: str, limit: str | None) -> None:
        payload = (
            await self.manager.data(
                UPDATE_CREDIT_LIMIT,
                {"input": {"customerId": customer_id, "newLimit": limit, "reason": "Review"}},
            )
        )["updateCreditLimit"]
        assert payload["errors"] == [], payload

    async def order(self, customer_id: str, amount: str, *, override: bool = False) -> str:
        units, cents = divmod(int(Decimal(amount) * 100), 100)
        lines = [{"productId": self.unit_product, "quantity": units}] if units else []
        lines += [{"productId": self.cent_product, "quantity": cents}] if cents else []
        fields = {"customerId": customer_id, "lines": lines}
        if override:
            fields["creditOverrideReason"] = "Approved by finance"
        client = self.manager if override else self.sales
        payload = (await client.data(CREATE_ORDER, {"input": fields}))["createOrder"]
        assert payload["errors"] == [], payload
        return payload["order"]["id"]

    async def pay(self, order_id: str, amount: str) -> None:
        payload = (
            await self.sales.data(
                RECORD_PAYMENT, {"input": {"orderId": order_id, "amount": amount, "method": "UPI"}}
            )
        )["recordPayment"]
        assert payload["errors"] == [], payload

    async def cancel(self, order_id: str) -> None:
        payload = (
            await self.sales.data(
                UPDATE_ORDER_STATUS, {"input": {"id": order_id, "status": "CANCELLED"}}
            )
        )["updateOrderStatus"]
        assert payload["errors"] == [], payload

    async def alerts(self, customer_id: str) -> list[CreditAlertEvent]:
        async with self.api.db.read_session() as session:
            return list(
                await session.scalars(
                    select(CreditAlertEvent)
                    .where(CreditAlertEvent.customer_id == int(customer_id))
                    .order_by(CreditAlertEvent.id)
                )
            )

    async def credit_tasks(self, customer_id: str) -> list[FollowUpTask]:
        async with self.api.db.read_session() as session:
            return list(
                await session.scalars(
                    select(FollowUpTask)
                    .where(
                        FollowUpTask.customer_id == int(customer_id),
                        FollowUpTask.source == TaskSource.CREDIT,
                    )
                    .order_by(FollowUpTask.id)
                )
            )


@pytest_asyncio.fixture
async def desk(api) -> Desk:
    sales, sales_actor = await api.client_for(Role.SALES)
    manager, manager_actor = await api.client_for(Role.MANAGER)
    return Desk(
        api=api,
        sales=sales,
        sales_id=sales_actor.id,
        manager=manager,
        manager_id=manager_actor.id,
        unit_product=str(await api.make_product(sku="UNIT", price="1.00")),
        cent_product=str(await api.make_product(sku="CENT", price="0.01")),
    )


async def test_an_order_from_ok_to_warning_records_one_alert_with_its_figures(desk):
    # given 700 of 1000 used (OK)
    customer = await desk.customer("1000.00")
    await desk.order(customer, "700.00")
    # when an order takes it to 75 %
    await desk.order(customer, "50.00")
    # then one alert records the crossing
    [alert] = await desk.alerts(customer)
    assert (alert.level, alert.previous_level, alert.cause) == ("WARNING", "OK", "ORDER")
    assert (alert.outstanding, alert.limit) == (Decimal("750.00"), Decimal("1000.00"))
    assert alert.utilization == pytest.approx(0.75)
    assert alert.actor_id == desk.sales_id
    assert alert.occurred_at.tzinfo is not None


async def test_an_order_staying_within_a_level_records_no_alert(desk):
    customer = await desk.customer("1000.00")
    await desk.order(customer, "760.00")
    await desk.order(customer, "100.00")  # 86 %: still WARNING
    assert [a.level for a in await desk.alerts(customer)] == ["WARNING"]


async def test_warning_alone_opens_no_follow_up_task(desk):
    customer = await desk.customer("1000.00")
    await desk.order(customer, "800.00")
    assert await desk.credit_tasks(customer) == []


async def test_an_order_jumping_several_levels_records_one_alert_at_the_level_reached(desk):
    customer = await desk.customer("1000.00")
    await desk.order(customer, "1500.00", override=True)
    [alert] = await desk.alerts(customer)
    assert (alert.level, alert.previous_level) == ("EXCEEDED", "OK")
    assert alert.actor_id == desk.manager_id


async def test_crossing_to_critical_opens_one_follow_up_task_for_the_owner(desk):
    # when an order takes the customer to 90 %
    customer = await desk.customer("1000.00")
    await desk.order(customer, "900.00")
    # then the owner has an open credit task
    [task] = await desk.credit_tasks(customer)
    assert task.assignee_id == desk.sales_id
    assert task.status is TaskStatus.OPEN
    assert task.source is TaskSource.CREDIT
    assert task.due_at > dt.datetime.now(dt.UTC)


async def test_crossing_to_exceeded_opens_a_follow_up_task_for_the_owner(desk):
    customer = await desk.customer("1000.00")
    await desk.order(customer, "1000.01", override=True)
    [task] = await desk.credit_tasks(customer)
    assert (task.assignee_id, task.status) == (desk.sales_id, TaskStatus.OPEN)


async def test_a_second_crossing_while_the_task_is_open_creates_no_other_task(desk):
    # given a customer at CRITICAL with its open credit task
    customer = await desk.customer("1000.00")
    first_order = await desk.order(customer, "950.00")
    # when it goes on to EXCEEDED, falls back to OK and crosses to CRITICAL again
    await desk.order(customer, "100.00", override=True)
    await desk.pay(first_order, "950.00")
    await desk.order(customer, "850.00")
    # then every crossing is an alert, but there is still one open task
    levels = [(a.previous_level, a.level) for a in await desk.alerts(customer)]
    assert levels == [("OK", "CRITICAL"), ("CRITICAL", "EXCEEDED"), ("OK", "CRITICAL")]
    assert len(await desk.credit_tasks(customer)) == 1


async def test_a_crossing_after_the_task_was_completed_opens_a_new_one(api, desk):
    # given the credit task was completed and the customer paid down
    customer = await desk.customer("1000.00")
    order = await desk.order(customer, "950.00")
    async with api.db.write_session() as session:
        await session.execute(
            update(FollowUpTask)
            .where(FollowUpTask.customer_id == int(customer))
            .values(status=TaskStatus.COMPLETED, completed_at=dt.datetime.now(dt.UTC))
        )
        await session.commit()
    await desk.pay(order, "950.00")
    # when it crosses again
    await desk.order(customer, "920.00")
    # then a new open task joins the completed one
    tasks = await desk.credit_tasks(customer)
    assert [t.status for t in tasks] == [TaskStatus.COMPLETED, TaskStatus.OPEN]


async def test_a_limit_decrease_that_raises_the_level_records_a_limit_change_alert(desk):
    # given 500 of 1000 used (OK)
    customer = await desk.customer("1000.00")
    await desk.order(customer, "500.00")
    # when the limit falls to 600 (83 %)
    await desk.set_limit(customer, "600.00")
    # then
    [alert] = await desk.alerts(customer)
    assert (alert.level, alert.previous_level, alert.cause) == ("WARNING", "OK", "LIMIT_CHANGE")
    assert (alert.outstanding, alert.limit) == (Decimal("500.00"), Decimal("600.00"))
    assert alert.actor_id == desk.manager_id


async def test_a_first_limit_below_the_outstanding_records_an_exceeded_alert_and_task(desk):
    customer = await desk.customer(None)
    await desk.order(customer, "500.00")
    await desk.set_limit(customer, "400.00")
    [alert] = await desk.alerts(customer)
    assert (alert.previous_level, alert.level, alert.cause) == (
        "NO_LIMIT",
        "EXCEEDED",
        "LIMIT_CHANGE",
    )
    assert len(await desk.credit_tasks(customer)) == 1


@pytest.mark.parametrize("new_limit", ["2000.00", None], ids=["raised", "removed"])
async def test_a_limit_change_that_lowers_the_level_records_nothing(desk, new_limit):
    customer = await desk.customer("1000.00")
    await desk.order(customer, "800.00")  # WARNING
    await desk.set_limit(customer, new_limit)
    assert [a.cause for a in await desk.alerts(customer)] == ["ORDER"]


async def test_payments_record_no_alert(desk):
    customer = await desk.customer("1000.00")
    order = await desk.order(customer, "950.00")
    await desk.pay(order, "100.00")
    await desk.pay(order, "800.00")
    assert [a.cause for a in await desk.alerts(customer)] == ["ORDER"]


async def test_a_cancellation_records_no_alert(desk):
    customer = await desk.customer("1000.00")
    order = await desk.order(customer, "950.00")
    await desk.cancel(order)
    assert [a.cause for a in await desk.alerts(customer)] == ["ORDER"]


async def test_customers_without_a_limit_never_alert(desk):
    customer = await desk.customer(None)
    await desk.order(customer, "99999.99")
    assert await desk.alerts(customer) == []


# --- dry runs ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("limit", "outstanding", "amount", "expected"),
    [
        ("1000.00", "600.00", "100.00", (True, "400.00", 0.7, "OK")),
        ("1000.00", "600.00", "150.00", (True, "400.00", 0.75, "WARNING")),
        ("1000.00", "600.00", "400.00", (True, "400.00", 1.0, "CRITICAL")),
        ("1000.00", "600.00", "400.01", (False, "400.00", 1.00001, "EXCEEDED")),
        ("1000.00", "1200.00", "0", (False, "-200.00", 1.2, "EXCEEDED")),
        (None, "5000.00", "100000.00", (True, None, None, "NO_LIMIT")),
        ("0", "0", "0", (True, "0.00", None, "OK")),
        ("0", "0", "0.01", (False, "0.00", None, "EXCEEDED")),
    ],
)
async def test_credit_check_tells_what_an_amount_would_do(
    api, viewer, limit, outstanding, amount, expected
):
    client, owner = viewer
    [customer] = await insert_customers(api, owner, [(limit, outstanding)])
    check = (await client.data(CREDIT_CHECK, {"customerId": customer, "amount": amount}))[
        "creditCheck"
    ]
    allowed, available, utilization_after, level_after = expected
    assert check["allowed"] is allowed
    assert check["limit"] == (None if limit is None else money(limit))
    assert check["outstanding"] == money(outstanding)
    assert check["available"] == available
    assert check["utilizationAfter"] == (
        None if utilization_after is None else pytest.approx(utilization_after)
    )
    assert check["levelAfter"] == level_after


async def test_credit_check_writes_nothing(api, desk):
    # given
    customer = await desk.customer("1000.00")
    await desk.order(customer, "700.00")
    # when a dry run would cross two thresholds
    check = (await desk.sales.data(CREDIT_CHECK, {"customerId": customer, "amount": "250.00"}))[
        "creditCheck"
    ]
    # then nothing was recorded and the exposure is unchanged
    assert (check["allowed"], check["levelAfter"]) == (True, "CRITICAL")
    async with api.db.read_session() as session:
        assert await session.scalar(select(func.count()).select_from(Order)) == 1
        assert await session.scalar(
            select(Customer.credit_outstanding).where(Customer.id == int(customer))
        ) == Decimal("700.00")
    assert await desk.alerts(customer) == []
    assert await desk.credit_tasks(customer) == []


async def test_credit_check_of_a_negative_amount_is_bad_user_input(api, viewer):
    client, owner = viewer
    [customer] = await insert_customers(api, owner, [("1000.00", "0")])
    body = await client.post(CREDIT_CHECK, {"customerId": customer, "amount": "-0.01"})
    assert error_codes(body) == ["BAD_USER_INPUT"]


async def test_credit_check_of_an_unknown_customer_is_bad_user_input(viewer):
    client, _ = viewer
    body = await client.post(CREDIT_CHECK, {"customerId": "987654", "amount": "1.00"})
    assert error_codes(body) == ["BAD_USER_INPUT"]
