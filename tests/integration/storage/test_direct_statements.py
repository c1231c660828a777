"""Prebuilt statements run past SQLAlchemy's execution on PostgreSQL (nocert_core/adapters/sql/direct.py),
with what SQLAlchemy would send: a statement that is a whole transaction by itself (`execute_alone`) straight
on a pooled asyncpg connection, committed by itself; one inside a unit of work (`execute_in`) part of its
transaction, after its pending changes, failing as SQLAlchemy fails. A lost connection costs one statement
or transaction, not one per stale connection. On SQLite the same calls go through SQLAlchemy."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import bindparam, event, insert, select, update
from sqlalchemy.exc import DBAPIError, IntegrityError

from nocert_core.adapters.sql import db, orm
from nocert_core.adapters.sql.direct import execute_in
from nocert_core.adapters.sql.tables_chat import chat_processed_updates
from nocert_core.bootstrap import Application
from nocert_core.domain.units import Unit
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


_REMEMBER = insert(chat_processed_updates).values(update_key=bindparam("key"), processed_at=bindparam("at"))
_UNIT_NAMED = select(orm.units.c.code).where(orm.units.c.name == bindparam("name"))


async def remembered(app: Application, key: str) -> bool:
    async with app.uow() as uow:
        return bool(await uow.chat.was_processed(key))


async def test_a_statement_in_a_unit_of_work_is_part_of_its_transaction(app: Application) -> None:
    at = datetime.now(UTC)
    async with app.uow() as uow:  # the transaction's first statement: it begins the transaction
        assert await execute_in(uow.session, _REMEMBER, {"key": "rolled-back", "at": at}) == (1, [])
        await uow.rollback()
    async with app.uow() as uow:
        await execute_in(uow.session, _REMEMBER, {"key": "committed", "at": at})
        await uow.commit()
    assert not await remembered(app, "rolled-back")
    assert await remembered(app, "committed")


async def test_pending_changes_are_flushed_before_a_statement_in_a_unit_of_work(app: Application) -> None:
    async with app.uow() as uow:
        uow.units.add(Unit(code="NEW", name="刚加的单位"))
        _, rows = await execute_in(uow.session, _UNIT_NAMED, {"name": "刚加的单位"})
        assert [row[0] for row in rows] == ["NEW"]


async def test_a_statement_in_a_unit_of_work_fails_as_sqlalchemy_would(app: Application) -> None:
    at = datetime.now(UTC)
    async with app.uow() as uow:
        await execute_in(uow.session, _REMEMBER, {"key": "twice", "at": at})
        with pytest.raises(IntegrityError):
            await execute_in(uow.session, _REMEMBER, {"key": "twice", "at": at})


async def test_a_connection_lost_fails_one_unit_of_work_and_the_next_one_works(
    postgres_app: Application, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = postgres_app
    await fill_the_pool(app, 3)
    monkeypatch.setattr(db, "IDLE_PING_SECONDS", 3600.0)
    assert await kill_connections(app) >= 3
    failures = 0
    for n in range(4):
        try:
            async with app.uow() as uow:
                await execute_in(uow.session, _REMEMBER, {"key": f"after-{n}", "at": datetime.now(UTC)})
                await uow.commit()
        except DBAPIError as error:
            assert error.connection_invalidated
            failures += 1
    assert failures == 1  # the first failure invalidated the whole pool
