"""The customer at the centre of the CRM, with its tags."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import CheckConstraint, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, Money, UTCDateTime, enum_column, utcnow
from models.enums import BusinessType, CustomerStatus


class Customer(Base):
    __tablename__ = "customers"
    __table_args__ = (
        CheckConstraint("email = lower(email)", name="email_lower"),
        CheckConstraint("credit_limit IS NULL OR credit_limit >= 0", name="credit_limit_positive"),
        Index("ix_customers_name_id", "name", "id"),
        Index("ix_customers_created_at_id", "created_at", "id"),
        Index("ix_customers_updated_at_id", "updated_at", "id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    business_type: Mapped[BusinessType] = mapped_column(enum_column(BusinessType), index=True)
    status: Mapped[CustomerStatus] = mapped_column(enum_column(CustomerStatus), index=True)
    # Unique case-insensitively: stored lower-cased (see the check constraint).
    email: Mapped[str | None] = mapped_column(String(254), unique=True)
    phone: Mapped[str | None] = mapped_column(String(20))
    tax_id: Mapped[str | None] = mapped_column(String(32), unique=True)
    address_line1: Mapped[str | None] = mapped_column(String(200))
    address_line2: Mapped[str | None] = mapped_column(String(200))
    city: Mapped[str | None] = mapped_column(String(100))
    state: Mapped[str | None] = mapped_column(String(100), index=True)
    postal_code: Mapped[str | None] = mapped_column(String(20))
    country: Mapped[str] = mapped_column(String(2), default="IN")
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    # None means no limit; 0 means no credit at all.
    credit_limit: Mapped[Decimal | None] = mapped_column(Money)
    # Σ (order total − payments) over orders not cancelled, kept current in the same
    # transaction as every order, payment and cancellation (resolvers/credit_exposure.py),
    # so credit alerts sort and filter a hundred thousand customers without aggregating
    # a million orders. resolvers/credit.py holds the definition and the recompute.
    credit_outstanding: Mapped[Decimal] = mapped_column(
        Money, default=Decimal("0.00"), server_default="0"
    )
    # Lower-cased name, code, email, phone and tax id: what text search matches against.
    search_text: Mapped[str] = mapped_column(String(700))
    version: Mapped[int] = mapped_column(Integer, default=1)
    # The import that last created or updated this customer. No foreign key: job rows may
    # be pruned while the customers they brought stay.
    import_job_id: Mapped[int | None] = mapped_column(Integer, index=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)


class CustomerTag(Base):
    """One tag of one customer: a table rather than a JSON list so tag filters use an index."""

    __tablename__ = "customer_tags"

    customer_id: Mapped[int] = mapped_column(
        ForeignKey("customers.id", ondelete="CASCADE"), primary_key=True
    )
    tag: Mapped[str] = mapped_column(String(50), primary_key=True, index=True)
