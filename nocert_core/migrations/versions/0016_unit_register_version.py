"""unit_register: one row whose version every change to `units` bumps (by trigger, whoever writes), so a
process may keep the unit register in memory and check it with one small SELECT (issue 15)

Revision ID: 0016_unit_register_version
Revises: 0015_complaint_looks
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0016_unit_register_version"
down_revision = "0015_complaint_looks"
branch_labels = None
depends_on = None

BUMP = "UPDATE unit_register SET version = version + 1 WHERE id = 1"


def upgrade() -> None:
    table = op.create_table(
        "unit_register",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_unit_register")),
    )
    op.bulk_insert(table, [{"id": 1, "version": 0}])
    # A trigger, not the application, so that any writer (the CLI, another release, an admin's SQL) bumps it.
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "CREATE FUNCTION nocert_bump_unit_register() RETURNS trigger LANGUAGE plpgsql AS "
            f"$$ BEGIN {BUMP}; RETURN NULL; END $$"
        )
        op.execute(
            "CREATE TRIGGER units_bump_register AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON units "
            "FOR EACH STATEMENT EXECUTE FUNCTION nocert_bump_unit_register()"
        )
        return
    for action in ("insert", "update", "delete"):  # SQLite triggers are per row
        op.execute(
            f"CREATE TRIGGER units_bump_register_{action} AFTER {action.upper()} ON units BEGIN {BUMP}; END"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER units_bump_register ON units")
        op.execute("DROP FUNCTION nocert_bump_unit_register()")
    else:
        for action in ("insert", "update", "delete"):
            op.execute(f"DROP TRIGGER units_bump_register_{action}")
    op.drop_table("unit_register")
