"""Segment analytics and comparison on a small fixture, expectations computed by hand.

A CUSTOM segment "Focus" holds M1 (created 2025-06-01) and M2 (created 2026-02-10); O is
not a member. The period is January to April 2026:

    orders      M1  2026-01-10 10,000.00   2026-01-20 5,000.00   2026-03-05 2,000.50
                    2026-03-06 9,999.00 cancelled   2025-12-31 7,777.00 (before)
                M2  2026-03-31 1,000.00    2026-04-30 500.00     2026-05-01 300.00 (after)
                O   2026-02-15 1,23,456.00
    quotations  M1  sent 2026-01-15 accepted, 2026-02-01 rejected, 2026-04-10 still sent,
                    2025-12-20 accepted (before), one draft never sent
                M2  sent 2026-03-01 accepted

    total 18,500.50 over 5 orders (average 3,700.10); February has no orders (zeros) but
    M2's creation; 4 quotations sent in the period, 2 accepted: conversion 0.5.
"""

from __future__ import annotations

import datetime as dt

from models.enums import BusinessType, OrderStatus, QuotationStatus, Role
from tests.api import segment_fixtures as fx
from tests.contract_checks.operations import operation

ANALYTICS = operation("SegmentAnalytics")
COMPARISON = operation("SegmentComparison")
BULK = operation("BulkCategorizeCustomers")
ADD = """mutation($input: SegmentMembersInput!) {
    addCustomersToSegment(input: $input) { errors { code } } }"""
CREATE_SEGMENT = """mutation($input: CreateSegmentInput!) {
    createSegment(input: $input) { segment { id } } }"""
D = dt.date


async def _focus(api) -> tuple[object, str, dict[str, int]]:
    client, _ = await api.client_for(Role.MANAGER)
    m1 = await fx.add_customer(api, "Member One", created_at=fx.local_noon(D(2025, 6, 1)))
    m2 = await fx.add_customer(api, "Member Two", created_at=fx.local_noon(D(2026, 2, 10)))
    other = await fx.add_customer(api, "Outsider", created_at=fx.local_noon(D(2026, 1, 5)))
    segment = await client.data(CREATE_SEGMENT, {"input": {"name": "Focus"}})
    segment_id = segment["createSegment"]["segment"]["id"]
    await client.data(ADD, {"input": {"segmentId": segment_id, "customerIds": [str(m1), str(m2)]}})
    for customer, total, day, status in (
        (m1, "10000.00", D(2026, 1, 10), OrderStatus.DELIVERED),
        (m1, "5000.00", D(2026, 1, 20), OrderStatus.SHIPPED),
        (m1, "2000.50", D(2026, 3, 5), OrderStatus.CONFIRMED),
        (m1, "9999.00", D(2026, 3, 6), OrderStatus.CANCELLED),
        (m1, "7777.00", D(2025, 12, 31), OrderStatus.DELIVERED),
        (m2, "1000.00", D(2026, 3, 31), OrderStatus.DELIVERED),
        (m2, "500.00", D(2026, 4, 30), OrderStatus.DELIVERED),
        (m2, "300.00", D(2026, 5, 1), OrderStatus.DELIVERED),
        (other, "123456.00", D(2026, 2, 15), OrderStatus.DELIVERED),
    ):
        await fx.add_order(api, customer, total, on=day, status=status)
    for customer, sent, status in (
        (m1, D(2026, 1, 15), QuotationStatus.ACCEPTED),
        (m1, D(2026, 2, 1), QuotationStatus.REJECTED),
        (m1, D(2026, 4, 10), QuotationStatus.SENT),
        (m1, D(2025, 12, 20), QuotationStatus.ACCEPTED),
        (m1, None, QuotationStatus.DRAFT),
        (m2, D(2026, 3, 1), QuotationStatus.ACCEPTED),
    ):
        await fx.add_quotation(api, customer, sent_on=sent, status=status)
    return client, segment_id, {"m1": m1, "m2": m2}


async def _analytics(api, first: str = "2026-01-01", last: str = "2026-04-30") -> dict:
    client, segment_id, _ = await _focus(api)
    data = await client.data(ANALYTICS, {"id": segment_id, "from": first, "to": last})
    return data["segment"]["analytics"]


async def test_analytics_totals_count_only_members_orders_in_the_period(api):
    figures = await _analytics(api)
    assert (figures["customerCount"], figures["totalValue"], figures["orderCount"]) == (
        2,
        "18500.50",
        5,
    )


async def test_average_order_value_is_total_over_orders_in_decimal(api):
    assert (await _analytics(api))["averageOrderValue"] == "3700.10"


async def test_conversion_counts_quotations_sent_in_the_period(api):
    figures = await _analytics(api)
    assert (figures["quotationCount"], figures["conversionRate"]) == (4, 0.5)


async def test_monthly_trend_lists_every_month_with_empty_ones_as_zeros(api):
    trend = (await _analytics(api))["monthlyTrend"]
    assert trend == [
        {"month": "2026-01", "revenue": "15000.00", "orderCount": 2, "newCustomers": 0},
        {"month": "2026-02", "revenue": "0.00", "orderCount": 0, "newCustomers": 1},
        {"month": "2026-03", "revenue": "3000.50", "orderCount": 2, "newCustomers": 0},
        {"month": "2026-04", "revenue": "500.00", "orderCount": 1, "newCustomers": 0},
    ]


async def test_top_customers_are_ordered_by_revenue(api):
    top = (await _analytics(api))["topCustomers"]
    assert [(t["customer"]["name"], t["revenue"], t["orderCount"]) for t in top] == [
        ("Member One", "17000.50", 3),
        ("Member Two", "1500.00", 2),
    ]


async def test_period_without_quotations_has_no_conversion_rate(api):
    figures = await _analytics(api, "2026-05-01", "2026-05-31")
    assert (figures["quotationCount"], figures["conversionRate"]) == (0, None)
    assert (figures["totalValue"], figures["averageOrderValue"]) == ("300.00", "300.00")


async def test_period_without_orders_has_no_average(api):
    figures = await _analytics(api, "2026-02-01", "2026-02-28")
    assert (figures["totalValue"], figures["orderCount"], figures["averageOrderValue"]) == (
        "0.00",
        0,
        None,
    )


async def test_period_ending_before_it_starts_is_bad_user_input(api):
    client, segment_id, _ = await _focus(api)
    body = await client.post(
        ANALYTICS, {"id": segment_id, "from": "2026-05-01", "to": "2026-04-01"}
    )
    assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"


# Comparison: March 2026 against the 31 days before (2026-01-29 … 2026-02-28)


async def _comparison(api) -> list[dict]:
    client, _ = await api.client_for(Role.MANAGER)
    big = await fx.add_customer(api, "Big Co", business_type=BusinessType.ENTERPRISE)
    small = await fx.add_customer(api, "Small Co", business_type=BusinessType.SMALL_BUSINESS)
    for customer, total, day in (
        (big, "3000.00", D(2026, 3, 10)),
        (big, "2000.00", D(2026, 2, 1)),
        (big, "4000.00", D(2026, 1, 28)),
        (small, "1000.00", D(2026, 3, 31)),
    ):
        await fx.add_order(api, customer, total, on=day)
    await fx.add_quotation(api, big, sent_on=D(2026, 3, 10), status=QuotationStatus.ACCEPTED)
    await client.data(BULK)
    data = await client.data(
        COMPARISON, {"kind": "BUSINESS_TYPE", "from": "2026-03-01", "to": "2026-03-31"}
    )
    return data["segmentPerformanceComparison"]


async def test_comparison_lists_every_segment_of_the_kind_biggest_first(api):
    rows = await _comparison(api)
    assert [r["segment"]["key"] for r in rows] == [
        "business-type:enterprise",
        "business-type:small-business",
        "business-type:government",
        "business-type:individual",
    ]


async def test_comparison_growth_is_against_the_previous_period_of_equal_length(api):
    enterprise = (await _comparison(api))[0]
    assert (enterprise["totalValue"], enterprise["growthRate"]) == ("3000.00", 0.5)
    assert (enterprise["customerCount"], enterprise["conversionRate"]) == (1, 1.0)


async def test_comparison_growth_without_previous_revenue_is_null(api):
    small = (await _comparison(api))[1]
    assert (small["totalValue"], small["growthRate"], small["conversionRate"]) == (
        "1000.00",
        None,
        None,
    )
    assert small["averageOrderValue"] == "1000.00"
