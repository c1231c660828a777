"""A statement that is a whole transaction by itself (`UnitOfWorkFactory.execute_alone`): on PostgreSQL it
runs straight on the pooled asyncpg connection (nocert_core/adapters/alone_pg.py), with what SQLAlchemy
would send, committed by itself, and a lost connection costs one statement, not one per stale connection."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import bindparam, event, select, update

from nocert_core.adapters import db, orm
from nocert_core.bootstrap import Application
from nocert_core.services.messaging import outbox
from tests.integration.storage.test_db_connections import fill_the_pool, kill_connections
from tests.integration.storage.test_sent_marks import leased_replies

_SET_ERROR = (
    update(orm.outbox)
    .where(orm.outbox.c.id == bindparam("row_id"), orm.outbox.c.status == outbox.PENDING)
    .values(last_error=bindparam("error"), extra=bindparam("extra"), available_at=bindparam("at"))
)


@pytest.fixture
def postgres_app(app: Application) -> Application:
    if db.is_sqlite(app.settings.database_url):
        pytest.skip("the asyncpg path is PostgreSQL's")
    return app


async def test_a_statement_alone_writes_typed_values_commits_and_counts_its_rows(app: Application) -> None:
    claims = await leased_replies(app, 2)
    at = datetime(2026, 12, 1, 8, 30, tzinfo=UTC)
    parameters = {"row_id": claims[0].id, "error": "busy", "extra": {"parts_sent": 2}, "at": at}

    changed, returned = await app.uow.execute_alone(_SET_ERROR, parameters)

    assert (changed, returned) == (1, [])
    async with app.uow() as uow:  # another transaction sees it: committed
        row = (
            await uow.session.execute(
                select(orm.outbox.c.last_error, orm.outbox.c.extra, orm.outbox.c.available_at).where(
                    orm.outbox.c.id == claims[0].id
                )
            )
        ).one()
    assert tuple(row) == ("busy", {"parts_sent": 2}, at)
    assert (await app.uow.execute_alone(_SET_ERROR, {**parameters, "row_id": -1}))[0] == 0


async def test_a_statement_alone_is_seen_by_the_engines_statement_listeners(app: Application) -> None:
    (claim,) = await leased_replies(app, 1)
    seen: list[str] = []

    def note(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        seen.append(statement)

    event.listen(app.engine.sync_engine, "after_cursor_execute", note)
    try:
        await app.uow.execute_alone(
            _SET_ERROR, {"row_id": claim.id, "error": "x", "extra": {}, "at": datetime.now(UTC)}
        )
    finally:
        event.remove(app.engine.sync_engine, "after_cursor_execute", note)
    assert [statement.split()[:2] for statement in seen] == [["UPDATE", "outbox"]]


async def test_a_connection_lost_fails_one_statement_alone_and_the_next_one_works(
    postgres_app: Application, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = postgres_app
    (claim,) = await leased_replies(app, 1)
    await fill_the_pool(app, 3)
    monkeypatch.setattr(db, "IDLE_PING_SECONDS", 3600.0)  # busy: no connection is pinged
    assert await kill_connections(app) >= 3
    parameters = {"row_id": claim.id, "error": "x", "extra": {}, "at": datetime.now(UTC)}
    failures = 0
    for _ in range(4):
        try:
            await app.uow.execute_alone(_SET_ERROR, parameters)
        except Exception:
            failures += 1
    # The first failure invalidates the whole pool (as SQLAlchemy does): not one per stale connection.
    assert failures == 1
    assert app.engine.sync_engine.pool.checkedout() == 0  # every connection given back


async def test_a_statement_the_server_refuses_leaves_the_connection_usable(postgres_app: Application) -> None:
    app = postgres_app
    (claim,) = await leased_replies(app, 1)
    refused = {"row_id": claim.id, "error": "x", "extra": {}, "at": None}  # available_at is NOT NULL
    with pytest.raises(Exception, match="null value"):
        await app.uow.execute_alone(_SET_ERROR, refused)
    assert app.engine.sync_engine.pool.checkedout() == 0
    parameters = {"row_id": claim.id, "error": "x", "extra": {}, "at": datetime.now(UTC)}
    assert (await app.uow.execute_alone(_SET_ERROR, parameters))[0] == 1
