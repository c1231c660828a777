"""complaint_looks: the deadline sweep's next look per complaint in a narrow table of its own

A backlog's first sweep rewrites the next look of every open complaint; as a column of `complaints` each
rewrite wrote a new version of a wide row and an entry in each of its many indexes (text search among
them). The looks move to `complaint_looks` (complaint id, next look; two indexes) with their values;
`complaints.next_alert_at` goes.

Revision ID: 0015_complaint_looks
Revises: 0014_outbox_leased_by
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0015_complaint_looks"
down_revision = "0014_outbox_leased_by"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "complaint_looks",
        sa.Column("complaint_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("next_look_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["complaint_id"],
            ["complaints.id"],
            name=op.f("fk_complaint_looks_complaint_id_complaints"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("complaint_id", name=op.f("pk_complaint_looks")),
    )
    op.execute(
        "INSERT INTO complaint_looks (complaint_id, next_look_at)"
        " SELECT id, next_alert_at FROM complaints WHERE next_alert_at IS NOT NULL"
    )
    # The index after the rows: one sorted build instead of an insertion per row.
    op.create_index("ix_complaint_looks_next_look_at", "complaint_looks", ["next_look_at"], unique=False)
    op.drop_index("ix_complaints_next_alert_at", table_name="complaints")
    # Not batch mode on SQLite: copying the table and dropping the old one would cascade to the tables
    # whose foreign keys delete with a complaint (foreign keys are on). SQLite ≥ 3.35 drops a column.
    op.drop_column("complaints", "next_alert_at")


def downgrade() -> None:
    op.add_column("complaints", sa.Column("next_alert_at", sa.DateTime(timezone=True), nullable=True))
    op.execute(
        "UPDATE complaints SET next_alert_at = (SELECT next_look_at FROM complaint_looks"
        " WHERE complaint_looks.complaint_id = complaints.id)"
    )
    op.create_index("ix_complaints_next_alert_at", "complaints", ["next_alert_at"], unique=False)
    op.drop_index("ix_complaint_looks_next_look_at", table_name="complaint_looks")
    op.drop_table("complaint_looks")
