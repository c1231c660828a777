"""Engines: SQLite (WAL, foreign keys; on the event loop's thread, adapters/sqlite/sqlite_inline.py) by
default, PostgreSQL via asyncpg in production."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from sqlalchemy import event, exc, text
from sqlalchemy.dialects.sqlite.aiosqlite import SQLiteDialect_aiosqlite
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker, create_async_engine

from nocert_core.adapters.sql.schema import start_mappers
from nocert_core.adapters.sqlite import sqlite_cursor, sqlite_inline


def is_sqlite(url: str) -> bool:
    return make_url(url).get_backend_name() == "sqlite"


def create_engine(
    url: str, *, pool_size: int | None = None, max_overflow: int | None = None, **kwargs: Any
) -> AsyncEngine:
    """`pool_size`: connections kept open, plus `max_overflow` (default: at least 8) for bursts; an
    overflow connection is closed when given back, and opening one (a thread and pragmas on SQLite, a login
    on PostgreSQL) costs more than an update's whole transaction."""
    start_mappers()
    # SQL errors would otherwise quote their parameters (names, phones, facts) into exception text and logs.
    kwargs.setdefault("hide_parameters", True)
    database = make_url(url).database
    if pool_size is not None and not (is_sqlite(url) and database in (None, "", ":memory:")):
        kwargs.setdefault("pool_size", pool_size)
        kwargs.setdefault(
            "max_overflow", max_overflow if max_overflow is not None else max(8, pool_size // 2)
        )
    if is_sqlite(url):
        if database and database != ":memory:":
            Path(database).expanduser().parent.mkdir(parents=True, exist_ok=True)
        sqlite_cursor.install()  # a statement in one call, not four
        # Statements on the event loop's thread, not aiosqlite's (WAL, busy timeout, the write turn,
        # checkpoints: adapters/sqlite/sqlite_inline.py).
        [path], connect_args = SQLiteDialect_aiosqlite().create_connect_args(make_url(url))
        kwargs.setdefault("async_creator", sqlite_inline.connector(path, dict(connect_args)))
        return create_async_engine(url, **kwargs)
    # No ping before every checkout (a round trip per transaction): connections are recycled after
    # RECYCLE_SECONDS, one idle longer than IDLE_PING_SECONDS is pinged before use (a dead one is replaced
    # by the pool, which retries the checkout), and a disconnect during a statement invalidates the whole
    # pool (SQLAlchemy's default), so after a server restart at most the update in hand fails.
    kwargs.setdefault("pool_recycle", RECYCLE_SECONDS)
    engine = create_async_engine(url, **kwargs)
    event.listen(engine.sync_engine.pool, "checkin", _remember_checkin)
    event.listen(engine.sync_engine.pool, "checkout", _ping_if_idle)
    return engine


RECYCLE_SECONDS = 1800
IDLE_PING_SECONDS = 20.0


def _remember_checkin(_dbapi_connection: Any, record: Any) -> None:
    if record is not None:
        record.info["checked_in_at"] = time.monotonic()


def _ping_if_idle(dbapi_connection: Any, record: Any, _proxy: Any) -> None:
    checked_in_at = record.info.get("checked_in_at")
    if checked_in_at is None or time.monotonic() - checked_in_at < IDLE_PING_SECONDS:
        return
    try:
        dbapi_connection.ping()
    except Exception as error:  # gone while idle: the pool discards it and checks out another
        raise exc.DisconnectionError(str(error)) from error


async def connection_budget_warning(engine: AsyncEngine) -> str | None:
    """PostgreSQL: a warning when this process may open more connections (its pool and overflow) than the
    server has free now — several instances with large pools exhaust `max_connections`, and then every
    instance's new connections fail ("too many clients"). None when there is room, and on SQLite."""
    if engine.dialect.name != "postgresql":
        return None
    pool: Any = engine.sync_engine.pool
    most = int(pool.size()) + max(0, int(getattr(pool, "_max_overflow", 0)))
    async with engine.connect() as connection:
        allowed = int((await connection.execute(text("SHOW max_connections"))).scalar_one())
        reserved = int((await connection.execute(text("SHOW superuser_reserved_connections"))).scalar_one())
        in_use = int(
            (
                await connection.execute(
                    text("SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'client backend'")
                )
            ).scalar_one()
        )
    free = allowed - reserved - in_use + 1  # this check's own connection is one of ours
    if most <= free:
        return None
    return (
        f"this instance may open up to {most} database connections (NOCERT_DB_POOL_SIZE + "
        f"NOCERT_DB_MAX_OVERFLOW) but PostgreSQL has only {free} free (max_connections {allowed}, "
        f"{reserved} reserved, {in_use} in use): lower the pool or raise max_connections"
    )


def session_factory(engine: AsyncEngine) -> async_sessionmaker[Any]:
    return async_sessionmaker(engine, expire_on_commit=False, autoflush=True)
