"""Timeline benchmarks: CustomerPage's timeline for the customer with the most events, and
CustomerDashboard's ``timeline(first: 5)`` for pages of 10 and 100 customers.

Registered in ``scripts/benchmark.py``. Read-only: nothing is written to the data set.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import func, select, union_all

from resolvers.timeline_sources import SOURCES
from tests.contract_checks.operations import operation
from tests.contract_checks.timeline_parts import customer_dashboard_timeline, customer_page_timeline

if TYPE_CHECKING:
    from scripts.benchmark import Bench, Figure


async def _busiest_customer(bench: Bench) -> tuple[int, int]:
    """The customer with the most timeline events, and how many: one statement."""
    every_event = union_all(
        *[s.build().with_only_columns(s.customer_id.label("customer_id")) for s in SOURCES]
    ).subquery("events")
    query = (
        select(every_event.c.customer_id, func.count().label("events"))
        .group_by(every_event.c.customer_id)
        .order_by(func.count().desc(), every_event.c.customer_id)
        .limit(1)
    )
    async with bench.db.read_session() as session:
        customer_id, events = (await session.execute(query)).one()
    return customer_id, events


async def bench_timeline(bench: Bench) -> list[Figure]:
    page = customer_page_timeline()
    customer_id, events = await _busiest_customer(bench)
    figures = []
    first = {"id": str(customer_id), "timelineFirst": 20}
    figures.append(
        await bench.measure(
            "CustomerPage timeline first=20, busiest",
            lambda: bench.graphql(page, first),
            note=f"customer {customer_id}: {events:,} events, with totalCount",
        )
    )
    body = await bench.graphql(page, first)
    cursor = body["data"]["customer"]["timeline"]["pageInfo"]["endCursor"]
    for _ in range(9):  # 200 events deep
        body = await bench.graphql(page, {**first, "timelineAfter": cursor})
        cursor = body["data"]["customer"]["timeline"]["pageInfo"]["endCursor"]
    figures.append(
        await bench.measure(
            "CustomerPage timeline first=20, 200 deep",
            lambda: bench.graphql(page, {**first, "timelineAfter": cursor}),
        )
    )
    payments = {**first, "kinds": ["PAYMENT"]}
    figures.append(
        await bench.measure(
            "CustomerPage timeline kinds=[PAYMENT]",
            lambda: bench.graphql(page, payments),
        )
    )
    dashboard = customer_dashboard_timeline()
    for size in (10, 100):
        figures.append(
            await bench.measure(
                f"CustomerDashboard timeline(first: 5) × {size}",
                lambda size=size: bench.graphql(dashboard, {"first": size}),
                note="latest 5 events of every customer on the page",
            )
        )
    return figures


async def bench_customer_pages(bench: Bench) -> list[Figure]:
    """The contract's whole CustomerPage (busiest customer) and CustomerDashboard."""
    page = operation("CustomerPage")
    customer_id, events = await _busiest_customer(bench)
    figures = [
        await bench.measure(
            "CustomerPage (whole), busiest customer",
            lambda: bench.graphql(page, {"id": str(customer_id), "timelineFirst": 20}),
            note=f"customer {customer_id}: {events:,} events",
        )
    ]
    dashboard = operation("CustomerDashboard")
    for size in (10, 100):
        figures.append(
            await bench.measure(
                f"CustomerDashboard (whole) first={size}",
                lambda size=size: bench.graphql(dashboard, {"first": size}),
            )
        )
    return figures
