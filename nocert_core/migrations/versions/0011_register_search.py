"""register_search: the web register's number-prefix and free-text searches use indexes on PostgreSQL

A pattern index (`varchar_pattern_ops`) answers `number LIKE 'TS-2026-00012%'` in any collation, and pg_trgm
GIN indexes answer `LIKE '%…%'` over demand, facts and agency (three or more characters). The extension needs
the CREATE privilege on the database: where it cannot be created the trigram indexes are left out (a warning
is logged) and text search scans, as on SQLite, which gets none of these.

Revision ID: 0011_register_search
Revises: 0010_sweep_due
"""

from __future__ import annotations

import logging

import sqlalchemy as sa
from alembic import op

revision = "0011_register_search"
down_revision = "0010_sweep_due"
branch_labels = None
depends_on = None

TEXT_COLUMNS = ("demand", "facts", "agency_text")
log = logging.getLogger("alembic.runtime.migration")


def _trigram_extension() -> bool:
    bind = op.get_bind()
    if bind.execute(sa.text("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'")).first():
        return True
    savepoint = bind.begin_nested()
    try:
        bind.execute(sa.text("CREATE EXTENSION IF NOT EXISTS pg_trgm"))
    except sa.exc.DBAPIError as error:
        savepoint.rollback()
        log.warning("pg_trgm unavailable (%s): register text search will scan", type(error).__name__)
        return False
    savepoint.commit()
    return True


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.create_index(
        "ix_complaints_number_pattern",
        "complaints",
        ["number"],
        postgresql_ops={"number": "varchar_pattern_ops"},
    )
    if _trigram_extension():
        for name in TEXT_COLUMNS:
            op.create_index(
                f"ix_complaints_{name}_trgm",
                "complaints",
                [name],
                postgresql_using="gin",
                postgresql_ops={name: "gin_trgm_ops"},
            )


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for name in TEXT_COLUMNS:
        op.execute(f"DROP INDEX IF EXISTS ix_complaints_{name}_trgm")
    op.drop_index("ix_complaints_number_pattern", table_name="complaints")
