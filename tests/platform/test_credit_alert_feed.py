"""The live credit alert feed (contract ``CreditAlertFeed``) through real Uvicorn processes
and a graphql-transport-ws client: who hears which alert, and alerts crossing processes."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import AsyncIterator, Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx
import pytest
import pytest_asyncio

from app.auth import TokenService
from app.db import Database, create_database
from models import Customer, Product, User
from models.enums import BusinessType, CustomerStatus, Role
from resolvers.passwords import hash_password_sync
from tests.contract_checks.operations import operation
from tests.platform.live import SECRET, LiveServer, live_server, next_message, subscription
from tests.support import settings_for, wipe

pytestmark = pytest.mark.slow

CREDIT_ALERT_FEED = operation("CreditAlertFeed")
CREATE_ORDER = operation("CreateOrder")
# graphql-transport-ws does not acknowledge a subscription: give the server a moment to
# start listening before the mutation that should be heard.
SUBSCRIBED = 0.5


@pytest.fixture(scope="module")
def server(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """One live server per database for the whole module (starting one costs seconds)."""
    # No scheduler: its sweeps would race each test's wipe of the shared database.
    with live_server(
        database_url,
        tmp_path_factory.mktemp("credit-live"),
        job_workers="0",
        scheduler_enabled="false",
    ) as s:
        yield s


@pytest_asyncio.fixture
async def db(database_url: str, tmp_path: Path) -> AsyncIterator[Database]:
    database = create_database(settings_for(database_url, tmp_path))
    await wipe(database.engine)
    try:
        yield database
    finally:
        await database.dispose()


async def make_user(db: Database, role: Role, name: str) -> tuple[int, str]:
    async with db.write_session() as session:
        user = User(
            email=f"{name.lower().replace(' ', '.')}@sanvi.test",
            name=name,
            role=role,
            password_hash=hash_password_sync("irrelevant-password"),
            active=True,
        )
        session.add(user)
        await session.commit()
    return user.id, TokenService(SECRET, 3600).issue(user.id)[0]


async def make_customer(db: Database, name: str, owner_id: int, limit: str = "1000.00") -> int:
    now = dt.datetime.now(dt.UTC)
    async with db.write_session() as session:
        customer = Customer(
            code=name.upper().replace(" ", "-")[:32],
            name=name,
            business_type=BusinessType.ENTERPRISE,
            status=CustomerStatus.ACTIVE,
            country="IN",
            owner_id=owner_id,
            credit_limit=Decimal(limit),
            credit_outstanding=Decimal("0.00"),
            search_text=name.lower(),
            version=1,
            created_at=now,
            updated_at=now,
        )
        session.add(customer)
        await session.commit()
    return customer.id


async def make_product(db: Database) -> int:
    async with db.write_session() as session:
        product = Product(
            sku="UNIT", name="Unit", category="Parts", list_price=Decimal("1.00"), active=True
        )
        session.add(product)
        await session.commit()
    return product.id


async def place_order(
    server: LiveServer, token: str, customer_id: int, product_id: int, amount: int
) -> None:
    """An order of ``amount`` (at 1.00 a unit), sent over HTTP to a live server."""
    variables = {
        "input": {
            "customerId": str(customer_id),
            "lines": [{"productId": str(product_id), "quantity": amount}],
        }
    }
    async with httpx.AsyncClient() as client:
        response = await client.post(
            f"{server.base_url}/graphql",
            json={"query": CREATE_ORDER, "variables": variables},
            headers={"Authorization": f"Bearer {token}"},
            timeout=15,
        )
    body = response.json()
    assert not body.get("errors") and body["data"]["createOrder"]["errors"] == [], body


def alert_of(message: dict[str, Any]) -> dict[str, Any]:
    assert message["type"] == "next", message
    assert not message["payload"].get("errors"), message
    return message["payload"]["data"]["creditAlerts"]


async def test_a_manager_receives_the_alert_of_an_order_crossing_a_threshold(server, db):
    # given a manager watching the feed, and a rep's customer at 0 of 1000
    _, manager_token = await make_user(db, Role.MANAGER, "Meera Manager")
    rep_id, rep_token = await make_user(db, Role.SALES, "Suresh Sales")
    customer = await make_customer(db, "Indus Forge", rep_id)
    product = await make_product(db)
    async with subscription(server, manager_token, CREDIT_ALERT_FEED, {}) as feed:
        await asyncio.sleep(SUBSCRIBED)
        # when the rep's order takes the customer to 80 %
        await place_order(server, rep_token, customer, product, 800)
        # then the manager hears the crossing
        alert = alert_of(await next_message(feed))
    assert {k: alert[k] for k in ("level", "limit", "outstanding", "utilization")} == {
        "level": "WARNING",
        "limit": "1000.00",
        "outstanding": "800.00",
        "utilization": 0.8,
    }
    assert alert["customer"] == {"id": str(customer), "name": "Indus Forge"}
    occurred = dt.datetime.fromisoformat(alert["occurredAt"])
    assert abs(dt.datetime.now(dt.UTC) - occurred) < dt.timedelta(minutes=1)


async def test_a_sales_rep_receives_alerts_only_for_customers_they_own(server, db):
    # given two reps, each owning a customer, and a manager who hears everything
    _, manager_token = await make_user(db, Role.MANAGER, "Meera Manager")
    own_id, own_token = await make_user(db, Role.SALES, "Asha Sales")
    other_id, other_token = await make_user(db, Role.SALES, "Bala Sales")
    own = await make_customer(db, "Asha Customer", own_id)
    other = await make_customer(db, "Bala Customer", other_id)
    product = await make_product(db)
    async with (
        subscription(server, manager_token, CREDIT_ALERT_FEED, {}) as everything,
        subscription(server, own_token, CREDIT_ALERT_FEED, {}) as mine,
    ):
        await asyncio.sleep(SUBSCRIBED)
        # when the other rep's customer crosses a threshold, and then the rep's own
        await place_order(server, other_token, other, product, 950)
        await place_order(server, own_token, own, product, 800)
        # then the manager hears both, in order
        heard_by_manager = [alert_of(await next_message(everything)) for _ in range(2)]
        # and the rep hears only their own customer's alert
        heard_by_rep = alert_of(await next_message(mine))
        with pytest.raises(TimeoutError):
            await next_message(mine, within=0.5)
    assert [a["customer"]["id"] for a in heard_by_manager] == [str(other), str(own)]
    assert heard_by_rep["customer"]["id"] == str(own)
    assert heard_by_rep["level"] == "WARNING"


async def test_a_viewers_subscription_to_credit_alerts_is_forbidden(server, db):
    _, viewer_token = await make_user(db, Role.VIEWER, "Vikram Viewer")
    async with subscription(server, viewer_token, CREDIT_ALERT_FEED, {}) as feed:
        message = await next_message(feed)
    errors = message["payload"] if message["type"] == "error" else message["payload"]["errors"]
    assert [e["extensions"]["code"] for e in errors] == ["FORBIDDEN"]


async def test_a_subscriber_on_one_process_hears_an_alert_caused_on_another(
    server, db, database_url, tmp_path
):
    if not database_url.startswith("postgresql"):
        pytest.skip("alerts cross server processes through PostgreSQL LISTEN/NOTIFY")
    # given a manager listening on server A, and a second server B on the same database
    _, manager_token = await make_user(db, Role.MANAGER, "Meera Manager")
    rep_id, rep_token = await make_user(db, Role.SALES, "Suresh Sales")
    customer = await make_customer(db, "Krishna Turbines", rep_id)
    product = await make_product(db)
    with live_server(database_url, tmp_path, job_workers="0") as other_server:
        async with subscription(server, manager_token, CREDIT_ALERT_FEED, {}) as feed:
            await asyncio.sleep(SUBSCRIBED)
            # when the order crossing the threshold is sent to server B
            await place_order(other_server, rep_token, customer, product, 920)
            # then the subscriber on server A hears it
            alert = alert_of(await next_message(feed))
    assert alert["customer"]["id"] == str(customer)
    assert (alert["level"], alert["outstanding"]) == ("CRITICAL", "920.00")
