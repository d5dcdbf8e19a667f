"""The settings the domain rules depend on, passed in explicitly (never read from env here)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from zoneinfo import ZoneInfo

from resolvers.clv_scoring import ClvConfig


@dataclass(frozen=True)
class CreditThresholds:
    warning_percent: Decimal = Decimal("75")
    critical_percent: Decimal = Decimal("90")


@dataclass(frozen=True)
class EngagementThresholds:
    """Lowest engagement score of each level (below ``moderately``: LOW_ENGAGEMENT)."""

    highly: int = 60
    moderately: int = 25

    def __post_init__(self) -> None:
        if not 0 <= self.moderately <= self.highly <= 100:
            raise ValueError("engagement thresholds need 0 <= moderately <= highly <= 100")


@dataclass(frozen=True)
class RelationshipWeights:
    """How much each component counts in the relationship score; they sum to 1."""

    interactions: Decimal = Decimal("0.25")
    quotations: Decimal = Decimal("0.15")
    purchases: Decimal = Decimal("0.25")
    engagement: Decimal = Decimal("0.15")
    risk: Decimal = Decimal("0.20")

    def __post_init__(self) -> None:
        weights = self.as_tuple()
        if any(w < 0 for w in weights) or sum(weights) != 1:
            raise ValueError("relationship weights must be non-negative and sum to 1")

    def as_tuple(self) -> tuple[Decimal, ...]:
        return (self.interactions, self.quotations, self.purchases, self.engagement, self.risk)


@dataclass(frozen=True)
class DomainConfig:
    timezone: ZoneInfo = field(default_factory=lambda: ZoneInfo("Asia/Kolkata"))
    credit: CreditThresholds = field(default_factory=CreditThresholds)
    quotation_validity_days: int = 30
    payment_terms_days: int = 30
    page_size_default: int = 20
    page_size_max: int = 100
    follow_up_default_delay: dt.timedelta = dt.timedelta(days=2)
    quotation_follow_up_days: int = 7
    max_upload_bytes: int = 25 * 1024 * 1024
    import_batch_rows: int = 2000
    engagement: EngagementThresholds = field(default_factory=EngagementThresholds)
    relationship_weights: RelationshipWeights = field(default_factory=RelationshipWeights)
    clv: ClvConfig = field(default_factory=ClvConfig)

    def today(self, now: dt.datetime | None = None) -> dt.date:
        """The calendar date in the business time zone (storage stays UTC)."""
        return (now or dt.datetime.now(dt.UTC)).astimezone(self.timezone).date()
