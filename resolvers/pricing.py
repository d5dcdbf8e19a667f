"""Pricing document lines: the one function quotations, orders and price quotes use.

Each line gets the list price less the discount of the segment pricing rule that wins for
it (``resolvers.pricing_rules``: highest priority, then largest discount, then lowest
id), the unit price rounded half-up to the paisa, and a line total of unit price ×
quantity, rounded half-up; a line no rule applies to is sold at list price.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from models import Customer, Product
from resolvers.errors import DomainError, DomainErrors, NotFound, ValidationFailed
from resolvers.money import ZERO, discounted_unit_price, document_total, line_total
from resolvers.pricing_rules import candidate_rules, choose_rule

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
    _check_requests(lines)
    product_ids = {line.product_id for line in lines}
    products = {
        p.id: p
        for p in (
            await session.execute(
                select(Product.id, Product.list_price, Product.active, Product.category).where(
                    Product.id.in_(product_ids)
                )
            )
        ).all()
    }
    rules = await candidate_rules(
        session,
        customer_id=customer_id,
        on=on,
        categories={p.category for p in products.values()},
    )
    errors: list[DomainError] = []
    priced: list[PricedLine] = []
    for i, line in enumerate(lines):
        product = products.get(line.product_id)
        if product is None or not product.active:
            errors.append(NotFound("No active product with this id", field=f"lines.{i}.productId"))
            continue
        rule = choose_rule(rules, category=product.category, quantity=line.quantity)
        discount = rule.discount_percent if rule else ZERO
        unit = discounted_unit_price(product.list_price, discount)
        priced.append(
            PricedLine(
                position=i + 1,
                product_id=line.product_id,
                quantity=line.quantity,
                list_price=product.list_price,
                unit_price=unit,
                discount_percent=discount,
                pricing_rule_id=rule.id if rule else None,
                line_total=line_total(unit, line.quantity),
            )
        )
    if errors:
        raise DomainErrors(errors) if len(errors) > 1 else errors[0]
    return PricedDocument(lines=priced)


async def quote_prices(
    session: AsyncSession, *, customer_id: int, lines: Sequence[LineRequest], on: dt.date
) -> PricedDocument:
    """``price_lines`` for an existing customer, with errors named after the quote's
    ``items`` (nothing is saved)."""
    if await session.scalar(select(Customer.id).where(Customer.id == customer_id)) is None:
        raise NotFound("No customer with this id", field="customerId")
    try:
        return await price_lines(session, customer_id=customer_id, lines=lines, on=on)
    except DomainError as exc:
        for error in exc.errors if isinstance(exc, DomainErrors) else [exc]:
            if error.field and error.field.startswith("lines"):
                error.field = "items" + error.field.removeprefix("lines")
        raise
