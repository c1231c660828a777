"""The unit of work: one transaction per use case; only it commits."""

from __future__ import annotations

import abc
from types import TracebackType
from typing import Any, Protocol, Self

from sqlalchemy import event as sa_event
from sqlalchemy import inspect as sa_inspect
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker
from sqlalchemy.orm import Session
from sqlalchemy.sql import Executable

from nocert_core.adapters.sql.account_cache import NO_ACCOUNT_CACHE, AccountCache
from nocert_core.adapters.sql.direct import AloneStatements
from nocert_core.adapters.sql.repositories import (
    AccountRepository,
    CalendarRepository,
    ComplaintRepository,
    OutboxRepository,
    UnitRepository,
)
from nocert_core.adapters.sql.tables_catalogue import CatalogueRepository
from nocert_core.adapters.sql.tables_chat import ChatRepository
from nocert_core.adapters.sql.tables_oversight import HotspotRepository, RectificationRepository
from nocert_core.adapters.sql.tables_verification import VerificationRepository
from nocert_core.adapters.sql.tables_web import WebRepository
from nocert_core.adapters.sql.unit_register import NO_UNIT_REGISTER_CACHE, UnitRegisterCache
from nocert_core.clock import Clock, SystemClock
from nocert_core.domain.accounts import Account
from nocert_core.domain.events import Event
from nocert_core.services.platform import messagebus
from nocert_core.settings import Settings, get_settings


class AbstractUnitOfWork(abc.ABC):
    """Every repository a use case may touch, typed. A new feature repository gets an attribute here and
    one line in `SqlAlchemyUnitOfWork.__aenter__`."""

    units: UnitRepository
    complaints: ComplaintRepository
    calendar: CalendarRepository
    accounts: AccountRepository
    outbox: OutboxRepository
    chat: ChatRepository
    catalogue: CatalogueRepository
    rectifications: RectificationRepository
    hotspots: HotspotRepository
    verifications: VerificationRepository
    web: WebRepository
    clock: Clock
    settings: Settings
    event_handlers: messagebus.EventHandlers
    account_cache: AccountCache = NO_ACCOUNT_CACHE
    unit_register: UnitRegisterCache = NO_UNIT_REGISTER_CACHE

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self._published().clear()  # what was not committed did not happen
        await self.rollback()

    async def commit(self) -> None:
        """Run in-transaction event handlers until quiet, then commit everything at once."""
        for _ in range(100):  # handlers may raise further events; a cycle must not hang us
            pending = self.collect_new_events()
            if not pending:
                break
            for event in pending:
                await messagebus.dispatch(self.event_handlers, self, event)
        await self._commit()

    def publish(self, event: Event) -> None:
        """An event of a use case whose aggregate keeps no event list (verification requests, rectification
        notices, catalogue filings): handled at `commit()` like an aggregate's, before the database commit."""
        self._published().append(event)

    def _published(self) -> list[Event]:
        found: list[Event] = self.__dict__.setdefault("_published_events", [])
        return found

    def collect_new_events(self) -> list[Event]:
        found: list[Event] = []
        published = self._published()
        while published:
            found.append(published.pop(0))
        for aggregate in list(self.complaints.seen):
            while aggregate.events:
                found.append(aggregate.events.pop(0))
        return found

    async def flush(self) -> None:
        """Send pending changes to the database without committing (no-op for in-memory fakes)."""
        return None

    @abc.abstractmethod
    async def _commit(self) -> None: ...

    @abc.abstractmethod
    async def rollback(self) -> None: ...


class SqlAlchemyUnitOfWork(AbstractUnitOfWork):
    session: AsyncSession

    def __init__(
        self,
        session_factory: async_sessionmaker[AsyncSession],
        clock: Clock | None = None,
        settings: Settings | None = None,
        event_handlers: messagebus.EventHandlers | None = None,
        account_cache: AccountCache | None = None,
        unit_register: UnitRegisterCache | None = None,
    ) -> None:
        self.session_factory = session_factory
        self.clock = clock or SystemClock()
        self.settings = settings or get_settings()
        self.event_handlers = event_handlers or {}
        self.account_cache = NO_ACCOUNT_CACHE if account_cache is None else account_cache
        self.unit_register = NO_UNIT_REGISTER_CACHE if unit_register is None else unit_register

    async def __aenter__(self) -> Self:
        self.session = self.session_factory()
        self.session.info[CHANGED_ACCOUNTS] = set()
        self.session.info[CREATED_ACCOUNTS] = {}
        self.session.info["clock"] = self.clock  # change times (complaints' next_alert_at: adapters.sql.orm)
        self.units = UnitRepository(self.session, self.unit_register)
        self.complaints = ComplaintRepository(self.session)
        self.calendar = CalendarRepository(self.session)
        self.accounts = AccountRepository(self.session)
        self.outbox = OutboxRepository(self.session)
        self.chat = ChatRepository(self.session)
        self.catalogue = CatalogueRepository(self.session)
        self.rectifications = RectificationRepository(self.session)
        self.hotspots = HotspotRepository(self.session)
        self.verifications = VerificationRepository(self.session)
        self.web = WebRepository(self.session)
        return await super().__aenter__()

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if exc_type is None:
            # Keep what was loaded usable after the session closes (read-only use cases return it);
            # anything not committed is still discarded by the rollback.
            self.session.expunge_all()
        else:  # the rollback expires what this session loaded: a cached account from it is unusable
            loaded = self.session.identity_map.values()
            self.account_cache.forget([obj.ref for obj in loaded if isinstance(obj, Account)])
        await super().__aexit__(exc_type, exc, tb)
        await self.session.close()

    async def flush(self) -> None:
        await self.session.flush()

    async def _commit(self) -> None:
        await self.session.commit()
        changed: set[str] = self.session.info[CHANGED_ACCOUNTS]
        created: dict[str, Account] = self.session.info[CREATED_ACCOUNTS]
        if changed:
            self.account_cache.forget(changed)
            changed.clear()
        # An account this transaction created (a first contact, inside an update's transaction) is
        # cached as committed: its user's next update needs no SELECT (issue 15).
        for account in created.values():
            if sa_inspect(account).persistent:  # not deleted again before the commit
                self.account_cache.put(account)
        created.clear()

    async def rollback(self) -> None:
        self.session.info[CREATED_ACCOUNTS].clear()
        await self.session.rollback()


class UnitOfWorkFactory:
    """Makes a fresh unit of work per use case; channels and the scheduler hold one of these."""

    def __init__(
        self,
        session_factory: async_sessionmaker[AsyncSession],
        clock: Clock,
        settings: Settings,
        event_handlers: messagebus.EventHandlers,
        account_cache: AccountCache | None = None,
        unit_register: UnitRegisterCache | None = None,
    ) -> None:
        self.session_factory = session_factory
        self.clock = clock
        self.settings = settings
        self.event_handlers = event_handlers
        self.account_cache = AccountCache() if account_cache is None else account_cache
        self.unit_register = UnitRegisterCache() if unit_register is None else unit_register
        self._alone: AloneStatements | None = None  # PostgreSQL's execute_alone, made on first use

    def __call__(self) -> SqlAlchemyUnitOfWork:
        return SqlAlchemyUnitOfWork(
            self.session_factory,
            self.clock,
            self.settings,
            self.event_handlers,
            self.account_cache,
            self.unit_register,
        )

    @property
    def dialect(self) -> str:
        """The database's SQL dialect ("sqlite", "postgresql")."""
        return str(self.session_factory.kw["bind"].dialect.name)

    async def execute_alone(
        self, statement: Executable, parameters: dict[str, Any] | None = None
    ) -> tuple[int, list[Any]]:
        """One statement that is a whole transaction by itself (marking an outbox row sent, an inbox
        insert): run in autocommit, it needs no BEGIN and COMMIT round trips. (rowcount, returned rows —
        read them by position: on PostgreSQL asyncpg's records, nocert_core/adapters/sql/direct.py)."""
        engine: AsyncEngine = self.session_factory.kw["bind"]
        if engine.dialect.name == "sqlite":  # switching SQLite's driver to autocommit costs more than COMMIT
            async with engine.begin() as connection:
                result = await connection.execute(statement, parameters)
                rows = list(result.all()) if result.returns_rows else []
                return int(result.rowcount or 0), rows
        if engine.dialect.name == "postgresql":  # straight on asyncpg: ~50 instead of ~200 µs of CPU
            if self._alone is None:
                self._alone = AloneStatements(engine)
            compiled = self._alone.compiled(statement)
            if compiled is not None:
                changed, returned = await self._alone.execute(compiled, parameters)
                return changed, list(returned)
        async with engine.connect() as connection:
            alone = await connection.execution_options(isolation_level="AUTOCOMMIT")
            result = await alone.execute(statement, parameters)
            rows = list(result.all()) if result.returns_rows else []
            return int(result.rowcount or 0), rows


CHANGED_ACCOUNTS = "nocert_changed_accounts"  # session.info key: refs of accounts flushed in this session
CREATED_ACCOUNTS = "nocert_created_accounts"  # session.info key: {ref: account} inserted in this session


@sa_event.listens_for(Session, "after_flush")
def _note_changed_accounts(session: Session, _flush_context: object) -> None:
    changed = session.info.get(CHANGED_ACCOUNTS)
    if changed is None:
        return
    created = session.info.setdefault(CREATED_ACCOUNTS, {})
    for instance in (*session.new, *session.dirty, *session.deleted):
        if isinstance(instance, Account):
            changed.add(instance.ref)
            if instance in session.new:
                created[instance.ref] = instance


class AppContext(Protocol):
    """What background jobs and demo loaders need from the application (`bootstrap.Application` fits)."""

    @property
    def uow(self) -> UnitOfWorkFactory: ...

    @property
    def clock(self) -> Clock: ...
