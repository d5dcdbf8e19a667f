"""api keys and the append-only audit log

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-24 12:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import models.base

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "api_keys",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column(
            "role",
            sa.Enum(
                "ADMIN",
                "MANAGER",
                "SALES",
                "VIEWER",
                name="role",
                native_enum=False,
                create_constraint=True,
                length=11,
            ),
            nullable=False,
        ),
        sa.Column("prefix", sa.String(length=32), nullable=False),
        sa.Column("secret_hash", sa.String(length=64), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=False),
        sa.Column(
            "created_at",
            models.base.UTCDateTime(timezone=True),
            server_default=sa.text("(CURRENT_TIMESTAMP)"),
            nullable=False,
        ),
        sa.Column("expires_at", models.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("revoked_at", models.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("revoked_by_id", sa.Integer(), nullable=True),
        sa.Column("last_used_at", models.base.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["users.id"], name=op.f("fk_api_keys_created_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["revoked_by_id"], ["users.id"], name=op.f("fk_api_keys_revoked_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_api_keys")),
        sa.UniqueConstraint("prefix", name=op.f("uq_api_keys_prefix")),
    )
    with op.batch_alter_table("api_keys", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_api_keys_created_by_id"), ["created_by_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_api_keys_revoked_by_id"), ["revoked_by_id"], unique=False
        )

    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("occurred_at", models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("api_key_id", sa.Integer(), nullable=True),
        sa.Column("mutation", sa.String(length=100), nullable=False),
        sa.Column("operation_name", sa.String(length=200), nullable=True),
        sa.Column("target_ids", sa.JSON(), nullable=False),
        sa.Column(
            "outcome",
            sa.Enum(
                "SUCCEEDED",
                "REFUSED",
                "FAILED",
                "ERROR",
                name="auditoutcome",
                native_enum=False,
                create_constraint=True,
                length=13,
            ),
            nullable=False,
        ),
        sa.Column("error_codes", sa.JSON(), nullable=False),
        sa.Column("client_address", sa.String(length=100), nullable=True),
        sa.Column("request_id", sa.String(length=64), nullable=True),
        sa.ForeignKeyConstraint(
            ["actor_id"], ["users.id"], name=op.f("fk_audit_log_actor_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["api_key_id"], ["api_keys.id"], name=op.f("fk_audit_log_api_key_id_api_keys")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_log")),
    )
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_audit_log_api_key_id"), ["api_key_id"], unique=False)
        batch_op.create_index("ix_audit_log_occurred_at_id", ["occurred_at", "id"], unique=False)
        batch_op.create_index(
            "ix_audit_log_actor_id_occurred_at", ["actor_id", "occurred_at", "id"], unique=False
        )
        batch_op.create_index(
            "ix_audit_log_mutation_occurred_at", ["mutation", "occurred_at", "id"], unique=False
        )

    op.create_table(
        "audit_log_targets",
        sa.Column("entry_id", sa.Integer(), nullable=False),
        sa.Column("target_id", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["entry_id"], ["audit_log.id"], name=op.f("fk_audit_log_targets_entry_id_audit_log")
        ),
        sa.PrimaryKeyConstraint("entry_id", "target_id", name=op.f("pk_audit_log_targets")),
    )
    with op.batch_alter_table("audit_log_targets", schema=None) as batch_op:
        batch_op.create_index(
            "ix_audit_log_targets_target_id", ["target_id", "entry_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("audit_log_targets", schema=None) as batch_op:
        batch_op.drop_index("ix_audit_log_targets_target_id")
    op.drop_table("audit_log_targets")
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.drop_index("ix_audit_log_mutation_occurred_at")
        batch_op.drop_index("ix_audit_log_actor_id_occurred_at")
        batch_op.drop_index("ix_audit_log_occurred_at_id")
        batch_op.drop_index(batch_op.f("ix_audit_log_api_key_id"))
    op.drop_table("audit_log")
    with op.batch_alter_table("api_keys", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_api_keys_revoked_by_id"))
        batch_op.drop_index(batch_op.f("ix_api_keys_created_by_id"))
    op.drop_table("api_keys")
