"""Validated replacements for Strawberry's built-in Decimal, DateTime and Date scalars.

The built-ins accept NaN, Infinity and ``1e400`` as decimals and naive datetimes; ours
refuse them at the door, so no resolver ever sees such a value.
"""

from __future__ import annotations

import datetime as dt
import decimal
import re
from typing import Any

import strawberry
from strawberry.types.scalar import ScalarDefinition

MAX_DECIMAL_DIGITS = 18
_DECIMAL_TEXT = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$")


def parse_decimal(value: Any) -> decimal.Decimal:
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise ValueError('a Decimal is a string such as "1250.00"')
    text = str(value).strip()
    if not _DECIMAL_TEXT.match(text):
        raise ValueError(f"not a plain decimal number: {text!r}")
    number = decimal.Decimal(text)
    if len(number.as_tuple().digits) > MAX_DECIMAL_DIGITS:
        raise ValueError(f"more than {MAX_DECIMAL_DIGITS} significant digits")
    return number


def serialize_decimal(value: decimal.Decimal) -> str:
    return str(value)


def parse_datetime(value: Any) -> dt.datetime:
    if not isinstance(value, str):
        raise ValueError("a DateTime is an ISO 8601 string with a UTC offset")
    parsed = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    if parsed.tzinfo is None:
        raise ValueError("a DateTime needs a UTC offset, such as 2026-01-31T09:30:00+05:30")
    return parsed.astimezone(dt.UTC)


def serialize_datetime(value: dt.datetime) -> str:
    return value.astimezone(dt.UTC).isoformat()


def parse_date(value: Any) -> dt.date:
    if not isinstance(value, str) or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        raise ValueError("a Date is YYYY-MM-DD")
    return dt.date.fromisoformat(value)


SCALAR_OVERRIDES: dict[object, ScalarDefinition] = {
    decimal.Decimal: strawberry.scalar(
        name="Decimal",
        description='An exact decimal number as a string, such as "1250.00" (money, rates).',
        serialize=serialize_decimal,
        parse_value=parse_decimal,
    ),
    dt.datetime: strawberry.scalar(
        name="DateTime",
        description="An instant as ISO 8601 with a UTC offset; always answered in UTC.",
        serialize=serialize_datetime,
        parse_value=parse_datetime,
    ),
    dt.date: strawberry.scalar(
        name="Date",
        description="A calendar date, YYYY-MM-DD, in the business time zone.",
        serialize=lambda d: d.isoformat(),
        parse_value=parse_date,
    ),
}
