"""Customer-list filters by segment: membership of given segments, volume tiers and
engagement levels (the VOLUME / ENGAGEMENT segments, whose rules managers configure)."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import ColumnElement, exists, select

from models import Customer, CustomerSegment, CustomerSegmentMembership
from models.enums import EngagementLevel
from resolvers.segment_defaults import ENGAGEMENT_LEVEL_KEYS, VOLUME_TIER_KEYS, VolumeTier


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
        conditions.append(_member_of_keys([ENGAGEMENT_LEVEL_KEYS[e] for e in engagement_levels]))
    return conditions
