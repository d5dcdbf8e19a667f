"""customer imports: provenance on customers, per-import changes (for undo) and row errors

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-24 11:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("customers", schema=None) as batch_op:
        batch_op.add_column(sa.Column("import_job_id", sa.Integer(), nullable=True))
        batch_op.create_index(
            batch_op.f("ix_customers_import_job_id"), ["import_job_id"], unique=False
        )
    op.create_table(
        "customer_import_changes",
        sa.Column("job_id", sa.Integer(), nullable=False),
        sa.Column("customer_id", sa.Integer(), nullable=False),
        sa.Column(
            "action",
            sa.Enum(
                "CREATED",
                "UPDATED",
                name="importaction",
                native_enum=False,
                create_constraint=True,
                length=11,
            ),
            nullable=False,
        ),
        sa.Column("before", sa.JSON(), nullable=True),
        sa.Column("version_after", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["customer_id"],
            ["customers.id"],
            name=op.f("fk_customer_import_changes_customer_id_customers"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["job_id"],
            ["jobs.id"],
            name=op.f("fk_customer_import_changes_job_id_jobs"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("job_id", "customer_id", name=op.f("pk_customer_import_changes")),
    )
    with op.batch_alter_table("customer_import_changes", schema=None) as batch_op:
        batch_op.create_index(
            "ix_customer_import_changes_customer_id", ["customer_id"], unique=False
        )
    op.create_table(
        "import_row_errors",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("job_id", sa.Integer(), nullable=False),
        sa.Column("row", sa.Integer(), nullable=False),
        sa.Column("column", sa.String(length=200), nullable=True),
        sa.Column("field", sa.String(length=60), nullable=True),
        sa.Column("message", sa.String(length=500), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.ForeignKeyConstraint(
            ["job_id"],
            ["jobs.id"],
            name=op.f("fk_import_row_errors_job_id_jobs"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_import_row_errors")),
    )
    with op.batch_alter_table("import_row_errors", schema=None) as batch_op:
        batch_op.create_index(
            "ix_import_row_errors_job_id_row", ["job_id", "row", "id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("import_row_errors", schema=None) as batch_op:
        batch_op.drop_index("ix_import_row_errors_job_id_row")
    op.drop_table("import_row_errors")
    with op.batch_alter_table("customer_import_changes", schema=None) as batch_op:
        batch_op.drop_index("ix_customer_import_changes_customer_id")
    op.drop_table("customer_import_changes")
    with op.batch_alter_table("customers", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_customers_import_job_id"))
        batch_op.drop_column("import_job_id")
