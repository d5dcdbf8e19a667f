"""Customer-list filters by segment membership and volume tier (the VOLUME segments, whose
rules managers configure), and by engagement level — read from the stored engagement score,
which applies the configured thresholds and is current the moment it is refreshed, rather
than from ENGAGEMENT segment membership, which follows at the next categorisation."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import ColumnElement, exists, select

from models import Customer, CustomerEngagementScore, CustomerSegment, CustomerSegmentMembership
from models.enums import EngagementLevel
from resolvers.segment_defaults import VOLUME_TIER_KEYS, VolumeTier


def _member_of(segment_ids: ColumnElement[bool] | Sequence[int]) -> ColumnElement[bool]:
    M = CustomerSegmentMembership
    return exists().where(M.customer_id == Customer.id, M.segment_id.in_(segment_ids))


def _member_of_keys(keys: Sequence[str]) -> ColumnElement[bool]:
    return _member_of(select(CustomerSegment.id).where(CustomerSegment.key.in_(list(keys))))


def segment_filter_conditions(
    *,
    segment_ids: Sequence[int] = (),
    volume_tiers: Sequence[VolumeTier] = (),
    engagement_levels: Sequence[EngagementLevel] = (),
) -> list[ColumnElement[bool]]:
    """Each non-empty list is one condition: member of any of the segments it names."""
    conditions = []
    if segment_ids:
        conditions.append(_member_of(sorted(set(segment_ids))))
    if volume_tiers:
        conditions.append(_member_of_keys([VOLUME_TIER_KEYS[t] for t in volume_tiers]))
    if engagement_levels:
        score = CustomerEngagementScore
        # Correlated to customers only: inside a query that also joins the scores table
        # (categorisation's facts), auto-correlation would leave this EXISTS no FROM at all.
        conditions.append(
            exists()
            .where(
                score.customer_id == Customer.id, score.level.in_(sorted(set(engagement_levels)))
            )
            .correlate(Customer)
        )
    return conditions
