"""The stored engagement and relationship scores of a customer, loaded a page at a time."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import strawberry
from strawberry.types import Info

from schema.enums import EngagementLevel


@strawberry.type(
    description="How engaged a customer is: recency-weighted interactions (meetings count "
    "most, notes least), quotation answers and orders over the last 90 days."
)
class Engagement:
    score: int = strawberry.field(description="0–100.")
    level: EngagementLevel = strawberry.field(description="From the configured thresholds.")
    interactions_last_90_days: int = strawberry.field(
        name="interactionsLast90Days",
        description="Interactions (not cancelled) in the last 90 days.",
    )
    last_interaction_at: dt.datetime | None = strawberry.field(
        description="The latest interaction (not cancelled), at any time."
    )
    computed_at: dt.datetime = strawberry.field(description="When the score was last computed.")

    @classmethod
    def from_row(cls, row: Any) -> Engagement:
        inputs = row.inputs or {}
        return cls(
            score=row.score,
            level=row.level,
            interactions_last_90_days=int(inputs.get("interactionsLast90Days", 0)),
            last_interaction_at=row.last_interaction_at,
            computed_at=row.computed_at,
        )


@strawberry.type(description="One named part of the relationship score.")
class RelationshipScoreComponent:
    name: str
    weight: float = strawberry.field(description="Its share of the score (weights sum to 1).")
    score: int = strawberry.field(description="0–100.")
    detail: str = strawberry.field(description="What drove the value, in words.")


@strawberry.type(
    description="The health of the relationship, 0–100: a weighted sum of interaction "
    "frequency and quality, quotation response rate, purchase history and loyalty, "
    "engagement, and risk (overdue payments, credit use, silence against the usual gap "
    "between orders)."
)
class RelationshipScore:
    score: int = strawberry.field(description="0–100, rounded half-up.")
    grade: str = strawberry.field(description="A ≥ 80, B ≥ 65, C ≥ 50, D ≥ 35, else E.")
    computed_at: dt.datetime
    components: list[RelationshipScoreComponent]

    @classmethod
    def from_row(cls, row: Any) -> RelationshipScore:
        return cls(
            score=row.score,
            grade=row.grade,
            computed_at=row.computed_at,
            components=[
                RelationshipScoreComponent(
                    name=c["name"],
                    weight=float(Decimal(str(c["weight"]))),
                    score=int(c["score"]),
                    detail=c["detail"],
                )
                for c in row.components or []
            ],
        )


async def customer_engagement(info: Info, customer_id: int) -> Engagement | None:
    row = await info.context.loaders.engagement_by_customer_id.load(customer_id)
    return Engagement.from_row(row) if row else None


async def customer_relationship_score(info: Info, customer_id: int) -> RelationshipScore | None:
    row = await info.context.loaders.relationship_score_by_customer_id.load(customer_id)
    return RelationshipScore.from_row(row) if row else None
