"""Credit events: limit changes (append-only history), threshold alerts and overrides."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import Float, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, Money, UTCDateTime, utcnow


class CreditLimitHistory(Base):
    __tablename__ = "credit_limit_history"
    __table_args__ = (
        Index("ix_credit_limit_history_customer_id_changed_at", "customer_id", "changed_at", "id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"))
    old_limit: Mapped[Decimal | None] = mapped_column(Money)
    new_limit: Mapped[Decimal | None] = mapped_column(Money)
    reason: Mapped[str] = mapped_column(String(500))
    changed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    changed_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)


class CreditAlertEvent(Base):
    """A customer's exposure crossed a threshold upwards."""

    __tablename__ = "credit_alert_events"
    __table_args__ = (
        Index("ix_credit_alert_events_customer_id_occurred_at", "customer_id", "occurred_at", "id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"))
    level: Mapped[str] = mapped_column(String(12))
    previous_level: Mapped[str] = mapped_column(String(12))
    utilization: Mapped[float | None] = mapped_column(Float)
    outstanding: Mapped[Decimal] = mapped_column(Money)
    limit: Mapped[Decimal | None] = mapped_column(Money)
    cause: Mapped[str] = mapped_column(String(20))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    occurred_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)


class CreditOverrideEvent(Base):
    """A manager let an order through that the credit limit would have blocked."""

    __tablename__ = "credit_override_events"
    __table_args__ = (
        Index(
            "ix_credit_override_events_customer_id_occurred_at", "customer_id", "occurred_at", "id"
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"))
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id"), index=True)
    amount: Mapped[Decimal] = mapped_column(Money)
    outstanding_before: Mapped[Decimal] = mapped_column(Money)
    limit: Mapped[Decimal | None] = mapped_column(Money)
    reason: Mapped[str] = mapped_column(String(500))
    actor_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    occurred_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
