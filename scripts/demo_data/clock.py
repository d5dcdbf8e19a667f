"""Business time in India: timestamps in UTC, days and opening hours reckoned in IST.

Order dates, due dates and "days ago" are local days, so generation works in IST day
numbers and turns them into UTC epoch seconds only for timestamps. Timestamps are whole
seconds. India has no DST, so a fixed offset (the default ``business_timezone``) is exact.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

HISTORY_DAYS = 3 * 365  # customers and documents span the three years before ``now``

DAY = 86_400
HOUR = 3_600
IST = 19_800  # UTC+05:30 in seconds
OPEN = 9 * HOUR  # business hours 09:00-19:00 local
OPEN_SECONDS = 10 * HOUR


def utc_at(day: Any, seconds: Any) -> Any:
    """UTC epoch seconds of a local (IST) day number and seconds into that day."""
    return day * DAY + seconds - IST


def local_day(ts: Any) -> Any:
    return (ts + IST) // DAY


def to_datetime(ts: int) -> dt.datetime:
    return dt.datetime.fromtimestamp(ts, dt.UTC)
