"""The customer timeline: every kind of event, newest first, exact keyset pages."""

from __future__ import annotations

import base64
import datetime as dt
import json
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest
import pytest_asyncio
from sqlalchemy import insert, select

from models import (
    CreditAlertEvent,
    CreditLimitHistory,
    Customer,
    CustomerInteraction,
    FollowUpTask,
    OrderStatusChange,
    QuotationStatusChange,
)
from models import CreditOverrideEvent as CreditOverride
from models.enums import (
    InteractionKind,
    InteractionStatus,
    Priority,
    Role,
    TaskSource,
    TaskStatus,
)
from resolvers.credit_exposure import alert_message
from schema.credit import CreditAlertEvent as LiveCreditAlert
from tests.contract_checks.operations import operation
from tests.contract_checks.timeline_parts import customer_dashboard_timeline, customer_page_timeline
from tests.support import GraphQLClient, error_codes

CREATE_CUSTOMER = """mutation($input: CreateCustomerInput!) { createCustomer(input: $input) {
    customer { id } errors { field message code } } }"""
UPDATE_ORDER_STATUS = """mutation($input: UpdateOrderStatusInput!) {
    updateOrderStatus(input: $input) { order { id } errors { code } } }"""


PAGE = customer_page_timeline()
DASHBOARD = customer_dashboard_timeline()
T0 = dt.datetime(2026, 3, 2, 10, 0, tzinfo=dt.UTC)


@dataclass
class Account:
    """A customer with one event of every kind, made through the API where it exists."""

    client: GraphQLClient
    customer_id: str
    ids: dict[str, str]
    rep: str
    manager: str


async def _timeline(client: GraphQLClient, customer_id: str, **variables: Any) -> dict:
    data = await client.data(PAGE, {"id": customer_id, **variables})
    return data["customer"]["timeline"]


async def _new_customer(api, client: GraphQLClient, name: str = "Kaveri Tools") -> str:
    data = await client.data(
        CREATE_CUSTOMER, {"input": {"name": name, "businessType": "SMALL_BUSINESS"}}
    )
    return data["createCustomer"]["customer"]["id"]


async def _insert(api, model: Any, **values: Any) -> int:
    async with api.db.write_session() as session:
        result = await session.execute(insert(model).returning(model.id), [values])
        await session.commit()
        return result.scalar_one()


@pytest_asyncio.fixture
async def account(api) -> Account:
    rep = await api.make_user(Role.SALES, name="Asha Rep")
    manager = await api.make_user(Role.MANAGER, name="Meera Manager")
    client = api.client.as_user(api.token_for(rep.id))
    as_manager = api.client.as_user(api.token_for(manager.id))
    customer_id = await _new_customer(api, client)
    product_id = str(await api.make_product(sku="CNC-1", price="62500.00"))
    lines = [{"productId": product_id, "quantity": 2}]
    quotation = await client.data(
        operation("CreateQuotation"), {"input": {"customerId": customer_id, "lines": lines}}
    )
    quotation_id = quotation["createQuotation"]["quotation"]["id"]
    await client.data(
        operation("UpdateQuotationStatus"), {"input": {"id": quotation_id, "status": "SENT"}}
    )
    order = await client.data(
        operation("CreateOrder"),
        {"input": {"customerId": customer_id, "lines": [{"productId": product_id, "quantity": 1}]}},
    )
    order_id = order["createOrder"]["order"]["id"]
    await client.data(UPDATE_ORDER_STATUS, {"input": {"id": order_id, "status": "SHIPPED"}})
    payment = await client.data(
        operation("RecordPayment"),
        {"input": {"orderId": order_id, "amount": "50000.00", "method": "UPI"}},
    )
    payment_id = payment["recordPayment"]["payment"]["id"]
    change = await as_manager.data(
        operation("UpdateCreditLimit"),
        {"input": {"customerId": customer_id, "newLimit": "500000", "reason": "Annual review"}},
    )
    pk = int(customer_id)
    interaction_id = await _insert(
        api,
        CustomerInteraction,
        customer_id=pk,
        kind=InteractionKind.CALL,
        subject="Discussed CNC lathe pricing",
        priority=Priority.HIGH,
        status=InteractionStatus.COMPLETED,
        outcome="Wants a revised quote",
        occurred_at=T0,
        tags=[],
        follow_up_required=False,
        created_by_id=rep.id,
        created_at=T0,
        updated_at=T0,
    )
    task_id = await _insert(
        api,
        FollowUpTask,
        customer_id=pk,
        title="Send the revised quote",
        assignee_id=rep.id,
        created_by_id=rep.id,
        due_at=T0 + dt.timedelta(days=2),
        priority=Priority.MEDIUM,
        status=TaskStatus.COMPLETED,
        completed_at=T0 + dt.timedelta(days=1),
        completed_by_id=manager.id,
        outcome="Sent by email",
        source=TaskSource.MANUAL,
        created_at=T0 + dt.timedelta(hours=1),
        updated_at=T0 + dt.timedelta(days=1),
    )
    alert_id = await _insert(
        api,
        CreditAlertEvent,
        customer_id=pk,
        level="WARNING",
        previous_level="OK",
        utilization=0.8,
        outstanding=Decimal("400000.00"),
        limit=Decimal("500000.00"),
        cause="ORDER",
        actor_id=rep.id,
        occurred_at=T0 + dt.timedelta(hours=2),
    )
    override_id = await _insert(
        api,
        CreditOverride,
        customer_id=pk,
        order_id=int(order_id),
        amount=Decimal("200000.00"),
        outstanding_before=Decimal("400000.00"),
        limit=Decimal("500000.00"),
        reason="Strategic account",
        actor_id=manager.id,
        occurred_at=T0 + dt.timedelta(hours=3),
    )
    async with api.db.read_session() as session:
        quotation_change = await session.scalar(
            select(QuotationStatusChange.id).where(QuotationStatusChange.to_status == "SENT")
        )
        order_change = await session.scalar(
            select(OrderStatusChange.id).where(OrderStatusChange.to_status == "SHIPPED")
        )
    ids = {
        "InteractionEvent": f"INTERACTION:{interaction_id}",
        "QuotationEvent": f"QUOTATION:{quotation_id}",
        "QuotationStatusEvent": f"QUOTATION_STATUS:{quotation_change}",
        "OrderEvent": f"ORDER:{order_id}",
        "OrderStatusEvent": f"ORDER_STATUS:{order_change}",
        "PaymentEvent": f"PAYMENT:{payment_id}",
        "CreditLimitEvent": f"CREDIT_LIMIT:{change['updateCreditLimit']['change']['id']}",
        "CreditAlertEvent": f"CREDIT_ALERT:{alert_id}",
        "CreditOverrideEvent": f"CREDIT_OVERRIDE:{override_id}",
        "TaskEvent created": f"TASK:created:{task_id}",
        "TaskEvent completed": f"TASK:completed:{task_id}",
    }
    return Account(client, customer_id, ids, rep="Asha Rep", manager="Meera Manager")


def _by_id(timeline: dict) -> dict[str, dict]:
    return {e["node"]["id"]: e["node"] for e in timeline["edges"]}


async def test_every_kind_appears_as_its_own_event_type(account):
    timeline = await _timeline(account.client, account.customer_id, timelineFirst=50)
    found = {(n["__typename"], n["id"]) for n in _by_id(timeline).values()}
    assert found == {(name.split()[0], event_id) for name, event_id in account.ids.items()}


async def test_event_kinds_match_their_types(account):
    timeline = await _timeline(account.client, account.customer_id, timelineFirst=50)
    kinds = {(n["__typename"], n["kind"]) for n in _by_id(timeline).values()}
    assert kinds == {
        ("InteractionEvent", "INTERACTION"),
        ("QuotationEvent", "QUOTATION"),
        ("QuotationStatusEvent", "QUOTATION_STATUS"),
        ("OrderEvent", "ORDER"),
        ("OrderStatusEvent", "ORDER_STATUS"),
        ("PaymentEvent", "PAYMENT"),
        ("CreditLimitEvent", "CREDIT_LIMIT"),
        ("CreditAlertEvent", "CREDIT_ALERT"),
        ("CreditOverrideEvent", "CREDIT_OVERRIDE"),
        ("TaskEvent", "TASK"),
    }


async def test_event_summaries_are_sentences_with_indian_rupee_amounts(account):
    timeline = await _timeline(account.client, account.customer_id, timelineFirst=50)
    events = _by_id(timeline)
    summaries = {name: events[event_id]["summary"] for name, event_id in account.ids.items()}
    quotation = events[account.ids["QuotationEvent"]]["quotation"]["number"]
    order = events[account.ids["OrderEvent"]]["order"]["number"]
    assert summaries == {
        "InteractionEvent": "Call: Discussed CNC lathe pricing",
        "QuotationEvent": f"Quotation {quotation} created (₹1,25,000.00)",
        "QuotationStatusEvent": f"Quotation {quotation} sent (₹1,25,000.00)",
        "OrderEvent": f"Order {order} placed (₹62,500.00)",
        "OrderStatusEvent": f"Order {order} shipped",
        "PaymentEvent": "Payment of ₹50,000.00 received by UPI",
        "CreditLimitEvent": "Credit limit changed from no limit to ₹5,00,000.00: Annual review",
        "CreditAlertEvent": "Credit level rose from OK to WARNING: ₹4,00,000.00 outstanding "
        "against a limit of ₹5,00,000.00",
        "CreditOverrideEvent": "Credit block overridden for an order of ₹2,00,000.00: "
        "Strategic account",
        "TaskEvent created": "Task created: Send the revised quote",
        "TaskEvent completed": "Task completed: Send the revised quote (Sent by email)",
    }


async def test_events_name_the_user_behind_them(account):
    timeline = await _timeline(account.client, account.customer_id, timelineFirst=50)
    events = _by_id(timeline)
    actors = {name: events[event_id]["actor"]["name"] for name, event_id in account.ids.items()}
    by_manager = {"CreditLimitEvent", "CreditOverrideEvent", "TaskEvent completed"}
    assert actors == {
        name: account.manager if name in by_manager else account.rep for name in account.ids
    }


async def test_events_carry_the_records_they_are_about(account):
    timeline = await _timeline(account.client, account.customer_id, timelineFirst=50)
    events = _by_id(timeline)
    ids = account.ids
    interaction = events[ids["InteractionEvent"]]["interaction"]
    assert (interaction["kind"], interaction["subject"], interaction["priority"]) == (
        "CALL",
        "Discussed CNC lathe pricing",
        "HIGH",
    )
    assert events[ids["QuotationEvent"]]["quotation"]["total"] == "125000.00"
    status = events[ids["QuotationStatusEvent"]]
    assert (status["fromStatus"], status["toStatus"], status["quotation"]["id"]) == (
        "DRAFT",
        "SENT",
        ids["QuotationEvent"].split(":")[1],
    )
    assert events[ids["OrderEvent"]]["order"]["status"] == "SHIPPED"
    payment = events[ids["PaymentEvent"]]
    assert (payment["payment"]["amount"], payment["payment"]["method"]) == ("50000.00", "UPI")
    assert payment["order"]["id"] == ids["OrderEvent"].split(":")[1]
    change = events[ids["CreditLimitEvent"]]["change"]
    assert change == {"oldLimit": None, "newLimit": "500000.00", "reason": "Annual review"}
    completed = events[ids["TaskEvent completed"]]
    assert completed["action"] == "COMPLETED"
    assert completed["task"]["title"] == "Send the revised quote"
    assert events[ids["TaskEvent created"]]["action"] == "CREATED"


async def test_timeline_is_newest_first(account):
    timeline = await _timeline(account.client, account.customer_id, timelineFirst=50)
    stamps = [dt.datetime.fromisoformat(e["node"]["occurredAt"]) for e in timeline["edges"]]
    assert stamps == sorted(stamps, reverse=True)
    assert len(stamps) == len(account.ids)


async def test_total_count_counts_every_event(account):
    timeline = await _timeline(account.client, account.customer_id, timelineFirst=2)
    assert timeline["totalCount"] == len(account.ids)
    assert timeline["pageInfo"]["hasNextPage"] is True


async def test_kinds_filter_keeps_only_those_kinds(account):
    timeline = await _timeline(
        account.client, account.customer_id, timelineFirst=50, kinds=["PAYMENT", "TASK"]
    )
    assert {e["node"]["id"] for e in timeline["edges"]} == {
        account.ids["PaymentEvent"],
        account.ids["TaskEvent created"],
        account.ids["TaskEvent completed"],
    }
    assert timeline["totalCount"] == 3


async def test_kinds_filter_applies_to_later_pages(account):
    first = await _timeline(account.client, account.customer_id, timelineFirst=1, kinds=["TASK"])
    rest = await _timeline(
        account.client,
        account.customer_id,
        timelineFirst=10,
        timelineAfter=first["pageInfo"]["endCursor"],
        kinds=["TASK"],
    )
    assert [e["node"]["id"] for e in first["edges"] + rest["edges"]] == [
        account.ids["TaskEvent completed"],
        account.ids["TaskEvent created"],
    ]


@pytest_asyncio.fixture
async def tied(api) -> tuple[GraphQLClient, str, list[str]]:
    """Events sharing one timestamp (and one before, one after), and the order they must
    come in: newest first, then kind (TASK, INTERACTION, CREDIT_LIMIT), then id."""
    client, actor = await api.client_for(Role.SALES)
    customer_id = await _new_customer(api, client)
    pk = int(customer_id)

    async def interaction(at: dt.datetime) -> int:
        return await _insert(
            api,
            CustomerInteraction,
            customer_id=pk,
            kind=InteractionKind.NOTE,
            subject="Same moment",
            priority=Priority.LOW,
            status=InteractionStatus.COMPLETED,
            occurred_at=at,
            tags=[],
            follow_up_required=False,
            created_by_id=actor.id,
            created_at=at,
            updated_at=at,
        )

    async def task(completed: bool) -> int:
        return await _insert(
            api,
            FollowUpTask,
            customer_id=pk,
            title="Tie",
            assignee_id=actor.id,
            created_by_id=actor.id,
            due_at=T0,
            priority=Priority.LOW,
            status=TaskStatus.COMPLETED if completed else TaskStatus.OPEN,
            completed_at=T0 if completed else None,
            completed_by_id=actor.id if completed else None,
            source=TaskSource.MANUAL,
            created_at=T0,
            updated_at=T0,
        )

    async def limit_change() -> int:
        return await _insert(
            api,
            CreditLimitHistory,
            customer_id=pk,
            old_limit=None,
            new_limit=Decimal("1000.00"),
            reason="Tie",
            changed_by_id=actor.id,
            changed_at=T0,
        )

    later = await interaction(T0 + dt.timedelta(microseconds=1))
    i1, i2, i3 = [await interaction(T0) for _ in range(3)]
    t1 = await task(completed=True)
    t2 = await task(completed=False)
    c1, c2 = await limit_change(), await limit_change()
    earlier = await interaction(T0 - dt.timedelta(microseconds=1))
    expected = [
        f"INTERACTION:{later}",
        f"TASK:created:{t2}",
        f"TASK:completed:{t1}",
        f"TASK:created:{t1}",
        f"INTERACTION:{i3}",
        f"INTERACTION:{i2}",
        f"INTERACTION:{i1}",
        f"CREDIT_LIMIT:{c2}",
        f"CREDIT_LIMIT:{c1}",
        f"INTERACTION:{earlier}",
    ]
    return client, customer_id, expected


@pytest.mark.parametrize("size", [1, 2, 3])
async def test_pages_across_tied_timestamps_walk_every_event_once_in_order(tied, size):
    client, customer_id, expected = tied
    seen: list[str] = []
    after = None
    for _ in range(len(expected) + 1):
        page = await _timeline(client, customer_id, timelineFirst=size, timelineAfter=after)
        seen += [e["node"]["id"] for e in page["edges"]]
        assert [e["cursor"] for e in page["edges"]][-1:] == [page["pageInfo"]["endCursor"]]
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert seen == expected


async def test_first_page_of_tied_events_matches_the_dashboard_order(api, tied):
    client, customer_id, expected = tied
    data = await client.data(DASHBOARD, {"first": 10})
    [node] = [e["node"] for e in data["customers"]["edges"] if e["node"]["id"] == customer_id]
    assert [e["node"]["id"] for e in node["timeline"]["edges"]] == expected[:5]


def _cursor(values: list[Any]) -> str:
    raw = json.dumps(values).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


@pytest.mark.parametrize(
    "cursor",
    [
        "not-a-cursor",
        _cursor(["2026-01-01T00:00:00+00:00", "NOT_A_KIND", 1, 0]),
        _cursor(["2026-01-01T00:00:00", "TASK", 1, 0]),
        _cursor(["2026-01-01T00:00:00+00:00", "TASK", 1, 7]),
        _cursor(["2026-01-01T00:00:00+00:00", "TASK", 2**40, 0]),
        _cursor(["2026-01-01T00:00:00+00:00", "TASK", 1]),
        _cursor([None, "TASK", 1, 0]),
    ],
)
async def test_forged_cursor_is_bad_user_input(api, cursor):
    client, _ = await api.client_for(Role.VIEWER)
    writer, _ = await api.client_for(Role.SALES)
    customer_id = await _new_customer(api, writer)
    body = await client.post(PAGE, {"id": customer_id, "timelineAfter": cursor})
    assert error_codes(body) == ["BAD_USER_INPUT"]


async def test_viewer_reads_the_timeline(api, account):
    viewer, _ = await api.client_for(Role.VIEWER)
    timeline = await _timeline(viewer, account.customer_id, timelineFirst=50)
    assert len(timeline["edges"]) == len(account.ids)


async def test_dashboard_shows_each_customers_latest_five_events(api, account):
    other = await _new_customer(api, account.client, "Zenith Pumps")
    data = await account.client.data(DASHBOARD, {"first": 10})
    timelines = {e["node"]["id"]: e["node"]["timeline"] for e in data["customers"]["edges"]}
    full = await _timeline(account.client, account.customer_id, timelineFirst=5)
    assert timelines[account.customer_id]["edges"] == [
        {"node": {k: e["node"][k] for k in ("__typename", "id", "kind", "occurredAt", "summary")}}
        for e in full["edges"]
    ]
    assert timelines[other]["edges"] == []


def test_live_credit_alert_is_sent_as_the_same_timeline_event():
    # given an alert as the exposure check stores and publishes it
    alert = CreditAlertEvent(
        id=7,
        customer_id=3,
        level="CRITICAL",
        previous_level="WARNING",
        utilization=0.95,
        outstanding=Decimal("475000.00"),
        limit=Decimal("500000.00"),
        cause="ORDER",
        actor_id=11,
        occurred_at=T0,
    )
    message = alert_message(alert, Customer(id=3, owner_id=5))
    # when the creditAlerts subscription turns the message into its payload
    event = LiveCreditAlert.from_message(message)
    # then it is the timeline's CREDIT_ALERT event, with the same id, summary and actor
    assert (event.id, event.kind, event.actor_id, event.occurred_at) == (
        "CREDIT_ALERT:7",
        "CREDIT_ALERT",
        11,
        T0,
    )
    assert event.summary == (
        "Credit level rose from WARNING to CRITICAL: ₹4,75,000.00 outstanding "
        "against a limit of ₹5,00,000.00"
    )
