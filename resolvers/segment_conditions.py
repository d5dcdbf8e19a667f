"""The condition language of segmentation rules: a closed list of fields, typed operators,
and the validation that turns what a manager typed into conditions the engine can trust.

A rule holds conditions ``{field, operator, value, values}`` combined by ALL or ANY. Each
field has a type, and the type decides which operators fit and how values are read:

    type     fields                                           operators
    ENUM     businessType                                     EQ NEQ IN NOT_IN
    TEXT     state city country                               EQ NEQ IN NOT_IN CONTAINS
    TAGS     tags                                             CONTAINS IN NOT_IN
    MONEY    revenue12m totalRevenue creditLimit              EQ NEQ GT GTE LT LTE BETWEEN
    INTEGER  orders12m daysSinceLastOrder engagementScore     EQ NEQ GT GTE LT LTE BETWEEN
    RATIO    creditUtilization (0.75 = 75 %)                  EQ NEQ GT GTE LT LTE BETWEEN
    DATE     createdAt (a day in the business time zone)      EQ NEQ GT GTE LT LTE BETWEEN

EQ, NEQ, GT, GTE, LT, LTE and CONTAINS take ``value``; IN and NOT_IN take a non-empty
``values``; BETWEEN takes ``values`` ``[low, high]`` (both included, low ≤ high). TEXT
comparisons ignore case and CONTAINS on TEXT is a substring match; on TAGS, CONTAINS means
"has this tag", IN "has any of them", NOT_IN "has none of them".

This module is pure (no database): ``parse_conditions`` validates raw input and reports
every problem with the condition it belongs to (``conditions.1.value``), so the API can
answer with payload errors. The stored JSON is the normalised form it returns.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from models.enums import BusinessType
from resolvers.contact_validation import normalise_tag
from resolvers.errors import DomainError, DomainErrors, ValidationFailed
from resolvers.india import canonical_state

MAX_CONDITIONS = 20
MAX_VALUES = 100
MAX_TEXT = 100
MAX_DIGITS = 15


class FieldType(enum.StrEnum):
    ENUM = "ENUM"
    TEXT = "TEXT"
    TAGS = "TAGS"
    MONEY = "MONEY"
    INTEGER = "INTEGER"
    RATIO = "RATIO"
    DATE = "DATE"


class Operator(enum.StrEnum):
    EQ = "EQ"
    NEQ = "NEQ"
    IN = "IN"
    NOT_IN = "NOT_IN"
    GT = "GT"
    GTE = "GTE"
    LT = "LT"
    LTE = "LTE"
    BETWEEN = "BETWEEN"
    CONTAINS = "CONTAINS"


class ConditionField(enum.StrEnum):
    BUSINESS_TYPE = "businessType"
    STATE = "state"
    CITY = "city"
    COUNTRY = "country"
    TAGS = "tags"
    REVENUE_12M = "revenue12m"
    ORDERS_12M = "orders12m"
    TOTAL_REVENUE = "totalRevenue"
    DAYS_SINCE_LAST_ORDER = "daysSinceLastOrder"
    ENGAGEMENT_SCORE = "engagementScore"
    CREDIT_LIMIT = "creditLimit"
    CREDIT_UTILIZATION = "creditUtilization"
    CREATED_AT = "createdAt"


_F = ConditionField
FIELD_TYPES: dict[ConditionField, FieldType] = {
    _F.BUSINESS_TYPE: FieldType.ENUM,
    _F.STATE: FieldType.TEXT,
    _F.CITY: FieldType.TEXT,
    _F.COUNTRY: FieldType.TEXT,
    _F.TAGS: FieldType.TAGS,
    _F.REVENUE_12M: FieldType.MONEY,
    _F.ORDERS_12M: FieldType.INTEGER,
    _F.TOTAL_REVENUE: FieldType.MONEY,
    _F.DAYS_SINCE_LAST_ORDER: FieldType.INTEGER,
    _F.ENGAGEMENT_SCORE: FieldType.INTEGER,
    _F.CREDIT_LIMIT: FieldType.MONEY,
    _F.CREDIT_UTILIZATION: FieldType.RATIO,
    _F.CREATED_AT: FieldType.DATE,
}

FIELD_DESCRIPTIONS: dict[ConditionField, str] = {
    _F.BUSINESS_TYPE: "The customer's business type (INDIVIDUAL, SMALL_BUSINESS, …).",
    _F.STATE: "State of the address (names or codes such as MH are both understood).",
    _F.CITY: "City of the address.",
    _F.COUNTRY: "Two-letter country code of the address.",
    _F.TAGS: "The customer's tags.",
    _F.REVENUE_12M: "Order totals (not cancelled) of the trailing 12 months, in rupees.",
    _F.ORDERS_12M: "Orders (not cancelled) of the trailing 12 months.",
    _F.TOTAL_REVENUE: "Order totals (not cancelled) of all time, in rupees.",
    _F.DAYS_SINCE_LAST_ORDER: "Days since the last order (not cancelled); none if never ordered.",
    _F.ENGAGEMENT_SCORE: "Engagement score 0–100 (recency-weighted interactions).",
    _F.CREDIT_LIMIT: "Credit limit in rupees; none when the customer has no limit.",
    _F.CREDIT_UTILIZATION: "Outstanding / credit limit as a fraction (0.75 = 75 %).",
    _F.CREATED_AT: "The day the customer was created (YYYY-MM-DD, business time zone).",
}

_O = Operator
_ORDERED = frozenset({_O.EQ, _O.NEQ, _O.GT, _O.GTE, _O.LT, _O.LTE, _O.BETWEEN})
OPERATORS: dict[FieldType, frozenset[Operator]] = {
    FieldType.ENUM: frozenset({_O.EQ, _O.NEQ, _O.IN, _O.NOT_IN}),
    FieldType.TEXT: frozenset({_O.EQ, _O.NEQ, _O.IN, _O.NOT_IN, _O.CONTAINS}),
    FieldType.TAGS: frozenset({_O.CONTAINS, _O.IN, _O.NOT_IN}),
    FieldType.MONEY: _ORDERED,
    FieldType.INTEGER: _ORDERED,
    FieldType.RATIO: _ORDERED,
    FieldType.DATE: _ORDERED,
}
LIST_OPERATORS = frozenset({_O.IN, _O.NOT_IN})


@dataclass(frozen=True)
class Condition:
    """One validated condition; ``values`` holds the parsed operands (one, several, or two
    for BETWEEN), typed as the field's type reads them."""

    field: ConditionField
    operator: Operator
    values: tuple[Any, ...]

    @property
    def type(self) -> FieldType:
        return FIELD_TYPES[self.field]

    def to_json(self) -> dict[str, Any]:
        """The stored, normalised form (the same shape the API answers with)."""
        texts = [_to_text(v) for v in self.values]
        single = self.operator not in LIST_OPERATORS and self.operator is not _O.BETWEEN
        return {
            "field": self.field.value,
            "operator": self.operator.value,
            "value": texts[0] if single else None,
            "values": None if single else texts,
        }


def _to_text(value: Any) -> str:
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, enum.Enum):
        return str(value.value)
    return str(value)


def _parse_number(text: str, *, places: int | None) -> Decimal:
    try:
        number = Decimal(text.strip())
    except InvalidOperation:
        raise ValueError("not a number") from None
    if (
        not number.is_finite()
        or abs(number.adjusted()) > MAX_DIGITS
        or len(number.as_tuple().digits) > MAX_DIGITS
    ):
        raise ValueError("not a usable number")
    if places is not None and number != number.quantize(Decimal(1).scaleb(-places)):
        raise ValueError(f"at most {places} decimals")
    return number


def _parse_value(field: ConditionField, kind: FieldType, text: Any) -> Any:
    """One operand read as the field's type; ValueError says why it cannot be."""
    if not isinstance(text, str) or not text.strip():
        raise ValueError("a value is required")
    text = text.strip()
    if kind is FieldType.ENUM:
        try:
            return BusinessType(text.upper())
        except ValueError:
            raise ValueError(f"one of {', '.join(BusinessType)}") from None
    if kind is FieldType.TEXT:
        if len(text) > MAX_TEXT:
            raise ValueError(f"at most {MAX_TEXT} characters")
        if field is _F.STATE:
            return canonical_state(text) or text
        return text.upper() if field is _F.COUNTRY else text
    if kind is FieldType.TAGS:
        tag = normalise_tag(text)
        if not tag or len(tag) > 50:
            raise ValueError("a tag of at most 50 characters")
        return tag
    if kind is FieldType.MONEY:
        return _parse_number(text, places=2)
    if kind is FieldType.INTEGER:
        number = _parse_number(text, places=0)
        if abs(number) >= 2**31:
            raise ValueError("out of range")
        return int(number)
    if kind is FieldType.RATIO:
        return _parse_number(text, places=6)
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise ValueError("a day as YYYY-MM-DD") from None


def parse_condition(raw: Mapping[str, Any], *, at: str) -> Condition:
    """Validate one raw condition; errors name ``at`` plus the part at fault."""
    name = raw.get("field")
    try:
        field = ConditionField(name)
    except ValueError:
        known = ", ".join(ConditionField)
        raise ValidationFailed(
            f"Unknown field {name!r}; the fields are {known}",
            field=f"{at}.field",
            code="UNKNOWN_FIELD",
        ) from None
    kind = FIELD_TYPES[field]
    try:
        operator = Operator(raw.get("operator"))
    except ValueError:
        raise ValidationFailed(
            "Unknown operator", field=f"{at}.operator", code="UNKNOWN_OPERATOR"
        ) from None
    if operator not in OPERATORS[kind]:
        allowed = ", ".join(sorted(OPERATORS[kind]))
        raise ValidationFailed(
            f"{operator.value} does not apply to {field.value} ({kind.value}); use {allowed}",
            field=f"{at}.operator",
            code="OPERATOR_NOT_ALLOWED",
        )
    if operator in LIST_OPERATORS or operator is _O.BETWEEN:
        return Condition(field, operator, _parse_list(raw.get("values"), field, operator, at))
    try:
        return Condition(field, operator, (_parse_value(field, kind, raw.get("value")),))
    except ValueError as exc:
        code = "REQUIRED" if raw.get("value") in (None, "") else "INVALID_VALUE"
        raise ValidationFailed(
            f"{field.value} {operator.value} needs {exc}", field=f"{at}.value", code=code
        ) from None


def _parse_list(raw: Any, field: ConditionField, operator: Operator, at: str) -> tuple[Any, ...]:
    if not raw:
        raise ValidationFailed(
            f"{operator.value} needs values", field=f"{at}.values", code="REQUIRED"
        )
    if len(raw) > MAX_VALUES:
        raise ValidationFailed(f"At most {MAX_VALUES} values", field=f"{at}.values")
    parsed = []
    for j, text in enumerate(raw):
        try:
            parsed.append(_parse_value(field, FIELD_TYPES[field], text))
        except ValueError as exc:
            raise ValidationFailed(
                f"{field.value} needs {exc}", field=f"{at}.values.{j}", code="INVALID_VALUE"
            ) from None
    if operator is _O.BETWEEN:
        if len(parsed) != 2:
            raise ValidationFailed(
                "BETWEEN takes exactly two values: low and high",
                field=f"{at}.values",
                code="INVALID_VALUE",
            )
        if parsed[0] > parsed[1]:
            raise ValidationFailed(
                "BETWEEN needs low ≤ high", field=f"{at}.values", code="INVALID_VALUE"
            )
    return tuple(dict.fromkeys(parsed)) if operator in LIST_OPERATORS else tuple(parsed)


def parse_conditions(raw: Sequence[Mapping[str, Any]] | None) -> list[Condition]:
    """Every condition validated, or every problem reported at once (one per condition)."""
    if not raw:
        raise ValidationFailed(
            "A rule needs at least one condition", field="conditions", code="REQUIRED"
        )
    if len(raw) > MAX_CONDITIONS:
        raise ValidationFailed(f"At most {MAX_CONDITIONS} conditions", field="conditions")
    conditions: list[Condition] = []
    errors: list[DomainError] = []
    for i, item in enumerate(raw):
        try:
            conditions.append(parse_condition(item, at=f"conditions.{i}"))
        except DomainError as exc:
            errors.append(exc)
    if errors:
        raise DomainErrors(errors) if len(errors) > 1 else errors[0]
    return conditions


def stored_conditions(raw: Sequence[Mapping[str, Any]]) -> list[Condition]:
    """Conditions read back from the database (validated when they were written)."""
    return [parse_condition(item, at=f"conditions.{i}") for i, item in enumerate(raw)]
