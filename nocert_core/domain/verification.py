"""Verification requests (协查核验申请, R2 department verification) as one explicit transition table.

A requesting unit asks an issuing unit to verify a proof instead of making the applicant fetch it
(R2 Art.2–3, 7). The issuing unit registers and accepts it at once, verifies it (consistent or
inconsistent with what the applicant filled in) or returns it with a reason when it is outside its duty
(Art.8). The requesting unit may withdraw an open request, and after an inconsistent result records that
it asked the applicant for more material (Art.9). Every change and every view writes an audit row
(Art.10: the data may serve only the duty at hand, so who looked is kept).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from nocert_core.clock import end_of_local_day, local_date
from nocert_core.domain.actors import Actor, Role
from nocert_core.domain.calendar import WorkingDayCalendar
from nocert_core.domain.lifecycle import AuditRow, target_state
from nocert_core.errors import IllegalTransition, PermissionDenied, ValidationFailed
from nocert_core.i18n import N_


class VerificationStatus(StrEnum):
    REQUESTED = "requested"  # sent; the issuing unit has not registered it yet
    ACCEPTED = "accepted"  # registered by the issuing unit (R2 Art.8)
    VERIFIED = "verified"  # answered with a result
    RETURNED = "returned"  # outside the issuing unit's duty, with a reason
    WITHDRAWN = "withdrawn"  # the requesting unit no longer needs it


class VerificationAction(StrEnum):
    ACCEPT = "accept"
    VERIFY = "verify"
    RETURN = "return"
    WITHDRAW = "withdraw"
    REQUEST_MATERIAL = "request_material"  # R2 Art.9, after an inconsistent result


class VerificationResult(StrEnum):
    CONSISTENT = "consistent"
    INCONSISTENT = "inconsistent"


VS, VA = VerificationStatus, VerificationAction

VERIFICATION_TRANSITIONS: dict[tuple[VerificationStatus, VerificationAction], VerificationStatus] = {
    (VS.REQUESTED, VA.ACCEPT): VS.ACCEPTED,
    (VS.REQUESTED, VA.RETURN): VS.RETURNED,
    (VS.REQUESTED, VA.WITHDRAW): VS.WITHDRAWN,
    (VS.ACCEPTED, VA.VERIFY): VS.VERIFIED,
    (VS.ACCEPTED, VA.RETURN): VS.RETURNED,
    (VS.ACCEPTED, VA.WITHDRAW): VS.WITHDRAWN,
    (VS.VERIFIED, VA.REQUEST_MATERIAL): VS.VERIFIED,  # recorded; allowed only when inconsistent
}

OPEN_STATES = frozenset({VS.REQUESTED, VS.ACCEPTED})  # the issuing unit's time limit is running
MAX_FIELD = 200  # unit, service, proof, applicant name
MAX_TEXT = 2000  # data to check, result details, reasons


class IllegalVerificationTransition(IllegalTransition):
    msgid = N_("A verification request in state {status} cannot be {action}.")


@dataclass(eq=False)
class VerificationAudit(AuditRow):
    """Audit row of a verification request; `action` is a VerificationAction value, "request" or "view"."""

    request_id: int | None = None


@dataclass(eq=False)
class VerificationRequest:
    number: str
    requesting_unit_code: str
    issuing_unit_code: str
    service: str
    proof: str
    applicant_name: str
    data_to_check: str
    requested_by: str
    requested_at: datetime
    working_days: int
    deadline_at: datetime
    status: VerificationStatus = VerificationStatus.REQUESTED
    accepted_at: datetime | None = None
    accepted_by: str | None = None
    result: VerificationResult | None = None
    result_details: str | None = None
    answered_at: datetime | None = None  # verified or returned
    answered_by: str | None = None
    return_reason: str | None = None
    withdrawn_at: datetime | None = None
    material_requested_at: datetime | None = None
    material_note: str | None = None
    overdue_alerted_at: datetime | None = None
    audit: list[VerificationAudit] = field(default_factory=list)
    id: int | None = None
    version: int = 0

    # ---- who may do what -------------------------------------------------------------------------------
    def can_view(self, actor: Actor) -> bool:
        """Only the two units' staff and the task force (R2 Art.10)."""
        if actor.is_supervisor:
            return True
        return actor.role == Role.STAFF and actor.unit_code in (
            self.requesting_unit_code,
            self.issuing_unit_code,
        )

    def _issuing_staff(self, actor: Actor) -> None:
        if not (actor.role == Role.STAFF and actor.unit_code == self.issuing_unit_code):
            raise PermissionDenied()

    def _requesting_staff(self, actor: Actor) -> None:
        if not (actor.role == Role.STAFF and actor.unit_code == self.requesting_unit_code):
            raise PermissionDenied()

    def allowed_actions(self) -> set[VerificationAction]:
        allowed = {action for (state, action) in VERIFICATION_TRANSITIONS if state == self.status}
        if self.result != VerificationResult.INCONSISTENT:
            allowed.discard(VA.REQUEST_MATERIAL)
        return allowed

    def is_overdue(self, now: datetime) -> bool:
        return self.status in OPEN_STATES and now > self.deadline_at

    # ---- lifecycle -------------------------------------------------------------------------------------
    def correct_deadline(
        self, calendar: WorkingDayCalendar, tz: str, actor: Actor, now: datetime, note: str
    ) -> bool:
        """An official calendar was imported: the same working days from the request, on the new calendar.
        Audited; True when the deadline moved."""
        if self.status not in OPEN_STATES:
            return False
        corrected = deadline_after(self.requested_at, self.working_days, calendar, tz)
        if corrected == self.deadline_at:
            return False
        before, after = local_date(self.deadline_at, tz), local_date(corrected, tz)
        self._audit("correct_deadline", actor, now, self.status, f"{before} → {after}: {note}")
        self.deadline_at = corrected
        return True

    def _apply(self, action: VerificationAction, actor: Actor, now: datetime, note: str = "") -> None:
        target = target_state(VERIFICATION_TRANSITIONS, self.status, action, IllegalVerificationTransition)
        self._audit(action.value, actor, now, target, note)
        self.status = target

    def _audit(
        self, action: str, actor: Actor, now: datetime, target: VerificationStatus, note: str = ""
    ) -> None:
        self.audit.append(
            VerificationAudit.of(actor, now, action, self.status.value, target.value, note[:500])
        )

    @classmethod
    def start(
        cls,
        *,
        number: str,
        issuing_unit_code: str,
        service: str,
        proof: str,
        applicant_name: str,
        data_to_check: str,
        working_days: int,
        actor: Actor,
        now: datetime,
        calendar: WorkingDayCalendar,
        tz: str,
    ) -> VerificationRequest:
        """Requesting-unit staff start it (R2 Art.7); the time limit runs in working days."""
        if actor.role != Role.STAFF or not actor.unit_code:
            raise PermissionDenied(N_("Only staff of a unit can start a verification request."))
        if issuing_unit_code == actor.unit_code:
            raise ValidationFailed(N_("The issuing unit must be another unit than your own."))
        if working_days < 1:
            raise ValidationFailed(N_("The verification time limit must be at least one working day."))
        request = cls(
            number=number,
            requesting_unit_code=actor.unit_code,
            issuing_unit_code=issuing_unit_code,
            service=required(service, N_("Service"), MAX_FIELD),
            proof=required(proof, N_("Proof to verify"), MAX_FIELD),
            applicant_name=required(applicant_name, N_("Applicant"), MAX_FIELD),
            data_to_check=required(data_to_check, N_("Data to check"), MAX_TEXT),
            requested_by=actor.ref,
            requested_at=now,
            working_days=working_days,
            deadline_at=deadline_after(now, working_days, calendar, tz),
        )
        request.audit.append(
            VerificationAudit.of(actor, now, "request", "", request.status.value, f"{working_days}")
        )
        return request

    def accept(self, actor: Actor, now: datetime) -> None:
        self._issuing_staff(actor)
        self._apply(VA.ACCEPT, actor, now)
        self.accepted_at = now
        self.accepted_by = actor.ref

    def verify(self, result: VerificationResult, details: str, actor: Actor, now: datetime) -> None:
        """Record the result; details are required when the data do not match."""
        self._issuing_staff(actor)
        cleaned = (details or "").strip()[:MAX_TEXT]
        if result == VerificationResult.INCONSISTENT and not cleaned:
            raise ValidationFailed(N_("Please say what does not match."))
        self._apply(VA.VERIFY, actor, now, f"{result.value}: {cleaned}"[:500])
        self.result = result
        self.result_details = cleaned or None
        self.answered_at = now
        self.answered_by = actor.ref

    def send_back(self, reason: str, actor: Actor, now: datetime) -> None:
        """Outside the issuing unit's duty: returned with a reason (R2 Art.8)."""
        self._issuing_staff(actor)
        text = required(reason, N_("Reason"), MAX_TEXT)
        self._apply(VA.RETURN, actor, now, text)
        self.return_reason = text
        self.answered_at = now
        self.answered_by = actor.ref

    def withdraw(self, actor: Actor, now: datetime, note: str = "") -> None:
        self._requesting_staff(actor)
        self._apply(VA.WITHDRAW, actor, now, note.strip())
        self.withdrawn_at = now

    def record_material_request(self, note: str, actor: Actor, now: datetime) -> None:
        """The applicant was asked for more material after an inconsistent result (R2 Art.9)."""
        self._requesting_staff(actor)
        if self.status == VS.VERIFIED and self.result != VerificationResult.INCONSISTENT:
            raise IllegalVerificationTransition(status=self.status, action=VA.REQUEST_MATERIAL)
        text = required(note, N_("What was asked for"), MAX_TEXT)
        self._apply(VA.REQUEST_MATERIAL, actor, now, text)
        self.material_requested_at = now
        self.material_note = text

    def record_view(self, actor: Actor, now: datetime, purpose: str = "") -> None:
        """Every look at the request is kept (R2 Art.10)."""
        if not self.can_view(actor):
            raise PermissionDenied()
        self._audit("view", actor, now, self.status, purpose)


def deadline_after(now: datetime, working_days: int, calendar: WorkingDayCalendar, tz: str) -> datetime:
    return end_of_local_day(calendar.deadline(local_date(now, tz), working_days).day, tz)


def required(text: str, label: str, limit: int) -> str:
    cleaned = (text or "").strip()
    if not cleaned:
        raise ValidationFailed(N_("The field {field} is required."), field=label)
    if len(cleaned) > limit:
        raise ValidationFailed(
            N_("The field {field} is longer than {limit} characters."), field=label, limit=limit
        )
    return cleaned


def format_number(year: int, sequence: int) -> str:
    return f"HC-{year}-{sequence:06d}"


def normalise_number(text: str) -> str:
    return text.strip().upper()
