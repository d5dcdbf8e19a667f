"""The lifetime-value model's settings, as the plain config the domain takes."""

from __future__ import annotations

from app.settings import Settings
from resolvers.clv_scoring import ClvConfig


def clv_config(settings: Settings) -> ClvConfig:
    return ClvConfig(
        horizon_weeks=settings.clv_horizon_weeks,
        annual_discount_rate=settings.clv_annual_discount_rate,
        min_repeat_customers=settings.clv_min_repeat_customers,
        risk_medium=settings.clv_risk_medium_from,
        risk_high=settings.clv_risk_high_from,
    )
