"""A page of customers gets its latest timeline events in a constant number of statements."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import insert

from models import Customer, CustomerInteraction, FollowUpTask, Order, Payment
from models.enums import (
    BusinessType,
    CustomerStatus,
    InteractionKind,
    InteractionStatus,
    OrderStatus,
    PaymentMethod,
    Priority,
    Role,
    TaskSource,
    TaskStatus,
)
from tests.api.test_timeline import DASHBOARD
from tests.support import StatementCounter

NOW = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)

# The dashboard's timeline with everything an event points at, to show those batch too.
NESTED = """query($first: Int) { customers(first: $first) { edges { node { id
    timeline(first: 5) { totalCount edges { node { id summary actor { id name }
        ... on InteractionEvent { interaction { id subject } }
        ... on OrderEvent { order { id number } }
        ... on PaymentEvent { payment { id amount } order { id } }
        ... on TaskEvent { task { id title } action } } } } } } } }"""


async def _customers_with_events(api, owner_id: int, count: int) -> None:
    """Each customer: an interaction, an order with a payment, and a completed task."""
    ids = range(1, count + 1)
    at = [NOW + dt.timedelta(minutes=i) for i in ids]
    rows = {
        Customer: [
            {
                "id": i,
                "code": f"T-{i:05d}",
                "name": f"Customer {i:05d}",
                "business_type": BusinessType.SMALL_BUSINESS,
                "status": CustomerStatus.ACTIVE,
                "country": "IN",
                "owner_id": owner_id,
                "search_text": f"customer {i:05d}",
                "version": 1,
                "created_at": NOW,
                "updated_at": NOW,
            }
            for i in ids
        ],
        CustomerInteraction: [
            {
                "customer_id": i,
                "kind": InteractionKind.MEETING,
                "subject": f"Visit {i}",
                "priority": Priority.MEDIUM,
                "status": InteractionStatus.COMPLETED,
                "occurred_at": at[i - 1],
                "tags": [],
                "follow_up_required": False,
                "created_by_id": owner_id,
                "created_at": at[i - 1],
                "updated_at": at[i - 1],
            }
            for i in ids
        ],
        Order: [
            {
                "id": i,
                "number": f"O-{i:05d}",
                "customer_id": i,
                "status": OrderStatus.CONFIRMED,
                "order_date": NOW.date(),
                "due_date": NOW.date(),
                "total": Decimal("5000.00"),
                "created_by_id": owner_id,
                "created_at": at[i - 1],
                "updated_at": at[i - 1],
            }
            for i in ids
        ],
        Payment: [
            {
                "order_id": i,
                "customer_id": i,
                "amount": Decimal("1000.00"),
                "paid_at": at[i - 1] + dt.timedelta(hours=1),
                "method": PaymentMethod.CHEQUE,
                "recorded_by_id": owner_id,
                "created_at": at[i - 1],
            }
            for i in ids
        ],
        FollowUpTask: [
            {
                "customer_id": i,
                "title": f"Call back {i}",
                "assignee_id": owner_id,
                "created_by_id": owner_id,
                "due_at": at[i - 1],
                "priority": Priority.LOW,
                "status": TaskStatus.COMPLETED,
                "completed_at": at[i - 1] + dt.timedelta(hours=2),
                "completed_by_id": owner_id,
                "source": TaskSource.MANUAL,
                "created_at": at[i - 1],
                "updated_at": at[i - 1],
            }
            for i in ids
        ],
    }
    async with api.db.write_session() as session:
        for model, values in rows.items():
            await session.execute(insert(model), values)
        await session.commit()


async def _statements_for(api, client, query: str, first: int) -> int:
    counter = StatementCounter()
    with counter.watching(api.db.engine):
        body = await client.data(query, {"first": first})
    edges = body["customers"]["edges"]
    assert len(edges) == first
    assert all(len(e["node"]["timeline"]["edges"]) == 5 for e in edges)
    return counter.count


async def test_dashboard_timeline_runs_the_same_statements_for_10_and_100_customers(api):
    # given 120 customers with five events each
    client, actor = await api.client_for(Role.VIEWER)
    await _customers_with_events(api, actor.id, 120)
    # when the dashboard's timeline part is fetched at two sizes
    small = await _statements_for(api, client, DASHBOARD, 10)
    large = await _statements_for(api, client, DASHBOARD, 100)
    # then both cost the same: the customer page and one timeline statement
    assert small == large
    assert large <= 3


async def test_timeline_records_load_in_one_statement_per_kind_for_the_whole_page(api):
    # given 120 customers with five events each
    client, actor = await api.client_for(Role.VIEWER)
    await _customers_with_events(api, actor.id, 120)
    # when the timeline is fetched with the records its events point at
    small = await _statements_for(api, client, NESTED, 10)
    large = await _statements_for(api, client, NESTED, 100)
    # then the counts, interactions, orders, payments, tasks and users each cost one
    assert small == large
    assert large <= 10  # caller, customers, timeline, its count, one per record type
