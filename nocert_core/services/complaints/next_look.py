"""When the deadline sweep must look at a complaint next (`NextLook`), from the facts it reads of it
(`Facts`), with each instant's local date computed once per sweep (`LocalDays`). Used by
nocert_core/services/complaints/sweep.py, which stores the result in `complaint_looks.next_look_at`."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any, NamedTuple
from zoneinfo import ZoneInfo

from nocert_core.clock import local_midnight
from nocert_core.domain.calendar import WorkingDayCalendar
from nocert_core.domain.complaint_lifecycle import HANDLING_STATES, ComplaintStatus, ExtensionState

# Tuples, not sets: a member test by identity, where a set hashes the enum member (Python code, per row).
AWAITING_ACCEPTANCE = (ComplaintStatus.REGISTERED, ComplaintStatus.TRANSFERRED)
HANDLING = tuple(HANDLING_STATES)
JUST_AFTER = timedelta(microseconds=1)


class Facts(NamedTuple):
    """What the sweep reads of a complaint. Copied out of SQLAlchemy's row once: a row's attribute costs
    ~1 µs, a named tuple's ~0.1 µs, and each complaint's fields are read a few dozen times."""

    id: int
    number: str
    status: ComplaintStatus
    unit_code: str | None
    registered_at: datetime
    deadline_at: datetime | None
    extension_state: ExtensionState
    extension_requested_at: datetime | None
    extension_days: int | None


class LocalDays(dict[datetime, date]):
    """The local date of an instant, computed once per instant in a sweep: a complaint's deadline is
    converted for its payload, its mark's day and its next look."""

    def __init__(self, tz: str) -> None:
        super().__init__()
        self.zone = ZoneInfo(tz)
        self._iso: dict[datetime, str] = {}

    def __missing__(self, at: datetime) -> date:
        day = self[at] = at.astimezone(self.zone).date()  # instants from the database are aware
        return day

    def iso(self, at: datetime) -> str:
        text = self._iso.get(at)
        if text is None:
            text = self._iso[at] = self[at].isoformat()
        return text


@dataclass(frozen=True)
class NextLook:
    """When a complaint's next alert can fall due, from its own dates: the same thresholds as the stages
    of complaint_sweep.py, solved for the day instead of tested for today. Stages already due now were
    alerted in this batch (or before), so only times after `now` count; None: nothing can fall due until
    it changes. The working-day arithmetic is done once per local date (a backlog has many complaints per
    day)."""

    calendar: WorkingDayCalendar
    tz: str
    days: LocalDays
    now: datetime
    acceptance_days: int
    escalation_days: int
    decision_days: int
    _after: dict[tuple[date, int], datetime] = field(default_factory=dict, compare=False, repr=False)
    _due_soon: dict[date, datetime] = field(default_factory=dict, compare=False, repr=False)
    _by_deadline: dict[date, tuple[datetime, datetime]] = field(
        default_factory=dict, compare=False, repr=False
    )

    def _after_working_days(self, at: datetime, days: int) -> datetime:
        # "at < midnight after `days` working days ago" first holds at the start of that working day.
        key = (self.days[at], days)
        found = self._after.get(key)
        if found is None:
            found = self._after[key] = local_midnight(self.calendar.add_working_days(key[0], days), self.tz)
        return found

    def _due_soon_from(self, deadline: datetime) -> datetime:
        deadline_day = self.days[deadline]
        if deadline_day not in self._due_soon:
            day = deadline_day - timedelta(days=1)  # due soon: from the working day before
            for _ in range(60):
                if self.calendar.is_working_day(day):
                    break
                day -= timedelta(days=1)
            self._due_soon[deadline_day] = local_midnight(day, self.tz)
        return self._due_soon[deadline_day]

    def _deadline_looks(self, deadline: datetime) -> tuple[datetime, datetime]:
        """Escalation and due soon of a deadline, once per deadline day."""
        day = self.days[deadline]
        looks = self._by_deadline.get(day)
        if looks is None:
            escalation = self._after_working_days(deadline, self.escalation_days)
            looks = self._by_deadline[day] = (escalation, self._due_soon_from(deadline))
        return looks

    def of(self, row: Any) -> datetime | None:
        times: list[datetime] = []
        status = row.status
        if status in AWAITING_ACCEPTANCE:
            times.append(self._after_working_days(row.registered_at, self.acceptance_days))
        elif status in HANDLING:
            deadline = row.deadline_at
            if deadline is not None:
                times.append(deadline + JUST_AFTER)  # overdue: strictly after the deadline
                times.extend(self._deadline_looks(deadline))
            if (
                status == ComplaintStatus.ACCEPTED
                and row.extension_state == ExtensionState.REQUESTED
                and row.extension_requested_at is not None
            ):
                times.append(self._after_working_days(row.extension_requested_at, self.decision_days))
        now = self.now
        future = [at for at in times if at > now]
        return min(future) if future else None
