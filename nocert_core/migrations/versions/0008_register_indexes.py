"""register indexes: the web register's filters page by id within unit/state, and filter by day

Revision ID: 0008_register_indexes
Revises: 0007_web
"""

from __future__ import annotations

from alembic import op

revision = "0008_register_indexes"
down_revision = "0007_web"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_complaints_unit_status_id", "complaints", ["unit_code", "status", "id"])
    op.create_index("ix_complaints_status_id", "complaints", ["status", "id"])
    op.create_index("ix_complaints_registered_at", "complaints", ["registered_at"])


def downgrade() -> None:
    op.drop_index("ix_complaints_registered_at", table_name="complaints")
    op.drop_index("ix_complaints_status_id", table_name="complaints")
    op.drop_index("ix_complaints_unit_status_id", table_name="complaints")
