"""The update path's prebuilt statements run on the driver directly, past SQLAlchemy's execution.

SQLAlchemy runs a statement through a `Connection`: the statement's cache key computed, an execution context
and a result built, for an autocommit statement also a checkout wrapper and the isolation level set and
reset — ~150–200 µs of CPU per statement, where asyncpg itself takes ~35 µs (docs/performance.md,
sessions 7 and 8). Here a statement is compiled once (SQLAlchemy's own compiler and bind processors, so it
sends exactly what SQLAlchemy would) and then:

- `AloneStatements.execute` — a statement that is a whole transaction by itself
  (`UnitOfWorkFactory.execute_alone`: the inbox batch, the sent marks): an asyncpg prepared statement on a
  connection checked out from the same pool (its checkout events, the idle ping among them, run as usual).
  Outside a transaction block PostgreSQL commits each statement by itself, as in autocommit;
- `execute_in` — a statement inside a unit of work's transaction (the inbox look, the inbox mark with the
  reply rows, the Submit's checks), on PostgreSQL and SQLite: after the session's autoflush, through the
  DBAPI cursor of the session's own connection (SQLAlchemy's driver adapter: on PostgreSQL it begins the
  transaction if this is the first statement and keeps its prepared statements; sqlite3 begins one before
  a write as ever), with the driver's errors raised as SQLAlchemy raises them.

What stays SQLAlchemy's: the pool; a disconnect during the statement invalidates the whole pool, as
SQLAlchemy does (a server restart costs at most the statements in hand); the engine's
`before/after_cursor_execute` listeners are called (benches and tests count statements with them).
Rows are read by position: the driver's own (asyncpg records, sqlite3 tuples) when no column needs
converting, else tuples through the columns' result processors, as SQLAlchemy would give them (SQLite's
text timestamps and JSON). A statement that cannot run as one text (an expanding IN list) is left to
SQLAlchemy.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import exc
from sqlalchemy.engine import Connection, Dialect
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession
from sqlalchemy.orm import Session
from sqlalchemy.sql import Executable
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.util import greenlet_spawn

_Processor = Callable[[Any], Any]


@dataclass(frozen=True)
class CompiledStatement:
    sql: str
    names: tuple[str, ...]  # the parameters in $1, $2… order
    processors: tuple[_Processor | None, ...]  # each parameter's bind processor (types, JSON)
    compiled: SQLCompiler
    columns: tuple[_Processor | None, ...] | None  # each result column's processor; None: none has one

    def arguments(self, parameters: dict[str, Any] | None) -> list[Any]:
        values = self.compiled.construct_params(parameters or {})
        return [
            value if processor is None else processor(value)
            for value, processor in zip((values[name] for name in self.names), self.processors, strict=True)
        ]

    def rows(self, rows: Sequence[Any]) -> Sequence[Any]:
        if self.columns is None:
            return rows
        columns = self.columns
        return [
            tuple(value if to is None else to(value) for value, to in zip(row, columns, strict=True))
            for row in rows
        ]


_compiled: dict[tuple[Executable, str], CompiledStatement | None] = {}


def compiled_for(statement: Executable, dialect: Dialect) -> CompiledStatement | None:
    """The statement compiled for this dialect once, or None when it cannot run as one text."""
    key = (statement, dialect.name)
    if key not in _compiled:
        _compiled[key] = _compile(statement, dialect)
    return _compiled[key]


class AloneStatements:
    """Runs `UnitOfWorkFactory.execute_alone`'s statements on PostgreSQL (see the module docstring)."""

    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine
        # per asyncpg connection: its prepared statements by SQL text (a replaced connection starts afresh)
        self._prepared: weakref.WeakKeyDictionary[Any, dict[str, Any]] = weakref.WeakKeyDictionary()

    def compiled(self, statement: Executable) -> CompiledStatement | None:
        return compiled_for(statement, self._engine.dialect)

    async def execute(
        self, compiled: CompiledStatement, parameters: dict[str, Any] | None
    ) -> tuple[int, Sequence[Any]]:
        """(rowcount, returned rows: asyncpg records, read by position)."""
        arguments = compiled.arguments(parameters)
        sync_engine = self._engine.sync_engine
        fairy = await greenlet_spawn(sync_engine.raw_connection)  # the pool's checkout, its events
        connection = fairy.driver_connection
        try:
            listeners = sync_engine.dispatch
            if listeners.before_cursor_execute:
                for listener in listeners.before_cursor_execute:
                    listener(fairy, None, compiled.sql, arguments, None, False)
            prepared = await self._statement(connection, compiled.sql)
            rows = await prepared.fetch(*arguments)
            status = prepared.get_statusmsg() or ""
            if listeners.after_cursor_execute:
                for listener in listeners.after_cursor_execute:
                    listener(fairy, None, compiled.sql, arguments, None, False)
        except BaseException as error:
            self._prepared.pop(connection, None)  # prepared again on this connection's next use
            await greenlet_spawn(_discard, fairy, error)
            raise
        await greenlet_spawn(fairy.close)  # back to the pool (nothing to roll back: no transaction)
        last = status.rsplit(" ", 1)[-1]
        return (int(last) if last.isdigit() else len(rows)), compiled.rows(rows)

    async def _statement(self, connection: Any, sql: str) -> Any:
        statements = self._prepared.get(connection)
        if statements is None:
            statements = self._prepared[connection] = {}
        prepared = statements.get(sql)
        if prepared is None:
            prepared = statements[sql] = await connection.prepare(sql)
        return prepared


async def execute_in(
    session: AsyncSession, statement: Executable, parameters: dict[str, Any] | None = None
) -> tuple[int, Sequence[Any]]:
    """A prebuilt statement in the session's transaction: (rowcount, returned rows, read by position),
    through the connection's DBAPI cursor (see the module docstring); a statement that cannot be compiled
    once through `session.execute`."""
    compiled = compiled_for(statement, session.get_bind().dialect)
    if compiled is None:
        result: Any = await session.execute(statement, parameters)
        rows = list(result.all()) if result.returns_rows else []
        return int(getattr(result, "rowcount", 0) or 0), rows
    arguments = compiled.arguments(parameters)
    return await greenlet_spawn(_execute_in_transaction, session.sync_session, compiled, arguments)


def _execute_in_transaction(
    session: Session, compiled: CompiledStatement, arguments: list[Any]
) -> tuple[int, list[Any]]:
    if session.autoflush:
        session.flush()  # as session.execute would first: pending ORM changes go before the statement
    connection = session.connection()
    assert isinstance(connection, Connection)
    fairy = connection.connection
    cursor = fairy.cursor()
    dialect = connection.dialect
    listeners = connection.dispatch
    if listeners.before_cursor_execute:
        for listener in listeners.before_cursor_execute:
            listener(connection, cursor, compiled.sql, arguments, None, False)
    try:
        cursor.execute(compiled.sql, arguments)
        rows = list(compiled.rows(cursor.fetchall())) if cursor.description else []
        rowcount = int(cursor.rowcount)
    except dialect.loaded_dbapi.Error as error:
        disconnect = dialect.is_disconnect(error, fairy.dbapi_connection, cursor)
        if disconnect:  # as SQLAlchemy does: the pool's other connections are likely dead too
            connection.engine.pool._invalidate(fairy, error)
            connection.invalidate(error)
        raise exc.DBAPIError.instance(
            compiled.sql,
            arguments,
            error,
            dialect.loaded_dbapi.Error,
            hide_parameters=True,
            dialect=dialect,
            connection_invalidated=disconnect,
        ) from error
    finally:
        cursor.close()
    if listeners.after_cursor_execute:
        for listener in listeners.after_cursor_execute:
            listener(connection, cursor, compiled.sql, arguments, None, False)
    return rowcount, rows


def _compile(statement: Executable, dialect: Dialect) -> CompiledStatement | None:
    compiled = statement.compile(dialect=dialect)  # type: ignore[attr-defined]
    assert isinstance(compiled, SQLCompiler)
    if compiled.positiontup is None or compiled.literal_execute_params or compiled.post_compile_params:
        return None  # expanding IN lists and the like are rendered per call: SQLAlchemy's job
    names = tuple(compiled.positiontup)
    processors: list[_Processor | None] = []
    for name in names:
        processor = compiled._bind_processors.get(name)
        if processor is not None and not callable(processor):
            return None  # a tuple's per-element processors
        processors.append(processor)
    columns = tuple(column[3]._cached_result_processor(dialect, None) for column in compiled._result_columns)
    return CompiledStatement(
        compiled.string,
        names,
        tuple(processors),
        compiled,
        columns if any(convert is not None for convert in columns) else None,
    )


def _discard(fairy: Any, error: BaseException) -> None:
    """After a failed statement alone: a dead connection invalidates the pool (SQLAlchemy's rule for a
    disconnect: the others are likely dead too); a statement the server refused leaves the connection as
    it is; anything else (an interrupted protocol exchange) discards this connection."""
    connection = fairy.driver_connection
    if (connection is not None and connection.is_closed()) or isinstance(error, OSError):
        fairy._pool._invalidate(fairy, error if isinstance(error, Exception) else None)
    elif isinstance(error, Exception) and _is_statement_error(error):
        fairy.close()
        return
    if fairy.is_valid:
        fairy.invalidate(error if isinstance(error, Exception) else None)
    fairy.close()


def _is_statement_error(error: Exception) -> bool:
    from asyncpg.exceptions import PostgresError

    return isinstance(error, PostgresError)
