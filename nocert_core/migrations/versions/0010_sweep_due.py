"""sweep_due: complaints.next_alert_at (indexed), so the deadline sweep reads only complaints due for a look

Revision ID: 0010_sweep_due
Revises: 0009_inbox
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010_sweep_due"
down_revision = "0009_inbox"
branch_labels = None
depends_on = None

ALERTABLE = ("registered", "transferred", "accepted", "extended")


def upgrade() -> None:
    with op.batch_alter_table("complaints", schema=None) as batch_op:
        batch_op.add_column(sa.Column("next_alert_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.create_index("ix_complaints_next_alert_at", ["next_alert_at"], unique=False)
    # Every complaint that may still raise an alert is due for the first sweep's look.
    complaints = sa.table("complaints", sa.column("status", sa.String), sa.column("registered_at"),
                          sa.column("next_alert_at"))
    op.execute(
        complaints.update()
        .where(complaints.c.status.in_(ALERTABLE))
        .values(next_alert_at=complaints.c.registered_at)
    )


def downgrade() -> None:
    with op.batch_alter_table("complaints", schema=None) as batch_op:
        batch_op.drop_index("ix_complaints_next_alert_at")
        batch_op.drop_column("next_alert_at")
