"""Segments, who belongs to them, and the rules that put customers there."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, Boolean, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, UTCDateTime, enum_column, utcnow
from models.enums import MembershipSource, RuleMatch, SegmentKind


class CustomerSegment(Base):
    __tablename__ = "customer_segments"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(80), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[SegmentKind] = mapped_column(enum_column(SegmentKind), index=True)
    description: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)


class CustomerSegmentationRule(Base):
    __tablename__ = "customer_segmentation_rules"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    segment_id: Mapped[int] = mapped_column(
        ForeignKey("customer_segments.id", ondelete="CASCADE"), index=True
    )
    match: Mapped[RuleMatch] = mapped_column(enum_column(RuleMatch))
    conditions: Mapped[list[dict]] = mapped_column(JSON, default=list)
    priority: Mapped[int] = mapped_column(Integer, default=0)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)


class CustomerSegmentMembership(Base):
    __tablename__ = "customer_segment_memberships"
    __table_args__ = (
        UniqueConstraint("customer_id", "segment_id"),
        Index(
            "ix_customer_segment_memberships_segment_id_customer_id", "segment_id", "customer_id"
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id", ondelete="CASCADE"))
    segment_id: Mapped[int] = mapped_column(ForeignKey("customer_segments.id", ondelete="CASCADE"))
    source: Mapped[MembershipSource] = mapped_column(enum_column(MembershipSource))
    rule_id: Mapped[int | None] = mapped_column(
        ForeignKey("customer_segmentation_rules.id", ondelete="SET NULL"), index=True
    )
    assigned_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
