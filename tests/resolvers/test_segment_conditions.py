"""The condition language, without a database: what is accepted, normalised or refused."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from models.enums import BusinessType
from resolvers.errors import DomainErrors, ValidationFailed
from resolvers.segment_conditions import (
    FIELD_TYPES,
    OPERATORS,
    ConditionField,
    FieldType,
    Operator,
    parse_condition,
    parse_conditions,
)


def cond(field: str, operator: str, value=None, values=None) -> dict:
    return {"field": field, "operator": operator, "value": value, "values": values}


def refusal(raw: dict) -> ValidationFailed:
    with pytest.raises(ValidationFailed) as caught:
        parse_condition(raw, at="conditions.0")
    return caught.value


def test_every_field_has_a_type_with_operators():
    assert set(FIELD_TYPES) == set(ConditionField)
    assert all(OPERATORS[t] for t in FIELD_TYPES.values())


def test_unknown_field_is_refused_naming_the_field():
    error = refusal(cond("favouriteColour", "EQ", "blue"))
    assert (error.field, error.code) == ("conditions.0.field", "UNKNOWN_FIELD")


@pytest.mark.parametrize(
    ("field", "operator"),
    [
        ("businessType", "GT"),
        ("businessType", "CONTAINS"),
        ("state", "BETWEEN"),
        ("tags", "EQ"),
        ("revenue12m", "CONTAINS"),
        ("revenue12m", "IN"),
        ("createdAt", "NOT_IN"),
    ],
)
def test_operator_that_does_not_fit_the_type_is_refused(field, operator):
    error = refusal(cond(field, operator, "1", ["1", "2"]))
    assert (error.field, error.code) == ("conditions.0.operator", "OPERATOR_NOT_ALLOWED")


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("businessType", "MULTINATIONAL"),
        ("revenue12m", "lots"),
        ("revenue12m", "10.001"),
        ("revenue12m", "NaN"),
        ("orders12m", "2.5"),
        ("engagementScore", "1e400"),
        ("creditUtilization", "Infinity"),
        ("createdAt", "2025-02-30"),
        ("createdAt", "yesterday"),
    ],
)
def test_unparsable_value_is_refused_naming_the_value(field, value):
    error = refusal(cond(field, "EQ", value))
    assert (error.field, error.code) == ("conditions.0.value", "INVALID_VALUE")


def test_missing_value_is_required():
    error = refusal(cond("revenue12m", "GT"))
    assert (error.field, error.code) == ("conditions.0.value", "REQUIRED")


def test_in_without_values_is_required():
    error = refusal(cond("state", "IN", values=[]))
    assert (error.field, error.code) == ("conditions.0.values", "REQUIRED")


def test_unparsable_list_value_names_its_position():
    error = refusal(cond("businessType", "IN", values=["ENTERPRISE", "GIANT"]))
    assert error.field == "conditions.0.values.1"


def test_between_needs_exactly_two_values():
    error = refusal(cond("revenue12m", "BETWEEN", values=["1", "2", "3"]))
    assert error.field == "conditions.0.values"


def test_between_needs_low_before_high():
    error = refusal(cond("revenue12m", "BETWEEN", values=["200", "100"]))
    assert error.field == "conditions.0.values"


def test_every_invalid_condition_is_reported_at_its_index():
    with pytest.raises(DomainErrors) as caught:
        parse_conditions(
            [
                cond("state", "EQ", "Goa"),
                cond("colour", "EQ", "red"),
                cond("revenue12m", "GT", "much"),
            ]
        )
    assert [e.field for e in caught.value.errors] == ["conditions.1.field", "conditions.2.value"]


def test_a_rule_needs_a_condition():
    with pytest.raises(ValidationFailed) as caught:
        parse_conditions([])
    assert caught.value.field == "conditions"


def test_values_are_read_as_their_field_type():
    parsed = [
        parse_condition(c, at="c")
        for c in (
            cond("businessType", "EQ", "enterprise"),
            cond("state", "EQ", "mh"),
            cond("country", "EQ", "in"),
            cond("tags", "CONTAINS", "Key Account"),
            cond("revenue12m", "GT", " 1500.50 "),
            cond("orders12m", "GT", "3"),
            cond("creditUtilization", "GT", "0.75"),
            cond("createdAt", "LT", "2025-01-31"),
        )
    ]
    assert [p.values[0] for p in parsed] == [
        BusinessType.ENTERPRISE,
        "Maharashtra",
        "IN",
        "key-account",
        Decimal("1500.50"),
        3,
        Decimal("0.75"),
        dt.date(2025, 1, 31),
    ]


def test_stored_form_is_normalised():
    parsed = parse_condition(cond("state", "IN", values=["mh", "Goa", "MH"]), at="c")
    assert parsed.to_json() == {
        "field": "state",
        "operator": "IN",
        "value": None,
        "values": ["Maharashtra", "Goa"],
    }


def test_operator_table_matches_the_documented_one():
    assert OPERATORS[FieldType.TAGS] == {Operator.CONTAINS, Operator.IN, Operator.NOT_IN}
    assert Operator.CONTAINS in OPERATORS[FieldType.TEXT]
    assert Operator.BETWEEN in OPERATORS[FieldType.DATE]
