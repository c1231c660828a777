"""outbox.leased_by: who holds a row's lease, so a restarted bot releases a dead process's leases (issue 9)

Revision ID: 0014_outbox_leased_by
Revises: 0013_job_leases
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0014_outbox_leased_by"
down_revision = "0013_job_leases"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("outbox") as batch:
        batch.add_column(sa.Column("leased_by", sa.String(length=120), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("outbox") as batch:
        batch.drop_column("leased_by")
