"""The complaint (投诉举报) lifecycle of R5, as one explicit transition table.

Every change goes through `Complaint._apply`, which checks the table, raises `IllegalTransition` for a
move the table does not allow and appends an audit row (who, when, from, to, why) — both with the
shared helpers of `domain/lifecycle.py`; the method making the change records its domain event. The states,
actions and the table itself are in `domain/complaint_lifecycle.py`; phone numbers in `domain/phones.py`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING

from nocert_core.clock import end_of_local_day, local_date
from nocert_core.domain.actors import Actor
from nocert_core.domain.calendar import WorkingDayCalendar
from nocert_core.domain.complaint_lifecycle import (
    HANDLING_STATES,
    OPEN_STATES,
    TRANSITIONS,
    Action,
    ComplaintStatus,
    ExtensionState,
    RejectionGround,
    TerminationGround,
)
from nocert_core.domain.lifecycle import AuditRow, target_state
from nocert_core.errors import DomainError, IllegalTransition, PermissionDenied, ValidationFailed
from nocert_core.lazy import lazy_module

if TYPE_CHECKING:
    from nocert_core.domain import events as ev
else:  # built when a complaint first records an event: a read-only command never does (nocert_core/lazy.py)
    ev = lazy_module("nocert_core.domain.events")


class Channel(StrEnum):
    TELEGRAM = "telegram"
    CONSOLE = "console"
    HOTLINE = "hotline"
    LETTER = "letter"
    FAX = "fax"
    SMS = "sms"
    EMAIL = "email"
    PLATFORM = "platform"
    COUNTER = "counter"


class Category(StrEnum):  # R5 Art.4
    DEMANDED_PROOF = "demanded_proof"
    LIST_NOT_FOLLOWED = "list_not_followed"
    VERIFICATION_LATE = "verification_late"
    OTHER = "other"


@dataclass(eq=False)
class AuditEntry(AuditRow):
    complaint_id: int | None = None


@dataclass(eq=False)
class Rating:
    score: int
    comment: str
    rated_at: datetime
    complaint_id: int | None = None
    id: int | None = None


@dataclass(eq=False)
class Complaint:
    number: str
    channel: Channel
    complainant_name: str
    complainant_phone: str
    agency_text: str
    demand: str
    reasons: str
    facts: str
    registered_at: datetime
    category: Category = Category.OTHER
    status: ComplaintStatus = ComplaintStatus.REGISTERED
    complainant_ref: str | None = None  # the chat identity that filed it (a citizen sees only their own)
    on_behalf_of: str | None = None
    unit_code: str | None = None  # the handling unit; None = waits for the task force to route it
    receiving_unit_code: str | None = None
    registered_by: str | None = None  # staff ref when entered on the caller's behalf
    screening: dict[str, object] | None = None
    dedup_ref: str | None = None  # the delivery that registered it (a redelivered update finds it)
    accepted_at: datetime | None = None
    deadline_at: datetime | None = None
    deadline_provisional: bool = False
    closed_at: datetime | None = None
    result: str | None = None
    rejection_ground: RejectionGround | None = None
    termination_ground: TerminationGround | None = None
    status_reason: str | None = None  # reason of the latest rejection/return/termination
    duplicate_of_id: int | None = None
    extension_state: ExtensionState = ExtensionState.NONE
    extension_days: int | None = None
    extension_reason: str | None = None
    extension_requested_at: datetime | None = None
    audit: list[AuditEntry] = field(default_factory=list)
    ratings: list[Rating] = field(default_factory=list)
    id: int | None = None
    version: int = 0

    def __post_init__(self) -> None:
        self.events: list[ev.Event] = []

    # ---- queries -------------------------------------------------------------------------------
    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATES

    @property
    def rating(self) -> Rating | None:
        return self.ratings[0] if self.ratings else None

    def allowed_actions(self) -> set[Action]:
        return {action for (state, action) in TRANSITIONS if state == self.status}

    # ---- transitions ---------------------------------------------------------------------------
    def _target(self, action: Action) -> ComplaintStatus:
        """The state `action` leads to; IllegalTransition when the table has no such move. Methods call it
        before their other guards, so an impossible move is reported as such, not as a missing detail."""
        return target_state(TRANSITIONS, self.status, action, IllegalTransition)

    def _apply(self, action: Action, actor: Actor, now: datetime, note: str = "") -> None:
        target = self._target(action)
        self.audit.append(AuditEntry.of(actor, now, action.value, self.status.value, target.value, note))
        self.status = target

    def _require_handler(self, actor: Actor) -> None:
        if not actor.acts_for_unit(self.unit_code):
            raise PermissionDenied()

    def record_registration(self, actor: Actor) -> None:
        """The first audit row: registration is a change too."""
        self.audit.append(
            AuditEntry.of(actor, self.registered_at, "register", "", self.status.value, self.channel.value)
        )

    def record_access(self, actor: Actor, now: datetime, what: str) -> None:
        """Log a view of protected data (e.g. the full phone number): no state change, still audited."""
        if not actor.acts_for_unit(self.unit_code):
            raise PermissionDenied()
        self.audit.append(AuditEntry.of(actor, now, f"view_{what}", self.status.value, self.status.value))

    def route(self, unit_code: str, actor: Actor, now: datetime, note: str = "") -> None:
        """Send to a unit: first routing, re-routing after a return, or reassigning a case in handling
        (the new unit decides on acceptance and gets its own deadline; the old unit is told)."""
        self._target(Action.ROUTE)
        if not actor.is_supervisor:
            raise PermissionDenied()
        previous_unit = self.unit_code
        if self.status in HANDLING_STATES and unit_code == previous_unit:
            raise DomainError("The complaint is already with this unit.")
        self._apply(Action.ROUTE, actor, now, note or unit_code)
        self.unit_code = unit_code
        self._start_over()
        self.events.append(ev.ComplaintRouted(self.number, unit_code, previous_unit))

    def _start_over(self) -> None:
        """A new unit starts over: acceptance and its deadline belonged to the previous one."""
        self.accepted_at = None
        self.deadline_at = None
        self.deadline_provisional = False
        self.extension_state = ExtensionState.NONE
        self.extension_days = None
        self.extension_reason = None
        self.extension_requested_at = None

    def accept(self, actor: Actor, now: datetime, calendar: WorkingDayCalendar, tz: str, days: int) -> None:
        self._target(Action.ACCEPT)
        self._require_handler(actor)
        if self.unit_code is None:
            raise DomainError("The complaint has no handling unit yet; the task force must route it first.")
        self._apply(Action.ACCEPT, actor, now)
        self.accepted_at = now
        deadline = calendar.deadline(local_date(now, tz), days)
        self.deadline_at = end_of_local_day(deadline.day, tz)
        self.deadline_provisional = deadline.provisional
        self.events.append(ev.ComplaintAccepted(self.number))

    def correct_deadline(
        self,
        old: WorkingDayCalendar,
        new: WorkingDayCalendar,
        tz: str,
        actor: Actor,
        now: datetime,
        note: str,
    ) -> bool:
        """The calendar behind a running deadline changed (an official schedule was imported): count the same
        working days from acceptance on the new calendar — an approved extension included, so it now counts
        from the corrected date. Audited; True when the deadline or its provisional mark changed."""
        if self.status not in HANDLING_STATES or self.deadline_at is None or self.accepted_at is None:
            return False
        start, before = local_date(self.accepted_at, tz), local_date(self.deadline_at, tz)
        corrected = new.deadline(start, old.working_days_between(start, before))
        if corrected.day == before and corrected.provisional == self.deadline_provisional:
            return False
        marks = {True: " (provisional)", False: ""}
        self.audit.append(
            AuditEntry.of(
                actor,
                now,
                "correct_deadline",
                self.status.value,
                self.status.value,
                f"{before.isoformat()}{marks[self.deadline_provisional]} → "
                f"{corrected.day.isoformat()}{marks[corrected.provisional]}: {note}",
            )
        )
        self.deadline_at = end_of_local_day(corrected.day, tz)
        self.deadline_provisional = corrected.provisional
        if corrected.day != before:
            moved = ev.DeadlineCorrected(self.number, before.isoformat(), corrected.day.isoformat())
            self.events.append(moved)
        return True

    def reject(self, ground: RejectionGround, reason: str, actor: Actor, now: datetime) -> None:
        self._require_handler(actor)
        reason = _required(reason, "A reason is required.")
        self._apply(Action.REJECT, actor, now, f"{ground.value}: {reason}")
        self.rejection_ground = ground
        self.status_reason = reason
        self.closed_at = now
        self.events.append(ev.ComplaintRejected(self.number, ground.value, reason))

    def return_misrouted(self, reason: str, actor: Actor, now: datetime) -> None:
        self._require_handler(actor)
        reason = _required(reason, "A reason is required.")
        previous_unit = self.unit_code
        self._apply(Action.RETURN_MISROUTED, actor, now, reason)
        self.status_reason = reason
        self.unit_code = None
        self._start_over()
        self.events.append(ev.ComplaintReturned(self.number, previous_unit, reason))

    def request_extension(self, days: int, reason: str, actor: Actor, now: datetime, max_days: int) -> None:
        self._target(Action.REQUEST_EXTENSION)
        self._require_handler(actor)
        reason = _required(reason, "A reason is required.")
        if self.extension_state != ExtensionState.NONE:
            raise DomainError("Only one extension can be requested per complaint.")
        if not 1 <= days <= max_days:
            raise ValidationFailed("An extension is 1 to {max_days} working days.", max_days=max_days)
        self._apply(Action.REQUEST_EXTENSION, actor, now, f"{days}: {reason}")
        self.extension_state = ExtensionState.REQUESTED
        self.extension_days = days
        self.extension_reason = reason
        self.extension_requested_at = now
        self.events.append(ev.ExtensionRequested(self.number, days, reason))

    def decide_extension(
        self,
        approve: bool,
        actor: Actor,
        now: datetime,
        calendar: WorkingDayCalendar,
        tz: str,
        note: str = "",
    ) -> None:
        self._target(Action.APPROVE_EXTENSION if approve else Action.DENY_EXTENSION)
        if not actor.is_supervisor:
            raise PermissionDenied()
        if self.extension_state != ExtensionState.REQUESTED or self.extension_days is None:
            raise DomainError("There is no pending extension request.")
        self._apply(Action.APPROVE_EXTENSION if approve else Action.DENY_EXTENSION, actor, now, note)
        self.extension_state = ExtensionState.APPROVED if approve else ExtensionState.DENIED
        if approve and self.deadline_at is not None:
            deadline = calendar.deadline(local_date(self.deadline_at, tz), self.extension_days)
            self.deadline_at = end_of_local_day(deadline.day, tz)
            self.deadline_provisional = self.deadline_provisional or deadline.provisional
        self.events.append(ev.ExtensionDecided(self.number, approve))

    def resolve(self, result: str, actor: Actor, now: datetime) -> None:
        self._require_handler(actor)
        result = _required(result, "The result is required.")
        self._apply(Action.RESOLVE, actor, now, result)
        self.result = result
        self.closed_at = now
        self.events.append(ev.ComplaintResolved(self.number))

    def terminate(self, ground: TerminationGround, reason: str, actor: Actor, now: datetime) -> None:
        is_complainant = actor.ref == self.complainant_ref and self.complainant_ref is not None
        if not (is_complainant or actor.acts_for_unit(self.unit_code)):
            raise PermissionDenied()
        self._apply(Action.TERMINATE, actor, now, f"{ground.value}: {reason}".rstrip(": "))
        self.termination_ground = ground
        self.status_reason = reason or None
        self.closed_at = now
        self.events.append(ev.ComplaintTerminated(self.number, ground.value))

    def mark_duplicate(self, original: Complaint, actor: Actor, now: datetime) -> None:
        self._target(Action.MARK_DUPLICATE)
        if not (actor.is_supervisor or actor.acts_for_unit(self.unit_code)):
            raise PermissionDenied()
        if original is self or (original.id is not None and original.id == self.id):
            raise DomainError("A complaint cannot duplicate itself.")
        if original.registered_at > self.registered_at:
            raise DomainError("A duplicate links to the complaint received first.")
        self._apply(Action.MARK_DUPLICATE, actor, now, original.number)
        self.duplicate_of_id = original.id
        self.closed_at = now
        self.events.append(ev.ComplaintMarkedDuplicate(self.number, original.number))

    def rate(self, score: int, comment: str, actor: Actor, now: datetime) -> None:
        """R4 Art.6: only the complainant rates, once; nobody changes it afterwards."""
        self._target(Action.RATE)
        if self.complainant_ref is None or actor.ref != self.complainant_ref:
            raise PermissionDenied()
        if self.ratings:
            raise DomainError("This complaint has already been rated.")
        if not 1 <= score <= 5:
            raise ValidationFailed("A rating is a whole number from 1 to 5.")
        self._apply(Action.RATE, actor, now, str(score))
        self.ratings.append(Rating(score=score, comment=comment.strip(), rated_at=now))
        self.events.append(ev.ComplaintRated(self.number, score))


def _required(text: str, message: str) -> str:
    cleaned = (text or "").strip()
    if not cleaned:
        raise ValidationFailed(message)
    return cleaned


def format_number(year: int, sequence: int) -> str:
    return f"TS-{year}-{sequence:06d}"
