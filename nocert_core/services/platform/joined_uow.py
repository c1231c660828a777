"""One transaction for one chat update: the update's use cases join it instead of committing their own.

The dispatcher opens one `SqlAlchemyUnitOfWork` per update and gives the handlers an `UpdateTransaction`,
a unit-of-work factory like `Application.uow`: every unit of work it makes is that same transaction. A use
case still enters its unit of work and calls `commit()`; the joined unit of work then runs the
in-transaction event handlers and flushes, and only the dispatcher's unit of work commits — together with
the dialog step, the inbox mark and the replies (outbox rows).

A use case that fails must leave nothing behind, as its own transaction's rollback did. Without savepoints
(the SQLite driver begins its transactions implicitly, and a savepoint opened before that would commit on
release) a joined unit of work can undo only what it has not sent to the database yet: on a DomainError
before anything was flushed, it forgets its new objects and expires its changed ones. Anything else — a
failure after a flush, any other exception, an object deleted — `spoils` the transaction: the dispatcher
rolls the whole update back and handles it again with one transaction per use case, as before.
"""

from __future__ import annotations

from types import TracebackType
from typing import Self

from sqlalchemy import event as sa_event
from sqlalchemy.orm import Session

from nocert_core.errors import DomainError
from nocert_core.services.platform.uow import SqlAlchemyUnitOfWork, UnitOfWorkFactory

FLUSHES = "nocert_flushes"  # session.info key: how many flushes the session has begun
REPOSITORIES = (
    "units",
    "complaints",
    "calendar",
    "accounts",
    "outbox",
    "chat",
    "catalogue",
    "rectifications",
    "hotspots",
    "verifications",
    "web",
)


@sa_event.listens_for(Session, "before_flush")
def _count_flush(session: Session, _context: object, _instances: object) -> None:
    session.info[FLUSHES] = session.info.get(FLUSHES, 0) + 1


class UpdateTransaction(UnitOfWorkFactory):
    """The update's transaction as a unit-of-work factory (what handlers pass to services)."""

    def __init__(self, outer: SqlAlchemyUnitOfWork) -> None:
        super().__init__(
            outer.session_factory,
            outer.clock,
            outer.settings,
            outer.event_handlers,
            outer.account_cache,
            outer.unit_register,
        )
        self.outer = outer
        self.spoiled = False  # a use case failed in a way only a rollback of the whole update undoes

    def __call__(self) -> JoinedUnitOfWork:
        return JoinedUnitOfWork(self)


class JoinedUnitOfWork(SqlAlchemyUnitOfWork):
    """A use case's unit of work inside the update's transaction: `commit()` flushes, never commits."""

    def __init__(self, transaction: UpdateTransaction) -> None:
        outer = transaction.outer
        self.transaction = transaction
        self.session_factory = outer.session_factory
        self.session = outer.session
        for name in REPOSITORIES:
            setattr(self, name, getattr(outer, name))
        self.clock = outer.clock
        self.settings = outer.settings
        self.event_handlers = outer.event_handlers
        self.account_cache = outer.account_cache
        self.unit_register = outer.unit_register
        self._flushes = self._flush_count()

    def _flush_count(self) -> int:
        return int(self.session.info.get(FLUSHES, 0))

    async def __aenter__(self) -> Self:
        self._flushes = self._flush_count()
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if exc_type is not None and not issubclass(exc_type, DomainError):
            self.transaction.spoiled = True  # e.g. a database error: the transaction may be aborted
            return
        await self.rollback()  # after a commit: nothing left to undo

    async def flush(self) -> None:
        await self.session.flush()

    async def _commit(self) -> None:
        await self.session.flush()
        self._flushes = self._flush_count()

    async def rollback(self) -> None:
        """Undo what this use case changed since its last commit, or spoil the update's transaction."""
        session = self.session
        if self._flush_count() != self._flushes or session.deleted:
            self.transaction.spoiled = True
            return
        for instance in list(session.new):
            session.expunge(instance)
        for instance in list(session.dirty):
            session.expire(instance)
        for aggregate in self.complaints.seen:  # events of the undone change must not be dispatched
            aggregate.events.clear()
