"""Lifetime value through the API: the contract's CalculateLifetimeValue, ClvModel and the
``lifetimeValue`` of CustomerPage, the refit job, on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import numpy as np
from sqlalchemy import insert

from models import Customer, Order
from models.enums import BusinessType, CustomerStatus, OrderStatus, Role
from resolvers.clv_jobs import refit_lifetime_values, refit_options
from resolvers.clv_scoring import ClvConfig
from tests.api.segment_fixtures import add_customer, add_order, today
from tests.contract_checks.operations import operation

CALCULATE = operation("CalculateLifetimeValue")
CLV_MODEL = operation("ClvModel")
CUSTOMER_PAGE = operation("CustomerPage")
RECALCULATE = """mutation { recalculateLifetimeValues {
    job { id kind status } errors { field message code } } }"""


@dataclass
class InlineJob:
    """The JobContext a worker would give, running the job here and now."""

    read_session: Any
    write_session: Any
    options: dict[str, Any]
    job_id: int = 0
    files: Any = None
    reports: list[tuple[int, int | None]] = field(default_factory=list)

    async def report(self, *, processed: int, total: int | None = None, progress=None) -> None:
        self.reports.append((processed, total))

    async def in_thread(self, fn, *args):  # type: ignore[no-untyped-def]
        return await asyncio.to_thread(fn, *args)


async def add_buying_customers(api, count: int, seed: int) -> list[int]:
    """Customers with a few years of purchases at their own rhythm, some stopping early."""
    rng = np.random.default_rng(seed)
    end = today()
    async with api.db.write_session() as session:
        ids = (
            (
                await session.execute(
                    insert(Customer).returning(Customer.id),
                    [
                        {
                            "code": f"CLV-{seed}-{i:04d}",
                            "name": f"Buyer {i}",
                            "business_type": BusinessType.SMALL_BUSINESS,
                            "status": CustomerStatus.ACTIVE,
                            "search_text": f"buyer {i}",
                            "version": 1,
                        }
                        for i in range(count)
                    ],
                )
            )
            .scalars()
            .all()
        )
        orders = []
        for customer_id in ids:
            day = end - dt.timedelta(days=int(rng.integers(200, 700)))
            gap = float(rng.gamma(2.0, 20.0))
            quits = rng.random() < 0.3
            stop = end - dt.timedelta(days=int(rng.integers(100, 200))) if quits else end
            while day <= stop:
                orders.append(
                    {
                        "number": f"CLV-{customer_id}-{len(orders)}",
                        "customer_id": customer_id,
                        "status": OrderStatus.DELIVERED,
                        "order_date": day,
                        "due_date": day,
                        "total": Decimal(f"{rng.gamma(4.0, 500.0):.2f}"),
                    }
                )
                day += dt.timedelta(days=max(1, int(rng.exponential(gap))))
        await session.execute(insert(Order), orders)
        await session.commit()
    return list(ids)


async def run_refit(api) -> InlineJob:
    job = InlineJob(
        api.db.read_session,
        api.db.write_session,
        refit_options(ClvConfig(min_repeat_customers=20), today()),
    )
    await refit_lifetime_values(job)
    return job


async def test_calculate_lifetime_value_before_any_refit_uses_the_named_heuristic(api):
    # given a customer with two orders on one day, one later, and a cancelled one
    client, _ = await api.client_for(Role.SALES)
    customer = await add_customer(api, "Heuristic Metals")
    first = today() - dt.timedelta(days=120)
    await add_order(api, customer, "1000.00", on=first)
    await add_order(api, customer, "500.00", on=first)
    await add_order(api, customer, "300.00", on=first + dt.timedelta(days=30))
    await add_order(api, customer, "9999.00", on=first, status=OrderStatus.CANCELLED)

    # when
    data = await client.data(CALCULATE, {"customerId": str(customer)})

    # then
    payload = data["calculateLifetimeValue"]
    assert payload["errors"] == []
    value = payload["lifetimeValue"]
    assert value["totalRevenue"] == "1800.00"
    assert value["orderCount"] == 3
    assert value["model"] == "heuristic-rhythm-v1"
    assert 0 <= value["probabilityAlive"] <= 1
    assert value["riskLevel"] in {"LOW", "MEDIUM", "HIGH"}
    assert value["computedAt"] is not None


async def test_calculate_lifetime_value_of_an_unknown_customer_is_not_found(api):
    client, _ = await api.client_for(Role.SALES)
    data = await client.data(CALCULATE, {"customerId": "999999"})
    assert data["calculateLifetimeValue"]["lifetimeValue"] is None
    assert [e["code"] for e in data["calculateLifetimeValue"]["errors"]] == ["NOT_FOUND"]


async def test_clv_model_is_null_before_the_first_refit(api):
    client, _ = await api.client_for(Role.VIEWER)
    assert (await client.data(CLV_MODEL))["clvModel"] is None


async def test_refit_job_stores_the_fit_and_scores_everyone_with_it(api):
    # given
    ids = await add_buying_customers(api, 150, seed=3)
    client, _ = await api.client_for(Role.SALES)

    # when
    job = await run_refit(api)

    # then the model is fitted and reported
    model = (await client.data(CLV_MODEL))["clvModel"]
    assert model["customerCount"] == 150
    assert model["horizonDays"] == 364
    assert all(model["bgnbd"][k] > 0 for k in ("r", "alpha", "a", "b"))
    assert all(model["gammaGamma"][k] > 0 for k in ("p", "q", "v"))
    assert job.reports[-1] == (150, 150)
    # and every customer's page shows fitted figures
    page = (await client.data(CUSTOMER_PAGE, {"id": str(ids[0])}))["customer"]
    value = page["lifetimeValue"]
    assert value["model"] == "bgnbd-gg-v1"
    assert value["horizonDays"] == 364
    assert Decimal(value["predictedValue"]) >= 0
    assert value["expectedPurchases"] >= 0
    assert value["firstOrderAt"] <= value["lastOrderAt"]
    assert value["tenureDays"] >= 200


async def test_calculate_lifetime_value_after_a_refit_uses_the_fitted_parameters(api):
    # given
    ids = await add_buying_customers(api, 100, seed=4)
    await run_refit(api)
    client, _ = await api.client_for(Role.SALES)
    page = await client.data(CUSTOMER_PAGE, {"id": str(ids[0])})
    before = page["customer"]["lifetimeValue"]
    await add_order(api, ids[0], "777.00", on=today())

    # when
    value = (await client.data(CALCULATE, {"customerId": str(ids[0])}))["calculateLifetimeValue"]

    # then
    assert value["errors"] == []
    assert value["lifetimeValue"]["model"] == "bgnbd-gg-v1"
    after = value["lifetimeValue"]
    assert after["orderCount"] == before["orderCount"] + 1
    assert Decimal(after["totalRevenue"]) == Decimal(before["totalRevenue"]) + Decimal("777.00")
    assert after["probabilityAlive"] >= before["probabilityAlive"]  # bought today


async def test_a_customer_never_scored_shows_historical_figures_only(api):
    client, _ = await api.client_for(Role.VIEWER)
    customer = await add_customer(api, "Unscored Tools")
    await add_order(api, customer, "250.50", on=today() - dt.timedelta(days=10))
    value = (await client.data(CUSTOMER_PAGE, {"id": str(customer)}))["customer"]["lifetimeValue"]
    assert value["totalRevenue"] == "250.50"
    assert value["tenureDays"] == 10
    assert value["model"] == "not-scored"
    assert value["predictedValue"] is None and value["riskLevel"] is None


async def test_recalculate_lifetime_values_queues_a_refit_job_for_a_manager(api):
    client, _ = await api.client_for(Role.MANAGER)
    payload = (await client.data(RECALCULATE))["recalculateLifetimeValues"]
    assert payload["errors"] == []
    assert payload["job"]["kind"] == "clv-refit"
    assert payload["job"]["status"] == "QUEUED"


async def test_lifetime_values_of_a_customer_page_cost_constant_statements(api):
    # given
    ids = await add_buying_customers(api, 30, seed=5)
    await run_refit(api)
    await add_customer(api, "Unscored")  # needs the live-history statement too
    client, _ = await api.client_for(Role.VIEWER)
    query = """query($first: Int) { customers(first: $first) {
        edges { node { id lifetimeValue { model totalRevenue } } } } }"""

    # when
    with api.count_statements() as few:
        await client.data(query, {"first": 3})
    with api.count_statements() as many:
        await client.data(query, {"first": 31})

    # then
    assert len(ids) == 30
    assert many.count == few.count


async def test_customers_filter_by_risk_level_and_predicted_value(api):
    # given every customer scored
    await add_buying_customers(api, 60, seed=6)
    await run_refit(api)
    client, _ = await api.client_for(Role.VIEWER)
    query = """query($filter: CustomerFilter) { customers(first: 100, filter: $filter) {
        totalCount edges { node { lifetimeValue { riskLevel predictedValue } } } } }"""

    # when
    high = (await client.data(query, {"filter": {"riskLevels": ["HIGH"]}}))["customers"]
    rich = (await client.data(query, {"filter": {"minPredictedValue": "1000.00"}}))["customers"]
    everyone = (await client.data(query, {}))["customers"]["totalCount"]

    # then
    assert all(e["node"]["lifetimeValue"]["riskLevel"] == "HIGH" for e in high["edges"])
    values = [Decimal(e["node"]["lifetimeValue"]["predictedValue"]) for e in rich["edges"]]
    assert all(v >= 1000 for v in values)
    assert 0 < high["totalCount"] < everyone
    assert rich["totalCount"] < everyone
