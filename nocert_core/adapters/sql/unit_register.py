"""The unit register kept in memory per process, for the complaint path.

A complaint's dialog reads the units several times (the agency step lists them all to resolve the typed
name, the Submit screens against all of them and checks the chosen one, the case cards name it), and each
read loaded every unit as ORM objects. The units change rarely (an import, an edit), but a stale copy must
never route a complaint: a renamed or new unit must count from the moment its change is committed, in
every process. So the copy is not trusted for a while (as accounts are, adapters/sql/account_cache.py) but
checked in the reading transaction itself: every change to `units` bumps `unit_register.version` in the
same transaction (database triggers, migration 0016: whoever writes, the CLI or an admin's SQL), and a read
first selects that version — one small statement, once per transaction — and uses the copy only if it was
loaded at that version.

Why this is safe: the version is read before the units are loaded, so a change committed in between
leaves the copy under the older version and the next read loads again; a transaction that changed units
(flushed, or still pending) reads them from the database and never stores what it saw, so a rolled-back
change never reaches the copy; a database made without the migrations (no version row) is never cached.
The copies are detached `Unit`s shared by every reader: read them, never change them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy import event as sa_event
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session, SessionTransaction

from nocert_core.adapters.sql import orm
from nocert_core.adapters.sql.direct import execute_in
from nocert_core.domain.units import Unit

UNITS_CHANGED = "nocert_units_changed"  # session.info: this transaction changed units (read, never cached)
VERSION_READ = "nocert_unit_register_version"  # session.info: the version this transaction read


@dataclass(frozen=True)
class UnitRegister:
    version: int | None
    units: tuple[Unit, ...]
    by_code: dict[str, Unit] = field(default_factory=dict)

    @classmethod
    def of(cls, version: int | None, loaded: Sequence[Unit]) -> UnitRegister:
        units = tuple(
            Unit(code=u.code, name=u.name, parent_code=u.parent_code, aliases=list(u.aliases or ()))
            for u in loaded
        )
        return cls(version, units, {unit.code: unit for unit in units})


class UnitRegisterCache:
    """The register at the newest version this process loaded (one per unit-of-work factory, i.e. per
    database)."""

    def __init__(self, enabled: bool = True) -> None:
        self.enabled = enabled
        self._latest: UnitRegister | None = None
        if enabled:
            watch_unit_changes()  # a copy is safe only while changes to units are noted (below)

    def get(self, version: int) -> UnitRegister | None:
        latest = self._latest
        return latest if latest is not None and latest.version == version else None

    def put(self, register: UnitRegister) -> None:
        if self.enabled and register.version is not None:
            self._latest = register

    def clear(self) -> None:
        self._latest = None


NO_UNIT_REGISTER_CACHE = UnitRegisterCache(enabled=False)


def _changes_units(session: Session) -> bool:
    return bool(session.info.get(UNITS_CHANGED)) or _holds_unit_changes(session)


def _holds_unit_changes(session: Session) -> bool:
    return any(isinstance(instance, Unit) for instance in (*session.new, *session.dirty, *session.deleted))


# Built once: a statement built afresh for every read cost about as much CPU as running it (issue 15).
UNIT_REGISTER_VERSION = select(orm.unit_register.c.version).where(orm.unit_register.c.id == 1)


async def read_register(session: AsyncSession, cache: UnitRegisterCache) -> UnitRegister:
    """The units as the reading transaction sees them: the cached copy when its version is the
    database's, else loaded (and kept for the next reader when this transaction changed no unit)."""
    info = session.info
    version: int | None = None
    if cache.enabled and not _changes_units(session.sync_session):
        version = info.get(VERSION_READ)
        if version is None:
            _, found = await execute_in(session, UNIT_REGISTER_VERSION)  # adapters/sql/direct.py
            version = found[0][0] if found else None
            info[VERSION_READ] = version
        cached = cache.get(version) if version is not None else None
        if cached is not None:
            return cached
    loaded = (await session.execute(select(Unit).order_by(orm.units.c.code))).scalars().all()
    register = UnitRegister.of(version, loaded)
    if version is not None and not _changes_units(session.sync_session):
        cache.put(register)
    return register


def watch_unit_changes() -> None:
    """Note in every session which transaction changed units (installed by the first enabled cache, not on
    import: wiring stays explicit; installing twice is a no-op)."""
    listeners = (("after_flush", _note_changed_units), ("after_transaction_end", _forget_transaction))
    for name, listener in listeners:
        if not sa_event.contains(Session, name, listener):
            sa_event.listen(Session, name, listener)


def _note_changed_units(session: Session, _flush_context: object) -> None:
    """The database's triggers bump the version (migration 0016); this transaction's own reads of the units
    must not be kept: they may be rolled back."""
    if _holds_unit_changes(session):
        session.info[UNITS_CHANGED] = True
        session.info.pop(VERSION_READ, None)


def _forget_transaction(session: Session, transaction: SessionTransaction) -> None:
    if transaction.parent is None:  # the database transaction ended: what it read or changed is over
        session.info.pop(UNITS_CHANGED, None)
        session.info.pop(VERSION_READ, None)
