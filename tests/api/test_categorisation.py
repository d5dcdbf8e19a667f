"""Categorisation: defaults, when customers are categorised, exclusivity and priority,
manual memberships, bulk runs and their statement bound."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from models import Customer, CustomerSegment, CustomerSegmentMembership
from models.enums import BusinessType, MembershipSource, Role
from resolvers.categorisation import categorize_customers, categorize_in_parts
from tests.api import segment_fixtures as fx
from tests.contract_checks.operations import operation
from tests.support import StatementCounter

SEGMENTS = operation("Segments")
RULES = operation("SegmentationRules")
CREATE_RULE = operation("CreateSegmentationRule")
CATEGORIZE = operation("CategorizeCustomer")
BULK = operation("BulkCategorizeCustomers")
CREATE_CUSTOMER = operation("CreateCustomer")
UPDATE_CUSTOMER = operation("UpdateCustomer")
LIST = operation("CustomerList")
CREATE_SEGMENT = """mutation($input: CreateSegmentInput!) {
    createSegment(input: $input) { segment { id key kind } errors { field code } } }"""
ADD = """mutation($input: SegmentMembersInput!) {
    addCustomersToSegment(input: $input) {
        changed segment { customerCount } errors { field code } } }"""
REMOVE = """mutation($input: SegmentMembersInput!) {
    removeCustomersFromSegment(input: $input) { changed errors { field code } } }"""
UPDATE_RULE = """mutation($input: UpdateSegmentationRuleInput!) {
    updateSegmentationRule(input: $input) { rule { id priority active } errors { field code } } }"""
DEACTIVATE_RULE = """mutation($id: ID!) {
    deactivateSegmentationRule(id: $id) { rule { active } errors { code } } }"""
DELETE_SEGMENT = """mutation($id: ID!) {
    deleteSegment(id: $id) { deletedId errors { field code } } }"""


def keys(customer: dict) -> set[str]:
    return {s["key"] for s in customer["segments"]}


async def manager(api):
    return (await api.client_for(Role.MANAGER))[0]


async def custom_segment(client, name: str) -> str:
    payload = (await client.data(CREATE_SEGMENT, {"input": {"name": name}}))["createSegment"]
    assert payload["errors"] == []
    return payload["segment"]["id"]


async def add_rule(client, segment_id: str, *conditions: dict, priority: int = 0) -> str:
    rule = {"name": "Rule", "segmentId": segment_id, "conditions": list(conditions)}
    payload = await client.data(CREATE_RULE, {"input": rule | {"priority": priority}})
    assert payload["createSegmentationRule"]["errors"] == []
    return payload["createSegmentationRule"]["rule"]["id"]


async def rule_id_for(client, segment_key: str) -> str:
    rules = (await client.data(RULES))["segmentationRules"]
    return next(r["id"] for r in rules if r["segment"]["key"] == segment_key)


# Defaults


async def test_default_segments_exist_without_a_manual_step(api):
    client, _ = await api.client_for(Role.VIEWER)
    segments = (await client.data(SEGMENTS))["segments"]
    assert {s["kind"] for s in segments} == {"BUSINESS_TYPE", "VOLUME", "ENGAGEMENT"}
    assert {"volume:high", "volume:medium", "volume:low"} <= {s["key"] for s in segments}


async def test_default_rules_include_the_volume_thresholds(api):
    client = await manager(api)
    rules = (await client.data(RULES))["segmentationRules"]
    volume = {r["segment"]["key"]: r["conditions"][0]["value"] for r in rules}
    assert (volume["volume:high"], volume["volume:medium"]) == ("5000000", "500000")


async def test_segments_of_one_kind_carry_live_customer_counts(api):
    client = await manager(api)
    for name in ("One", "Two"):
        await fx.add_customer(api, name, business_type=BusinessType.GOVERNMENT)
    await client.data(BULK)
    segments = (await client.data(SEGMENTS, {"kind": "BUSINESS_TYPE"}))["segments"]
    counts = {s["key"]: s["customerCount"] for s in segments}
    assert counts["business-type:government"] == 2
    assert counts["business-type:individual"] == 0


# When customers are categorised


async def test_new_customer_is_categorised_when_created(api):
    client, _ = await api.client_for(Role.SALES)
    created = await client.data(
        CREATE_CUSTOMER,
        {"input": {"name": "Goa Pumps", "businessType": "ENTERPRISE", "address": {"state": "GA"}}},
    )
    customer_id = created["createCustomer"]["customer"]["id"]
    customer = (await client.data(CATEGORIZE, {"customerId": customer_id}))["categorizeCustomer"]
    assert keys(customer["customer"]) == {
        "business-type:enterprise",
        "location:goa",
        "volume:low",
        "engagement:low-engagement",
    }


async def test_location_segment_appears_with_a_new_state(api):
    client, _ = await api.client_for(Role.SALES)
    await client.data(
        CREATE_CUSTOMER,
        {
            "input": {
                "name": "Kochi Marine",
                "businessType": "ENTERPRISE",
                "address": {"state": "KL"},
            }
        },
    )
    segments = (await client.data(SEGMENTS, {"kind": "LOCATION"}))["segments"]
    assert [(s["key"], s["name"], s["customerCount"]) for s in segments] == [
        ("location:kerala", "Kerala", 1)
    ]


async def test_updated_customer_moves_to_its_new_segments(api):
    client, _ = await api.client_for(Role.SALES)
    created = await client.data(
        CREATE_CUSTOMER, {"input": {"name": "Shift Works", "businessType": "INDIVIDUAL"}}
    )
    customer_id = created["createCustomer"]["customer"]["id"]
    await client.data(UPDATE_CUSTOMER, {"input": {"id": customer_id, "businessType": "GOVERNMENT"}})
    assert await fx.members(api, "business-type:government") == {int(customer_id)}
    assert await fx.members(api, "business-type:individual") == set()


async def test_categorizing_an_unknown_customer_is_a_payload_error(api):
    client, _ = await api.client_for(Role.SALES)
    payload = (await client.data(CATEGORIZE, {"customerId": "999999"}))["categorizeCustomer"]
    assert [(e["field"], e["code"]) for e in payload["errors"]] == [("customerId", "NOT_FOUND")]


# Exclusivity and priority


async def test_only_the_highest_priority_matching_rule_of_a_kind_applies(api):
    # given revenue of 6,00,000: both "medium" (≥ 5,00,000, priority 20) and "low" match
    client = await manager(api)
    customer = await fx.add_customer(api, "Mid Size")
    await fx.add_order(api, customer, "600000.00", on=fx.today() - dt.timedelta(days=3))
    await client.data(BULK)
    # then the customer is in medium only
    assert customer in await fx.members(api, "volume:medium")
    assert customer not in await fx.members(api, "volume:low")


async def test_raising_a_rules_priority_moves_customers_to_its_segment(api):
    client = await manager(api)
    customer = await fx.add_customer(api, "Mid Size")
    await fx.add_order(api, customer, "600000.00", on=fx.today() - dt.timedelta(days=3))
    await client.data(BULK)
    low_rule = await rule_id_for(client, "volume:low")
    await client.data(UPDATE_RULE, {"input": {"id": low_rule, "priority": 50}})
    result = (await client.data(BULK))["bulkCategorizeCustomers"]
    assert (result["membershipsAdded"], result["membershipsRemoved"]) == (1, 1)
    assert await fx.members(api, "volume:low") == {customer}
    assert await fx.members(api, "volume:medium") == set()


async def test_custom_segments_may_overlap(api):
    client = await manager(api)
    customer = await fx.add_customer(api, "Dual", state="Goa")
    dealers = await custom_segment(client, "Coastal")
    western = await custom_segment(client, "Western")
    goa = {"field": "state", "operator": "EQ", "value": "Goa"}
    await add_rule(client, dealers, goa)
    await add_rule(client, western, {"field": "state", "operator": "IN", "values": ["GA", "MH"]})
    await client.data(BULK)
    assert await fx.members(api, "custom:coastal") == await fx.members(api, "custom:western")
    assert await fx.members(api, "custom:coastal") == {customer}


async def test_deactivated_rule_stops_placing_customers(api):
    client = await manager(api)
    customer = await fx.add_customer(api, "Solo", state="Goa")
    segment = await custom_segment(client, "Goans")
    rule = await add_rule(client, segment, {"field": "state", "operator": "EQ", "value": "Goa"})
    await client.data(BULK)
    await client.data(DEACTIVATE_RULE, {"id": rule})
    result = (await client.data(BULK))["bulkCategorizeCustomers"]
    assert result["membershipsRemoved"] == 1
    assert customer not in await fx.members(api, "custom:goans")


# Manual memberships


async def test_manual_membership_survives_bulk_runs(api):
    # given a customer added by hand to a segment whose rule does not match it
    client = await manager(api)
    customer = await fx.add_customer(api, "Hand Picked", state="Goa")
    segment = await custom_segment(client, "Key Accounts")
    await add_rule(client, segment, {"field": "state", "operator": "EQ", "value": "Kerala"})
    await client.data(ADD, {"input": {"segmentId": segment, "customerIds": [str(customer)]}})
    # when everyone is categorised twice
    await client.data(BULK)
    await client.data(BULK)
    # then the membership is still there, still manual
    async with api.db.read_session() as session:
        sources = (
            await session.scalars(
                select(CustomerSegmentMembership.source).where(
                    CustomerSegmentMembership.segment_id == int(segment)
                )
            )
        ).all()
    assert sources == [MembershipSource.MANUAL]


async def test_adding_reports_only_customers_that_were_not_members(api):
    client = await manager(api)
    first = await fx.add_customer(api, "First")
    second = await fx.add_customer(api, "Second")
    segment = await custom_segment(client, "Picked")
    members = {"segmentId": segment, "customerIds": [str(first)]}
    await client.data(ADD, {"input": members})
    again = await client.data(ADD, {"input": members | {"customerIds": [str(first), str(second)]}})
    assert again["addCustomersToSegment"]["changed"] == 1
    assert again["addCustomersToSegment"]["segment"]["customerCount"] == 2


async def test_removing_takes_customers_out(api):
    client = await manager(api)
    customer = await fx.add_customer(api, "Leaving")
    segment = await custom_segment(client, "Temporary")
    members = {"segmentId": segment, "customerIds": [str(customer)]}
    await client.data(ADD, {"input": members})
    removed = (await client.data(REMOVE, {"input": members}))["removeCustomersFromSegment"]
    assert removed["changed"] == 1
    assert await fx.members(api, "custom:temporary") == set()


async def test_customers_are_not_placed_by_hand_in_automatic_segments(api):
    client = await manager(api)
    customer = await fx.add_customer(api, "Wrong Place")
    segments = (await client.data(SEGMENTS, {"kind": "VOLUME"}))["segments"]
    payload = await client.data(
        ADD, {"input": {"segmentId": segments[0]["id"], "customerIds": [str(customer)]}}
    )
    errors = payload["addCustomersToSegment"]["errors"]
    assert [(e["field"], e["code"]) for e in errors] == [("segmentId", "NOT_CUSTOM")]


async def test_deleting_a_custom_segment_removes_it(api):
    client = await manager(api)
    segment = await custom_segment(client, "Short Lived")
    payload = (await client.data(DELETE_SEGMENT, {"id": segment}))["deleteSegment"]
    assert (payload["deletedId"], payload["errors"]) == (segment, [])
    assert "custom:short-lived" not in {s["key"] for s in (await client.data(SEGMENTS))["segments"]}


async def test_duplicate_custom_segment_key_is_refused(api):
    client = await manager(api)
    await custom_segment(client, "Twins")
    payload = (await client.data(CREATE_SEGMENT, {"input": {"name": "twins"}}))["createSegment"]
    assert payload["errors"] == [{"field": "key", "code": "DUPLICATE"}]


# Rules through the API


async def test_invalid_rule_is_a_payload_error_naming_each_condition(api):
    client = await manager(api)
    segment = await custom_segment(client, "Strict")
    rule = {
        "name": "Broken",
        "segmentId": segment,
        "conditions": [
            {"field": "state", "operator": "EQ", "value": "Goa"},
            {"field": "shoeSize", "operator": "EQ", "value": "9"},
            {"field": "tags", "operator": "GT", "value": "vip"},
            {"field": "revenue12m", "operator": "GT", "value": "a lot"},
        ],
    }
    payload = (await client.data(CREATE_RULE, {"input": rule}))["createSegmentationRule"]
    assert payload["rule"] is None
    assert [(e["field"], e["code"]) for e in payload["errors"]] == [
        ("conditions.1.field", "UNKNOWN_FIELD"),
        ("conditions.2.operator", "OPERATOR_NOT_ALLOWED"),
        ("conditions.3.value", "INVALID_VALUE"),
    ]


async def test_created_rule_comes_back_normalised(api):
    client = await manager(api)
    segment = await custom_segment(client, "Western")
    rule = {
        "name": "West",
        "segmentId": segment,
        "match": "ANY",
        "priority": 5,
        "conditions": [{"field": "state", "operator": "IN", "values": ["mh", "GJ"]}],
    }
    created = (await client.data(CREATE_RULE, {"input": rule}))["createSegmentationRule"]["rule"]
    assert created["conditions"] == [
        {"field": "state", "operator": "IN", "value": None, "values": ["Maharashtra", "Gujarat"]}
    ]
    assert (created["match"], created["priority"], created["active"]) == ("ANY", 5, True)


# Bulk runs


async def test_bulk_run_with_a_filter_touches_only_the_filtered_customers(api):
    client = await manager(api)
    await fx.add_customer(api, "In Goa", state="Goa")
    await fx.add_customer(api, "In Kerala", state="Kerala")
    result = await client.data(BULK, {"filter": {"states": ["GA"]}})
    assert result["bulkCategorizeCustomers"]["processed"] == 1
    assert await fx.members(api, "location:kerala") == set()


async def test_bulk_run_reports_memberships_added_once(api):
    client = await manager(api)
    for name in ("A", "B", "C"):
        await fx.add_customer(api, name)
    first = (await client.data(BULK))["bulkCategorizeCustomers"]
    second = (await client.data(BULK))["bulkCategorizeCustomers"]
    # each: business type, volume, engagement (no state, so no location)
    assert (first["processed"], first["membershipsAdded"]) == (3, 9)
    assert (second["membershipsAdded"], second["membershipsRemoved"]) == (0, 0)


async def _bulk_statements(api, client) -> int:
    counter = StatementCounter()
    with counter.watching(api.db.engine):
        await client.data(BULK)
    return counter.count


async def test_bulk_run_sends_the_same_statements_for_5_and_50_customers(api):
    # given the defaults in place and 5 customers, then 45 more
    client = await manager(api)
    await client.data(BULK)
    for i in range(5):
        await fx.add_customer(api, f"Small {i}")
    small = await _bulk_statements(api, client)
    for i in range(45):
        await fx.add_customer(api, f"Large {i}")
    large = await _bulk_statements(api, client)
    # then both runs (each adding every new customer's memberships) cost the same
    assert small == large
    assert large <= 16


async def _segment_keys(api, customer_ids: list[int]) -> list[set[str]]:
    M, S = CustomerSegmentMembership, CustomerSegment
    async with api.db.read_session() as session:
        rows = (
            await session.execute(
                select(M.customer_id, S.key)
                .join(S, S.id == M.segment_id)
                .where(M.customer_id.in_(customer_ids))
            )
        ).all()
    return [{key for cid, key in rows if cid == customer_id} for customer_id in customer_ids]


async def test_a_pass_split_into_parts_places_customers_as_one_pass_does(api):
    # given two identical sets of uncategorised customers, across business types and states
    # (one state without a location segment yet)
    kinds = [
        (BusinessType.ENTERPRISE, "Goa"),
        (BusinessType.SMALL_BUSINESS, "Kerala"),
        (BusinessType.GOVERNMENT, "Mizoram"),
        (BusinessType.INDIVIDUAL, None),
        (BusinessType.SMALL_BUSINESS, "Goa"),
    ]
    split = [await fx.add_customer(api, f"Split {n}", business_type=b, state=s)
             for n, (b, s) in enumerate(kinds)]  # fmt: skip
    single = [await fx.add_customer(api, f"Single {n}", business_type=b, state=s)
              for n, (b, s) in enumerate(kinds)]  # fmt: skip
    # when one set is categorised in three parts at once and the other in one pass
    await categorize_in_parts(api.db.write_session, conditions=[Customer.id.in_(split)], parts=3)
    async with api.db.write_session() as session:
        await categorize_customers(session, conditions=[Customer.id.in_(single)])
        await session.commit()
    # then every customer is in the same segments as its twin
    placed = await _segment_keys(api, split)
    assert placed == await _segment_keys(api, single)
    assert all(len(keys) >= 3 for keys in placed)
    assert "location:mizoram" in placed[2]


# The customer list filters


async def test_customers_filter_by_segment(api):
    client = await manager(api)
    picked = await fx.add_customer(api, "Picked")
    await fx.add_customer(api, "Not Picked")
    segment = await custom_segment(client, "Chosen")
    await client.data(ADD, {"input": {"segmentId": segment, "customerIds": [str(picked)]}})
    listed = await client.data(LIST, {"filter": {"segmentIds": [segment]}})
    assert [e["node"]["name"] for e in listed["customers"]["edges"]] == ["Picked"]


async def test_customers_filter_by_volume_tier(api):
    client = await manager(api)
    big = await fx.add_customer(api, "Big Buyer")
    await fx.add_customer(api, "Window Shopper")
    await fx.add_order(api, big, "6000000.00", on=fx.today() - dt.timedelta(days=30))
    await client.data(BULK)
    listed = await client.data(LIST, {"filter": {"volumeTiers": ["HIGH", "MEDIUM"]}})
    assert [e["node"]["name"] for e in listed["customers"]["edges"]] == ["Big Buyer"]


async def test_customers_filter_by_engagement_level(api):
    from models.enums import InteractionKind

    client = await manager(api)
    busy = await fx.add_customer(api, "Often Met")
    await fx.add_customer(api, "Never Met")
    for _ in range(3):  # 3 meetings this month: 30 points
        await fx.add_interaction(api, busy, InteractionKind.MEETING, days_ago=2)
    await client.data(BULK)
    listed = await client.data(LIST, {"filter": {"engagementLevels": ["MODERATELY_ENGAGED"]}})
    assert [e["node"]["name"] for e in listed["customers"]["edges"]] == ["Often Met"]


async def test_engagement_level_filter_reads_the_stored_score_before_any_categorisation(api):
    from sqlalchemy import insert

    from models import CustomerEngagementScore
    from models.enums import EngagementLevel

    client = await manager(api)
    keen = await fx.add_customer(api, "Keen Buyer")
    await fx.add_customer(api, "Quiet Buyer")
    async with api.db.write_session() as session:
        await session.execute(
            insert(CustomerEngagementScore).values(
                customer_id=keen,
                score=80,
                level=EngagementLevel.HIGHLY_ENGAGED,
                inputs={},
                computed_at=fx.now(),
            )
        )
        await session.commit()
    listed = await client.data(LIST, {"filter": {"engagementLevels": ["HIGHLY_ENGAGED"]}})
    assert [e["node"]["name"] for e in listed["customers"]["edges"]] == ["Keen Buyer"]


async def test_bulk_categorisation_takes_an_engagement_level_filter(api):
    # found by tests/platform/test_schema_fuzzing.py: the filter's EXISTS lost its FROM
    # inside the categorisation query, which joins the engagement scores too
    client = await manager(api)
    await fx.add_customer(api, "Never Met")
    data = await client.data(BULK, {"filter": {"engagementLevels": ["HIGHLY_ENGAGED"]}})
    assert data["bulkCategorizeCustomers"]["errors"] == []
