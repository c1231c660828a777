"""chat: dialog states, processed updates, staff invites

Revision ID: 0002_chat
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002_chat"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "chat_dialog_states",
        sa.Column("user_ref", sa.String(length=100), nullable=False),
        sa.Column("name", sa.String(length=64), nullable=True),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("user_ref", name=op.f("pk_chat_dialog_states")),
    )
    op.create_table(
        "chat_processed_updates",
        sa.Column("update_key", sa.String(length=150), nullable=False),
        sa.Column("processed_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("update_key", name=op.f("pk_chat_processed_updates")),
    )
    op.create_index(
        op.f("ix_chat_processed_updates_processed_at"), "chat_processed_updates", ["processed_at"], unique=False
    )
    op.create_table(
        "staff_invites",
        sa.Column("code", sa.String(length=32), nullable=False),
        sa.Column("unit_code", sa.String(length=64), nullable=True),
        sa.Column(
            "role",
            sa.Enum("citizen", "staff", "supervisor", "admin", "system", name="role", native_enum=False, length=32),
            nullable=False,
        ),
        sa.Column("display_name", sa.String(length=200), nullable=True),
        sa.Column("created_by", sa.String(length=100), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("used_by_ref", sa.String(length=100), nullable=True),
        sa.ForeignKeyConstraint(["unit_code"], ["units.code"], name=op.f("fk_staff_invites_unit_code_units")),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_staff_invites")),
    )


def downgrade() -> None:
    op.drop_table("staff_invites")
    op.drop_index(op.f("ix_chat_processed_updates_processed_at"), table_name="chat_processed_updates")
    op.drop_table("chat_processed_updates")
    op.drop_table("chat_dialog_states")
