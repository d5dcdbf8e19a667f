"""Columns shared by quotation and order lines and by their status histories.

Quotations and orders are priced the same way and keep the same kind of audit trail;
declaring those columns once keeps the two documents from drifting apart.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, declared_attr, mapped_column

from models.base import Money, Percent, UTCDateTime, utcnow


class PricedLineColumns:
    """A product line: what was listed, what was charged, and which rule decided it."""

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    position: Mapped[int] = mapped_column(Integer)
    quantity: Mapped[int] = mapped_column(Integer)
    list_price: Mapped[Decimal] = mapped_column(Money)
    unit_price: Mapped[Decimal] = mapped_column(Money)
    discount_percent: Mapped[Decimal] = mapped_column(Percent, default=Decimal("0"))
    line_total: Mapped[Decimal] = mapped_column(Money)

    @declared_attr
    def product_id(cls) -> Mapped[int]:
        return mapped_column(ForeignKey("products.id"), index=True)

    @declared_attr
    def pricing_rule_id(cls) -> Mapped[int | None]:
        return mapped_column(ForeignKey("segment_pricing_rules.id"), index=True)


class StatusChangeColumns:
    """Who moved a document from one status to another, when, and why."""

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    from_status: Mapped[str | None] = mapped_column(String(20))
    to_status: Mapped[str] = mapped_column(String(20))
    note: Mapped[str | None] = mapped_column(String(500))
    changed_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)

    @declared_attr
    def changed_by_id(cls) -> Mapped[int | None]:
        return mapped_column(ForeignKey("users.id"), index=True)
