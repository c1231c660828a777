"""Rectification notices (整改通知, R4 Art.8–9) as one explicit transition table.

The task force issues a notice to a unit (issue, requirement, deadline in working days); the unit's
staff report their rectification; the task force accepts it or returns it (with a new deadline), and
after acceptance a follow-up check (回头看) is due a configurable time later: it confirms the fix
(closed) or finds the problem back (returned again). Every change writes an audit row.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum

from nocert_core.clock import end_of_local_day, local_date
from nocert_core.domain.actors import Actor, Role
from nocert_core.domain.calendar import WorkingDayCalendar
from nocert_core.domain.lifecycle import AuditRow, target_state
from nocert_core.errors import DomainError, PermissionDenied, ValidationFailed
from nocert_core.i18n import N_


class RectificationStatus(StrEnum):
    ISSUED = "issued"  # waiting for the unit's report
    REPORTED = "reported"  # the unit reported; the task force decides
    RETURNED = "returned"  # sent back: the unit reports again by the new deadline
    ACCEPTED = "accepted"  # accepted; the follow-up check (回头看) is due at `follow_up_at`
    CLOSED = "closed"  # the follow-up check confirmed the fix


class RectificationAction(StrEnum):
    REPORT = "report"
    ACCEPT = "accept"
    RETURN = "return"
    CONFIRM_FOLLOW_UP = "confirm_follow_up"
    REOPEN = "reopen"


RS, RA = RectificationStatus, RectificationAction

RECTIFICATION_TRANSITIONS: dict[tuple[RectificationStatus, RectificationAction], RectificationStatus] = {
    (RS.ISSUED, RA.REPORT): RS.REPORTED,
    (RS.RETURNED, RA.REPORT): RS.REPORTED,
    (RS.REPORTED, RA.ACCEPT): RS.ACCEPTED,
    (RS.REPORTED, RA.RETURN): RS.RETURNED,
    (RS.ACCEPTED, RA.CONFIRM_FOLLOW_UP): RS.CLOSED,
    (RS.ACCEPTED, RA.REOPEN): RS.RETURNED,
}

AWAITING_REPORT = frozenset({RS.ISSUED, RS.RETURNED})  # the unit's deadline is running
# Working days a notice sent back or reopened gets unless the supervisor chooses otherwise.
DEFAULT_RETURN_WORKING_DAYS = 5
MAX_WORKING_DAYS = 60  # the message below names it: keep the two together


class IllegalRectificationTransition(DomainError):
    msgid = N_("A rectification notice in state {status} cannot be {action}.")


@dataclass(eq=False)
class RectificationAudit(AuditRow):
    notice_id: int | None = None


@dataclass(eq=False)
class RectificationNotice:
    unit_code: str
    issue: str
    requirement: str
    issued_by: str
    issued_at: datetime
    deadline_at: datetime
    working_days: int
    status: RectificationStatus = RectificationStatus.ISSUED
    report: str | None = None
    reported_at: datetime | None = None
    reported_by: str | None = None
    reported_on_time: bool | None = None  # the latest report came before the deadline then running
    decision_note: str | None = None
    decided_at: datetime | None = None
    accepted_at: datetime | None = None
    follow_up_at: datetime | None = None
    closed_at: datetime | None = None
    complaint_numbers: list[str] = field(default_factory=list)  # what prompted it, if anything
    audit: list[RectificationAudit] = field(default_factory=list)
    id: int | None = None
    version: int = 0

    @property
    def number(self) -> str:
        return notice_number(self.issued_at.year, self.id or 0)

    def allowed_actions(self) -> set[RectificationAction]:
        return {action for (state, action) in RECTIFICATION_TRANSITIONS if state == self.status}

    def is_overdue(self, now: datetime) -> bool:
        return self.status in AWAITING_REPORT and now > self.deadline_at

    def _apply(self, action: RectificationAction, actor: Actor, now: datetime, note: str = "") -> None:
        target = target_state(RECTIFICATION_TRANSITIONS, self.status, action, IllegalRectificationTransition)
        self.audit.append(
            RectificationAudit.of(actor, now, action.value, self.status.value, target.value, note)
        )
        self.status = target

    @classmethod
    def issue_to(
        cls,
        unit_code: str,
        issue: str,
        requirement: str,
        working_days: int,
        actor: Actor,
        now: datetime,
        calendar: WorkingDayCalendar,
        tz: str,
        complaint_numbers: list[str] | None = None,
    ) -> RectificationNotice:
        if not actor.is_supervisor:
            raise PermissionDenied()
        _check_working_days(working_days)
        notice = cls(
            unit_code=unit_code,
            issue=_required(issue, N_("The issue is required.")),
            requirement=_required(requirement, N_("The requirement is required.")),
            issued_by=actor.ref,
            issued_at=now,
            deadline_at=_deadline(now, working_days, calendar, tz),
            working_days=working_days,
            complaint_numbers=list(complaint_numbers or []),
        )
        notice.audit.append(
            RectificationAudit.of(actor, now, "issue", "", notice.status.value, f"{working_days}")
        )
        return notice

    def submit_report(self, report: str, actor: Actor, now: datetime) -> None:
        # the unit reports on its own rectification; only an administrator may enter it for them
        own_unit = actor.role == Role.STAFF and actor.unit_code == self.unit_code
        if not (own_unit or actor.role == Role.ADMIN):
            raise PermissionDenied()
        text = _required(report, N_("The rectification report is required."))
        self._apply(RA.REPORT, actor, now, text[:200])
        self.report = text
        self.reported_at = now
        self.reported_by = actor.ref
        self.reported_on_time = now <= self.deadline_at

    def accept(self, actor: Actor, now: datetime, follow_up_days: int, note: str = "") -> None:
        if not actor.is_supervisor:
            raise PermissionDenied()
        self._apply(RA.ACCEPT, actor, now, note)
        self.decision_note = note.strip() or None
        self.decided_at = now
        self.accepted_at = now
        self.follow_up_at = now + timedelta(days=follow_up_days)

    def send_back(
        self,
        reason: str,
        working_days: int,
        actor: Actor,
        now: datetime,
        calendar: WorkingDayCalendar,
        tz: str,
    ) -> None:
        if not actor.is_supervisor:
            raise PermissionDenied()
        reason = _required(reason, N_("A reason is required."))
        _check_working_days(working_days)
        self._apply(RA.RETURN, actor, now, reason)
        self.decision_note = reason
        self.decided_at = now
        self.deadline_at = _deadline(now, working_days, calendar, tz)
        self.working_days = working_days

    def confirm_follow_up(self, actor: Actor, now: datetime, note: str = "") -> None:
        if not actor.is_supervisor:
            raise PermissionDenied()
        self._apply(RA.CONFIRM_FOLLOW_UP, actor, now, note)
        self.closed_at = now

    def reopen(
        self,
        reason: str,
        working_days: int,
        actor: Actor,
        now: datetime,
        calendar: WorkingDayCalendar,
        tz: str,
    ) -> None:
        """The follow-up check found the problem back: the unit must rectify again."""
        if not actor.is_supervisor:
            raise PermissionDenied()
        reason = _required(reason, N_("A reason is required."))
        _check_working_days(working_days)
        self._apply(RA.REOPEN, actor, now, reason)
        self.decision_note = reason
        self.decided_at = now
        self.accepted_at = None
        self.follow_up_at = None
        self.deadline_at = _deadline(now, working_days, calendar, tz)
        self.working_days = working_days


def _check_working_days(working_days: int) -> None:
    if not 1 <= working_days <= MAX_WORKING_DAYS:
        raise ValidationFailed("A rectification deadline is 1 to 60 working days.")


def _deadline(now: datetime, working_days: int, calendar: WorkingDayCalendar, tz: str) -> datetime:
    return end_of_local_day(calendar.deadline(local_date(now, tz), working_days).day, tz)


def _required(text: str, message: str) -> str:
    cleaned = (text or "").strip()
    if not cleaned:
        raise ValidationFailed(message)
    return cleaned


def notice_number(year: int, notice_id: int) -> str:
    return f"ZG-{year}-{notice_id:05d}"


def parse_notice_number(text: str) -> int | None:
    """`ZG-2026-00012` or a bare id → 12."""
    cleaned = text.strip().upper()
    tail = cleaned.rsplit("-", 1)[-1]
    return int(tail) if tail.isascii() and tail.isdigit() else None
