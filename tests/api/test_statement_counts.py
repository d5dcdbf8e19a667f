"""Nested lists are batched: a page costs the same number of statements at any size."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import insert

from models import (
    Customer,
    CustomerSegment,
    CustomerSegmentMembership,
    CustomerTag,
    Order,
    Payment,
)
from models.enums import (
    BusinessType,
    CustomerStatus,
    MembershipSource,
    OrderStatus,
    PaymentMethod,
    Role,
    SegmentKind,
)
from tests.contract_checks.operations import operation
from tests.support import StatementCounter

NOW = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)


async def _many_customers(api, owner_id: int, count: int) -> None:
    customers = [
        {
            "id": i,
            "code": f"T-{i:05d}",
            "name": f"Customer {i:05d}",
            "business_type": BusinessType.SMALL_BUSINESS,
            "status": CustomerStatus.ACTIVE,
            "country": "IN",
            "state": "Gujarat",
            "owner_id": owner_id,
            "credit_limit": Decimal("100000.00") if i % 2 else None,
            "search_text": f"customer {i:05d}",
            "version": 1,
            "created_at": NOW,
            "updated_at": NOW,
        }
        for i in range(1, count + 1)
    ]
    orders = [
        {
            "id": i,
            "number": f"O-{i:05d}",
            "customer_id": i,
            "status": OrderStatus.CONFIRMED,
            "order_date": NOW.date(),
            "due_date": NOW.date(),
            "total": Decimal("5000.00"),
            "created_at": NOW,
            "updated_at": NOW,
        }
        for i in range(1, count + 1)
    ]
    async with api.db.write_session() as session:
        await session.execute(insert(Customer), customers)
        await session.execute(
            insert(CustomerTag), [{"customer_id": c["id"], "tag": "dealer"} for c in customers]
        )
        await session.execute(insert(Order), orders)
        await session.execute(
            insert(Payment),
            [
                {
                    "order_id": o["id"],
                    "customer_id": o["customer_id"],
                    "amount": Decimal("1000.00"),
                    "paid_at": NOW,
                    "method": PaymentMethod.UPI,
                    "created_at": NOW,
                }
                for o in orders
            ],
        )
        await session.execute(
            insert(CustomerSegment),
            [
                {
                    "id": 1,
                    "key": "gujarat",
                    "name": "Gujarat",
                    "kind": SegmentKind.LOCATION,
                    "created_at": NOW,
                }
            ],
        )
        await session.execute(
            insert(CustomerSegmentMembership),
            [
                {
                    "customer_id": c["id"],
                    "segment_id": 1,
                    "source": MembershipSource.AUTO,
                    "assigned_at": NOW,
                }
                for c in customers
            ],
        )
        await session.commit()


async def _statements_for(api, client, query: str, first: int) -> int:
    counter = StatementCounter()
    with counter.watching(api.db.engine):
        body = await client.data(query, {"first": first})
    assert len(body["customers"]["edges"]) == first
    return counter.count


async def test_customer_list_runs_the_same_statements_for_10_and_100_customers(api):
    # given 120 customers, each with tags, an order, a payment and a segment
    client, actor = await api.client_for(Role.VIEWER)
    await _many_customers(api, actor.id, 120)
    query = operation("CustomerList")
    # when the contract's list page is fetched at two sizes
    small = await _statements_for(api, client, query, 10)
    large = await _statements_for(api, client, query, 100)
    # then both cost the same, small number of statements
    assert small == large
    assert large <= 10
