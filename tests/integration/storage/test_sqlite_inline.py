"""SQLite on the event loop's thread (nocert_core/adapters/sqlite/sqlite_inline.py): another process holding
the write lock (the CLI) neither stops the loop nor breaks a write, the process's own writers take turns, a
lock held too long fails as the busy timeout did, and the WAL is checkpointed off the loop."""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.exc import OperationalError
from sqlalchemy.ext.asyncio import AsyncEngine

from handlers.dialogs.dialog_store import DatabaseStateStorage
from handlers.dispatch.dispatcher import Dispatcher
from nocert_core.adapters.sql import db
from nocert_core.adapters.sqlite import sqlite_inline
from nocert_core.bootstrap import Application
from tests.integration.chat_driver import add_units
from tests.integration.storage.test_group_commit import said, stored, texts


@pytest.fixture
async def engine(tmp_path: Path) -> AsyncIterator[AsyncEngine]:
    engine = db.create_engine(f"sqlite+aiosqlite:///{tmp_path / 'inline.db'}")
    async with engine.begin() as connection:
        await connection.execute(text("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT NOT NULL)"))
    try:
        yield engine
    finally:
        await engine.dispose()


def other_process_writing(path: str) -> sqlite3.Connection:
    """A connection of its own that holds the write lock (as `nocert` CLI writing does) until COMMIT."""
    other = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    other.execute("BEGIN IMMEDIATE")
    other.execute("INSERT INTO notes (body) VALUES ('from the CLI')")
    return other


def path_of(engine: AsyncEngine) -> str:
    return str(engine.url.database)


async def add_note(engine: AsyncEngine, body: str) -> None:
    async with engine.begin() as connection:
        await connection.execute(text("INSERT INTO notes (body) VALUES (:body)"), {"body": body})


async def bodies(engine: AsyncEngine) -> list[str]:
    async with engine.connect() as connection:
        return list((await connection.execute(text("SELECT body FROM notes ORDER BY id"))).scalars())


async def test_a_write_waits_for_another_processs_lock_while_the_loop_goes_on_reading(
    engine: AsyncEngine,
) -> None:
    await add_note(engine, "first")
    other = other_process_writing(path_of(engine))
    write = asyncio.create_task(add_note(engine, "while the CLI writes"))
    await asyncio.sleep(0.05)
    assert await bodies(engine) == ["first"]  # read on the loop while the write waits
    assert not write.done()
    other.execute("COMMIT")
    other.close()
    await write
    assert await bodies(engine) == ["first", "from the CLI", "while the CLI writes"]


async def test_a_lock_held_past_the_busy_time_fails_the_write_as_locked_and_the_next_write_goes_through(
    engine: AsyncEngine, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sqlite_inline, "BUSY_SECONDS", 0.1)
    other = other_process_writing(path_of(engine))
    with pytest.raises(OperationalError, match="database is locked"):
        await add_note(engine, "never written")
    other.execute("COMMIT")
    other.close()
    await add_note(engine, "after the CLI")
    assert await bodies(engine) == ["from the CLI", "after the CLI"]


async def test_the_processs_own_writers_take_turns_and_both_commit(engine: AsyncEngine) -> None:
    async with engine.begin() as first:
        await first.execute(text("INSERT INTO notes (body) VALUES ('first')"))
        second = asyncio.create_task(add_note(engine, "second"))
        await asyncio.sleep(0.05)
        assert not second.done()  # waiting for its turn, not failed
    await second
    assert await bodies(engine) == ["first", "second"]


async def test_a_write_turn_held_past_the_busy_time_fails_the_waiting_write_as_locked(
    engine: AsyncEngine, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sqlite_inline, "BUSY_SECONDS", 0.1)
    async with engine.begin() as first:
        await first.execute(text("INSERT INTO notes (body) VALUES ('first')"))
        with pytest.raises(OperationalError, match="database is locked"):
            await add_note(engine, "never written")
    await add_note(engine, "later")
    assert await bodies(engine) == ["first", "later"]


async def test_write_commits_are_checkpointed_into_the_database_file_by_a_worker_not_by_the_commit(
    engine: AsyncEngine, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sqlite_inline, "CHECKPOINT_ROWS", 5)
    database = Path(path_of(engine))
    empty = database.stat().st_size
    for n in range(4):
        await add_note(engine, f"{n}" * 20_000)
    assert database.stat().st_size == empty  # in the WAL only: no checkpoint inside a commit
    await add_note(engine, "fifth")
    for _ in range(500):  # the worker thread's checkpoint, however slow the machine
        if database.stat().st_size > empty:
            break
        await asyncio.sleep(0.01)
    assert database.stat().st_size > 80_000


async def test_an_update_that_comes_while_the_cli_holds_the_write_lock_is_answered_once_it_lets_go(
    app: Application,
) -> None:
    if app.uow.dialect != "sqlite":
        pytest.skip("SQLite only")
    await add_units(app)
    dispatcher = Dispatcher(app, DatabaseStateStorage(app))
    incoming = said(5001, 50010, "/complain")
    row = await stored(app, incoming)
    other = sqlite3.connect(str(app.engine.url.database), isolation_level=None, check_same_thread=False)
    other.execute("BEGIN IMMEDIATE")
    answer = asyncio.create_task(dispatcher.process(row, incoming, 30))
    await asyncio.sleep(0.1)
    assert not answer.done()
    other.execute("COMMIT")
    other.close()
    claims = await answer
    assert "name" in texts(claims).lower()
    assert (await DatabaseStateStorage(app).load("telegram:5001")).name == "ci.name"
