"""Run Alembic migrations from code (`nocert init`, every start, tests) with the packaged scripts.

Every command opens the database through `upgrade(engine)`. When the database is already at the head
revision (the usual case) that is one `SELECT` on `alembic_version`: the head is read from the revision
files themselves, and Alembic (slow to import and to load its scripts) is loaded only to migrate.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncEngine

from nocert_core.adapters.sql.revisions import MIGRATIONS, head_revisions

if TYPE_CHECKING:
    from alembic.config import Config

__all__ = ["MIGRATIONS", "alembic_config", "current_revisions", "downgrade", "head_revisions", "upgrade"]


def alembic_config(url: str | None = None) -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    if url:
        config.attributes["database_url"] = url
    return config


async def current_revisions(engine: AsyncEngine) -> frozenset[str]:
    """What the database says it is at (empty when it was never migrated)."""
    try:
        async with engine.connect() as connection:
            rows = await connection.execute(text("SELECT version_num FROM alembic_version"))
            return frozenset(str(row[0]) for row in rows)
    except DBAPIError:
        return frozenset()


async def upgrade(engine: AsyncEngine, revision: str = "head") -> None:
    """Upgrade the database behind `engine` (runs in the engine's own connection)."""
    if revision == "head" and await current_revisions(engine) == head_revisions():
        return

    def run(connection: object) -> None:
        from alembic import command

        config = alembic_config()
        config.attributes["connection"] = connection
        command.upgrade(config, revision)

    await _migrate(engine, run)


async def downgrade(engine: AsyncEngine, revision: str) -> None:
    def run(connection: object) -> None:
        from alembic import command

        config = alembic_config()
        config.attributes["connection"] = connection
        command.downgrade(config, revision)

    await _migrate(engine, run)


async def _migrate(engine: AsyncEngine, run: Callable[[Any], None]) -> None:
    """Run a migration in one transaction. On SQLite, foreign keys are off while it runs: batch mode
    rebuilds a table by copying it and dropping the old one, and with them on that drop deletes every row
    cascading from it (a complaint's ratings and looks). The keys are checked before the commit instead."""
    sqlite = engine.dialect.name == "sqlite"
    async with engine.connect() as connection:
        if sqlite:
            await connection.exec_driver_sql("PRAGMA foreign_keys=OFF")  # a no-op inside a transaction
            await connection.commit()
        try:
            await connection.run_sync(run)
            if sqlite:
                broken = (await connection.exec_driver_sql("PRAGMA foreign_key_check")).all()
                if broken:  # rolled back below
                    raise RuntimeError(f"the migration left {len(broken)} rows with a missing parent")
            await connection.commit()
        finally:
            if sqlite:
                await connection.rollback()
                await connection.exec_driver_sql("PRAGMA foreign_keys=ON")
                await connection.commit()
