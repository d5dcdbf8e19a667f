"""interactions and tasks: completion lateness, cancel reasons, overdue announcements,
one quotation follow-up per quotation

Revision ID: 0005
Revises: 0003
Create Date: 2026-11-24 09:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import models

revision = "0005"
down_revision = "0003"
branch_labels = None
depends_on = None

_QUOTATION_TASK = sa.text("source = 'QUOTATION'")
_UNANNOUNCED = sa.text("status = 'OPEN' AND overdue_notified_at IS NULL")


def upgrade() -> None:
    with op.batch_alter_table("follow_up_tasks", schema=None) as batch_op:
        batch_op.add_column(sa.Column("completed_late", sa.Boolean(), nullable=True))
        batch_op.add_column(sa.Column("cancel_reason", sa.String(length=500), nullable=True))
        batch_op.add_column(
            sa.Column("overdue_notified_at", models.base.UTCDateTime(timezone=True), nullable=True)
        )
        batch_op.create_index(
            "uq_follow_up_tasks_quotation_task",
            ["quotation_id"],
            unique=True,
            sqlite_where=_QUOTATION_TASK,
            postgresql_where=_QUOTATION_TASK,
        )
        batch_op.create_index(
            "ix_follow_up_tasks_unannounced_due",
            ["due_at"],
            unique=False,
            sqlite_where=_UNANNOUNCED,
            postgresql_where=_UNANNOUNCED,
        )


def downgrade() -> None:
    with op.batch_alter_table("follow_up_tasks", schema=None) as batch_op:
        batch_op.drop_index(
            "ix_follow_up_tasks_unannounced_due",
            sqlite_where=_UNANNOUNCED,
            postgresql_where=_UNANNOUNCED,
        )
        batch_op.drop_index(
            "uq_follow_up_tasks_quotation_task",
            sqlite_where=_QUOTATION_TASK,
            postgresql_where=_QUOTATION_TASK,
        )
        batch_op.drop_column("overdue_notified_at")
        batch_op.drop_column("cancel_reason")
        batch_op.drop_column("completed_late")
