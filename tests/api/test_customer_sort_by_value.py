"""Customers sorted by predicted lifetime value and by churn risk, in keyset pages."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import insert

from models import CustomerLifetimeValue
from models.enums import RiskLevel, Role
from tests.contract_checks.operations import operation

NOW = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
PAGE = """query($orderBy: CustomerOrder, $after: String) {
  customers(orderBy: $orderBy, first: 1, after: $after) {
    pageInfo { hasNextPage endCursor } edges { node { name } } } }"""


async def _customers_with_values(api, client) -> None:
    values = {
        "Asha Tools": ("900000.00", RiskLevel.LOW),
        "Bharat Pumps": ("150000.50", RiskLevel.HIGH),
        "Chetan Lathes": ("150000.50", RiskLevel.MEDIUM),
        "Deep Works": None,  # never scored
    }
    for name, scored in values.items():
        body = await client.data(
            operation("CreateCustomer"), {"input": {"name": name, "businessType": "ENTERPRISE"}}
        )
        if scored is None:
            continue
        async with api.db.write_session() as session:
            await session.execute(
                insert(CustomerLifetimeValue).values(
                    customer_id=int(body["createCustomer"]["customer"]["id"]),
                    total_revenue=Decimal("0.00"),
                    order_count=0,
                    tenure_days=0,
                    horizon_days=364,
                    predicted_value=Decimal(scored[0]),
                    risk_level=scored[1],
                    model_version="test",
                    computed_at=NOW,
                )
            )
            await session.commit()


async def _walk(client, order_by: dict) -> list[str]:
    names, after = [], None
    while True:
        page = (await client.data(PAGE, {"orderBy": order_by, "after": after}))["customers"]
        names += [e["node"]["name"] for e in page["edges"]]
        if not page["pageInfo"]["hasNextPage"]:
            return names
        after = page["pageInfo"]["endCursor"]


async def test_customers_sort_by_predicted_value_highest_first_unscored_last(api):
    client, _ = await api.client_for(Role.MANAGER)
    await _customers_with_values(api, client)
    order = {"field": "PREDICTED_VALUE", "direction": "DESC"}
    assert await _walk(client, order) == [
        "Asha Tools",
        "Chetan Lathes",  # ties on value broken by id, descending
        "Bharat Pumps",
        "Deep Works",
    ]


async def test_customers_sort_by_risk_highest_first(api):
    client, _ = await api.client_for(Role.MANAGER)
    await _customers_with_values(api, client)
    order = {"field": "RISK", "direction": "DESC"}
    assert await _walk(client, order) == [
        "Bharat Pumps",
        "Chetan Lathes",
        "Asha Tools",
        "Deep Works",
    ]
