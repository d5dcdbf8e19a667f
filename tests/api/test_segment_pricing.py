"""Segment pricing: managing rules, which rule prices a line, validity windows, rounding,
and quotations and orders priced by the same function as price quotes."""

from __future__ import annotations

import datetime as dt

from models.enums import Role
from tests.api import segment_fixtures as fx
from tests.contract_checks.operations import operation

CREATE_RULE = operation("CreateSegmentPricingRule")
QUOTE = operation("PriceQuote")
CREATE_CUSTOMER = operation("CreateCustomer")
CREATE_QUOTATION = operation("CreateQuotation")
CREATE_ORDER = operation("CreateOrder")
DEACTIVATE = """mutation($id: ID!) {
    deactivateSegmentPricingRule(id: $id) { rule { active } errors { code } } }"""
UPDATE = """mutation($input: UpdateSegmentPricingRuleInput!) {
    updateSegmentPricingRule(input: $input) { rule { discountPercent } errors { field code } } }"""
SEGMENT_RULES = """query($id: ID!) { segment(id: $id) { pricingRules { name } } }"""


async def _setup(api) -> tuple[object, str, str]:
    """A manager, an ENTERPRISE customer (so in business-type:enterprise), that segment."""
    client, _ = await api.client_for(Role.MANAGER)
    created = await client.data(
        CREATE_CUSTOMER, {"input": {"name": "Priced Co", "businessType": "ENTERPRISE"}}
    )
    customer_id = created["createCustomer"]["customer"]["id"]
    return client, customer_id, await fx.segment_id(api, "business-type:enterprise")


async def _rule(client, segment_id: str, name: str, discount: str, **fields) -> dict:
    rule = {"name": name, "segmentId": segment_id, "discountPercent": discount, **fields}
    payload = (await client.data(CREATE_RULE, {"input": rule}))["createSegmentPricingRule"]
    assert payload["errors"] == [], payload["errors"]
    return payload["rule"]


async def _quote(client, customer_id: str, product_id: int, quantity: int = 1) -> dict:
    items = [{"productId": str(product_id), "quantity": quantity}]
    return (await client.data(QUOTE, {"customerId": customer_id, "items": items}))["priceQuote"]


def _rule_name(quote: dict) -> str | None:
    rule = quote["lines"][0]["pricingRule"]
    return rule["name"] if rule else None


def _day(offset: int) -> str:
    return (fx.today() + dt.timedelta(days=offset)).isoformat()


# Managing rules


async def test_created_rule_comes_back_with_its_defaults(api):
    client, _, segment = await _setup(api)
    rule = await _rule(client, segment, "Enterprise 10", "10")
    assert rule | {"id": None} == {
        "id": None,
        "name": "Enterprise 10",
        "discountPercent": "10.00",
        "productCategory": None,
        "minQuantity": 1,
        "validFrom": None,
        "validTo": None,
        "priority": 0,
        "active": True,
        "segment": {"id": segment},
    }


async def test_discount_outside_0_to_100_is_refused(api):
    client, _, segment = await _setup(api)
    for discount in ("0", "100.01", "12.345"):
        rule = {"name": "Bad", "segmentId": segment, "discountPercent": discount}
        payload = (await client.data(CREATE_RULE, {"input": rule}))["createSegmentPricingRule"]
        assert [e["field"] for e in payload["errors"]] == ["discountPercent"]


async def test_validity_ending_before_it_starts_is_refused(api):
    client, _, segment = await _setup(api)
    rule = {
        "name": "Backwards",
        "segmentId": segment,
        "discountPercent": "5",
        "validFrom": "2026-03-01",
        "validTo": "2026-02-01",
    }
    payload = (await client.data(CREATE_RULE, {"input": rule}))["createSegmentPricingRule"]
    assert [e["field"] for e in payload["errors"]] == ["validTo"]


async def test_segment_lists_its_rules_in_winning_order(api):
    client, _, segment = await _setup(api)
    await _rule(client, segment, "Small", "5")
    await _rule(client, segment, "Preferred", "2", priority=3)
    await _rule(client, segment, "Big", "9")
    rules = (await client.data(SEGMENT_RULES, {"id": segment}))["segment"]["pricingRules"]
    assert [r["name"] for r in rules] == ["Preferred", "Big", "Small"]


# Which rule prices a line


async def test_line_without_an_applicable_rule_is_at_list_price(api):
    client, customer, _ = await _setup(api)
    product = await api.make_product(sku="P-1", price="1000.00")
    quote = await _quote(client, customer, product, 2)
    line = quote["lines"][0]
    assert (line["unitPrice"], line["discountPercent"], line["pricingRule"]) == (
        "1000.00",
        "0.00",
        None,
    )
    assert quote["total"] == "2000.00"


async def test_highest_priority_rule_wins_over_a_larger_discount(api):
    client, customer, segment = await _setup(api)
    await _rule(client, segment, "Generous", "20")
    await _rule(client, segment, "Preferred", "5", priority=1)
    product = await api.make_product(sku="P-1", price="1000.00")
    quote = await _quote(client, customer, product)
    assert (_rule_name(quote), quote["lines"][0]["unitPrice"]) == ("Preferred", "950.00")


async def test_larger_discount_wins_at_equal_priority(api):
    client, customer, segment = await _setup(api)
    await _rule(client, segment, "Five", "5")
    await _rule(client, segment, "Seven and a half", "7.5")
    product = await api.make_product(sku="P-1", price="1000.00")
    assert _rule_name(await _quote(client, customer, product)) == "Seven and a half"


async def test_category_rule_prices_only_its_category(api):
    client, customer, segment = await _setup(api)
    await _rule(client, segment, "Pumps only", "15", productCategory="Pumps")
    lathe = await api.make_product(sku="L-1", price="1000.00", category="Lathes")
    pump = await api.make_product(sku="PU-1", price="1000.00", category="Pumps")
    assert _rule_name(await _quote(client, customer, lathe)) is None
    assert _rule_name(await _quote(client, customer, pump)) == "Pumps only"


async def test_rule_applies_from_its_minimum_quantity(api):
    client, customer, segment = await _setup(api)
    await _rule(client, segment, "Bulk", "10", minQuantity=5)
    product = await api.make_product(sku="P-1", price="100.00")
    assert _rule_name(await _quote(client, customer, product, 4)) is None
    assert _rule_name(await _quote(client, customer, product, 5)) == "Bulk"


async def test_rule_applies_on_the_first_and_last_day_of_its_validity(api):
    client, customer, segment = await _setup(api)
    await _rule(client, segment, "Today only", "10", validFrom=_day(0), validTo=_day(0))
    product = await api.make_product(sku="P-1", price="100.00")
    assert _rule_name(await _quote(client, customer, product)) == "Today only"


async def test_rule_outside_its_validity_does_not_apply(api):
    client, customer, segment = await _setup(api)
    await _rule(client, segment, "Starts tomorrow", "10", validFrom=_day(1))
    await _rule(client, segment, "Ended yesterday", "10", validTo=_day(-1))
    product = await api.make_product(sku="P-1", price="100.00")
    assert _rule_name(await _quote(client, customer, product)) is None


async def test_deactivated_rule_no_longer_applies(api):
    client, customer, segment = await _setup(api)
    rule = await _rule(client, segment, "Retired", "10")
    await client.data(DEACTIVATE, {"id": rule["id"]})
    product = await api.make_product(sku="P-1", price="100.00")
    assert _rule_name(await _quote(client, customer, product)) is None


async def test_changed_discount_prices_new_quotes(api):
    client, customer, segment = await _setup(api)
    rule = await _rule(client, segment, "Adjusted", "10")
    await client.data(UPDATE, {"input": {"id": rule["id"], "discountPercent": "25"}})
    product = await api.make_product(sku="P-1", price="100.00")
    assert (await _quote(client, customer, product))["lines"][0]["unitPrice"] == "75.00"


async def test_rule_of_another_segment_does_not_apply(api):
    client, customer, _ = await _setup(api)
    government = await fx.segment_id(api, "business-type:government")
    await _rule(client, government, "Government", "30")
    product = await api.make_product(sku="P-1", price="100.00")
    assert _rule_name(await _quote(client, customer, product)) is None


async def test_prices_round_half_up_per_line(api):
    # 99.99 less 12.5 % = 87.49125 → 87.49, × 3 = 262.47; 10.05 less 50 % = 5.025 → 5.03
    client, customer, segment = await _setup(api)
    await _rule(client, segment, "Odd", "12.5", productCategory="Lathes")
    await _rule(client, segment, "Half", "50", productCategory="Pumps")
    lathe = await api.make_product(sku="L-1", price="99.99", category="Lathes")
    pump = await api.make_product(sku="PU-1", price="10.05", category="Pumps")
    items = [{"productId": str(lathe), "quantity": 3}, {"productId": str(pump), "quantity": 1}]
    quote = (await client.data(QUOTE, {"customerId": customer, "items": items}))["priceQuote"]
    assert [(x["unitPrice"], x["lineTotal"]) for x in quote["lines"]] == [
        ("87.49", "262.47"),
        ("5.03", "5.03"),
    ]
    assert quote["total"] == "267.50"


async def test_quote_for_an_unknown_product_names_the_item(api):
    client, customer, _ = await _setup(api)
    items = [{"productId": "999999", "quantity": 1}]
    body = await client.post(QUOTE, {"customerId": customer, "items": items})
    assert body["errors"][0]["extensions"]["field"] == "items.0.productId"


# Quotations and orders use the same pricing


async def test_quotation_lines_show_the_rule_that_priced_them(api):
    client, customer, segment = await _setup(api)
    await _rule(client, segment, "Enterprise 10", "10")
    product = await api.make_product(sku="P-1", price="1000.00")
    lines = [{"productId": str(product), "quantity": 2}]
    created = await client.data(
        CREATE_QUOTATION, {"input": {"customerId": customer, "lines": lines}}
    )
    quotation = created["createQuotation"]["quotation"]
    line = quotation["lines"][0]
    assert (line["pricingRule"]["name"], line["unitPrice"], quotation["total"]) == (
        "Enterprise 10",
        "900.00",
        "1800.00",
    )


async def test_order_lines_are_priced_like_quotes(api):
    client, customer, segment = await _setup(api)
    await _rule(client, segment, "Enterprise 10", "10")
    product = await api.make_product(sku="P-1", price="1000.00")
    lines = [{"productId": str(product), "quantity": 2}]
    created = await client.data(CREATE_ORDER, {"input": {"customerId": customer, "lines": lines}})
    quote = await _quote(client, customer, product, 2)
    assert created["createOrder"]["order"]["total"] == quote["total"] == "1800.00"
