"""A customer filter survives the trip through a job's JSON options unchanged."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from decimal import Decimal

from models.enums import BusinessType, CustomerStatus, EngagementLevel, RiskLevel
from resolvers.config import CreditThresholds
from resolvers.credit import CreditLevel
from resolvers.customer_queries import CustomerFilter
from resolvers.export_filter import filter_from_json, filter_to_json
from resolvers.segment_defaults import VolumeTier

EVERYTHING = CustomerFilter(
    search="kaveri pumps",
    business_types=(BusinessType.ENTERPRISE, BusinessType.GOVERNMENT),
    statuses=(CustomerStatus.ACTIVE,),
    states=("Maharashtra",),
    owner_ids=(3, 4),
    tags=("key-account",),
    all_tags=True,
    created_from=dt.datetime(2025, 3, 31, 18, 30, tzinfo=dt.UTC),
    created_to=dt.datetime(2025, 4, 30, 18, 30, tzinfo=dt.UTC),
    ids=(7,),
    segment_ids=(11, 12),
    volume_tiers=(VolumeTier.HIGH,),
    engagement_levels=(EngagementLevel.HIGHLY_ENGAGED,),
    credit_levels=(CreditLevel.WARNING, CreditLevel.EXCEEDED),
    credit_thresholds=CreditThresholds(Decimal("70.5"), Decimal("88")),
    risk_levels=(RiskLevel.HIGH,),
    min_predicted_value=Decimal("1000.50"),
    max_predicted_value=Decimal("99999.99"),
)


def test_every_filter_field_round_trips_through_json():
    stored = json.loads(json.dumps(filter_to_json(EVERYTHING)))
    assert filter_from_json(stored) == EVERYTHING


def test_the_empty_filter_round_trips_through_json():
    stored = json.loads(json.dumps(filter_to_json(CustomerFilter())))
    assert filter_from_json(stored) == CustomerFilter()


def test_no_filter_stays_no_filter():
    assert filter_from_json(filter_to_json(None)) is None


def test_every_field_of_the_filter_is_serialised():
    names = {f.name for f in dataclasses.fields(CustomerFilter)}
    assert set(filter_to_json(CustomerFilter())) == names
