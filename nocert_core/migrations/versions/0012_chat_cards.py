"""chat_cards: where each card about a complaint was sent (chat, message id), so a change edits it

Revision ID: 0012_chat_cards
Revises: 0011_register_search
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012_chat_cards"
down_revision = "0011_register_search"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "chat_cards",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("complaint_number", sa.String(length=32), nullable=False),
        sa.Column("recipient_ref", sa.String(length=100), nullable=False),
        sa.Column("chat_id", sa.String(length=64), nullable=False),
        sa.Column("message_id", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=64), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("chat_cards", schema=None) as batch_op:
        batch_op.create_index("ix_chat_cards_complaint_number", ["complaint_number"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("chat_cards", schema=None) as batch_op:
        batch_op.drop_index("ix_chat_cards_complaint_number")
    op.drop_table("chat_cards")
