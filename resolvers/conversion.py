"""The quotation conversion rate, defined once (DESIGN.md §4):

    conversion rate = quotations SENT in the period that were ACCEPTED (at any time)
                      / quotations SENT in the period

"Sent in the period" is ``sent_at`` within it; whether the customer accepted later (even
after the period) counts, because it is the period's quotations being judged. A period in
which nothing was sent has no rate (None), not a rate of zero. Segment analytics and
``crmAnalytics`` both build on the three pieces below.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import ColumnElement, and_, case, func

from models import Quotation
from models.enums import QuotationStatus


def sent_in_period(start: dt.datetime, end: dt.datetime) -> ColumnElement[bool]:
    """Quotations sent in [start, end) (instants; callers pass business-day boundaries)."""
    return and_(Quotation.sent_at >= start, Quotation.sent_at < end)


def sent_and_accepted_counts() -> tuple[Any, Any]:
    """Aggregates to select over quotations already restricted by ``sent_in_period``."""
    accepted = func.sum(case((Quotation.status == QuotationStatus.ACCEPTED, 1), else_=0))
    return func.count().label("sent"), func.coalesce(accepted, 0).label("accepted")


def conversion_rate(sent: int, accepted: int) -> float | None:
    """accepted / sent as a fraction (0.25 = 25 %); None when nothing was sent."""
    return accepted / sent if sent else None
