"""Reporting periods: whole business days, split into calendar months, compared with the
period of equal length just before.

A period runs from its first to its last day inclusive, in the business time zone; as
instants it is [start of the first day, start of the day after the last). Without bounds
it is the trailing 12 months ending today.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import case, literal

from resolvers.errors import ValidationFailed
from resolvers.segment_facts import day_start, trailing_year_start

MAX_DAYS = 366 * 20


@dataclass(frozen=True)
class Period:
    first_day: dt.date
    last_day: dt.date

    @property
    def days(self) -> int:
        return (self.last_day - self.first_day).days + 1

    def previous(self) -> Period:
        """The period of equal length that ends the day before this one starts."""
        last = self.first_day - dt.timedelta(days=1)
        return Period(last - dt.timedelta(days=self.days - 1), last)

    def instants(self, tz: ZoneInfo) -> tuple[dt.datetime, dt.datetime]:
        return day_start(self.first_day, tz), day_start(self.last_day + dt.timedelta(days=1), tz)

    def months(self) -> list[dt.date]:
        """The first day of every calendar month the period touches."""
        month = self.first_day.replace(day=1)
        months = []
        while month <= self.last_day:
            months.append(month)
            month = (month + dt.timedelta(days=32)).replace(day=1)
        return months


def period_between(
    first_day: dt.date | None, last_day: dt.date | None, *, today: dt.date
) -> Period:
    """The period asked for; either bound may be missing (see the module doc)."""
    last = last_day or today
    first = first_day or trailing_year_start(last)
    if first > last:
        raise ValidationFailed("from is after to", field="from")
    if (last - first).days >= MAX_DAYS:
        raise ValidationFailed("A period spans at most 20 years", field="from")
    return Period(first, last)


def month_bucket(column: Any, months: list[dt.date], *, tz: ZoneInfo | None = None) -> Any:
    """The index of the month a date (or, with ``tz``, an instant) falls in, as one CASE:
    rows already restricted to the period land in 0 … len(months) − 1."""
    bounds = [day_start(m, tz) if tz else m for m in months[1:]]
    if not bounds:
        return literal(0)
    return case(*((column < b, i) for i, b in enumerate(bounds)), else_=len(bounds))
