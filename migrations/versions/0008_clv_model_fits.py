"""clv model fits: fitted BG/NBD and Gamma-Gamma parameters, one row per refit

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-24 10:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import models

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "clv_model_fits",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("fitted_at", models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("calibration_end", sa.Date(), nullable=False),
        sa.Column("model", sa.String(length=60), nullable=False),
        sa.Column("customer_count", sa.Integer(), nullable=False),
        sa.Column("repeat_customer_count", sa.Integer(), nullable=False),
        sa.Column("horizon_weeks", sa.Integer(), nullable=False),
        sa.Column("typical_rhythm_weeks", sa.Float(), nullable=False),
        sa.Column("bgnbd_r", sa.Float(), nullable=True),
        sa.Column("bgnbd_alpha", sa.Float(), nullable=True),
        sa.Column("bgnbd_a", sa.Float(), nullable=True),
        sa.Column("bgnbd_b", sa.Float(), nullable=True),
        sa.Column("bgnbd_log_likelihood", sa.Float(), nullable=True),
        sa.Column("bgnbd_converged", sa.Boolean(), nullable=True),
        sa.Column("gamma_gamma_p", sa.Float(), nullable=True),
        sa.Column("gamma_gamma_q", sa.Float(), nullable=True),
        sa.Column("gamma_gamma_v", sa.Float(), nullable=True),
        sa.Column("gamma_gamma_log_likelihood", sa.Float(), nullable=True),
        sa.Column("gamma_gamma_converged", sa.Boolean(), nullable=True),
        sa.Column("gamma_gamma_sample_size", sa.Integer(), nullable=True),
        sa.Column("fallback_reason", sa.Text(), nullable=True),
        sa.Column("fit_seconds", sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_clv_model_fits")),
    )
    with op.batch_alter_table("clv_model_fits", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_clv_model_fits_fitted_at"), ["fitted_at"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("clv_model_fits", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_clv_model_fits_fitted_at"))
    op.drop_table("clv_model_fits")
