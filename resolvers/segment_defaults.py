"""The segments and rules every installation starts with, seeded lazily and idempotently.

Why lazily rather than in a data migration: the defaults must exist without a manual step
in every database, including ones emptied and refilled (tests, demo data, restores), and
new LOCATION segments appear whenever a customer brings a new state. So categorisation
and the ``segments`` query call ``ensure_default_segments``; when everything is there it
costs one indexed read. Inserts are ``INSERT … ON CONFLICT DO NOTHING RETURNING`` on the
unique segment key, and a segment's default rules are created only together with the
segment itself (for the rows that statement returns), so concurrent callers never
duplicate anything, and a default rule a manager deleted stays deleted.

Defaults (thresholds in rupees, over the trailing 12 months):

    BUSINESS_TYPE  one segment per business type           businessType EQ …
    VOLUME         high    revenue12m ≥ 50,00,000           priority 30
                   medium  revenue12m ≥  5,00,000           priority 20
                   low     revenue12m ≥ 0 (everyone else)   priority 10
    ENGAGEMENT     the engagement levels, from the score thresholds of ``engagement``
    LOCATION       one segment per state a customer has     state EQ …
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import ColumnElement, String, func, literal, literal_column, select
from sqlalchemy.ext.asyncio import AsyncSession

from models import Customer, CustomerSegment, CustomerSegmentationRule
from models.base import utcnow
from models.enums import BusinessType, EngagementLevel, RuleMatch, SegmentKind
from resolvers.engagement import LEVEL_THRESHOLDS
from resolvers.sql import insert_or_ignore


class VolumeTier(enum.StrEnum):
    HIGH = "HIGH"
    MEDIUM = "MEDIUM"
    LOW = "LOW"


VOLUME_THRESHOLDS: dict[VolumeTier, str] = {
    VolumeTier.HIGH: "5000000",
    VolumeTier.MEDIUM: "500000",
    VolumeTier.LOW: "0",
}
VOLUME_TIER_KEYS = {tier: f"volume:{tier.value.lower()}" for tier in VolumeTier}
ENGAGEMENT_LEVEL_KEYS = {
    level: f"engagement:{level.value.lower().replace('_', '-')}" for level in EngagementLevel
}
LOCATION_KEY_PREFIX = "location:"


@dataclass(frozen=True)
class DefaultSegment:
    key: str
    name: str
    kind: SegmentKind
    description: str
    conditions: list[dict[str, Any]] = field(default_factory=list)
    priority: int = 0


def _condition(field_name: str, operator: str, value: str) -> dict[str, Any]:
    return {"field": field_name, "operator": operator, "value": value, "values": None}


def _defaults() -> list[DefaultSegment]:
    segments = [
        DefaultSegment(
            key=f"business-type:{bt.value.lower().replace('_', '-')}",
            name=bt.value.replace("_", " ").title(),
            kind=SegmentKind.BUSINESS_TYPE,
            description=f"Customers whose business type is {bt.value}.",
            conditions=[_condition("businessType", "EQ", bt.value)],
        )
        for bt in BusinessType
    ]
    for priority, tier in zip((30, 20, 10), VolumeTier, strict=True):
        segments.append(
            DefaultSegment(
                key=VOLUME_TIER_KEYS[tier],
                name=f"{tier.value.title()} volume",
                kind=SegmentKind.VOLUME,
                description=(
                    f"Trailing-12-month revenue of at least ₹{int(VOLUME_THRESHOLDS[tier]):,}"
                    " (by default; see the segment's rule)."
                ),
                conditions=[_condition("revenue12m", "GTE", VOLUME_THRESHOLDS[tier])],
                priority=priority,
            )
        )
    for priority, (threshold, level) in zip((30, 20, 10), LEVEL_THRESHOLDS, strict=True):
        segments.append(
            DefaultSegment(
                key=ENGAGEMENT_LEVEL_KEYS[level],
                name=level.value.replace("_", " ").capitalize(),
                kind=SegmentKind.ENGAGEMENT,
                description=f"Engagement score of at least {threshold} (by default).",
                conditions=[_condition("engagementScore", "GTE", str(threshold))],
                priority=priority,
            )
        )
    return segments


DEFAULT_SEGMENTS = _defaults()
_BY_KEY = {d.key: d for d in DEFAULT_SEGMENTS}


async def default_segments_missing(session: AsyncSession) -> bool:
    """One indexed read: is any default segment absent?"""
    present = await session.scalar(
        select(func.count()).where(CustomerSegment.key.in_(list(_BY_KEY)))
    )
    return (present or 0) < len(_BY_KEY)


async def _insert_rules_for_new(
    session: AsyncSession, created: Sequence[Any], rule_for: Any
) -> None:
    now = utcnow()
    rules = []
    for row in created:
        name, conditions, priority = rule_for(row)
        rules.append(
            {
                "name": name,
                "segment_id": row.id,
                "match": RuleMatch.ALL,
                "conditions": conditions,
                "priority": priority,
                "active": True,
                "created_at": now,
                "updated_at": now,
            }
        )
    if rules:
        await session.execute(CustomerSegmentationRule.__table__.insert(), rules)


async def ensure_default_segments(session: AsyncSession) -> None:
    """Create whichever default segments are missing, each with its default rule."""
    if not await default_segments_missing(session):
        return
    now = utcnow()
    statement = (
        insert_or_ignore(session, CustomerSegment)
        .values(
            [
                {
                    "key": d.key,
                    "name": d.name,
                    "kind": d.kind,
                    "description": d.description,
                    "created_at": now,
                }
                for d in DEFAULT_SEGMENTS
            ]
        )
        .returning(CustomerSegment.id, CustomerSegment.key)
    )
    created = (await session.execute(statement)).all()

    def rule_for(row: Any) -> tuple[str, list[dict[str, Any]], int]:
        default = _BY_KEY[row.key]
        return f"Default: {default.name}", default.conditions, default.priority

    await _insert_rules_for_new(session, created, rule_for)


async def ensure_location_segments(
    session: AsyncSession, *, customer_scope: ColumnElement[bool] | None = None
) -> None:
    """A LOCATION segment (with its rule ``state EQ …``) for every state the customers in
    scope have and no segment covers yet: one INSERT … SELECT, one rule insert if any."""
    key = func.substr(
        literal_column(f"'{LOCATION_KEY_PREFIX}'", String)
        + func.lower(func.replace(Customer.state, " ", "-")),
        1,
        80,
    )
    states = (
        select(
            key.label("key"),
            Customer.state.label("name"),
            literal(SegmentKind.LOCATION, CustomerSegment.__table__.c.kind.type).label("kind"),
            (literal("Customers in ") + Customer.state).label("description"),
            literal(utcnow(), CustomerSegment.__table__.c.created_at.type).label("created_at"),
        )
        .where(Customer.state.is_not(None))
        .distinct()
    )
    if customer_scope is not None:
        states = states.where(customer_scope)
    statement = (
        insert_or_ignore(session, CustomerSegment)
        .from_select(["key", "name", "kind", "description", "created_at"], states)
        .returning(CustomerSegment.id, CustomerSegment.key, CustomerSegment.name)
    )
    created = (await session.execute(statement)).all()
    await _insert_rules_for_new(
        session,
        created,
        lambda row: (f"Location: {row.name}", [_condition("state", "EQ", row.name)], 0),
    )
