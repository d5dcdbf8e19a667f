"""Keyset cursors, page sizes and credit levels: plain functions, no database."""

from __future__ import annotations

import base64
import datetime as dt
import json
from decimal import Decimal

import pytest

from models.enums import BusinessType
from resolvers.config import CreditThresholds
from resolvers.credit import CreditLevel, credit_level, credit_status
from resolvers.errors import ValidationFailed
from resolvers.pagination import (
    clamp_page_size,
    decode_cursor,
    encode_cursor,
    parse_datetime,
)

THRESHOLDS = CreditThresholds()


def _raw_cursor(values: object) -> str:
    return base64.urlsafe_b64encode(json.dumps(values).encode()).decode()


# Cursors


def test_cursor_round_trips_text_and_id():
    cursor = encode_cursor(["Shree Ganesh Engineering", 42])
    assert decode_cursor(cursor, [str, int]) == ["Shree Ganesh Engineering", 42]


def test_cursor_round_trips_an_aware_datetime():
    when = dt.datetime(2026, 1, 31, 9, 30, 15, 123456, tzinfo=dt.UTC)
    assert decode_cursor(encode_cursor([when, 7]), [parse_datetime, int]) == [when, 7]


def test_cursor_round_trips_decimal_and_enum_values_as_their_text():
    cursor = encode_cursor([Decimal("1250.50"), BusinessType.ENTERPRISE])
    assert decode_cursor(cursor, [Decimal, BusinessType]) == [
        Decimal("1250.50"),
        BusinessType.ENTERPRISE,
    ]


def test_cursor_keeps_a_null_sort_value():
    assert decode_cursor(encode_cursor([None, 3]), [str, int]) == [None, 3]


def test_cursor_is_url_safe_without_padding():
    cursor = encode_cursor(["a name with / and + ?", 1])
    assert "=" not in cursor
    assert all(ch.isalnum() or ch in "-_" for ch in cursor)


@pytest.mark.parametrize(
    "garbage",
    [
        "not-a-cursor",
        "!!!!",
        "",
        _raw_cursor({"name": "x", "id": 1}),
        _raw_cursor(["x"]),
        _raw_cursor(["x", 1, 2]),
        _raw_cursor(["x", "not a number"]),
        _raw_cursor(["x", [1]]),
        base64.urlsafe_b64encode(b"\xff\xfe\x00").decode(),
    ],
)
def test_garbage_cursor_is_a_validation_failure_on_after(garbage):
    with pytest.raises(ValidationFailed) as caught:
        decode_cursor(garbage, [str, int])
    assert caught.value.field == "after"


@pytest.mark.parametrize(
    "forged",
    [
        _raw_cursor(["x", 2**31]),
        _raw_cursor(["x", 10**30]),
        _raw_cursor(["x\u0000", 1]),
        base64.urlsafe_b64encode(b'["x", Infinity]').decode(),
        base64.urlsafe_b64encode(b"[" * 5000).decode(),
    ],
    ids=["id-beyond-int32", "huge-id", "nul-character", "infinity", "deep-nesting"],
)
def test_forged_cursor_the_database_would_reject_is_a_validation_failure(forged):
    with pytest.raises(ValidationFailed) as caught:
        decode_cursor(forged, [str, int])
    assert caught.value.field == "after"


def test_cursor_datetime_outside_the_utc_calendar_is_refused():
    with pytest.raises(ValidationFailed):
        decode_cursor(_raw_cursor(["0001-01-01T00:00:00+14:00", 1]), [parse_datetime, int])


def test_cursor_with_a_naive_datetime_is_refused():
    with pytest.raises(ValidationFailed) as caught:
        decode_cursor(_raw_cursor(["2026-01-31T09:30:00", 1]), [parse_datetime, int])
    assert caught.value.field == "after"


# Page sizes


def test_no_page_size_gives_the_default():
    assert clamp_page_size(None, default=20, maximum=100) == 20


@pytest.mark.parametrize("first", [0, 1, 100])
def test_page_size_within_bounds_is_kept(first):
    assert clamp_page_size(first, default=20, maximum=100) == first


def test_page_size_above_the_maximum_is_refused():
    with pytest.raises(ValidationFailed) as caught:
        clamp_page_size(101, default=20, maximum=100)
    assert caught.value.field == "first"


def test_negative_page_size_is_refused():
    with pytest.raises(ValidationFailed) as caught:
        clamp_page_size(-1, default=20, maximum=100)
    assert caught.value.field == "first"


# Credit levels on their exact boundaries (Decimal, never float)


@pytest.mark.parametrize(
    ("outstanding", "level"),
    [
        ("0.00", CreditLevel.OK),
        ("7499.00", CreditLevel.OK),  # 74.99 %
        ("7500.00", CreditLevel.WARNING),  # 75 %
        ("8999.00", CreditLevel.WARNING),  # 89.99 %
        ("9000.00", CreditLevel.CRITICAL),  # 90 %
        ("10000.00", CreditLevel.CRITICAL),  # 100 %
        ("10001.00", CreditLevel.EXCEEDED),  # 100.01 %
    ],
)
def test_credit_level_at_its_boundaries(outstanding, level):
    assert credit_level(Decimal("10000.00"), Decimal(outstanding), THRESHOLDS) is level


def test_credit_level_just_under_a_threshold_by_one_paisa():
    assert credit_level(Decimal("1000.00"), Decimal("749.99"), THRESHOLDS) is CreditLevel.OK


def test_zero_limit_with_nothing_outstanding_is_ok():
    assert credit_level(Decimal("0"), Decimal("0.00"), THRESHOLDS) is CreditLevel.OK


def test_zero_limit_with_one_paisa_outstanding_is_exceeded():
    assert credit_level(Decimal("0"), Decimal("0.01"), THRESHOLDS) is CreditLevel.EXCEEDED


def test_no_limit_is_no_limit_however_much_is_outstanding():
    assert credit_level(None, Decimal("99999999.00"), THRESHOLDS) is CreditLevel.NO_LIMIT


def test_credit_thresholds_are_configurable():
    strict = CreditThresholds(warning_percent=Decimal("50"), critical_percent=Decimal("60"))
    assert credit_level(Decimal("100"), Decimal("50"), strict) is CreditLevel.WARNING
    assert credit_level(Decimal("100"), Decimal("60"), strict) is CreditLevel.CRITICAL


def test_credit_status_reports_available_and_utilisation():
    status = credit_status(Decimal("1000.00"), Decimal("750.00"), THRESHOLDS)
    assert status.available == Decimal("250.00")
    assert status.utilization == Decimal("0.75")
    assert status.level is CreditLevel.WARNING


def test_credit_status_without_a_limit_has_no_available_or_utilisation():
    status = credit_status(None, Decimal("500.00"), THRESHOLDS)
    assert (status.available, status.utilization) == (None, None)
