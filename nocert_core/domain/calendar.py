"""Working days of the official PRC calendar, with make-up working days (调休).

The calendar knows, per covered year, which weekdays are holidays and which weekend days are working
days. For a year with no data it falls back to Monday–Friday; a result that relied on the fallback is
*provisional*, and a warning is logged once per year. Nothing here raises for a date outside the data.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from enum import StrEnum

from nocert_core.clock import end_of_local_day, local_date

log = logging.getLogger(__name__)
# Per process, not per calendar object: a calendar is loaded afresh for every use case, and the warning
# is an operator's to-do ("import the schedule"), not news on every deadline.
_warned_years: set[int] = set()


def reset_fallback_warnings() -> None:
    """Forget which years were announced (tests; after an import the year is covered anyway)."""
    _warned_years.clear()


class DayKind(StrEnum):
    HOLIDAY = "holiday"
    WORKDAY = "workday"


@dataclass(frozen=True)
class Deadline:
    day: date
    provisional: bool


@dataclass
class WorkingDayCalendar:
    """`holidays`: weekdays off; `workdays`: weekend days worked;
    `covered_years`: years with official data."""

    holidays: set[date] = field(default_factory=set)
    workdays: set[date] = field(default_factory=set)
    covered_years: set[int] = field(default_factory=set)

    @classmethod
    def from_days(
        cls, days: Iterable[tuple[date, DayKind]], covered_years: Iterable[int]
    ) -> WorkingDayCalendar:
        calendar = cls(covered_years=set(covered_years))
        for day, kind in days:
            (calendar.holidays if kind == DayKind.HOLIDAY else calendar.workdays).add(day)
        return calendar

    def is_covered(self, day: date) -> bool:
        return day.year in self.covered_years

    def is_working_day(self, day: date) -> bool:
        if day in self.workdays:
            return True
        if day in self.holidays:
            return False
        if not self.is_covered(day):
            self._warn_fallback(day.year)
        return day.weekday() < 5

    def add_working_days(self, start: date, n: int) -> date:
        """The n-th working day after `start` (n >= 0; n == 0 gives `start` itself)."""
        if n < 0:
            raise ValueError("n must not be negative")
        day = start
        remaining = n
        while remaining > 0:
            day += timedelta(days=1)
            if self.is_working_day(day):
                remaining -= 1
        return day

    def working_days_between(self, a: date, b: date) -> int:
        """Working days in (a, b]: how many working days pass going from a to b (negative if b < a)."""
        if b < a:
            return -self.working_days_between(b, a)
        count = 0
        day = a
        while day < b:
            day += timedelta(days=1)
            if self.is_working_day(day):
                count += 1
        return count

    def deadline(self, start: date, n: int) -> Deadline:
        end = self.add_working_days(start, n)
        return Deadline(end, provisional=self.spans_uncovered(start, end))

    def spans_uncovered(self, start: date, end: date) -> bool:
        return any(year not in self.covered_years for year in range(start.year, end.year + 1))

    def _warn_fallback(self, year: int) -> None:
        if year not in _warned_years:
            _warned_years.add(year)
            log.warning(
                "No official calendar data for %s: using Monday-Friday; deadlines in %s are provisional. "
                "Import the schedule with `nocert calendar import FILE`.",
                year,
                year,
            )


class DueBucket(StrEnum):
    OVERDUE = "overdue"
    TODAY = "today"
    NEXT_WORKING_DAY = "next_working_day"


@dataclass(frozen=True)
class DueWindow:
    """Where a deadline stands at `now` — the one definition of overdue, due today and due on the next
    working day, used by the alerts, the digest and the deadline board: before `now` it is overdue; by the
    end of the local day, due today; by the end of the next working day, due then."""

    now: datetime
    today: date
    next_working_day: date
    today_end: datetime
    next_end: datetime

    @classmethod
    def at(cls, now: datetime, calendar: WorkingDayCalendar, tz: str) -> DueWindow:
        today = local_date(now, tz)
        following = calendar.add_working_days(today, 1)
        return cls(now, today, following, end_of_local_day(today, tz), end_of_local_day(following, tz))

    def bucket(self, deadline_at: datetime | None) -> DueBucket | None:
        if deadline_at is None:
            return None
        if deadline_at < self.now:
            return DueBucket.OVERDUE
        if deadline_at <= self.today_end:
            return DueBucket.TODAY
        if deadline_at <= self.next_end:
            return DueBucket.NEXT_WORKING_DAY
        return None
