"""The relationship score, 0–100: a weighted sum of five named components (DESIGN.md §4).

Pure functions over plain facts (``RelationshipFacts``); the refresh in
``relationship_refresh`` gathers the facts set-based and stores the results. Every
component is 0–100 and says in words what drove it:

    interactions  frequency and quality over the last 90 days (not cancelled):
                  70 × min(n, 12) / 12  +  30 × (meetings + calls) / n
    quotations    response rate over quotations sent in the last 365 days:
                  100 × answered (ACCEPTED or REJECTED) / sent; nothing sent: a neutral 50
    purchases     history and loyalty: 60 × min(orders in the last 365 days, 12) / 12
                  + 40 × min(days since the first order, 1095) / 1095; never ordered: 0
    engagement    the stored engagement score
    risk          100 minus penalties (never below 0):
                  overdue payments  20 per order past its due date with a balance, at most 40
                  credit utilisation  EXCEEDED (> 100 %) 30, ≥ critical 20, ≥ warning 10
                  silence  days since the last order > 2 × the customer's usual gap between
                           orders 30, > 1.5 × 15 (usual gap = (last − first) / (orders − 1),
                           needs two orders on different days)

    score = round(Σ weight × component)          (round half-up; weights sum to 1)
    grade = A ≥ 80, B ≥ 65, C ≥ 50, D ≥ 35, else E

Arithmetic is in ``Decimal``, so the same facts always give the same score.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from resolvers.config import CreditThresholds, RelationshipWeights

INTERACTIONS = "Interaction frequency and quality"
QUOTATIONS = "Quotation response rate"
PURCHASES = "Purchase history and loyalty"
ENGAGEMENT = "Engagement"
RISK = "Risk"

INTERACTION_TARGET = 12
ORDER_TARGET = 12
TENURE_TARGET_DAYS = 1095
NEUTRAL_RESPONSE_SCORE = 50
OVERDUE_PENALTY, OVERDUE_PENALTY_MAX = 20, 40
GRADES: tuple[tuple[int, str], ...] = ((80, "A"), (65, "B"), (50, "C"), (35, "D"), (0, "E"))


@dataclass(frozen=True)
class RelationshipFacts:
    """What the score of one customer is computed from."""

    interactions_90d: int = 0
    meetings_and_calls_90d: int = 0
    quotations_sent_365d: int = 0
    quotations_answered_365d: int = 0
    quotations_accepted_365d: int = 0
    orders_365d: int = 0
    order_count: int = 0
    first_order_on: dt.date | None = None
    last_order_on: dt.date | None = None
    engagement_score: int = 0
    overdue_orders: int = 0
    credit_limit: Decimal | None = None
    credit_outstanding: Decimal = Decimal(0)


@dataclass(frozen=True)
class Component:
    name: str
    weight: Decimal
    score: int
    detail: str


@dataclass(frozen=True)
class RelationshipScore:
    score: int
    grade: str
    components: tuple[Component, ...]


def round_half_up(value: Decimal) -> int:
    return int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def interaction_component(facts: RelationshipFacts) -> tuple[int, str]:
    n = facts.interactions_90d
    if n == 0:
        return 0, "No interactions in the last 90 days"
    frequency = Decimal(70) * min(n, INTERACTION_TARGET) / INTERACTION_TARGET
    quality = Decimal(30) * facts.meetings_and_calls_90d / n
    detail = (
        f"{_plural(n, 'interaction')} in the last 90 days, "
        f"{facts.meetings_and_calls_90d} of them meetings or calls"
    )
    return round_half_up(frequency + quality), detail


def quotation_component(facts: RelationshipFacts) -> tuple[int, str]:
    sent = facts.quotations_sent_365d
    if sent == 0:
        return NEUTRAL_RESPONSE_SCORE, "No quotations sent in the last 365 days (neutral)"
    answered = facts.quotations_answered_365d
    detail = (
        f"Answered {answered} of {_plural(sent, 'quotation')} sent in the last 365 days "
        f"({facts.quotations_accepted_365d} accepted)"
    )
    return round_half_up(Decimal(100) * answered / sent), detail


def purchase_component(facts: RelationshipFacts, today: dt.date) -> tuple[int, str]:
    if facts.order_count == 0 or facts.first_order_on is None:
        return 0, "No orders yet"
    tenure = max(0, (today - facts.first_order_on).days)
    value = (
        Decimal(60) * min(facts.orders_365d, ORDER_TARGET) / ORDER_TARGET
        + Decimal(40) * min(tenure, TENURE_TARGET_DAYS) / TENURE_TARGET_DAYS
    )
    detail = (
        f"{_plural(facts.orders_365d, 'order')} in the last 365 days; "
        f"buying for {_plural(tenure, 'day')} ({_plural(facts.order_count, 'order')} in all)"
    )
    return round_half_up(value), detail


def usual_gap_days(facts: RelationshipFacts) -> Decimal | None:
    """The customer's own average gap between orders; None without two order days."""
    if facts.order_count < 2 or facts.first_order_on is None or facts.last_order_on is None:
        return None
    span = (facts.last_order_on - facts.first_order_on).days
    return Decimal(span) / (facts.order_count - 1) if span > 0 else None


def risk_component(
    facts: RelationshipFacts, today: dt.date, credit: CreditThresholds
) -> tuple[int, str]:
    penalty = 0
    reasons: list[str] = []
    if facts.overdue_orders:
        penalty += min(OVERDUE_PENALTY * facts.overdue_orders, OVERDUE_PENALTY_MAX)
        reasons.append(f"{_plural(facts.overdue_orders, 'order')} past due with a balance")
    limit = facts.credit_limit
    if limit is not None and facts.credit_outstanding > 0:
        used = Decimal(100) * facts.credit_outstanding / limit if limit > 0 else Decimal("Infinity")
        for low, points, words in (
            (Decimal(100), 30, "over its credit limit"),
            (credit.critical_percent, 20, "credit critically used"),
            (credit.warning_percent, 10, "credit heavily used"),
        ):
            if used > low or (points != 30 and used >= low):
                penalty += points
                shown = "no credit" if limit == 0 else f"{round_half_up(used)} % of the limit"
                reasons.append(f"{words} ({shown})")
                break
    gap = usual_gap_days(facts)
    if gap is not None and facts.last_order_on is not None:
        silent = (today - facts.last_order_on).days
        for factor, points in ((2, 30), (Decimal("1.5"), 15)):
            if silent > gap * factor:
                penalty += points
                reasons.append(
                    f"{_plural(silent, 'day')} since the last order against a usual gap of "
                    f"{round_half_up(gap)}"
                )
                break
    if not reasons:
        return 100, "No overdue payments, credit within limits, ordering on its usual rhythm"
    return max(0, 100 - penalty), "; ".join(reasons).capitalize()


def grade_of(score: int) -> str:
    return next(grade for low, grade in GRADES if score >= low)


def relationship_score(
    facts: RelationshipFacts,
    *,
    today: dt.date,
    weights: RelationshipWeights,
    credit: CreditThresholds,
) -> RelationshipScore:
    """The score of one customer, with each component's weight, value and reason."""
    parts = (
        (INTERACTIONS, weights.interactions, interaction_component(facts)),
        (QUOTATIONS, weights.quotations, quotation_component(facts)),
        (PURCHASES, weights.purchases, purchase_component(facts, today)),
        (
            ENGAGEMENT,
            weights.engagement,
            (facts.engagement_score, f"Engagement score {facts.engagement_score} of 100"),
        ),
        (RISK, weights.risk, risk_component(facts, today, credit)),
    )
    components = tuple(
        Component(name=name, weight=weight, score=score, detail=detail)
        for name, weight, (score, detail) in parts
    )
    total = round_half_up(sum((c.weight * c.score for c in components), Decimal(0)))
    return RelationshipScore(score=total, grade=grade_of(total), components=components)
