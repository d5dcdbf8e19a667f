"""timeline indexes: completed tasks read by (customer_id, completed_at)

Every source of the customer timeline is read through an index on (customer_id, <the
event's timestamp>). Tasks had one for their creation, not for their completion.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-24 09:30:00
"""

from __future__ import annotations

from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index(
        "ix_follow_up_tasks_customer_id_completed_at",
        "follow_up_tasks",
        ["customer_id", "completed_at"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index("ix_follow_up_tasks_customer_id_completed_at", table_name="follow_up_tasks")
