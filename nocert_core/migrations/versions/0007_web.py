"""web: one-time sign-in links and browser sessions of the web console (hashes only)

Revision ID: 0007_web
Revises: 0006_verification
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007_web"
down_revision = "0006_verification"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "web_login_links",
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("account_ref", sa.String(length=100), nullable=False),
        sa.Column("created_by", sa.String(length=100), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("token_hash", name=op.f("pk_web_login_links")),
    )
    op.create_index(op.f("ix_web_login_links_expires_at"), "web_login_links", ["expires_at"])
    op.create_table(
        "web_sessions",
        sa.Column("session_hash", sa.String(length=64), nullable=False),
        sa.Column("account_ref", sa.String(length=100), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("session_hash", name=op.f("pk_web_sessions")),
    )
    op.create_index(op.f("ix_web_sessions_account_ref"), "web_sessions", ["account_ref"])
    op.create_index(op.f("ix_web_sessions_expires_at"), "web_sessions", ["expires_at"])


def downgrade() -> None:
    op.drop_index(op.f("ix_web_sessions_expires_at"), table_name="web_sessions")
    op.drop_index(op.f("ix_web_sessions_account_ref"), table_name="web_sessions")
    op.drop_table("web_sessions")
    op.drop_index(op.f("ix_web_login_links_expires_at"), table_name="web_login_links")
    op.drop_table("web_login_links")
