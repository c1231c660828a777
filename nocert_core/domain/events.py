"""Domain events: facts the rest of the system reacts to (notifications, alerts).

Complaints keep their events on the aggregate; verification requests, rectification notices and catalogue
filings are published by their use case (`uow.publish`). Either way the handlers listed in
`nocert_core.bootstrap.EVENT_HANDLERS` run inside the same transaction and write the outbox rows."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # a type only: the payloads import the complaint (its card), which imports these events
    from nocert_core.domain.notifications import AdjustmentFiled, ImportFiled, OpinionFiled


@dataclass(frozen=True)
class Event:
    pass


@dataclass(frozen=True)
class ComplaintEvent(Event):
    number: str  # unique and known before the row is flushed, unlike the id


@dataclass(frozen=True)
class ComplaintRegistered(ComplaintEvent):
    unit_code: str | None


@dataclass(frozen=True)
class ComplaintRouted(ComplaintEvent):
    unit_code: str
    from_unit_code: str | None = None  # reassigned from this unit (None: first routing or after a return)


@dataclass(frozen=True)
class ComplaintAccepted(ComplaintEvent):
    pass


@dataclass(frozen=True)
class DeadlineCorrected(ComplaintEvent):
    """An imported official calendar moved the deadline (ISO dates, local)."""

    old_day: str
    new_day: str


@dataclass(frozen=True)
class ComplaintRejected(ComplaintEvent):
    ground: str
    reason: str


@dataclass(frozen=True)
class ComplaintReturned(ComplaintEvent):
    """The handling unit returned a misrouted complaint: the task force must re-route it."""

    from_unit_code: str | None
    reason: str


@dataclass(frozen=True)
class ComplaintMarkedDuplicate(ComplaintEvent):
    original_number: str


@dataclass(frozen=True)
class ExtensionRequested(ComplaintEvent):
    days: int
    reason: str


@dataclass(frozen=True)
class ExtensionDecided(ComplaintEvent):
    approved: bool


@dataclass(frozen=True)
class ComplaintResolved(ComplaintEvent):
    pass


@dataclass(frozen=True)
class ComplaintTerminated(ComplaintEvent):
    ground: str


@dataclass(frozen=True)
class ComplaintRated(ComplaintEvent):
    score: int


@dataclass(frozen=True)
class ComplaintPressed(ComplaintEvent):
    """The task force pressed the handling unit about an overdue complaint (催办)."""

    unit_code: str
    working_days_late: int
    note: str


# ---- verification requests (R2) ----
@dataclass(frozen=True)
class VerificationEvent(Event):
    number: str


@dataclass(frozen=True)
class VerificationRequested(VerificationEvent):
    """A new request: the issuing unit must verify it."""


@dataclass(frozen=True)
class VerificationAnswered(VerificationEvent):
    """Verified (consistent or not) or returned as outside the issuing unit's duty."""


@dataclass(frozen=True)
class VerificationWithdrawn(VerificationEvent):
    pass


# ---- rectification notices (R4) ----
@dataclass(frozen=True)
class RectificationEvent(Event):
    notice_id: int


@dataclass(frozen=True)
class RectificationIssued(RectificationEvent):
    pass


@dataclass(frozen=True)
class RectificationReported(RectificationEvent):
    pass


@dataclass(frozen=True)
class RectificationAccepted(RectificationEvent):
    note: str


@dataclass(frozen=True)
class RectificationReturned(RectificationEvent):
    """Sent back after a report, or reopened after a failed follow-up check: a new deadline."""


# ---- catalogue filing (R3) ----
@dataclass(frozen=True)
class CatalogueFiled(Event):
    """An adjustment, an imported list or a public opinion was filed: the task force hears of it.
    `key` makes the notice once per filing; `notice` is what it says."""

    key: str
    notice: AdjustmentFiled | ImportFiled | OpinionFiled
