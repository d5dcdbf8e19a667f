"""Rule evaluation with hand-computed expectations: every operator against every field type
it accepts, over three customers whose facts are known exactly.

    fact                 A (Aarav Industries)      B (Bhavya Traders)     C (Chen Imports)
    businessType         ENTERPRISE                SMALL_BUSINESS         INDIVIDUAL
    state / city         Maharashtra / Mumbai      Gujarat / Surat        – / –
    country              IN                        IN                     US
    tags                 key-account, dealer       dealer                 –
    orders               100,000 (10 days ago)     20,000 (200 days ago)  –
                         50,000 (100 days ago)     99,999 cancelled (5)
                         40,000 (730 days ago)
    revenue12m           150,000                   20,000                 0
    orders12m            2                         1                      0
    totalRevenue         190,000                   20,000                 0
    daysSinceLastOrder   10                        200                    none
    engagementScore      36 (2 meetings 5 days     1 (an email 70 days    0
                         ago, a call 45, an order   ago: 0.9)
                         10: 10+10+3.6+12)
    creditLimit          200,000                   100,000 (paid 20,000)  none
    creditUtilization    0.95 (190,000 / 200,000)  0 (0 / 100,000)        none
    createdAt            2024-03-10                2025-06-01             2026-01-15
"""

from __future__ import annotations

import datetime as dt

import pytest

from models.enums import BusinessType, InteractionKind, OrderStatus, Role
from tests.api import segment_fixtures as fx
from tests.contract_checks.operations import operation

CREATE_RULE = operation("CreateSegmentationRule")
BULK = operation("BulkCategorizeCustomers")
CREATE_SEGMENT = """mutation($input: CreateSegmentInput!) {
    createSegment(input: $input) { segment { id key } errors { field code } } }"""


async def _three_customers(api) -> dict[str, int]:
    today = fx.today()
    a = await fx.add_customer(
        api,
        "Aarav Industries",
        business_type=BusinessType.ENTERPRISE,
        state="Maharashtra",
        city="Mumbai",
        credit_limit="200000.00",
        created_at=fx.local_noon(dt.date(2024, 3, 10)),
        tags=("dealer", "key-account"),
    )
    b = await fx.add_customer(
        api,
        "Bhavya Traders",
        business_type=BusinessType.SMALL_BUSINESS,
        state="Gujarat",
        city="Surat",
        credit_limit="100000.00",
        created_at=fx.local_noon(dt.date(2025, 6, 1)),
        tags=("dealer",),
    )
    c = await fx.add_customer(
        api,
        "Chen Imports",
        business_type=BusinessType.INDIVIDUAL,
        country="US",
        created_at=fx.local_noon(dt.date(2026, 1, 15)),
    )
    for total, days in (("100000.00", 10), ("50000.00", 100), ("40000.00", 730)):
        await fx.add_order(api, a, total, on=today - dt.timedelta(days=days))
    paid = await fx.add_order(api, b, "20000.00", on=today - dt.timedelta(days=200))
    await fx.add_payment(api, b, paid, "20000.00")
    await fx.add_order(
        api, b, "99999.00", on=today - dt.timedelta(days=5), status=OrderStatus.CANCELLED
    )
    for kind, days in (
        (InteractionKind.MEETING, 5),
        (InteractionKind.MEETING, 5),
        (InteractionKind.CALL, 45),
    ):
        await fx.add_interaction(api, a, kind, days_ago=days)
    await fx.add_interaction(api, b, InteractionKind.EMAIL, days_ago=70)
    return {"A": a, "B": b, "C": c}


async def _matching(api, condition: dict) -> set[str]:
    """The customers (by letter) a one-condition CUSTOM rule puts in its segment."""
    client, _ = await api.client_for(Role.MANAGER)
    customers = await _three_customers(api)
    segment = (await client.data(CREATE_SEGMENT, {"input": {"name": "Probe"}}))["createSegment"]
    rule = {"name": "Probe rule", "segmentId": segment["segment"]["id"], "conditions": [condition]}
    created = (await client.data(CREATE_RULE, {"input": rule}))["createSegmentationRule"]
    assert created["errors"] == []
    await client.data(BULK)
    found = await fx.members(api, "custom:probe")
    return {letter for letter, pk in customers.items() if pk in found}


def _case(field: str, operator: str, operand, expected: str):
    key = "values" if isinstance(operand, list) else "value"
    condition = {"field": field, "operator": operator, key: operand}
    return pytest.param(condition, set(expected), id=f"{field}-{operator}-{operand}")


CASES = [
    # ENUM
    _case("businessType", "EQ", "ENTERPRISE", "A"),
    _case("businessType", "NEQ", "ENTERPRISE", "BC"),
    _case("businessType", "IN", ["ENTERPRISE", "INDIVIDUAL"], "AC"),
    _case("businessType", "NOT_IN", ["ENTERPRISE"], "BC"),
    # TEXT: case-insensitive; states by code or name; no value matches only NEQ / NOT_IN
    _case("state", "EQ", "MH", "A"),
    _case("state", "NEQ", "Maharashtra", "BC"),
    _case("state", "IN", ["gujarat", "Kerala"], "B"),
    _case("state", "NOT_IN", ["Gujarat"], "AC"),
    _case("state", "CONTAINS", "RASH", "A"),
    _case("city", "EQ", "mumbai", "A"),
    _case("city", "CONTAINS", "ur", "B"),
    _case("country", "NOT_IN", ["US"], "AB"),
    # TAGS
    _case("tags", "CONTAINS", "Key Account", "A"),
    _case("tags", "IN", ["dealer", "vip"], "AB"),
    _case("tags", "NOT_IN", ["key-account"], "BC"),
    # MONEY (cancelled orders never count)
    _case("revenue12m", "EQ", "20000", "B"),
    _case("revenue12m", "NEQ", "0", "AB"),
    _case("revenue12m", "GT", "100000", "A"),
    _case("revenue12m", "GTE", "150000.00", "A"),
    _case("revenue12m", "LT", "20000", "C"),
    _case("revenue12m", "LTE", "20000", "BC"),
    _case("revenue12m", "BETWEEN", ["0", "20000"], "BC"),
    _case("totalRevenue", "EQ", "190000", "A"),
    _case("creditLimit", "GTE", "100000", "AB"),
    _case("creditLimit", "NEQ", "100000", "AC"),
    _case("creditLimit", "BETWEEN", ["100000", "150000"], "B"),
    # INTEGER
    _case("orders12m", "EQ", "2", "A"),
    _case("orders12m", "NEQ", "1", "AC"),
    _case("orders12m", "GT", "0", "AB"),
    _case("orders12m", "GTE", "1", "AB"),
    _case("orders12m", "LT", "1", "C"),
    _case("orders12m", "LTE", "1", "BC"),
    _case("orders12m", "BETWEEN", ["1", "1"], "B"),
    _case("daysSinceLastOrder", "EQ", "10", "A"),
    _case("daysSinceLastOrder", "NEQ", "10", "BC"),
    _case("daysSinceLastOrder", "GT", "100", "B"),
    _case("daysSinceLastOrder", "GTE", "200", "B"),
    _case("daysSinceLastOrder", "LT", "200", "A"),
    _case("daysSinceLastOrder", "LTE", "10", "A"),
    _case("daysSinceLastOrder", "BETWEEN", ["5", "199"], "A"),
    _case("engagementScore", "EQ", "36", "A"),
    _case("engagementScore", "LTE", "1", "BC"),
    _case("engagementScore", "BETWEEN", ["1", "36"], "AB"),
    # RATIO
    _case("creditUtilization", "EQ", "0.95", "A"),
    _case("creditUtilization", "NEQ", "0", "AC"),
    _case("creditUtilization", "GT", "0.9", "A"),
    _case("creditUtilization", "GTE", "0.95", "A"),
    _case("creditUtilization", "LT", "0.5", "B"),
    _case("creditUtilization", "LTE", "0", "B"),
    _case("creditUtilization", "BETWEEN", ["0.9", "1"], "A"),
    # DATE: days in the business time zone
    _case("createdAt", "EQ", "2025-06-01", "B"),
    _case("createdAt", "NEQ", "2025-06-01", "AC"),
    _case("createdAt", "GT", "2025-06-01", "C"),
    _case("createdAt", "GTE", "2025-06-01", "BC"),
    _case("createdAt", "LT", "2025-01-01", "A"),
    _case("createdAt", "LTE", "2025-06-01", "AB"),
    _case("createdAt", "BETWEEN", ["2024-03-10", "2025-06-01"], "AB"),
]


@pytest.mark.parametrize(("condition", "expected"), CASES)
async def test_condition_selects_the_hand_computed_customers(api, condition, expected):
    assert await _matching(api, condition) == expected


async def test_all_match_needs_every_condition(api):
    client, _ = await api.client_for(Role.MANAGER)
    customers = await _three_customers(api)
    segment = (await client.data(CREATE_SEGMENT, {"input": {"name": "Both"}}))["createSegment"]
    rule = {
        "name": "Dealers with revenue",
        "segmentId": segment["segment"]["id"],
        "match": "ALL",
        "conditions": [
            {"field": "tags", "operator": "CONTAINS", "value": "dealer"},
            {"field": "revenue12m", "operator": "LT", "value": "100000"},
        ],
    }
    await client.data(CREATE_RULE, {"input": rule})
    await client.data(BULK)
    assert await fx.members(api, "custom:both") == {customers["B"]}


async def test_any_match_needs_one_condition(api):
    client, _ = await api.client_for(Role.MANAGER)
    customers = await _three_customers(api)
    segment = (await client.data(CREATE_SEGMENT, {"input": {"name": "Either"}}))["createSegment"]
    rule = {
        "name": "Enterprise or foreign",
        "segmentId": segment["segment"]["id"],
        "match": "ANY",
        "conditions": [
            {"field": "businessType", "operator": "EQ", "value": "ENTERPRISE"},
            {"field": "country", "operator": "EQ", "value": "us"},
        ],
    }
    await client.data(CREATE_RULE, {"input": rule})
    await client.data(BULK)
    assert await fx.members(api, "custom:either") == {customers["A"], customers["C"]}


async def test_engagement_scores_are_stored_with_their_levels(api):
    # given the three customers and the default rules
    client, _ = await api.client_for(Role.MANAGER)
    customers = await _three_customers(api)
    # when everyone is categorised
    await client.data(BULK)
    # then A (36) is moderately engaged, B (1) and C (0) are low
    assert await fx.members(api, "engagement:moderately-engaged") == {customers["A"]}
    assert await fx.members(api, "engagement:low-engagement") == {customers["B"], customers["C"]}
