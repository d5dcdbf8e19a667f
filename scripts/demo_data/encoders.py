"""Values in the exact form each database stores, so rows can bypass the ORM.

SQLite gets what the column types bind there (``Money``/``Percent`` as integer hundredths,
``UTCDateTime`` as naive UTC ``'YYYY-MM-DD HH:MM:SS.ffffff'``, dates as ``'YYYY-MM-DD'``,
booleans as 0/1); PostgreSQL's binary ``COPY`` gets ``Decimal`` money, aware datetimes and
dates. Generators work in integer paise, epoch seconds and day numbers and call one
encoder, so they never branch on the dialect. Encoding a whole column at once lets both
encoders share work between rows (day strings, the clock, decimal prices).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, Protocol

import numpy as np

from scripts.demo_data.clock import DAY


def nullable(values: list[Any], present: np.ndarray) -> list[Any]:
    """``values`` where ``present``, None (NULL) elsewhere."""
    return [x if ok else None for x, ok in zip(values, present.tolist(), strict=True)]


class Encoder(Protocol):
    def ts(self, seconds: np.ndarray, present: np.ndarray | None = None) -> list[Any]: ...

    def date(self, days: np.ndarray, present: np.ndarray | None = None) -> list[Any]: ...

    def money(self, paise: np.ndarray, present: np.ndarray | None = None) -> list[Any]: ...

    def money_lookup(self, table: np.ndarray, index: np.ndarray) -> list[Any]: ...

    def percent_lookup(self, table: np.ndarray, index: np.ndarray) -> list[Any]: ...

    def boolean(self, values: np.ndarray) -> list[Any]: ...


class SQLiteEncoder:
    """Exactly what ``UTCDateTime``, ``Money``, ``Percent``, ``Date`` bind on SQLite."""

    def __init__(self) -> None:
        self._clock = [
            f" {h:02d}:{m:02d}:{s:02d}.000000"
            for h in range(24)
            for m in range(60)
            for s in range(60)
        ]

    @staticmethod
    def _day_strings(lo: int, hi: int) -> list[str]:
        days = np.arange(lo, hi + 1).astype("datetime64[D]")
        return np.datetime_as_string(days, unit="D").tolist()

    def ts(self, seconds: np.ndarray, present: np.ndarray | None = None) -> list[Any]:
        if len(seconds) == 0:
            return []
        if present is not None:
            seconds = np.where(present, seconds, seconds[present].min() if present.any() else 0)
        day, second = np.divmod(seconds, DAY)
        lo = int(day.min())
        names = self._day_strings(lo, int(day.max()))
        clock = self._clock
        out = [names[d - lo] + clock[s] for d, s in zip(day.tolist(), second.tolist(), strict=True)]
        return out if present is None else nullable(out, present)

    def date(self, days: np.ndarray, present: np.ndarray | None = None) -> list[Any]:
        if len(days) == 0:
            return []
        lo = int(days.min())
        names = self._day_strings(lo, int(days.max()))
        out = [names[d - lo] for d in days.tolist()]
        return out if present is None else nullable(out, present)

    def money(self, paise: np.ndarray, present: np.ndarray | None = None) -> list[Any]:
        out = paise.tolist()
        return out if present is None else nullable(out, present)

    def money_lookup(self, table: np.ndarray, index: np.ndarray) -> list[Any]:
        return table[index].tolist()

    def percent_lookup(self, table: np.ndarray, index: np.ndarray) -> list[Any]:
        return table[index].tolist()

    def boolean(self, values: np.ndarray) -> list[Any]:
        return values.astype(np.int64).tolist()


class PostgresEncoder:
    """Python values for asyncpg's binary COPY: Decimal money, aware datetimes, dates."""

    def ts(self, seconds: np.ndarray, present: np.ndarray | None = None) -> list[Any]:
        make, utc = dt.datetime.fromtimestamp, dt.UTC
        out = [make(s, utc) for s in seconds.tolist()]
        return out if present is None else nullable(out, present)

    def date(self, days: np.ndarray, present: np.ndarray | None = None) -> list[Any]:
        out = days.astype("datetime64[D]").tolist()
        return out if present is None else nullable(out, present)

    def money(self, paise: np.ndarray, present: np.ndarray | None = None) -> list[Any]:
        out = [Decimal(c).scaleb(-2) for c in paise.tolist()]
        return out if present is None else nullable(out, present)

    def money_lookup(self, table: np.ndarray, index: np.ndarray) -> list[Any]:
        decimals = np.array([Decimal(c).scaleb(-2) for c in table.tolist()], dtype=object)
        return decimals[index].tolist()

    percent_lookup = money_lookup

    def boolean(self, values: np.ndarray) -> list[Any]:
        return values.astype(bool).tolist()
