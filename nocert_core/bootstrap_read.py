"""Wiring of read-only commands: settings read without pydantic, the embedded SQLite database read with
the standard library (`adapters/sqlite/sqlite_reader.py`) when it is a file at the schema's head revision.

`open_reader()` returns None for anything else (PostgreSQL, a database still to create or migrate), and the
caller opens the full application (`bootstrap.open_application`) instead: `bootstrap.Application` fits
`ReadContext` as well, so one piece of read-only work runs on either.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol, TypeVar

from nocert_core.clock import Clock, SystemClock
from nocert_core.env import ReadSettings, read_settings

if TYPE_CHECKING:
    import sqlite3

    from nocert_core.adapters.sqlite.sqlite_reader import SqliteReadUnitOfWork
    from nocert_core.services.platform.reads import ReadUnitOfWork

T = TypeVar("T")


class ZoneSettings(Protocol):
    @property
    def timezone(self) -> str: ...


class ReadContext(Protocol):
    """What read-only work needs: the time zone, the clock and read-only units of work."""

    @property
    def settings(self) -> ZoneSettings: ...

    @property
    def clock(self) -> Clock: ...

    @property
    def uow(self) -> Callable[[], ReadUnitOfWork]: ...


@dataclass
class ReadApplication:
    settings: ReadSettings
    clock: Clock
    connection: sqlite3.Connection
    uow: Callable[[], SqliteReadUnitOfWork] = field(init=False)

    def __post_init__(self) -> None:
        from nocert_core.adapters.sqlite.sqlite_reader import SqliteReadUnitOfWork

        connection = self.connection
        self.uow = lambda: SqliteReadUnitOfWork(connection)

    def run(self, work: Callable[[ReadContext], Awaitable[T]]) -> T:
        """Run read-only work to its end. Everything it awaits here completes at once (the reader is
        `sqlite3` underneath), so no event loop is started: importing asyncio alone costs half of
        `import typer`. Work that awaits something that does not complete at once is a bug here."""
        steps = work(self).__await__()
        try:
            steps.send(None)
        except StopIteration as finished:
            result: T = finished.value
            return result
        steps.close()
        raise RuntimeError("read-only work awaited something that does not complete at once")

    def close(self) -> None:
        self.connection.close()


def open_reader(settings: ReadSettings | None = None, clock: Clock | None = None) -> ReadApplication | None:
    """A read-only application on the SQLite file of the settings, if it exists at the head revision."""
    from nocert_core.adapters.sqlite.sqlite_reader import connect_at_head, sqlite_file

    settings = settings or read_settings()
    path = sqlite_file(settings.database_url)
    connection = connect_at_head(path) if path is not None else None
    if connection is None:
        return None
    return ReadApplication(settings, clock or SystemClock(), connection)
