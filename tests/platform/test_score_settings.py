"""Score settings: weights summing to 1 and ordered thresholds, read from the environment."""

from __future__ import annotations

from decimal import Decimal

import pytest
from pydantic import ValidationError

from app.domain_config import domain_config
from app.settings import Settings


def test_relationship_weights_that_do_not_sum_to_one_are_refused():
    with pytest.raises(ValidationError, match="sum to 1"):
        Settings(relationship_weight_risk=Decimal("0.30"))


def test_engagement_thresholds_out_of_order_are_refused():
    with pytest.raises(ValidationError, match="moderately <= highly"):
        Settings(engagement_highly_engaged_from=20, engagement_moderately_engaged_from=30)


def test_score_settings_reach_the_domain_config(monkeypatch):
    monkeypatch.setenv("CRM_ENGAGEMENT_HIGHLY_ENGAGED_FROM", "70")
    monkeypatch.setenv("CRM_RELATIONSHIP_WEIGHT_RISK", "0.10")
    monkeypatch.setenv("CRM_RELATIONSHIP_WEIGHT_ENGAGEMENT", "0.25")
    config = domain_config(Settings())
    assert config.engagement.highly == 70
    assert (config.relationship_weights.risk, config.relationship_weights.engagement) == (
        Decimal("0.10"),
        Decimal("0.25"),
    )
