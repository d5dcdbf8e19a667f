"""Keyset pagination: opaque cursors over an explicit sort key plus the primary key.

A cursor encodes the sort values of the last row seen, so the next page is a range
seek on an index (``(key, id) > (:key, :id)``) and costs the same however deep it is.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Generic, TypeVar

from sqlalchemy import ColumnElement, Select, literal, tuple_

from resolvers.errors import ValidationFailed

T = TypeVar("T")


@dataclass(frozen=True)
class Page(Generic[T]):
    items: list[T]
    cursors: list[str]
    has_next_page: bool

    @property
    def end_cursor(self) -> str | None:
        return self.cursors[-1] if self.cursors else None


def clamp_page_size(first: int | None, *, default: int, maximum: int) -> int:
    if first is None:
        return default
    if first < 0:
        raise ValidationFailed("first must not be negative", field="first")
    if first > maximum:
        raise ValidationFailed(f"first must be at most {maximum}", field="first")
    return first


def _to_json(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if hasattr(value, "value"):  # enums
        return value.value
    return value


def encode_cursor(values: Sequence[Any]) -> str:
    raw = json.dumps([_to_json(v) for v in values], separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str, parsers: Sequence[Callable[[Any], Any]]) -> list[Any]:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        values = json.loads(base64.urlsafe_b64decode(padded.encode()))
        if not isinstance(values, list) or len(values) != len(parsers):
            raise ValueError("wrong shape")
        parsed = [None if v is None else parse(v) for parse, v in zip(parsers, values, strict=True)]
        for value in parsed:
            _check_bindable(value)
        return parsed
    except (
        ValueError,
        TypeError,
        OverflowError,
        RecursionError,
        binascii.Error,
        UnicodeDecodeError,
    ) as exc:
        raise ValidationFailed("The cursor is not valid for this list", field="after") from exc


def _check_bindable(value: Any) -> None:
    """Refuse values a forged cursor could carry that the database itself would reject:
    ids beyond the INTEGER primary keys (as ``decode_id``), NUL characters (PostgreSQL)."""
    if isinstance(value, int) and not -(2**31) <= value < 2**31:
        raise ValueError("integer out of range in cursor")
    if isinstance(value, str) and "\x00" in value:
        raise ValueError("NUL character in cursor")


def parse_datetime(value: str) -> dt.datetime:
    parsed = dt.datetime.fromisoformat(value)
    if parsed.tzinfo is None:
        raise ValueError("naive datetime in cursor")
    return parsed.astimezone(dt.UTC)  # OverflowError here, not in the database driver


@dataclass(frozen=True)
class SortKey:
    """The columns a list is ordered by (the last one unique), and how to read them back."""

    columns: Sequence[ColumnElement[Any]]
    parsers: Sequence[Callable[[Any], Any]]
    descending: bool = False

    def order_by(self) -> list[ColumnElement[Any]]:
        return [c.desc() if self.descending else c.asc() for c in self.columns]

    def after(self, values: Sequence[Any]) -> ColumnElement[bool]:
        """Rows strictly after ``values`` in this order: one row-value comparison, which
        both databases answer with an index range seek."""
        left, right = (
            tuple_(*self.columns),
            tuple_(*[literal(v, type_=c.type) for c, v in zip(self.columns, values, strict=True)]),
        )
        return left < right if self.descending else left > right

    def cursor_of(self, row: Any, names: Sequence[str]) -> str:
        return encode_cursor([getattr(row, n) for n in names])


async def fetch_page(
    session: Any,
    query: Select[Any],
    *,
    key: SortKey,
    key_names: Sequence[str],
    first: int,
    after: str | None,
) -> Page[Any]:
    """Run ``query`` ordered by ``key`` from the cursor on, one row more than asked for."""
    if after:
        query = query.where(key.after(decode_cursor(after, key.parsers)))
    rows = (await session.execute(query.order_by(*key.order_by()).limit(first + 1))).all()
    has_next = len(rows) > first
    rows = rows[:first]
    return Page(
        items=list(rows),
        cursors=[key.cursor_of(r, key_names) for r in rows],
        has_next_page=has_next,
    )
