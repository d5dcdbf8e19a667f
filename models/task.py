"""Follow-up tasks: the sales reps' to-do list."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, UTCDateTime, enum_column, utcnow
from models.enums import Priority, TaskSource, TaskStatus


class FollowUpTask(Base):
    __tablename__ = "follow_up_tasks"
    __table_args__ = (
        Index("ix_follow_up_tasks_assignee_status_due", "assignee_id", "status", "due_at", "id"),
        Index("ix_follow_up_tasks_customer_id_created_at", "customer_id", "created_at"),
        # The timeline reads a customer's completed tasks by completion time.
        Index("ix_follow_up_tasks_customer_id_completed_at", "customer_id", "completed_at"),
        # At most one open credit follow-up per customer, however many alerts race.
        Index(
            "uq_follow_up_tasks_open_credit_task",
            "customer_id",
            unique=True,
            sqlite_where=text("source = 'CREDIT' AND status = 'OPEN'"),
            postgresql_where=text("source = 'CREDIT' AND status = 'OPEN'"),
        ),
        # One quotation follow-up per quotation ever, however many sweeps race.
        Index(
            "uq_follow_up_tasks_quotation_task",
            "quotation_id",
            unique=True,
            sqlite_where=text("source = 'QUOTATION'"),
            postgresql_where=text("source = 'QUOTATION'"),
        ),
        # The overdue sweep reads only open tasks not yet announced, by due date.
        Index(
            "ix_follow_up_tasks_unannounced_due",
            "due_at",
            sqlite_where=text("status = 'OPEN' AND overdue_notified_at IS NULL"),
            postgresql_where=text("status = 'OPEN' AND overdue_notified_at IS NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), index=True)
    interaction_id: Mapped[int | None] = mapped_column(
        ForeignKey("customer_interactions.id"), index=True
    )
    quotation_id: Mapped[int | None] = mapped_column(ForeignKey("quotations.id"), index=True)
    title: Mapped[str] = mapped_column(String(300))
    description: Mapped[str | None] = mapped_column(Text)
    assignee_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    due_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, index=True)
    priority: Mapped[Priority] = mapped_column(enum_column(Priority))
    status: Mapped[TaskStatus] = mapped_column(enum_column(TaskStatus))
    completed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    completed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    outcome: Mapped[str | None] = mapped_column(String(1000))
    completed_late: Mapped[bool | None] = mapped_column(Boolean)
    cancel_reason: Mapped[str | None] = mapped_column(String(500))
    overdue_notified_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    source: Mapped[TaskSource] = mapped_column(enum_column(TaskSource))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
