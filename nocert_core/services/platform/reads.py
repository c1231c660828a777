"""Read-only use cases the CLI runs, and the unit of work they need: the repositories' read methods only.

`AbstractUnitOfWork` (SQLAlchemy) fits `ReadUnitOfWork`, and so does the standard-library reader of
`nocert_core.adapters.sqlite.sqlite_reader`, which read-only commands use on an up-to-date SQLite file to
start without importing SQLAlchemy (docs/startup.md). This module imports neither: only the domain.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from types import TracebackType
from typing import Any, Protocol

from nocert_core.clock import end_of_local_day
from nocert_core.domain import verification
from nocert_core.domain.accounts import Account
from nocert_core.domain.actors import Actor, Role
from nocert_core.domain.adjustments import Adjustment
from nocert_core.domain.catalogue import CatalogueEntry
from nocert_core.domain.complaint_lifecycle import OPEN_STATES, ComplaintStatus
from nocert_core.domain.complaints import Complaint
from nocert_core.domain.lexicon import KINDS, LexiconTerm
from nocert_core.domain.outbox import OutboxStatus
from nocert_core.domain.rectification import RectificationNotice, RectificationStatus
from nocert_core.domain.units import Unit
from nocert_core.domain.verification import VerificationRequest, VerificationStatus
from nocert_core.errors import NotFound


class UnitReads(Protocol):
    async def get(self, code: str) -> Unit | None: ...

    async def list(self) -> Sequence[Unit]: ...


class ComplaintReads(Protocol):
    async def get_by_number(self, number: str) -> Complaint | None: ...

    async def list(
        self,
        *,
        statuses: Iterable[ComplaintStatus] | None = None,
        unit_code: str | None = None,
        complainant_ref: str | None = None,
        unrouted: bool = False,
        limit: int | None = None,
        order_by_deadline: bool = False,
    ) -> Sequence[Complaint]: ...


class CalendarReads(Protocol):
    async def covered_years(self) -> dict[int, str]: ...


class AccountReads(Protocol):
    async def unreachable(self) -> Sequence[Account]: ...


class OutboxReads(Protocol):
    async def counts_by_status(self) -> dict[OutboxStatus, int]: ...

    async def due_count(self, now: datetime) -> int: ...

    async def oldest_pending_at(self) -> datetime | None: ...

    async def recent_failures(self, limit: int) -> list[tuple[str, str, str]]: ...


class VerificationReads(Protocol):
    async def list(
        self,
        *,
        unit_code: str | None = None,
        statuses: Iterable[VerificationStatus] | None = None,
        limit: int | None = None,
    ) -> Sequence[VerificationRequest]: ...


class RectificationReads(Protocol):
    async def list(
        self, *, unit_code: str | None = None, statuses: Iterable[RectificationStatus] | None = None
    ) -> Sequence[RectificationNotice]: ...


class CatalogueReads(Protocol):
    async def adjustments(
        self,
        *,
        since: date | None = None,
        until: date | None = None,
        unit_code: str | None = None,
        limit: int | None = None,
        newest_first: bool = False,
    ) -> Sequence[Adjustment]: ...

    async def at(self, instant: datetime) -> list[CatalogueEntry]: ...

    async def lexicon_terms(self) -> Sequence[LexiconTerm]: ...


class ReadUnitOfWork(Protocol):
    @property
    def units(self) -> UnitReads: ...

    @property
    def complaints(self) -> ComplaintReads: ...

    @property
    def calendar(self) -> CalendarReads: ...

    @property
    def accounts(self) -> AccountReads: ...

    @property
    def outbox(self) -> OutboxReads: ...

    @property
    def verifications(self) -> VerificationReads: ...

    @property
    def rectifications(self) -> RectificationReads: ...

    @property
    def catalogue(self) -> CatalogueReads: ...

    async def __aenter__(self) -> Any: ...

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None: ...


def can_view(actor: Actor, complaint: Complaint) -> bool:
    """Citizens: their own. Staff: their unit's, and — read-only — those their unit registered for a caller
    (so they can answer the caller phoning back; docs/security.md, "Who sees a complaint"). The task force,
    admins and the system: all."""
    if actor.role == Role.CITIZEN:
        return complaint.complainant_ref is not None and complaint.complainant_ref == actor.ref
    return actor.acts_for_unit(complaint.unit_code) or (
        actor.role == Role.STAFF
        and actor.unit_code is not None
        and actor.unit_code == complaint.receiving_unit_code
    )


async def get_complaint(uow: ReadUnitOfWork, actor: Actor, number: str) -> Complaint:
    """A complaint the actor may see; a guessed number gives the same answer as a missing one."""
    async with uow:
        complaint = await uow.complaints.get_by_number(number)
        if complaint is None or not can_view(actor, complaint):
            raise NotFound("No complaint {number}.", number=number)
        return complaint


async def list_complaints(
    uow: ReadUnitOfWork,
    actor: Actor,
    statuses: Sequence[ComplaintStatus] | None = None,
    open_only: bool = False,
) -> Sequence[Complaint]:
    """Citizens: their own; staff: their unit's; supervisors and admins: all."""
    wanted = list(OPEN_STATES) if open_only else statuses
    async with uow:
        if actor.role == Role.CITIZEN:
            return await uow.complaints.list(statuses=wanted, complainant_ref=actor.ref)
        if actor.role == Role.STAFF:
            if actor.unit_code is None:
                return []
            return await uow.complaints.list(
                statuses=wanted, unit_code=actor.unit_code, order_by_deadline=True
            )
        return await uow.complaints.list(statuses=wanted, order_by_deadline=open_only)


async def list_units(uow: ReadUnitOfWork) -> Sequence[Unit]:
    async with uow:
        return list(await uow.units.list())


async def unit_names(uow: ReadUnitOfWork) -> dict[str, str]:
    """Every unit's name by its code."""
    async with uow:
        return {unit.code: unit.name for unit in await uow.units.list()}


@dataclass(frozen=True)
class OutboxSummary:
    pending: int
    due_now: int
    sent: int
    undeliverable: int
    oldest_pending_at: datetime | None
    unreachable: list[Account]
    recent_failures: list[tuple[str, str, str]]  # (recipient, kind, error)


async def outbox_summary(uow: ReadUnitOfWork, now: datetime) -> OutboxSummary:
    """What the outbox holds (`nocert outbox status`): counts, the oldest pending row, the latest
    failures and who cannot be reached."""
    async with uow:
        counts = await uow.outbox.counts_by_status()
        return OutboxSummary(
            pending=counts.get(OutboxStatus.PENDING, 0),
            due_now=await uow.outbox.due_count(now),
            sent=counts.get(OutboxStatus.SENT, 0),
            undeliverable=counts.get(OutboxStatus.UNDELIVERABLE, 0),
            oldest_pending_at=await uow.outbox.oldest_pending_at(),
            unreachable=list(await uow.accounts.unreachable()),
            recent_failures=await uow.outbox.recent_failures(10),
        )


async def list_requests(
    uow: ReadUnitOfWork,
    actor: Actor,
    unit_code: str | None = None,
    open_only: bool = False,
) -> Sequence[VerificationRequest]:
    """Staff: what their unit sent and received; the task force: all (or one unit's); others: nothing.
    Callers show only the register fields (number, units, proof, state, time limit), not the data."""
    async with uow:
        if actor.role == Role.STAFF:
            if actor.unit_code is None:
                return []
            unit_code = actor.unit_code
        elif not actor.is_supervisor:
            return []
        statuses = list(verification.OPEN_STATES) if open_only else None
        return await uow.verifications.list(unit_code=unit_code, statuses=statuses)


async def list_notices(
    uow: ReadUnitOfWork,
    actor: Actor,
    statuses: Sequence[RectificationStatus] | None = None,
    unit_code: str | None = None,
) -> Sequence[RectificationNotice]:
    """Supervisors: all (or one unit's); staff: their own unit's."""
    async with uow:
        if actor.role == Role.STAFF:
            if actor.unit_code is None:
                return []
            unit_code = actor.unit_code
        elif not actor.is_supervisor:
            return []
        return await uow.rectifications.list(unit_code=unit_code, statuses=statuses)


async def list_adjustments(
    uow: ReadUnitOfWork,
    *,
    since: date | None = None,
    until: date | None = None,
    unit_code: str | None = None,
    limit: int | None = None,
    newest_first: bool = False,
) -> list[Adjustment]:
    """Public (R3 Art.10: anyone may follow and comment on the adjustments)."""
    async with uow:
        return list(
            await uow.catalogue.adjustments(
                since=since, until=until, unit_code=unit_code, limit=limit, newest_first=newest_first
            )
        )


async def catalogue_at(uow: ReadUnitOfWork, day: date, timezone: str) -> list[CatalogueEntry]:
    """What the catalogue said at the end of `day` (local time in `timezone`), from the versions."""
    async with uow:
        return list(await uow.catalogue.at(end_of_local_day(day, timezone)))


async def lexicon_additions(uow: ReadUnitOfWork) -> list[LexiconTerm]:
    """The administrator's additions to the guidance lexicon."""
    async with uow:
        return [t for t in await uow.catalogue.lexicon_terms() if t.kind in KINDS]
