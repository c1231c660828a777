"""merge the feature branches (chat, catalogue, oversight) into one head

Revision ID: 0005_merge_features
Revises: 0002_chat, 0003_catalogue, 0004_oversight
Create Date: 2026-11-25
"""

from __future__ import annotations

revision = "0005_merge_features"
down_revision = ("0002_chat", "0003_catalogue", "0004_oversight")
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Nothing to change: this revision only joins the branches so `alembic upgrade head` works."""


def downgrade() -> None:
    """Nothing to undo."""
