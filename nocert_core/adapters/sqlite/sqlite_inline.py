"""SQLite on the event loop's own thread: no hand-off to a thread per statement (issue 15).

aiosqlite runs each call on its connection's thread: the loop queues it, the thread wakes, runs it and wakes
the loop back (a queue put, a futex, a self-pipe write and an epoll wake-up; ~14 of them per update, more
CPU than the statements themselves on this kind of virtual machine). A statement on a local SQLite file
takes microseconds, so here it runs where it is called. What the thread bought was that a statement
waiting for the write lock (SQLite's busy timeout) did not stop the loop; instead:

- **one writer at a time in the process**: a statement that opens a write transaction (the driver begins
  one before an INSERT/UPDATE/DELETE/REPLACE) first takes the database's write turn, an `asyncio.Lock`
  held until COMMIT or ROLLBACK; the process's own writers queue there without polling;
- **no busy wait on the loop**: the connections' busy timeout is 0, so a lock held by another process (the
  CLI, a second instance) fails the statement at once with SQLITE_BUSY, and it is tried again after an
  `asyncio.sleep` (1 ms doubling to 50 ms) until `BUSY_SECONDS` — the old busy timeout — have passed; then
  "database is locked" is raised as before and the update is retried by the runtime. Retrying the
  statement is what SQLite's own busy handler does (the failed attempt took no lock); a write turn waited
  for as long raises the same error;
- **checkpoints off the loop**: the WAL is copied back into the database (two fsyncs) by a worker thread
  on a connection of its own (`wal_checkpoint(PASSIVE)`, which never waits for a lock) once the process's
  commits have changed `CHECKPOINT_ROWS` rows since the last one, not inside a COMMIT on the loop
  (`wal_autocheckpoint` is 0 on these connections).

Installed by `nocert_core/adapters/sql/db.py` for every SQLite engine (`async_creator`): SQLAlchemy's
aiosqlite dialect is kept and sees an object with aiosqlite's connection methods; statements go through
`sqlite_cursor.OneHandoffCursor`, which calls `run_statement`. A long statement (a report over years of
complaints) now holds the loop while it runs, as the Python work on its rows already did.
"""

from __future__ import annotations

import asyncio
import functools
import sqlite3
import time
import weakref
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

T = TypeVar("T")

BUSY_SECONDS = 10.0  # how long a statement waits for another connection's lock, as the busy timeout did
FIRST_RETRY_SECONDS = 0.001
LAST_RETRY_SECONDS = 0.05
CHECKPOINT_ROWS = 1000  # rows changed between two checkpoints (a page or a few each: ~SQLite's 1,000 pages)

_WRITE_VERBS = ("insert", "update", "delete", "replace")


def begins_write(operation: str) -> bool:
    """True when the driver opens a transaction before `operation` (sqlite3's legacy transaction control:
    a statement that starts with INSERT, UPDATE, DELETE or REPLACE)."""
    return operation.lstrip()[:7].lower().startswith(_WRITE_VERBS)


def is_busy(error: BaseException) -> bool:
    """SQLITE_BUSY that waiting can clear (not BUSY_SNAPSHOT: that transaction must start over)."""
    code = getattr(error, "sqlite_errorcode", None)
    return (
        isinstance(error, sqlite3.OperationalError)
        and code is not None
        and code & 0xFF == sqlite3.SQLITE_BUSY
        and code != sqlite3.SQLITE_BUSY_SNAPSHOT
    )


def _locked() -> sqlite3.OperationalError:
    return sqlite3.OperationalError("database is locked")


async def until_free(call: Callable[..., T], *args: Any) -> T:
    """`call(*args)` on this thread; while another connection's lock makes it fail with SQLITE_BUSY, wait
    asynchronously and call again, for at most BUSY_SECONDS."""
    try:
        return call(*args)
    except sqlite3.OperationalError as error:
        if not is_busy(error):
            raise
    deadline = time.monotonic() + BUSY_SECONDS
    delay = FIRST_RETRY_SECONDS
    while True:
        await asyncio.sleep(delay)
        try:
            return call(*args)
        except sqlite3.OperationalError as error:
            if not is_busy(error) or time.monotonic() >= deadline:
                raise
        delay = min(2 * delay, LAST_RETRY_SECONDS)


class Database:
    """What the connections to one file share in this process: the write turn (one `asyncio.Lock` per event
    loop: tests run several loops in turn) and the rows changed since the last checkpoint."""

    def __init__(self, path: str, connect_args: dict[str, Any]) -> None:
        self.path = path
        self.connect_args = connect_args
        self._turns: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Lock] = (
            weakref.WeakKeyDictionary()
        )
        self._changed = 0
        self._checkpointing = False

    def _turn(self) -> asyncio.Lock:
        loop = asyncio.get_running_loop()
        turn = self._turns.get(loop)
        if turn is None:
            turn = self._turns[loop] = asyncio.Lock()
        return turn

    async def take_write_turn(self) -> asyncio.Lock:
        """The turn, taken (give it back with its `release`)."""
        turn = self._turn()
        if not turn.locked():
            await turn.acquire()  # free: returns without suspending
            return turn
        try:
            await asyncio.wait_for(turn.acquire(), BUSY_SECONDS)
        except TimeoutError:
            raise _locked() from None
        return turn

    def committed(self, rows: int) -> None:
        """A commit that changed `rows` rows: a checkpoint on a worker thread when enough have been."""
        self._changed += rows
        if self._changed < CHECKPOINT_ROWS or self._checkpointing or "memory" in self.path:
            return  # (an in-memory database has no WAL to copy back, and another connection would not see it)
        self._changed = 0
        self._checkpointing = True
        future = asyncio.get_running_loop().run_in_executor(None, self._checkpoint)
        future.add_done_callback(self._checkpointed)

    def _checkpoint(self) -> None:
        """On a worker thread, on a connection of its own: copy what the WAL holds back into the file."""
        connection = sqlite3.connect(self.path, timeout=0, **self.connect_args)
        try:
            connection.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()
        finally:
            connection.close()

    def _checkpointed(self, future: asyncio.Future[None]) -> None:
        self._checkpointing = False
        if not future.cancelled():
            future.exception()  # a busy or failed checkpoint is retried after the next commits


class _RunNow:
    """aiosqlite's request queue, as SQLAlchemy uses it to set the isolation level: run the call now."""

    def put_nowait(self, item: tuple[asyncio.Future[Any], Callable[[], Any]]) -> None:
        future, function = item
        try:
            future.set_result(function())
        except Exception as error:  # handed to the waiter, as aiosqlite does
            future.set_exception(error)


class InlineConnection:
    """Stands in for `aiosqlite.Connection` under SQLAlchemy's aiosqlite dialect: the same coroutine
    methods, run on the calling (event loop's) thread."""

    def __init__(self, connection: sqlite3.Connection, database: Database) -> None:
        self._conn = connection
        self._connection: sqlite3.Connection | None = connection  # SQLAlchemy checks it before COMMIT
        self._database = database
        self._turn: asyncio.Lock | None = None  # the write turn, while this connection holds it
        self._changes = connection.total_changes  # rows changed through it, at its last commit
        self._tx = _RunNow()

    @property
    def isolation_level(self) -> str | None:
        return self._conn.isolation_level

    async def run_statement(self, run: Callable[..., T], operation: str, parameters: Any, many: bool) -> T:
        """`run(connection, operation, parameters, many)` (sqlite_cursor._run), in the write turn when the
        statement opens a write transaction."""
        if self._turn is None and not self._conn.in_transaction and begins_write(operation):
            self._turn = await self._database.take_write_turn()
        try:
            return await until_free(run, self._conn, operation, parameters, many)
        finally:
            self._done_unless_in_transaction()

    async def _execute(self, call: Callable[..., T], *args: Any) -> T:
        return await until_free(call, *args)

    async def commit(self) -> None:
        await until_free(self._conn.commit)
        self._done_unless_in_transaction()
        changes, self._changes = self._changes, self._conn.total_changes
        if self._changes > changes:
            self._database.committed(self._changes - changes)

    async def rollback(self) -> None:
        self._conn.rollback()
        self._done_unless_in_transaction()

    async def close(self) -> None:
        self.stop()

    def stop(self) -> None:
        """Close at once (SQLAlchemy's terminate, also outside a greenlet: garbage collection)."""
        if self._connection is None:
            return
        self._connection = None
        try:
            self._conn.close()
        finally:
            self._give_turn()

    async def create_function(self, *args: Any, **kwargs: Any) -> None:
        self._conn.create_function(*args, **kwargs)

    def cursor(self) -> InlineCursor:
        return InlineCursor(self)

    def _done_unless_in_transaction(self) -> None:
        if self._turn is not None and not self._conn.in_transaction:
            self._give_turn()

    def _give_turn(self) -> None:
        turn, self._turn = self._turn, None
        if turn is not None and turn.locked():
            turn.release()


class InlineCursor:
    """aiosqlite's cursor, for SQLAlchemy's server-side cursors (`stream`): the rows are fetched as asked."""

    def __init__(self, connection: InlineConnection) -> None:
        self._inline = connection
        self._cursor = connection._conn.cursor()

    async def __aenter__(self) -> InlineCursor:
        return self

    async def execute(self, operation: str, parameters: Any = ()) -> InlineCursor:
        def run(connection: sqlite3.Connection, operation: str, parameters: Any, _many: bool) -> None:
            self._cursor.execute(operation, parameters)

        await self._inline.run_statement(run, operation, parameters, False)
        return self

    async def executemany(self, operation: str, parameters: Any) -> InlineCursor:
        def run(connection: sqlite3.Connection, operation: str, parameters: Any, _many: bool) -> None:
            self._cursor.executemany(operation, parameters)

        await self._inline.run_statement(run, operation, parameters, True)
        return self

    async def fetchone(self) -> Any:
        return self._cursor.fetchone()

    async def fetchmany(self, size: int | None = None) -> list[Any]:
        return self._cursor.fetchmany(self._cursor.arraysize if size is None else size)

    async def fetchall(self) -> list[Any]:
        return self._cursor.fetchall()

    async def close(self) -> None:
        self._cursor.close()

    @property
    def description(self) -> Any:
        return self._cursor.description

    @property
    def rowcount(self) -> int:
        return self._cursor.rowcount

    @property
    def lastrowid(self) -> int | None:
        return self._cursor.lastrowid

    @property
    def arraysize(self) -> int:
        return self._cursor.arraysize

    @arraysize.setter
    def arraysize(self, value: int) -> None:
        self._cursor.arraysize = value


_PRAGMAS = (
    "PRAGMA journal_mode=WAL",
    "PRAGMA busy_timeout=0",  # a lock held elsewhere fails at once; `until_free` waits off the loop
    "PRAGMA wal_autocheckpoint=0",  # `Database.committed` checkpoints on a worker thread
    "PRAGMA foreign_keys=ON",
    "PRAGMA synchronous=NORMAL",
)


def connector(path: str, connect_args: dict[str, Any]) -> Callable[[], Awaitable[InlineConnection]]:
    """SQLAlchemy's `async_creator` for the SQLite file `path` (`connect_args` as the dialect makes them
    from the URL: `uri`, ...)."""
    database = Database(path, {key: value for key, value in connect_args.items() if key == "uri"})
    args = {**connect_args, "check_same_thread": False, "timeout": 0}

    async def connect() -> InlineConnection:
        connection = await until_free(functools.partial(sqlite3.connect, path, **args))
        try:
            for pragma in _PRAGMAS:
                await until_free(connection.execute, pragma)
        except BaseException:
            connection.close()
            raise
        return InlineConnection(connection, database)

    return connect
