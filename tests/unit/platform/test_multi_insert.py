"""A multi-row INSERT (a fetched batch's inbox rows, a transaction's reply rows on SQLite) is compiled once
per row count and then taken from SQLAlchemy's cache: a Core insert with several VALUES rows never is."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import Column, Integer, MetaData, String, Table
from sqlalchemy.engine.interfaces import CacheStats
from sqlalchemy.ext.asyncio import create_async_engine

from nocert_core.adapters.sql.multi_insert import multi_row_insert, row_parameters
from nocert_core.adapters.sql.orm import UtcDateTime

metadata = MetaData()
rows = Table(
    "rows",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("key", String, unique=True, nullable=False),
    Column("value", String),
    Column("at", UtcDateTime),
)


def statement(count: int) -> object:
    return multi_row_insert(rows, ("key", "value"), ("at",), "key", ("id", "key"), count)


async def test_rows_are_written_a_stored_key_is_skipped_and_the_statement_is_compiled_once() -> None:
    engine = create_async_engine("sqlite+aiosqlite:///:memory:")
    at = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)
    try:
        async with engine.begin() as connection:
            await connection.run_sync(metadata.create_all)
            first = await connection.execute(
                statement(2), {"at": at, **row_parameters(("key", "value"), [("a", "1"), ("b", "2")])}
            )
            assert [row.key for row in first] == ["a", "b"]
            again = await connection.execute(
                statement(2), {"at": at, **row_parameters(("key", "value"), [("b", "x"), ("c", "3")])}
            )
            assert [row.key for row in again] == ["c"]
            assert again.context.cache_hit is CacheStats.CACHE_HIT  # compiled for the first two rows
            stored = (await connection.exec_driver_sql("SELECT key, value FROM rows ORDER BY id")).all()
            assert [tuple(row) for row in stored] == [("a", "1"), ("b", "2"), ("c", "3")]
    finally:
        await engine.dispose()


def test_the_statement_of_a_row_count_is_built_once() -> None:
    assert statement(3) is statement(3)
    with pytest.raises(ValueError):
        row_parameters(("key", "value"), [("a",)])
