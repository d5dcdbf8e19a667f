"""Money arithmetic: Decimal only, half-up to two decimals per line.

A document's total is the sum of its already-rounded lines, so the total printed on a
quotation always equals the sum of the lines printed under it.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")
HUNDRED = Decimal("100")
ZERO = Decimal("0.00")


def round_money(amount: Decimal) -> Decimal:
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


def discounted_unit_price(list_price: Decimal, discount_percent: Decimal) -> Decimal:
    return round_money(list_price * (HUNDRED - discount_percent) / HUNDRED)


def line_total(unit_price: Decimal, quantity: int) -> Decimal:
    return round_money(unit_price * quantity)


def document_total(line_totals: Iterable[Decimal]) -> Decimal:
    return sum(line_totals, ZERO)
