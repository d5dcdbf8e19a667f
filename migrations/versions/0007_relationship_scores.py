"""relationship scores: one stored score per customer, with its named components

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-24 09:55:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import models

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "customer_relationship_scores",
        sa.Column("customer_id", sa.Integer(), nullable=False),
        sa.Column("score", sa.Integer(), nullable=False),
        sa.Column("grade", sa.String(length=1), nullable=False),
        sa.Column("components", sa.JSON(), nullable=False),
        sa.Column("computed_at", models.base.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["customer_id"],
            ["customers.id"],
            name=op.f("fk_customer_relationship_scores_customer_id_customers"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("customer_id", name=op.f("pk_customer_relationship_scores")),
    )
    with op.batch_alter_table("customer_relationship_scores", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_customer_relationship_scores_score"), ["score"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("customer_relationship_scores", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_customer_relationship_scores_score"))
    op.drop_table("customer_relationship_scores")
