"""Pricing document lines.

For now every line is priced at the product's list price; segment pricing (issue 6) will
choose a rule per line here, so quotations, orders and price quotes never disagree.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from models import Product
from resolvers.errors import DomainError, DomainErrors, NotFound, ValidationFailed
from resolvers.money import ZERO, discounted_unit_price, document_total, line_total

MAX_LINES = 200
MAX_QUANTITY = 100_000


@dataclass(frozen=True)
class LineRequest:
    product_id: int
    quantity: int


@dataclass(frozen=True)
class PricedLine:
    position: int
    product_id: int
    quantity: int
    list_price: Decimal
    unit_price: Decimal
    discount_percent: Decimal
    pricing_rule_id: int | None
    line_total: Decimal

    def as_row(self) -> dict[str, object]:
        return {
            "position": self.position,
            "product_id": self.product_id,
            "quantity": self.quantity,
            "list_price": self.list_price,
            "unit_price": self.unit_price,
            "discount_percent": self.discount_percent,
            "pricing_rule_id": self.pricing_rule_id,
            "line_total": self.line_total,
        }


@dataclass(frozen=True)
class PricedDocument:
    lines: list[PricedLine]

    @property
    def total(self) -> Decimal:
        return document_total(line.line_total for line in self.lines)


def _check_requests(lines: Sequence[LineRequest]) -> None:
    if not lines:
        raise ValidationFailed("At least one line is required", field="lines", code="REQUIRED")
    if len(lines) > MAX_LINES:
        raise ValidationFailed(f"At most {MAX_LINES} lines", field="lines")
    errors: list[DomainError] = [
        ValidationFailed(
            f"Quantity must be between 1 and {MAX_QUANTITY}", field=f"lines.{i}.quantity"
        )
        for i, line in enumerate(lines)
        if not 1 <= line.quantity <= MAX_QUANTITY
    ]
    if errors:
        raise DomainErrors(errors) if len(errors) > 1 else errors[0]


async def price_lines(
    session: AsyncSession,
    *,
    customer_id: int,
    lines: Sequence[LineRequest],
    on: dt.date,
) -> PricedDocument:
    """Price each requested line for this customer on this date."""
    del customer_id, on  # used once segment pricing rules exist
    _check_requests(lines)
    product_ids = {line.product_id for line in lines}
    products = {
        p.id: p
        for p in (
            await session.execute(
                select(Product.id, Product.list_price, Product.active).where(
                    Product.id.in_(product_ids)
                )
            )
        ).all()
    }
    errors: list[DomainError] = []
    priced: list[PricedLine] = []
    for i, line in enumerate(lines):
        product = products.get(line.product_id)
        if product is None or not product.active:
            errors.append(NotFound("No active product with this id", field=f"lines.{i}.productId"))
            continue
        discount = ZERO
        unit = discounted_unit_price(product.list_price, discount)
        priced.append(
            PricedLine(
                position=i + 1,
                product_id=line.product_id,
                quantity=line.quantity,
                list_price=product.list_price,
                unit_price=unit,
                discount_percent=discount,
                pricing_rule_id=None,
                line_total=line_total(unit, line.quantity),
            )
        )
    if errors:
        raise DomainErrors(errors) if len(errors) > 1 else errors[0]
    return PricedDocument(lines=priced)
