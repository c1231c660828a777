"""Alembic migrations bring an empty database to head, match the models exactly, and go back down."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from nocert_core.adapters.sql.db import create_engine
from nocert_core.adapters.sql.migrate import downgrade, upgrade
from nocert_core.adapters.sql.orm import include_object_for
from nocert_core.adapters.sql.schema import metadata
from tests.conftest import _pg_admin, pg_unavailable_reason


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
async def empty_database_url(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[str]:
    if request.param == "sqlite":
        yield f"sqlite+aiosqlite:///{tmp_path / 'empty.db'}"
        return
    reason = await pg_unavailable_reason()
    if reason is not None:
        pytest.skip(reason)
    name = f"nocert_migrate_{uuid.uuid4().hex[:12]}"
    await _pg_admin(f'CREATE DATABASE "{name}"')
    try:
        yield f"postgresql+asyncpg://postgres@127.0.0.1:5432/{name}"
    finally:
        await _pg_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _differences(connection: Any) -> list[Any]:
    include = include_object_for(connection.dialect.name)  # PostgreSQL-only indexes are not on SQLite
    context = MigrationContext.configure(connection, opts={"compare_type": True, "include_object": include})
    return list(compare_metadata(context, metadata))


def _tables(connection: Any) -> set[str]:
    return set(inspect(connection).get_table_names()) - {"alembic_version"}


async def test_an_empty_database_upgrades_to_head_with_no_difference_from_the_models(
    empty_database_url: str,
) -> None:
    engine = create_engine(empty_database_url)
    try:
        await upgrade(engine)
        async with engine.connect() as connection:
            assert await connection.run_sync(_differences) == []
            assert await connection.run_sync(_tables) == set(metadata.tables)
    finally:
        await engine.dispose()


async def test_the_migrations_go_down_to_an_empty_database_and_up_again(empty_database_url: str) -> None:
    engine = create_engine(empty_database_url)
    try:
        await upgrade(engine)
        await downgrade(engine, "base")
        async with engine.connect() as connection:
            assert await connection.run_sync(_tables) == set()
        await upgrade(engine)
        async with engine.connect() as connection:
            assert await connection.run_sync(_tables) == set(metadata.tables)
    finally:
        await engine.dispose()
