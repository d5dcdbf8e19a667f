"""The relationship score's pure rules, with hand-computed expectations (no database)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal

import pytest

from models.enums import EngagementLevel
from resolvers.config import CreditThresholds, EngagementThresholds, RelationshipWeights
from resolvers.engagement import engagement_level
from resolvers.relationship_score import (
    RelationshipFacts,
    relationship_score,
    risk_component,
)

TODAY = dt.date(2026, 6, 30)
WEIGHTS = RelationshipWeights()
CREDIT = CreditThresholds()

# interactions  6 in 90 days, 3 meetings/calls   70×6/12 + 30×3/6 = 35 + 15       = 50
# quotations    3 of 4 answered                  100×3/4                          = 75
# purchases     3 orders in 365 days, first order 730 days ago
#               60×3/12 + 40×730/1095 = 15 + 26.67                                = 42
# engagement                                                                      = 40
# risk          1 overdue (−20), 80 % of the limit used (−10); usual gap
#               700/4 = 175 days, last order 30 days ago (no penalty)             = 70
# score  0.25×50 + 0.15×75 + 0.25×42 + 0.15×40 + 0.20×70 = 54.25                  = 54 (C)
STEADY = RelationshipFacts(
    interactions_90d=6,
    meetings_and_calls_90d=3,
    quotations_sent_365d=4,
    quotations_answered_365d=3,
    quotations_accepted_365d=2,
    orders_365d=3,
    order_count=5,
    first_order_on=TODAY - dt.timedelta(days=730),
    last_order_on=TODAY - dt.timedelta(days=30),
    engagement_score=40,
    overdue_orders=1,
    credit_limit=Decimal("100000.00"),
    credit_outstanding=Decimal("80000.00"),
)


def _score(facts: RelationshipFacts, weights: RelationshipWeights = WEIGHTS):
    return relationship_score(facts, today=TODAY, weights=weights, credit=CREDIT)


def test_steady_customer_scores_the_hand_computed_components():
    result = _score(STEADY)
    assert [c.score for c in result.components] == [50, 75, 42, 40, 70]


def test_steady_customer_scores_the_hand_computed_total_and_grade():
    result = _score(STEADY)
    assert (result.score, result.grade) == (54, "C")


def test_components_carry_their_weights_in_a_fixed_order():
    result = _score(STEADY)
    assert [c.weight for c in result.components] == list(WEIGHTS.as_tuple())


def test_component_details_say_what_drove_them():
    details = [c.detail for c in _score(STEADY).components]
    assert details[0] == "6 interactions in the last 90 days, 3 of them meetings or calls"
    assert details[1] == "Answered 3 of 4 quotations sent in the last 365 days (2 accepted)"
    assert details[4] == "1 order past due with a balance; credit heavily used (80 % of the limit)"


def test_new_customer_scores_neutral_quotations_and_no_risk():
    # 0.15×50 + 0.20×100 = 27.5, rounded half-up
    result = _score(RelationshipFacts())
    assert [c.score for c in result.components] == [0, 50, 0, 0, 100]
    assert (result.score, result.grade) == (28, "E")


def test_the_same_facts_always_give_the_same_score():
    assert _score(STEADY) == _score(dataclasses.replace(STEADY))


def test_other_weights_change_the_total():
    only_risk = RelationshipWeights(
        interactions=Decimal(0),
        quotations=Decimal(0),
        purchases=Decimal(0),
        engagement=Decimal(0),
        risk=Decimal(1),
    )
    assert _score(STEADY, only_risk).score == 70


def test_weights_that_do_not_sum_to_one_are_refused():
    with pytest.raises(ValueError, match="sum to 1"):
        RelationshipWeights(risk=Decimal("0.30"))


def _risk(**changes) -> int:
    return risk_component(RelationshipFacts(**changes), TODAY, CREDIT)[0]


def test_overdue_orders_cost_twenty_points_each_up_to_forty():
    assert (_risk(overdue_orders=1), _risk(overdue_orders=3)) == (80, 60)


@pytest.mark.parametrize(
    ("outstanding", "limit", "expected"),
    [("700", "1000", 100), ("750", "1000", 90), ("900", "1000", 80), ("1001", "1000", 70)],
)
def test_credit_utilisation_costs_points_by_level(outstanding, limit, expected):
    assert _risk(credit_outstanding=Decimal(outstanding), credit_limit=Decimal(limit)) == expected


def test_any_outstanding_without_credit_counts_as_over_the_limit():
    assert _risk(credit_outstanding=Decimal("1"), credit_limit=Decimal("0")) == 70


def test_silence_beyond_twice_the_usual_gap_costs_thirty_points():
    # 3 orders over 40 days: a usual gap of 20; 60 days silent > 2 × 20
    first, last = TODAY - dt.timedelta(days=100), TODAY - dt.timedelta(days=60)
    assert _risk(order_count=3, first_order_on=first, last_order_on=last) == 70


def test_silence_beyond_one_and_a_half_usual_gaps_costs_fifteen_points():
    # usual gap 20; 35 days silent > 30 but not > 40
    first, last = TODAY - dt.timedelta(days=75), TODAY - dt.timedelta(days=35)
    assert _risk(order_count=3, first_order_on=first, last_order_on=last) == 85


def test_a_single_order_has_no_usual_gap_to_fall_behind():
    first = TODAY - dt.timedelta(days=400)
    assert _risk(order_count=1, first_order_on=first, last_order_on=first) == 100


def test_engagement_thresholds_are_configurable():
    thresholds = EngagementThresholds(highly=50, moderately=30)
    assert [engagement_level(s, thresholds) for s in (29, 30, 50)] == [
        EngagementLevel.LOW_ENGAGEMENT,
        EngagementLevel.MODERATELY_ENGAGED,
        EngagementLevel.HIGHLY_ENGAGED,
    ]


def test_engagement_thresholds_out_of_order_are_refused():
    with pytest.raises(ValueError):
        EngagementThresholds(highly=20, moderately=30)
