"""In-transaction subscribers that tell people about complaint changes, through the outbox.

- registered/routed → an assignment to every bound staff account of the handling unit (the task force when
  there is no unit yet, or when the unit has nobody bound in chat);
- returned as misrouted → the task force;
- routed by the task force, returned for re-routing → the complainant (what happens next);
- accepted/rejected/resolved/extended (days, reason, new deadline)/terminated/marked duplicate → the
  complainant (resolved and rejected
  also ask for a 1–5 rating); a withdrawal → the unit's staff;
- extension requested → the task force; extension decided → the unit's staff and the complainant;
- reassigned by the task force → the new unit (an assignment), the old unit's staff, the complainant;
- a deadline moved by an imported official calendar → the complainant and the unit's staff.
Every row has a deterministic dedup key (`assign:{number}:{unit}:{step}:{account}`), so re-running a
transaction never sends twice. Payloads (nocert_core/domain/complaint_notifications.py) never carry the
full phone number.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from nocert_core.clock import local_date
from nocert_core.domain import complaint_notifications as kinds
from nocert_core.domain import events as ev
from nocert_core.domain.accounts import Account
from nocert_core.domain.actors import Role
from nocert_core.domain.complaint_notifications import CaseNotice, StaffUpdate, StatusChange
from nocert_core.domain.complaints import Complaint
from nocert_core.services.messaging.outbox import notify
from nocert_core.services.platform.uow import AbstractUnitOfWork

ASSIGNED = kinds.ASSIGNED
UNROUTED = kinds.UNROUTED
EXTENSION_REQUESTED = kinds.EXTENSION_REQUESTED
STATUS_CHANGED = kinds.STATUS_CHANGED  # to the complainant
STAFF_UPDATE = kinds.STAFF_UPDATE  # to the handling unit's staff


async def _complaint(uow: AbstractUnitOfWork, number: str) -> Complaint:
    complaint: Complaint | None = await uow.complaints.get_by_number(number)
    assert complaint is not None, number  # the event was raised by this transaction's complaint
    return complaint


async def _card(uow: AbstractUnitOfWork, complaint: Complaint) -> CaseNotice:
    unit = await uow.units.known(complaint.unit_code) if complaint.unit_code else None
    settings = uow.settings
    return CaseNotice.of(
        complaint, unit.name if unit else None, settings.timezone, settings.handling_working_days
    )


async def _supervisors(uow: AbstractUnitOfWork) -> Sequence[Account]:
    return list(await uow.accounts.with_role(Role.SUPERVISOR))


async def _unit_staff(uow: AbstractUnitOfWork, unit_code: str | None) -> Sequence[Account]:
    return list(await uow.accounts.for_unit(unit_code)) if unit_code else []


async def _complainant(uow: AbstractUnitOfWork, complaint: Complaint) -> list[Account]:
    if not complaint.complainant_ref:
        return []
    account: Account | None = await uow.accounts.get_by_ref(complaint.complainant_ref)
    return [account] if account is not None else []


async def _assign(uow: AbstractUnitOfWork, number: str) -> None:
    complaint = await _complaint(uow, number)
    payload = await _card(uow, complaint)
    step = len(complaint.audit)
    staff = await _unit_staff(uow, complaint.unit_code)
    if staff:
        await notify(uow, staff, ASSIGNED, payload, f"assign:{number}:{complaint.unit_code}:{step}")
        return
    payload = replace(payload, no_staff_bound=complaint.unit_code is not None)
    await notify(uow, await _supervisors(uow), UNROUTED, payload, f"unrouted:{number}:{step}")


async def on_registered(uow: AbstractUnitOfWork, event: ev.ComplaintRegistered) -> None:
    await _assign(uow, event.number)


async def on_routed(uow: AbstractUnitOfWork, event: ev.ComplaintRouted) -> None:
    await _assign(uow, event.number)
    await _tell_complainant(uow, event.number, "routed")
    if event.from_unit_code:  # reassigned: the unit that had it hears where it went
        unit = await uow.units.known(event.unit_code)
        await _tell_staff(
            uow, event.number, "reassigned", unit_code=event.from_unit_code, to_unit=unit.name if unit else ""
        )


async def on_returned(uow: AbstractUnitOfWork, event: ev.ComplaintReturned) -> None:
    complaint = await _complaint(uow, event.number)
    returning_unit = await uow.units.known(event.from_unit_code) if event.from_unit_code else None
    returned_by = returning_unit.name if returning_unit else event.from_unit_code
    payload = replace(await _card(uow, complaint), returned_by=returned_by)
    await notify(
        uow, await _supervisors(uow), UNROUTED, payload, f"unrouted:{event.number}:{len(complaint.audit)}"
    )
    await _tell_complainant(uow, event.number, "returned")


async def on_extension_requested(uow: AbstractUnitOfWork, event: ev.ExtensionRequested) -> None:
    complaint = await _complaint(uow, event.number)
    payload = await _card(uow, complaint)
    key = f"extension:{event.number}:{len(complaint.audit)}"
    await notify(uow, await _supervisors(uow), EXTENSION_REQUESTED, payload, key)


def _local_day(uow: AbstractUnitOfWork, complaint: Complaint) -> str | None:
    return (
        local_date(complaint.deadline_at, uow.settings.timezone).isoformat()
        if complaint.deadline_at
        else None
    )


async def _tell_complainant(
    uow: AbstractUnitOfWork,
    number: str,
    change: str,
    *,
    rate: bool = False,
    termination: str | None = None,
    original: str | None = None,
    days: int | None = None,
    extension_reason: str | None = None,
    previous: str | None = None,
    days_late: int | None = None,
) -> None:
    """The complainant hears of `change` (a `StatusChange`; the keywords are its fields of that change)."""
    complaint = await _complaint(uow, number)
    unit = await uow.units.known(complaint.unit_code) if complaint.unit_code else None
    payload = StatusChange(
        number=number,
        change=change,
        unit_name=unit.name if unit else None,
        deadline=_local_day(uow, complaint),
        provisional=complaint.deadline_provisional,
        result=complaint.result,
        ground=complaint.rejection_ground.value if complaint.rejection_ground else None,
        reason=complaint.status_reason,
        rate=rate,
        termination=termination,
        original=original,
        days=days,
        extension_reason=extension_reason,
        previous=previous,
        days_late=days_late,
    )
    key = f"status:{number}:{change}:{len(complaint.audit)}"
    await notify(uow, await _complainant(uow, complaint), STATUS_CHANGED, payload, key)


tell_complainant = _tell_complainant  # for other services' subscribers (services/complaints/press.py)


async def _tell_staff(
    uow: AbstractUnitOfWork,
    number: str,
    change: str,
    unit_code: str | None = None,
    *,
    termination: str | None = None,
    deadline: str | None = None,
    previous: str | None = None,
    to_unit: str | None = None,
) -> None:
    """The unit's staff (of `unit_code`, else the handling unit) hear of `change` (a `StaffUpdate`)."""
    complaint = await _complaint(uow, number)
    payload = StaffUpdate(
        number=number,
        change=change,
        termination=termination,
        deadline=deadline,
        previous=previous,
        to_unit=to_unit,
    )
    key = f"staff:{number}:{change}:{len(complaint.audit)}"
    staff = await _unit_staff(uow, unit_code or complaint.unit_code)
    await notify(uow, staff, STAFF_UPDATE, payload, key)


async def on_accepted(uow: AbstractUnitOfWork, event: ev.ComplaintAccepted) -> None:
    await _tell_complainant(uow, event.number, "accepted")


async def on_rejected(uow: AbstractUnitOfWork, event: ev.ComplaintRejected) -> None:
    await _tell_complainant(uow, event.number, "rejected", rate=True)


async def on_resolved(uow: AbstractUnitOfWork, event: ev.ComplaintResolved) -> None:
    await _tell_complainant(uow, event.number, "resolved", rate=True)


async def on_terminated(uow: AbstractUnitOfWork, event: ev.ComplaintTerminated) -> None:
    await _tell_complainant(uow, event.number, "terminated", termination=event.ground)
    await _tell_staff(uow, event.number, "terminated", termination=event.ground)


async def on_duplicate(uow: AbstractUnitOfWork, event: ev.ComplaintMarkedDuplicate) -> None:
    await _tell_complainant(uow, event.number, "duplicate", original=event.original_number)


async def on_extension_decided(uow: AbstractUnitOfWork, event: ev.ExtensionDecided) -> None:
    complaint = await _complaint(uow, event.number)
    if event.approved:
        await _tell_complainant(
            uow,
            event.number,
            "extended",
            days=complaint.extension_days,
            extension_reason=complaint.extension_reason or "",
        )
    decided = "extension_approved" if event.approved else "extension_denied"
    await _tell_staff(uow, event.number, decided, deadline=_local_day(uow, complaint))


async def on_deadline_corrected(uow: AbstractUnitOfWork, event: ev.DeadlineCorrected) -> None:
    """Whoever was told the old date hears the new one (the complainant at acceptance, the unit's staff)."""
    await _tell_complainant(uow, event.number, "deadline_corrected", previous=event.old_day)
    await _tell_staff(uow, event.number, "deadline_corrected", deadline=event.new_day, previous=event.old_day)
