"""Domain events: facts the rest of the system reacts to (notifications, alerts)."""

from __future__ import annotations

from dataclasses import dataclass


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
