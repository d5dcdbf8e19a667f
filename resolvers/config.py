"""The settings the domain rules depend on, passed in explicitly (never read from env here)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from zoneinfo import ZoneInfo


@dataclass(frozen=True)
class CreditThresholds:
    warning_percent: Decimal = Decimal("75")
    critical_percent: Decimal = Decimal("90")


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

    def today(self, now: dt.datetime | None = None) -> dt.date:
        """The calendar date in the business time zone (storage stays UTC)."""
        return (now or dt.datetime.now(dt.UTC)).astimezone(self.timezone).date()
