"""The append-only history of credit-limit changes."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import ForeignKey, Index, Integer, String
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
