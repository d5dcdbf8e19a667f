"""The audit log: one row per mutation field called, whatever its outcome. Append-only:
nothing in the application updates or deletes these rows."""

from __future__ import annotations

import datetime as dt
import enum

from sqlalchemy import JSON, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, UTCDateTime, enum_column, utcnow


class AuditOutcome(enum.StrEnum):
    SUCCEEDED = "SUCCEEDED"
    REFUSED = "REFUSED"  # not signed in, or not allowed (role or row-level rule)
    FAILED = "FAILED"  # the payload carried errors: validation or a business rule
    ERROR = "ERROR"  # an unexpected exception


class AuditLogEntry(Base):
    """Who called which mutation on what, from where, and how it ended."""

    __tablename__ = "audit_log"
    __table_args__ = (
        Index("ix_audit_log_occurred_at_id", "occurred_at", "id"),
        Index("ix_audit_log_actor_id_occurred_at", "actor_id", "occurred_at", "id"),
        Index("ix_audit_log_mutation_occurred_at", "mutation", "occurred_at", "id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    occurred_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    api_key_id: Mapped[int | None] = mapped_column(ForeignKey("api_keys.id"), index=True)
    mutation: Mapped[str] = mapped_column(String(100))  # the mutation field called
    operation_name: Mapped[str | None] = mapped_column(String(200))  # the client's name for it
    target_ids: Mapped[list[str]] = mapped_column(JSON, default=list)
    outcome: Mapped[AuditOutcome] = mapped_column(enum_column(AuditOutcome))
    error_codes: Mapped[list[str]] = mapped_column(JSON, default=list)
    client_address: Mapped[str | None] = mapped_column(String(100))
    request_id: Mapped[str | None] = mapped_column(String(64))


class AuditLogTarget(Base):
    """An id an entry touched, one row each, so "what happened to X" is an index lookup."""

    __tablename__ = "audit_log_targets"
    __table_args__ = (Index("ix_audit_log_targets_target_id", "target_id", "entry_id"),)

    entry_id: Mapped[int] = mapped_column(ForeignKey("audit_log.id"), primary_key=True)
    target_id: Mapped[str] = mapped_column(String(64), primary_key=True)
