"""SQLite statements in ONE hand-off to aiosqlite's thread instead of four (issue 15).

aiosqlite runs every call on its connection's own thread: the event loop queues the call, the thread runs
it and wakes the loop back up (a queue put, a thread wake-up, a self-pipe write — slow syscalls on this
kind of virtual machine). SQLAlchemy's cursor for it makes four such calls per statement: open a cursor,
execute, fetch the rows, close the cursor. This cursor does the same four things in one call on the
thread, so a statement costs one hand-off: the same sqlite3 calls, in the same order, on the same thread
(sqlite3 objects never leave it), under the connection's same statement mutex.

Installed for every aiosqlite connection by `install()` (nocert_core/adapters/sql/db.py, SQLite engines).
Server-side cursors (`stream`) keep SQLAlchemy's own cursor. nocert's own engines have no thread at all
since session 8: their connections are `sqlite_inline.InlineConnection`s, and the same call runs on the
event loop's thread (`run_statement`).
"""

from __future__ import annotations

import collections
import sqlite3
from typing import Any

from sqlalchemy.dialects.sqlite import aiosqlite as sa_aiosqlite

from nocert_core.adapters.sqlite import sqlite_inline


def _run(
    connection: sqlite3.Connection, operation: str, parameters: Any, many: bool
) -> tuple[Any, int, int | None, list[Any]]:
    """On aiosqlite's thread: the statement, its rows, and what the cursor reports."""
    cursor = connection.cursor()
    try:
        if many:
            cursor.executemany(operation, parameters)
        else:
            cursor.execute(operation, () if parameters is None else parameters)
        rows = cursor.fetchall() if cursor.description else []
        return cursor.description, cursor.rowcount, cursor.lastrowid, rows
    finally:
        cursor.close()


class OneHandoffCursor(sa_aiosqlite.AsyncAdapt_aiosqlite_cursor):
    """SQLAlchemy's aiosqlite cursor, with each statement one call on the connection's thread."""

    __slots__ = ("_done_description", "_done_lastrowid", "_done_rowcount", "_size")

    def __init__(self, adapt_connection: Any) -> None:  # no driver cursor is opened ahead
        self._adapt_connection = adapt_connection
        self._connection = adapt_connection._connection
        self._cursor = None  # type: ignore[assignment]
        self._soft_closed_memoized = {}  # type: ignore[assignment]
        self._rows = collections.deque()
        self._done_description: Any = None
        self._done_rowcount = -1
        self._done_lastrowid: int | None = None
        self._size = 1

    @property
    def description(self) -> Any:
        return self._done_description

    @property
    def rowcount(self) -> int:
        return self._done_rowcount

    @property
    def lastrowid(self) -> int:
        return self._done_lastrowid  # type: ignore[return-value]

    @property
    def arraysize(self) -> int:
        return self._size

    @arraysize.setter
    def arraysize(self, value: int) -> None:
        self._size = value

    async def _async_soft_close(self) -> None:
        return None  # the rows are read already; nothing is held on the thread

    def close(self) -> None:
        self._rows.clear()

    def setinputsizes(self, *inputsizes: Any) -> None:
        return None

    async def _execute_async(self, operation: Any, parameters: Any) -> Any:
        return await self._run(operation, parameters, many=False)

    async def _executemany_async(self, operation: Any, seq_of_parameters: Any) -> Any:
        return await self._run(operation, seq_of_parameters, many=True)

    async def _run(self, operation: Any, parameters: Any, *, many: bool) -> Any:
        connection = self._connection
        async with self._adapt_connection._execute_mutex:
            if isinstance(connection, sqlite_inline.InlineConnection):  # nocert's engines: no thread at all
                done = await connection.run_statement(_run, operation, parameters, many)
            else:
                done = await connection._execute(_run, connection._conn, operation, parameters, many)
        self._done_description, self._done_rowcount, self._done_lastrowid, rows = done
        self._rows = collections.deque(rows)
        return self


def install() -> None:
    """Every aiosqlite connection SQLAlchemy opens from now on uses `OneHandoffCursor`."""
    sa_aiosqlite.AsyncAdapt_aiosqlite_connection._cursor_cls = OneHandoffCursor
