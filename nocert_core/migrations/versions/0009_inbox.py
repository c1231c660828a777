"""inbox: every chat update is persisted before it is acknowledged; dialog states get a version

Revision ID: 0009_inbox
Revises: 0008_register_indexes
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009_inbox"
down_revision = "0008_register_indexes"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "chat_inbox",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("update_key", sa.String(length=150), nullable=False),
        sa.Column("user_ref", sa.String(length=100), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("processed_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_chat_inbox")),
        sa.UniqueConstraint("update_key", name=op.f("uq_chat_inbox_update_key")),
    )
    op.create_index(op.f("ix_chat_inbox_user_ref"), "chat_inbox", ["user_ref"], unique=False)
    op.create_index(op.f("ix_chat_inbox_processed_at"), "chat_inbox", ["processed_at"], unique=False)
    with op.batch_alter_table("chat_dialog_states") as batch:
        batch.add_column(sa.Column("version", sa.Integer(), nullable=False, server_default="0"))


def downgrade() -> None:
    with op.batch_alter_table("chat_dialog_states") as batch:
        batch.drop_column("version")
    op.drop_index(op.f("ix_chat_inbox_processed_at"), table_name="chat_inbox")
    op.drop_index(op.f("ix_chat_inbox_user_ref"), table_name="chat_inbox")
    op.drop_table("chat_inbox")
