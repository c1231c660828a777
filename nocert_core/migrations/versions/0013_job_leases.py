"""job_leases: one elected instance runs the sweeps, digest and weekly report (issue 11)

Revision ID: 0013_job_leases
Revises: 0012_chat_cards
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0013_job_leases"
down_revision = "0012_chat_cards"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "job_leases",
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("holder", sa.String(length=200), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("taken_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_job_leases")),
    )


def downgrade() -> None:
    op.drop_table("job_leases")
