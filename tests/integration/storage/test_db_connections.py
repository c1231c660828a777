"""PostgreSQL connections without a ping before every transaction: a connection that died while idle is
replaced before use, and one that dies under load costs at most the transaction in hand."""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import text

from nocert_core.adapters.sql import db
from nocert_core.bootstrap import Application
from nocert_core.services.platform.uow import SqlAlchemyUnitOfWork
from tests.conftest import PG_ADMIN_DSN


async def count_units(app: Application) -> int:
    uow: SqlAlchemyUnitOfWork = app.uow()
    async with uow:
        return int((await uow.session.execute(text("SELECT count(*) FROM units"))).scalar_one())


async def kill_connections(app: Application) -> int:
    """Terminate every server connection to the application's database (as a server restart would)."""
    import asyncpg

    admin = await asyncpg.connect(PG_ADMIN_DSN)
    try:
        killed = await admin.fetchval(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = $1",
            app.engine.url.database,
        )
    finally:
        await admin.close()
    return int(killed)


async def fill_the_pool(app: Application, connections: int) -> None:
    async def hold() -> None:
        uow: SqlAlchemyUnitOfWork = app.uow()
        async with uow:
            await uow.session.execute(text("SELECT pg_sleep(0.05)"))

    await asyncio.gather(*(hold() for _ in range(connections)))


@pytest.fixture
def postgres_app(app: Application) -> Application:
    if db.is_sqlite(app.settings.database_url):
        pytest.skip("connection pooling concerns PostgreSQL")
    return app


async def test_a_connection_that_died_while_idle_is_replaced_before_use(
    postgres_app: Application, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = postgres_app
    await fill_the_pool(app, 3)
    monkeypatch.setattr(db, "IDLE_PING_SECONDS", 0.0)  # every pooled connection counts as idle
    assert await kill_connections(app) >= 3
    assert await count_units(app) == 0  # no error: the dead connection was noticed and replaced
    await app.engine.dispose()  # the other dead ones must not meet the fixture's clean-up


async def test_a_connection_lost_under_load_fails_one_transaction_and_the_next_one_works(
    postgres_app: Application, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = postgres_app
    await fill_the_pool(app, 3)
    monkeypatch.setattr(db, "IDLE_PING_SECONDS", 3600.0)  # busy: no connection is pinged
    assert await kill_connections(app) >= 3
    failures = 0
    for _ in range(4):
        try:
            await count_units(app)
        except Exception:
            failures += 1
    # The first failure invalidates the whole pool: not one failure per stale connection.
    assert failures == 1
