"""Pressing the late unit (催办): the task force reminds the handling unit of a complaint past its deadline.

The one rule, for every channel (the web console's button, the chat's): only the task force presses; only a
complaint in handling (accepted or extended) whose deadline has passed; at most once per complaint per local
day (a second press the same day is refused, so a unit is not flooded). A press is an audit row
(action "press", the supervisor's words as the note) and the event `ComplaintPressed`, whose in-transaction
handler `on_pressed` tells the unit's staff (kind `complaint.pressed`: the case card, working days late and
the words) and the complainant (`complaint.status`, change "pressed") through the outbox.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from nocert_core.clock import Clock, ensure_utc, local_date
from nocert_core.domain import complaint_notifications as kinds
from nocert_core.domain import events as ev
from nocert_core.domain.actors import Actor
from nocert_core.domain.complaint_lifecycle import HANDLING_STATES
from nocert_core.domain.complaint_notifications import CasePressed
from nocert_core.domain.complaints import AuditEntry, Complaint
from nocert_core.domain.fields import checked_length
from nocert_core.errors import DomainError, NotFound, PermissionDenied
from nocert_core.i18n import N_
from nocert_core.services.complaints import notify as notify_complaints
from nocert_core.services.messaging.outbox import notify
from nocert_core.services.platform.uow import AbstractUnitOfWork

PRESSED = kinds.PRESSED  # to the handling unit's staff
PRESS_ACTION = "press"
NOTE_MAX = 500


@dataclass(frozen=True)
class Press:
    number: str
    unit_code: str
    working_days_late: int
    staff_told: int  # staff accounts of the unit bound in chat; 0 → nobody there to tell, phone them


def can_press(complaint: Complaint, now: datetime) -> bool:
    """Whether the complaint may be pressed now (a UI shows the button when this holds and the actor is
    the task force); `press_late_unit` also refuses a second press on the same day."""
    return (
        complaint.status in HANDLING_STATES
        and complaint.unit_code is not None
        and complaint.deadline_at is not None
        and ensure_utc(complaint.deadline_at) < now
    )


def pressed_on(complaint: Complaint, day: str, timezone: str) -> bool:
    """Whether the complaint was pressed on the local day `day` (ISO)."""
    return any(
        row.action == PRESS_ACTION and local_date(row.at, timezone).isoformat() == day
        for row in complaint.audit
    )


async def press_late_unit(
    uow: AbstractUnitOfWork, clock: Clock, actor: Actor, number: str, note: str = ""
) -> Press:
    if not actor.is_supervisor:
        raise PermissionDenied()
    words = checked_length((note or "").strip(), N_("Note"), NOTE_MAX, min_length=0)
    async with uow:
        complaint = await uow.complaints.get_by_number(number)
        if complaint is None:
            raise NotFound("No complaint {number}.", number=number)
        now = clock.now()
        if not can_press(complaint, now) or complaint.unit_code is None or complaint.deadline_at is None:
            raise DomainError(
                N_("Complaint {number} is not past its deadline: there is no unit to press."), number=number
            )
        tz = uow.settings.timezone
        today = local_date(now, tz)
        if pressed_on(complaint, today.isoformat(), tz):
            raise DomainError(
                N_("The unit was already pressed about complaint {number} today."), number=number
            )
        calendar = await uow.calendar.load()
        late = max(calendar.working_days_between(local_date(complaint.deadline_at, tz), today), 1)
        status = complaint.status.value
        complaint.audit.append(AuditEntry.of(actor, now, PRESS_ACTION, status, status, words))
        complaint.events.append(ev.ComplaintPressed(number, complaint.unit_code, late, words))
        staff = len(list(await uow.accounts.for_unit(complaint.unit_code)))
        await uow.commit()
        return Press(number, complaint.unit_code, late, staff)


async def on_pressed(uow: AbstractUnitOfWork, event: ev.ComplaintPressed) -> None:
    """Tell the unit's staff (the case card with how late it is and the task force's words) and the
    complainant (that the task force pressed the unit). Keyed by the audit step: sent once."""
    complaint = await uow.complaints.get_by_number(event.number)
    assert complaint is not None, event.number
    unit = await uow.units.get(event.unit_code)
    card = CasePressed.of(complaint, unit.name if unit else None, uow.settings.timezone)
    payload = replace(card, working_days_late=event.working_days_late, note=event.note)
    staff = list(await uow.accounts.for_unit(event.unit_code))
    await notify(uow, staff, PRESSED, payload, f"press:{event.number}:{len(complaint.audit)}")
    await notify_complaints.tell_complainant(uow, event.number, "pressed", days_late=event.working_days_late)
