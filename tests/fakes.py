"""In-memory fakes for unit tests of services (cosmicpython style): no database, same interfaces.

`FakeUnitOfWork.commit` records the domain events it would dispatch in `published` instead of running
other features' subscribers, so a unit test sees exactly what its use case raised.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime
from itertools import count
from typing import Any

from nocert_core.adapters.sql.register_checks import RegisterChecks, RepeatCandidate
from nocert_core.clock import Clock, FixedClock, ensure_utc
from nocert_core.domain.accounts import Account
from nocert_core.domain.actors import Role
from nocert_core.domain.calendar import DayKind, WorkingDayCalendar
from nocert_core.domain.complaint_lifecycle import OPEN_STATES, ComplaintStatus
from nocert_core.domain.complaints import Complaint
from nocert_core.domain.events import Event
from nocert_core.domain.outbox import OutboxMessage
from nocert_core.domain.units import Unit
from nocert_core.services.platform.uow import AbstractUnitOfWork
from nocert_core.settings import Settings


class FakeUnitRepository:
    def __init__(self, units: Iterable[Unit] = ()) -> None:
        self._units = {unit.code: unit for unit in units}

    async def get(self, code: str) -> Unit | None:
        return self._units.get(code)

    async def list(self) -> Sequence[Unit]:
        return [self._units[code] for code in sorted(self._units)]

    def add(self, unit: Unit) -> None:
        self._units[unit.code] = unit

    async def register(self) -> Sequence[Unit]:
        return await self.list()

    async def known(self, code: str) -> Unit | None:
        return await self.get(code)


class FakeComplaintRepository:
    def __init__(self) -> None:
        self._by_number: dict[str, Complaint] = {}
        self._ids = count(1)
        self._sequences: dict[int, int] = {}
        self.seen: set[Complaint] = set()

    def add(self, complaint: Complaint) -> None:
        complaint.id = complaint.id or next(self._ids)
        self._by_number[complaint.number] = complaint
        self.seen.add(complaint)

    def _track(self, complaint: Complaint | None) -> Complaint | None:
        if complaint is not None:
            self.seen.add(complaint)
        return complaint

    async def get(self, complaint_id: int) -> Complaint | None:
        return self._track(next((c for c in self._by_number.values() if c.id == complaint_id), None))

    async def get_by_number(self, number: str) -> Complaint | None:
        return self._track(self._by_number.get(number.strip().upper()))

    async def find_by_dedup_ref(self, dedup_ref: str) -> Complaint | None:
        return self._track(next((c for c in self._by_number.values() if c.dedup_ref == dedup_ref), None))

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
        wanted = set(statuses) if statuses is not None else None
        found = [
            c
            for c in sorted(self._by_number.values(), key=lambda c: c.id or 0)
            if (wanted is None or c.status in wanted)
            and (unit_code is None or c.unit_code == unit_code)
            and (complainant_ref is None or c.complainant_ref == complainant_ref)
            and (not unrouted or c.unit_code is None)
        ]
        if order_by_deadline:
            found.sort(
                key=lambda c: (c.deadline_at is None, c.deadline_at.timestamp() if c.deadline_at else 0.0)
            )
        self.seen.update(found)
        return found[:limit] if limit is not None else found

    async def open_from_phone(self, phone: str, unit_code: str | None) -> Sequence[Complaint]:
        return [
            c
            for c in sorted(self._by_number.values(), key=lambda c: c.registered_at)
            if c.complainant_phone == phone and c.status in OPEN_STATES and c.unit_code == unit_code
        ]

    async def register_checks(
        self, *, dedup_ref: str | None, complainant_ref: str | None, since: datetime, phone: str | None
    ) -> RegisterChecks:
        earlier = [
            RepeatCandidate(c.number, c.agency_text, c.demand, c.reasons, c.facts, c.unit_code)
            for c in sorted(self._by_number.values(), key=lambda c: c.registered_at)
            if phone is not None and c.complainant_phone == phone and c.status in OPEN_STATES
        ]
        return RegisterChecks(
            registered=any(c.dedup_ref == dedup_ref for c in self._by_number.values() if dedup_ref),
            filed_since=await self.filed_since(complainant_ref, since) if complainant_ref else 0,
            open_from_phone=earlier,
        )

    async def filed_since(self, complainant_ref: str, since: datetime) -> int:
        return sum(
            1
            for c in self._by_number.values()
            if c.complainant_ref == complainant_ref and ensure_utc(c.registered_at) >= since
        )

    async def intake_checks(
        self, complainant_ref: str, since: datetime
    ) -> tuple[int, tuple[str, str] | None]:
        mine = sorted(
            (c for c in self._by_number.values() if c.complainant_ref == complainant_ref),
            key=lambda c: (ensure_utc(c.registered_at), c.number),
        )
        latest = (mine[-1].complainant_name, mine[-1].complainant_phone) if mine else None
        return await self.filed_since(complainant_ref, since), latest

    async def next_number_sequence(self, year: int) -> int:
        self._sequences[year] = self._sequences.get(year, 0) + 1
        return self._sequences[year]

    async def count(self) -> int:
        return len(self._by_number)


class FakeCalendarRepository:
    def __init__(self, calendar: WorkingDayCalendar | None = None) -> None:
        self.calendar = calendar or WorkingDayCalendar()
        self.sources: dict[int, str] = {year: "fake" for year in self.calendar.covered_years}

    async def load(self) -> WorkingDayCalendar:
        return self.calendar

    async def covered_years(self) -> dict[int, str]:
        return dict(self.sources)

    async def replace_year(
        self, year: int, days: Iterable[tuple[date, DayKind]], source: str, now: datetime
    ) -> int:
        self.calendar.holidays = {d for d in self.calendar.holidays if d.year != year}
        self.calendar.workdays = {d for d in self.calendar.workdays if d.year != year}
        kept = list(days)
        for day, kind in kept:
            (self.calendar.holidays if kind == DayKind.HOLIDAY else self.calendar.workdays).add(day)
        self.calendar.covered_years.add(year)
        self.sources[year] = source
        return len(kept)


class FakeAccountRepository:
    def __init__(self) -> None:
        self._accounts: dict[str, Account] = {}

    async def get_by_ref(self, ref: str) -> Account | None:
        return self._accounts.get(ref)

    def add(self, account: Account) -> None:
        self._accounts[account.ref] = account

    async def for_unit(self, unit_code: str, roles: Iterable[Role] = (Role.STAFF,)) -> Sequence[Account]:
        wanted = set(roles)
        return [a for a in self._accounts.values() if a.unit_code == unit_code and a.role in wanted]

    async def with_role(self, role: Role) -> Sequence[Account]:
        return [a for a in self._accounts.values() if a.role == role]


class FakeOutboxRepository:
    def __init__(self) -> None:
        self.messages: list[OutboxMessage] = []

    async def enqueue(self, message: OutboxMessage) -> bool:
        if any(m.dedup_key == message.dedup_key for m in self.messages):
            return False
        self.messages.append(message)
        return True

    async def existing_keys(self, keys: Iterable[str]) -> set[str]:
        written = {m.dedup_key for m in self.messages}
        return {key for key in keys if key in written}


class FakeVerificationRepository:
    """No verification requests (the unit tests that need them run on the real database)."""

    async def list(self, **filters: Any) -> Sequence[Any]:
        return []


class FakeUnitOfWork(AbstractUnitOfWork):
    """One shared in-memory store; entering it again sees what an earlier use case committed."""

    def __init__(
        self,
        units: Iterable[Unit] = (),
        calendar: WorkingDayCalendar | None = None,
        clock: Clock | None = None,
        settings: Settings | None = None,
    ) -> None:
        self.units = FakeUnitRepository(units)
        self.complaints = FakeComplaintRepository()
        self.calendar = FakeCalendarRepository(calendar)
        self.accounts = FakeAccountRepository()
        self.outbox = FakeOutboxRepository()
        self.verifications = FakeVerificationRepository()  # type: ignore[assignment]
        self.clock = clock or FixedClock(datetime.fromisoformat("2026-11-25T01:30:00+00:00"))
        self.settings = settings or Settings(database_url="sqlite+aiosqlite:///:memory:")
        self.committed = 0
        self.rolled_back = 0
        self.published: list[Event] = []

    async def commit(self) -> None:
        self.published.extend(self.collect_new_events())
        await self._commit()

    async def _commit(self) -> None:
        self.committed += 1

    async def rollback(self) -> None:
        self.rolled_back += 1

    def __call__(self) -> FakeUnitOfWork:
        """Behave like a UnitOfWorkFactory: services can be given `uow()` as in production."""
        return self


def fake_uow(**kwargs: Any) -> FakeUnitOfWork:
    return FakeUnitOfWork(**kwargs)
