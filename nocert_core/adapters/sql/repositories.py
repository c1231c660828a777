"""SQLAlchemy repositories. They add and load aggregates; only the unit of work commits."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import Any, cast

from sqlalchemy import Table, delete, func, insert, select
from sqlalchemy import inspect as sa_inspect
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import CursorResult
from sqlalchemy.ext.asyncio import AsyncSession

from nocert_core.adapters.sql import orm, prebuilt
from nocert_core.adapters.sql.direct import execute_in
from nocert_core.adapters.sql.register_checks import (
    RegisterChecks,
    RepeatCandidate,
    intake_checks,
    register_checks,
)
from nocert_core.adapters.sql.unit_register import NO_UNIT_REGISTER_CACHE, UnitRegisterCache, read_register
from nocert_core.domain.accounts import Account
from nocert_core.domain.actors import Role
from nocert_core.domain.calendar import DayKind, WorkingDayCalendar
from nocert_core.domain.complaint_lifecycle import OPEN_STATES, ComplaintStatus
from nocert_core.domain.complaints import Complaint
from nocert_core.domain.outbox import OutboxMessage, OutboxStatus
from nocert_core.domain.units import Unit


def dialect_insert(session: AsyncSession, table: Any) -> Any:
    """An INSERT that supports ON CONFLICT on both backends."""
    name = session.get_bind().dialect.name
    return pg_insert(table) if name == "postgresql" else sqlite_insert(table)


async def next_in_sequence(session: AsyncSession, table: Table, year: int) -> int:
    """The next number of `year` in a counter table with columns (year, last_value): sequential per
    year, safe with concurrent writers (the upsert locks the row until the transaction ends). One statement:
    the year's first number inserts the row, every later one bumps it (was an INSERT … DO NOTHING and an
    UPDATE: two round trips per complaint registered, issue 15)."""
    statement = prebuilt.next_in_sequence(session.get_bind().dialect.name, table)
    _, rows = await execute_in(session, statement, {"year": year})  # adapters/sql/direct.py
    return int(rows[0][0])


class UnitRepository:
    def __init__(self, session: AsyncSession, register: UnitRegisterCache = NO_UNIT_REGISTER_CACHE) -> None:
        self.session = session
        self.register_cache = register

    async def register(self) -> Sequence[Unit]:
        """All units, by code, as read-only copies shared by the process while the database's unit register
        version is the one they were loaded at (adapters/sql/unit_register.py): for use cases that only read
        them (routing, screening, names). A use case that changes units uses `list`/`get`."""
        return (await read_register(self.session, self.register_cache)).units

    async def known(self, code: str) -> Unit | None:
        """The unit with this code as a read-only copy (see `register`)."""
        return (await read_register(self.session, self.register_cache)).by_code.get(code)

    async def get(self, code: str) -> Unit | None:
        return await self.session.get(Unit, code)

    async def list(self) -> Sequence[Unit]:
        result = await self.session.execute(select(Unit).order_by(orm.units.c.code))
        return result.scalars().all()

    def add(self, unit: Unit) -> None:
        self.session.add(unit)


class ComplaintRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session
        self.seen: set[Complaint] = set()

    def _track(self, complaint: Complaint | None) -> Complaint | None:
        if complaint is not None:
            self.seen.add(complaint)
        return complaint

    def add(self, complaint: Complaint) -> None:
        self.session.add(complaint)
        self.seen.add(complaint)

    async def get(self, complaint_id: int) -> Complaint | None:
        return self._track(await self.session.get(Complaint, complaint_id))

    async def get_by_number(self, number: str) -> Complaint | None:
        wanted = number.strip().upper()
        # Read from each object's state, not its attributes: reading an expired one would query.
        if any(sa_inspect(complaint).dict.get("number") == wanted for complaint in self.seen):
            await self.session.flush()  # what the query's autoflush would do
            held = self._held(wanted)
            if held is not None:
                return held
        result = await self.session.execute(select(Complaint).where(orm.complaints.c.number == wanted))
        return self._track(result.scalar_one_or_none())

    def _held(self, number: str) -> Complaint | None:
        """A complaint this session holds whole and current (no attribute unloaded or expired): the query
        would return this very object from the identity map, so it is answered without one — the event
        handlers of a complaint just registered or changed look it up by number (a SELECT and two selectin
        loads each, issue 15). One rolled back, expunged or deleted since is left to the query."""
        for complaint in self.seen:
            state = sa_inspect(complaint)
            if (
                state.dict.get("number") == number
                and state.persistent
                and state.session is self.session.sync_session
                and not state.unloaded
            ):
                return complaint
        return None

    async def find_by_dedup_ref(self, dedup_ref: str) -> Complaint | None:
        result = await self.session.execute(select(Complaint).where(orm.complaints.c.dedup_ref == dedup_ref))
        return self._track(result.scalar_one_or_none())

    async def list(
        self,
        *,
        statuses: Iterable[ComplaintStatus] | None = None,
        unit_code: str | None = None,
        complainant_ref: str | None = None,
        unrouted: bool = False,
        limit: int | None = None,
        order_by_deadline: bool = False,
    ) -> Sequence[Complaint]:
        table = orm.complaints
        query = select(Complaint)
        if statuses is not None:
            query = query.where(table.c.status.in_(list(statuses)))
        if unit_code is not None:
            query = query.where(table.c.unit_code == unit_code)
        if unrouted:
            query = query.where(table.c.unit_code.is_(None))
        if complainant_ref is not None:
            query = query.where(table.c.complainant_ref == complainant_ref)
        if order_by_deadline:
            query = query.order_by(table.c.deadline_at.is_(None), table.c.deadline_at, table.c.id)
        else:
            query = query.order_by(table.c.id)
        if limit is not None:
            query = query.limit(limit)
        result = await self.session.execute(query)
        found = list(result.scalars().all())
        self.seen.update(found)
        return found

    async def open_from_phone(self, phone: str, unit_code: str | None) -> Sequence[RepeatCandidate]:
        """Open complaints from the same phone about the same unit: candidates for a repeat. Only the
        fields the repeat check reads: a caller with many open complaints made this the costliest part of
        a Submit when whole complaints were loaded, each with its audit trail and ratings (issue 15)."""
        table = orm.complaints
        query = select(
            table.c.number, table.c.agency_text, table.c.demand, table.c.reasons, table.c.facts
        ).where(table.c.complainant_phone == phone, table.c.status.in_(list(OPEN_STATES)))
        query = query.where(
            table.c.unit_code.is_(None) if unit_code is None else table.c.unit_code == unit_code
        )
        result = await self.session.execute(query.order_by(table.c.registered_at))
        return [RepeatCandidate(*row) for row in result]

    async def register_checks(
        self, *, dedup_ref: str | None, complainant_ref: str | None, since: datetime, phone: str | None
    ) -> RegisterChecks:
        """Registered already? Filed since `since`? Open complaints from the phone? In one round trip."""
        return await register_checks(
            self.session, dedup_ref=dedup_ref, complainant_ref=complainant_ref, since=since, phone=phone
        )

    async def intake_checks(
        self, complainant_ref: str, since: datetime
    ) -> tuple[int, tuple[str, str] | None]:
        """(Complaints filed since `since`, the latest one's name and phone), in one round trip: counted and
        two columns, not the complainant's complaints with their audit trails and ratings."""
        return await intake_checks(self.session, complainant_ref, since)

    async def next_number_sequence(self, year: int) -> int:
        return await next_in_sequence(self.session, orm.complaint_sequences, year)

    async def count(self) -> int:
        result = await self.session.execute(select(func.count()).select_from(orm.complaints))
        return int(result.scalar_one())


class CalendarRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def load(self) -> WorkingDayCalendar:
        days = await self.session.execute(select(orm.calendar_days.c.day, orm.calendar_days.c.kind))
        years = await self.session.execute(select(orm.calendar_years.c.year))
        return WorkingDayCalendar.from_days(
            ((row.day, DayKind(row.kind)) for row in days), (row.year for row in years)
        )

    async def covered_years(self) -> dict[int, str]:
        result = await self.session.execute(select(orm.calendar_years.c.year, orm.calendar_years.c.source))
        return {row.year: row.source for row in result}

    async def replace_year(
        self, year: int, days: Iterable[tuple[date, DayKind]], source: str, now: datetime
    ) -> int:
        """Replace one year's exceptions (weekday holidays, weekend workdays); returns how many were kept."""
        table = orm.calendar_days
        await self.session.execute(
            delete(table).where(table.c.day >= date(year, 1, 1), table.c.day <= date(year, 12, 31))
        )
        await self.session.execute(delete(orm.calendar_years).where(orm.calendar_years.c.year == year))
        rows = [{"day": day, "kind": kind} for day, kind in days]
        if rows:
            await self.session.execute(insert(table), rows)
        await self.session.execute(
            insert(orm.calendar_years).values(year=year, source=source, imported_at=now)
        )
        return len(rows)


class AccountRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get_by_ref(self, ref: str) -> Account | None:
        result = await self.session.execute(prebuilt.account_by_ref(), {"ref": ref})
        return result.scalar_one_or_none()

    def add(self, account: Account) -> None:
        self.session.add(account)

    async def for_unit(self, unit_code: str, roles: Iterable[Role] = (Role.STAFF,)) -> Sequence[Account]:
        parameters = {"unit_code": unit_code, "roles": list(roles)}
        return (await self.session.execute(prebuilt.accounts_of_unit(), parameters)).scalars().all()

    async def with_role(self, role: Role) -> Sequence[Account]:
        result = await self.session.execute(
            select(Account).where(orm.accounts.c.role == role).order_by(orm.accounts.c.id)
        )
        return result.scalars().all()

    async def unreachable(self) -> Sequence[Account]:
        result = await self.session.execute(select(Account).where(orm.accounts.c.reachable.is_(False)))
        return result.scalars().all()


class OutboxRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    # ---- what the outbox holds (`nocert outbox status`; adapters/sqlite/sqlite_reader.py reads the same) ---
    async def counts_by_status(self) -> dict[OutboxStatus, int]:
        table = orm.outbox
        result = await self.session.execute(select(table.c.status, func.count()).group_by(table.c.status))
        return {OutboxStatus(status): int(count) for status, count in result.all()}

    async def due_count(self, now: datetime) -> int:
        table = orm.outbox
        result = await self.session.execute(
            select(func.count()).where(table.c.status == OutboxStatus.PENDING, table.c.available_at <= now)
        )
        return int(result.scalar_one())

    async def oldest_pending_at(self) -> datetime | None:
        table = orm.outbox
        result = await self.session.execute(
            select(func.min(table.c.created_at)).where(table.c.status == OutboxStatus.PENDING)
        )
        return cast(datetime | None, result.scalar())

    async def recent_failures(self, limit: int) -> list[tuple[str, str, str]]:
        """(recipient, kind, error) of the latest undeliverable rows, newest first."""
        table = orm.outbox
        result = await self.session.execute(
            select(table.c.recipient_ref, table.c.kind, table.c.last_error)
            .where(table.c.status == OutboxStatus.UNDELIVERABLE)
            .order_by(table.c.id.desc())
            .limit(limit)
        )
        return [(recipient, kind, error or "") for recipient, kind, error in result.all()]

    async def enqueue(self, message: OutboxMessage) -> bool:
        """Insert unless a row with the same dedup key exists; True when a row was written."""
        statement = dialect_insert(self.session, orm.outbox).values(
            dedup_key=message.dedup_key,
            recipient_ref=message.recipient_ref,
            kind=message.kind,
            payload=message.payload,
            created_at=message.created_at,
            available_at=message.available_at,
            status=message.status,
            attempts=0,
            extra=message.extra,
        )
        result = await self.session.execute(statement.on_conflict_do_nothing(index_elements=["dedup_key"]))
        return bool(cast("CursorResult[Any]", result).rowcount)

    async def existing_keys(self, keys: Iterable[str]) -> set[str]:
        """Which of these dedup keys were already written (a use case checks before costly work)."""
        wanted = list(keys)
        found: set[str] = set()
        for start in range(0, len(wanted), 500):
            chunk = wanted[start : start + 500]
            query = select(orm.outbox.c.dedup_key).where(orm.outbox.c.dedup_key.in_(chunk))
            found.update((await self.session.execute(query)).scalars())
        return found

    async def purge_sent_before(self, cutoff: datetime) -> int:
        """Delete delivered rows sent before `cutoff` (retention); returns how many."""
        from nocert_core.domain.outbox import OutboxStatus

        table = orm.outbox
        result = await self.session.execute(
            delete(table).where(table.c.status == OutboxStatus.SENT, table.c.sent_at < cutoff)
        )
        return int(cast("CursorResult[Any]", result).rowcount or 0)

    async def pending(self, limit: int = 100) -> Sequence[OutboxMessage]:
        from nocert_core.domain.outbox import OutboxStatus

        query = (
            select(OutboxMessage)
            .where(orm.outbox.c.status == OutboxStatus.PENDING)
            .order_by(orm.outbox.c.id)
            .limit(limit)
        )
        return (await self.session.execute(query)).scalars().all()
