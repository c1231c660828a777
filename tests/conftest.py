"""Shared fixtures. Integration tests run once on SQLite and once on PostgreSQL (`database_url`)."""

from __future__ import annotations

import asyncio
import os
import uuid
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlalchemy import delete

from nocert_core.adapters.sql.db import create_engine
from nocert_core.adapters.sql.migrate import upgrade
from nocert_core.adapters.sql.orm import calendar_days, calendar_years, metadata
from nocert_core.bootstrap import Application, open_application
from nocert_core.clock import FixedClock
from nocert_core.settings import Settings

PG_ADMIN_DSN = os.environ.get("NOCERT_TEST_PG_DSN", "postgresql://postgres@127.0.0.1:5432/test")
KEEP_TABLES = {"calendar_days", "calendar_years", "alembic_version", "unit_register"}
DATA_DIR = Path(__file__).parent / "data"


async def pg_unavailable_reason() -> str | None:
    """None when PostgreSQL answers; otherwise why not (tests that need it skip with that reason)."""
    import asyncpg

    try:
        connection = await asyncpg.connect(PG_ADMIN_DSN, timeout=3)
        await connection.close()
    except Exception as error:  # any failure means: not usable here
        return f"PostgreSQL at {PG_ADMIN_DSN} is not reachable: {error}"
    return None


def _pg_available() -> str | None:
    return asyncio.run(pg_unavailable_reason())


async def _pg_admin(statement: str) -> None:
    import asyncpg

    connection = await asyncpg.connect(PG_ADMIN_DSN)
    try:
        await connection.execute(statement)
    finally:
        await connection.close()


async def _migrate(url: str) -> None:
    engine = create_engine(url)
    await upgrade(engine)
    await engine.dispose()
    application = await open_application(Settings(database_url=url), migrate=True)  # seeds the calendar
    await application.close()


BACKENDS = [
    pytest.param("sqlite", id="sqlite"),
    pytest.param("postgres", id="postgres", marks=pytest.mark.postgres),
]


@pytest.fixture(scope="session", params=BACKENDS)
def database_url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A migrated, calendar-seeded database per backend per test run."""
    if request.param == "sqlite":
        url = f"sqlite+aiosqlite:///{tmp_path_factory.mktemp('db') / 'nocert.db'}"
        asyncio.run(_migrate(url))
        yield url
        return
    reason = _pg_available()
    if reason is not None:
        pytest.skip(reason)
    name = f"nocert_test_{uuid.uuid4().hex[:12]}"
    asyncio.run(_pg_admin(f'CREATE DATABASE "{name}"'))
    url = f"postgresql+asyncpg://postgres@127.0.0.1:5432/{name}"
    asyncio.run(_migrate(url))
    yield url
    asyncio.run(_pg_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


@pytest.fixture
def clock() -> FixedClock:
    # A Wednesday morning in Weifang (09:30 Asia/Shanghai).
    return FixedClock(datetime(2026, 11, 25, 1, 30, tzinfo=UTC))


@pytest.fixture
def settings(database_url: str) -> Settings:
    # Flood limits off: scripted dialogs send faster than a person and fixtures file many complaints for one
    # citizen; tests/integration/security/test_flooding.py turns them on.
    return Settings(
        database_url=database_url,
        redis_url=None,
        telegram_token=None,
        rate_limit_per_minute=0,
        max_complaints_per_day=0,
    )


@pytest.fixture
async def app(settings: Settings, clock: FixedClock) -> AsyncIterator[Application]:
    """The application on a clean database (tables emptied after each test, calendar kept)."""
    application = await open_application(settings, clock, migrate=False)
    try:
        yield application
    finally:
        async with application.engine.begin() as connection:
            for table in reversed(metadata.sorted_tables):
                if table.name not in KEEP_TABLES:
                    await connection.execute(delete(table))
            # Years past the seed are imported by tests: drop them so the next test starts seeded only.
            await connection.execute(delete(calendar_days).where(calendar_days.c.day >= date(2027, 1, 1)))
            await connection.execute(delete(calendar_years).where(calendar_years.c.year >= 2027))
        await application.close()
