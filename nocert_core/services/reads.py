"""Read-only use cases the CLI runs, and the unit of work they need: the repositories' read methods only.

`AbstractUnitOfWork` (SQLAlchemy) fits `ReadUnitOfWork`, and so does the standard-library reader of
`nocert_core.adapters.sqlite_reader`, which read-only commands use on an up-to-date SQLite file to start
without importing SQLAlchemy (docs/startup.md). This module imports neither: only the domain.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from types import TracebackType
from typing import Any, Protocol

from nocert_core.domain.actors import Actor, Role
from nocert_core.domain.complaints import OPEN_STATES, Complaint, ComplaintStatus
from nocert_core.domain.units import Unit
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


class ReadUnitOfWork(Protocol):
    @property
    def units(self) -> UnitReads: ...

    @property
    def complaints(self) -> ComplaintReads: ...

    @property
    def calendar(self) -> CalendarReads: ...

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
