"""Managing segment pricing rules: create, change, deactivate.

Rules are never deleted through the API: quotation and order lines keep pointing at the
rule that priced them. Deactivating a rule (or ending its validity) stops it pricing new
lines. Which rule wins for a line is decided in ``resolvers.pricing_rules``.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from sqlalchemy import Row, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from models import SegmentPricingRule
from models.base import utcnow
from resolvers.contact_validation import normalise_name, normalise_optional_text
from resolvers.errors import DomainError, DomainErrors, NotFound, ValidationFailed
from resolvers.money import round_money
from resolvers.pricing import MAX_QUANTITY
from resolvers.segment_admin import segment_row
from resolvers.segmentation_rules import MAX_PRIORITY

R = SegmentPricingRule
HUNDRED = Decimal(100)


def _discount(value: Decimal) -> Decimal:
    if not value.is_finite() or not Decimal(0) < value <= HUNDRED or round_money(value) != value:
        raise ValidationFailed(
            "The discount is a percentage above 0 and at most 100, with at most two decimals",
            field="discountPercent",
        )
    return value


def _min_quantity(value: int) -> int:
    if not 1 <= value <= MAX_QUANTITY:
        raise ValidationFailed(
            f"The minimum quantity is between 1 and {MAX_QUANTITY}", field="minQuantity"
        )
    return value


def _priority(value: int) -> int:
    if not -MAX_PRIORITY <= value <= MAX_PRIORITY:
        raise ValidationFailed(
            f"The priority is between -{MAX_PRIORITY} and {MAX_PRIORITY}", field="priority"
        )
    return value


_CHECKS = {
    "name": normalise_name,
    "discount_percent": _discount,
    "min_quantity": _min_quantity,
    "priority": _priority,
    "product_category": lambda v: normalise_optional_text(
        v, field="productCategory", max_length=80
    ),
}


async def _values(session: AsyncSession, data: Mapping[str, Any]) -> dict[str, Any]:
    values: dict[str, Any] = {}
    errors: list[DomainError] = []
    for key, check in _CHECKS.items():
        if key in data:
            try:
                values[key] = check(data[key])
            except DomainError as exc:
                errors.append(exc)
    for key in ("valid_from", "valid_to", "active"):
        if key in data:
            values[key] = data[key]
    if "segment_id" in data:
        try:
            values["segment_id"] = (
                await segment_row(session, data["segment_id"], field="segmentId")
            ).id
        except DomainError as exc:
            errors.append(exc)
    if errors:
        raise DomainErrors(errors) if len(errors) > 1 else errors[0]
    return values


def _check_window(row: Mapping[str, Any]) -> None:
    start, end = row.get("valid_from"), row.get("valid_to")
    if start is not None and end is not None and end < start:
        raise ValidationFailed("validTo is before validFrom", field="validTo")


async def pricing_rule_row(session: AsyncSession, rule_id: int) -> Row[Any]:
    row = (await session.execute(select(*R.__table__.c).where(R.id == rule_id))).first()
    if row is None:
        raise NotFound("No segment pricing rule with this id", field="id")
    return row


async def create_pricing_rule(session: AsyncSession, *, data: Mapping[str, Any]) -> Row[Any]:
    """A new rule: name, segment_id and discount_percent required; product_category (any),
    min_quantity (1), valid_from / valid_to (open), priority (0) and active (true) optional."""
    values = await _values(session, data)
    for key, field in (
        ("name", "name"),
        ("segment_id", "segmentId"),
        ("discount_percent", "discountPercent"),
    ):
        if key not in values:
            raise ValidationFailed("This field is required", field=field, code="REQUIRED")
    values = {"min_quantity": 1, "priority": 0, "active": True, **values}
    _check_window(values)
    created = await session.execute(
        R.__table__.insert().values(**values, created_at=utcnow()).returning(R.id)
    )
    return await pricing_rule_row(session, created.scalar_one())


async def update_pricing_rule(
    session: AsyncSession, *, rule_id: int, changes: Mapping[str, Any]
) -> Row[Any]:
    """Change the fields given; ``{"active": False}`` deactivates the rule."""
    current = await pricing_rule_row(session, rule_id)
    values = await _values(session, changes)
    _check_window({**current._mapping, **values})
    if values:
        await session.execute(update(R).where(R.id == rule_id).values(**values))
    return await pricing_rule_row(session, rule_id)
