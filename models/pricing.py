"""Segment pricing: discounts a segment earns, optionally per product category."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import Boolean, CheckConstraint, Date, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, Percent, UTCDateTime, utcnow


class SegmentPricingRule(Base):
    __tablename__ = "segment_pricing_rules"
    __table_args__ = (CheckConstraint("discount_percent >= 0", name="discount_not_negative"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    segment_id: Mapped[int] = mapped_column(
        ForeignKey("customer_segments.id", ondelete="CASCADE"), index=True
    )
    product_category: Mapped[str | None] = mapped_column(String(80))
    discount_percent: Mapped[Decimal] = mapped_column(Percent)
    min_quantity: Mapped[int] = mapped_column(Integer, default=1)
    valid_from: Mapped[dt.date | None] = mapped_column(Date)
    valid_to: Mapped[dt.date | None] = mapped_column(Date)
    priority: Mapped[int] = mapped_column(Integer, default=0)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
