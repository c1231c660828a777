"""PostgreSQL: a statement that is a whole transaction by itself, run straight on a pooled asyncpg connection.

The update path's autocommit statements (a getUpdates batch into the inbox, the "sent" marks, a multi-part
message's progress) went through SQLAlchemy's `Connection`: a checkout wrapped in a connection object, the
isolation level switched to autocommit and back on return, the statement's cache key computed, an execution
context and a result built — ~200 µs of CPU per statement, where asyncpg itself takes ~35 µs
(docs/performance.md, sessions 7 and 8). Here a statement is compiled once (SQLAlchemy's own compiler and
bind processors, so it sends exactly what SQLAlchemy would) and run as an asyncpg prepared statement on a
connection checked out from the same pool (its checkout events, the idle ping among them, run as usual).
Outside a transaction block PostgreSQL commits each statement by itself, as in autocommit.

What stays SQLAlchemy's: the pool; a disconnect during the statement invalidates the whole pool, as
SQLAlchemy does (a server restart costs at most the statements in hand); the engine's
`before/after_cursor_execute` listeners are called (benches and tests count statements with them).
A statement this cannot run as one prepared text (an expanding IN list) is left to SQLAlchemy
(`compiled` answers None).
"""

from __future__ import annotations

import weakref
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy.ext.asyncio import AsyncEngine
from sqlalchemy.sql import Executable
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.util import greenlet_spawn

_Processor = Callable[[Any], Any]


@dataclass(frozen=True)
class CompiledAlone:
    sql: str
    names: tuple[str, ...]  # the parameters in $1, $2… order
    processors: tuple[_Processor | None, ...]  # each parameter's bind processor (types, JSON)
    compiled: SQLCompiler

    def arguments(self, parameters: dict[str, Any] | None) -> list[Any]:
        values = self.compiled.construct_params(parameters or {})
        return [
            value if processor is None else processor(value)
            for value, processor in zip((values[name] for name in self.names), self.processors, strict=True)
        ]


class AloneStatements:
    """Runs `UnitOfWorkFactory.execute_alone`'s statements on PostgreSQL (see the module docstring)."""

    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine
        self._compiled: dict[Executable, CompiledAlone | None] = {}
        # per asyncpg connection: its prepared statements by SQL text (a replaced connection starts afresh)
        self._prepared: weakref.WeakKeyDictionary[Any, dict[str, Any]] = weakref.WeakKeyDictionary()

    def compiled(self, statement: Executable) -> CompiledAlone | None:
        if statement not in self._compiled:
            self._compiled[statement] = _compile(statement, self._engine)
        return self._compiled[statement]

    async def execute(
        self, compiled: CompiledAlone, parameters: dict[str, Any] | None
    ) -> tuple[int, Sequence[Any]]:
        """(rowcount, returned rows: asyncpg records, read by position or column name)."""
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
        return (int(last) if last.isdigit() else len(rows)), rows

    async def _statement(self, connection: Any, sql: str) -> Any:
        statements = self._prepared.get(connection)
        if statements is None:
            statements = self._prepared[connection] = {}
        prepared = statements.get(sql)
        if prepared is None:
            prepared = statements[sql] = await connection.prepare(sql)
        return prepared


def _compile(statement: Executable, engine: AsyncEngine) -> CompiledAlone | None:
    compiled = statement.compile(dialect=engine.dialect)  # type: ignore[attr-defined]
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
    return CompiledAlone(compiled.string, names, tuple(processors), compiled)


def _discard(fairy: Any, error: BaseException) -> None:
    """After a failed statement: a dead connection invalidates the pool (SQLAlchemy's rule for a
    disconnect: the others are likely dead too); any other failure only this connection, whose state
    (an interrupted protocol exchange) is not known."""
    connection = fairy.driver_connection
    if (connection is not None and connection.is_closed()) or isinstance(error, OSError):
        fairy._pool._invalidate(fairy, error if isinstance(error, Exception) else None)
    elif isinstance(error, Exception) and _is_statement_error(error):
        fairy.close()  # the server refused this statement (a constraint, a type): the connection is fine
        return
    if fairy.is_valid:
        fairy.invalidate(error if isinstance(error, Exception) else None)
    fairy.close()


def _is_statement_error(error: Exception) -> bool:
    from asyncpg.exceptions import PostgresError

    return isinstance(error, PostgresError)
