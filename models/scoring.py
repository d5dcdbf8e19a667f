"""Stored per-customer figures: engagement score, relationship score and lifetime value."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import JSON, Date, Float, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, Money, UTCDateTime, enum_column, utcnow
from models.enums import EngagementLevel, RiskLevel


class CustomerEngagementScore(Base):
    __tablename__ = "customer_engagement_scores"

    customer_id: Mapped[int] = mapped_column(
        ForeignKey("customers.id", ondelete="CASCADE"), primary_key=True
    )
    score: Mapped[int] = mapped_column(Integer)
    level: Mapped[EngagementLevel] = mapped_column(enum_column(EngagementLevel), index=True)
    inputs: Mapped[dict] = mapped_column(JSON, default=dict)
    computed_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)


class CustomerRelationshipScore(Base):
    __tablename__ = "customer_relationship_scores"

    customer_id: Mapped[int] = mapped_column(
        ForeignKey("customers.id", ondelete="CASCADE"), primary_key=True
    )
    score: Mapped[int] = mapped_column(Integer, index=True)
    grade: Mapped[str] = mapped_column(String(1))
    # [{"name", "weight", "score", "detail"}, …] in a fixed order.
    components: Mapped[list] = mapped_column(JSON, default=list)
    computed_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)


class CustomerLifetimeValue(Base):
    __tablename__ = "customer_lifetime_values"

    customer_id: Mapped[int] = mapped_column(
        ForeignKey("customers.id", ondelete="CASCADE"), primary_key=True
    )
    total_revenue: Mapped[Decimal] = mapped_column(Money)
    order_count: Mapped[int] = mapped_column(Integer)
    average_order_value: Mapped[Decimal | None] = mapped_column(Money)
    first_order_on: Mapped[dt.date | None] = mapped_column(Date)
    last_order_on: Mapped[dt.date | None] = mapped_column(Date)
    tenure_days: Mapped[int] = mapped_column(Integer)
    probability_alive: Mapped[float | None] = mapped_column(Float)
    expected_purchases: Mapped[float | None] = mapped_column(Float)
    predicted_value: Mapped[Decimal | None] = mapped_column(Money, index=True)
    horizon_days: Mapped[int] = mapped_column(Integer)
    risk_score: Mapped[float | None] = mapped_column(Float)
    risk_level: Mapped[RiskLevel | None] = mapped_column(enum_column(RiskLevel), index=True)
    model_version: Mapped[str] = mapped_column(String(60))
    computed_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
