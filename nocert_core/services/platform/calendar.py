"""Calendar data: seeded from chinese-calendar, extended by an administrator's import of a year's
official schedule (国务院办公厅 notice), kept in the database so deadlines survive the package's data end."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from nocert_core.adapters.files.tabular import NO_PROGRESS, Progress, Row, read_table, rows_from_text
from nocert_core.clock import Clock
from nocert_core.domain.actors import SYSTEM_ACTOR, Actor
from nocert_core.domain.calendar import DayKind, WorkingDayCalendar
from nocert_core.domain.complaint_lifecycle import HANDLING_STATES
from nocert_core.domain.events import DeadlineCorrected
from nocert_core.domain.verification import OPEN_STATES as VERIFICATION_OPEN
from nocert_core.errors import ImportFailed, ImportNeedsConfirmation, Problem
from nocert_core.i18n import N_
from nocert_core.services.platform.import_guard import limits, require_flag_for_large_changes
from nocert_core.services.platform.uow import AbstractUnitOfWork

SEED_SOURCE = "chinese-calendar"


def chinese_calendar_exceptions() -> dict[int, list[tuple[date, DayKind]]]:
    """Per year: weekdays that are holidays and weekend days that are working days."""
    import chinese_calendar

    by_year: dict[int, list[tuple[date, DayKind]]] = defaultdict(list)
    for day in chinese_calendar.holidays:
        if day.weekday() < 5:
            by_year[day.year].append((day, DayKind.HOLIDAY))
    for day in chinese_calendar.workdays:
        if day.weekday() >= 5:
            by_year[day.year].append((day, DayKind.WORKDAY))
    years = {day.year for day in chinese_calendar.holidays} | {day.year for day in chinese_calendar.workdays}
    return {year: sorted(by_year.get(year, [])) for year in sorted(years)}


async def seed_calendar(uow: AbstractUnitOfWork, clock: Clock) -> list[int]:
    """Load chinese-calendar's years that the database does not have yet (an import is never overwritten)."""
    async with uow:
        known = await uow.calendar.covered_years()
        added = []
        for year, days in chinese_calendar_exceptions().items():
            if year not in known:
                await uow.calendar.replace_year(year, days, SEED_SOURCE, clock.now())
                added.append(year)
        await uow.commit()
        return added


KINDS = {"holiday": DayKind.HOLIDAY, "休": DayKind.HOLIDAY, "workday": DayKind.WORKDAY, "班": DayKind.WORKDAY}
MIN_OFFICIAL_DAYS = (
    10  # an official year has ~20-30 exception days; fewer for a new year looks like a fragment
)


def parse_schedule_days(rows: list[Row]) -> dict[int, dict[date, DayKind]]:
    """Rows `date,kind[,note]` (kind holiday|workday, also 休/班; `#` lines are comments) → every listed day
    per year, including days that only restate the Mon–Fri rule (in a merge they undo an exception)."""
    problems: list[tuple[int, str]] = []
    by_year: dict[int, dict[date, DayKind]] = defaultdict(dict)
    seen: dict[date, tuple[int, DayKind]] = {}
    data_started = False
    for line_number, row in rows:
        if not row or all(not cell.strip() for cell in row) or row[0].lstrip().startswith("#"):
            continue
        if not data_started and row[0].strip().lower() in ("date", "日期"):
            data_started = True
            continue
        data_started = True
        if len(row) < 2:
            problems.append((line_number, Problem("expected two columns: date,kind")))
            continue
        try:
            day = date.fromisoformat(row[0].strip())
        except ValueError:
            problems.append((line_number, Problem("not a date (YYYY-MM-DD): {value}", value=row[0].strip())))
            continue
        kind = KINDS.get(row[1].strip().lower())
        if kind is None:
            problems.append(
                (line_number, Problem("kind must be holiday or workday, not {value}", value=row[1].strip()))
            )
            continue
        if day in seen and seen[day][1] != kind:
            first_line, first_kind = seen[day]
            problems.append(
                (
                    line_number,
                    Problem(
                        "{day} is already {kind} on line {line}",
                        day=day,
                        kind=first_kind.value,
                        line=first_line,
                    ),
                )
            )
            continue
        seen[day] = (line_number, kind)
        by_year[day.year][day] = kind
    if problems:
        raise ImportFailed(problems)
    if not by_year:
        raise ImportFailed([(1, Problem("the file has no days"))])
    return dict(by_year)


def _is_exception(day: date, kind: DayKind) -> bool:
    return (kind == DayKind.HOLIDAY) != (day.weekday() >= 5)


def parse_schedule(text: str) -> dict[int, list[tuple[date, DayKind]]]:
    """The exceptions to Mon–Fri per year (a weekend holiday or a weekday workday changes nothing)."""
    return {
        year: sorted((day, kind) for day, kind in days.items() if _is_exception(day, kind))
        for year, days in parse_schedule_days(rows_from_text(text)).items()
    }


@dataclass
class YearChange:
    year: int
    source_before: str | None  # None: the year had no official data
    days: list[tuple[date, DayKind]]  # the year's exception days after the import
    added: list[tuple[date, DayKind]] = field(default_factory=list)
    changed: list[tuple[date, DayKind, DayKind]] = field(default_factory=list)  # day, before, after
    removed: list[tuple[date, DayKind]] = field(default_factory=list)  # back to the Mon–Fri rule

    @property
    def touched(self) -> bool:
        return bool(self.added or self.changed or self.removed) or self.source_before is None


@dataclass
class DeadlineChange:
    number: str
    before: str  # note as audited, e.g. "2027-01-04 (provisional) → 2027-01-05"
    moved: bool


@dataclass
class CalendarImportReport:
    years: list[YearChange] = field(default_factory=list)
    deadlines: list[DeadlineChange] = field(default_factory=list)
    needs_flag: bool = False
    applied: bool = False


def _year_change(
    year: int, listed: dict[date, DayKind], existing: dict[date, DayKind], source: str | None, replace: bool
) -> YearChange:
    result = {} if replace else dict(existing)
    for day, kind in listed.items():
        if _is_exception(day, kind):
            result[day] = kind
        else:
            result.pop(day, None)  # listed as the Mon–Fri rule says: no longer an exception
    change = YearChange(year, source, sorted(result.items()))
    change.added = sorted((day, kind) for day, kind in result.items() if day not in existing)
    change.changed = sorted(
        (day, existing[day], kind)
        for day, kind in result.items()
        if day in existing and existing[day] != kind
    )
    change.removed = sorted((day, kind) for day, kind in existing.items() if day not in result)
    return change


async def import_schedule(
    uow: AbstractUnitOfWork,
    clock: Clock,
    path: Path,
    *,
    replace_year: bool = False,
    dry_run: bool = False,
    actor: Actor = SYSTEM_ACTOR,
    progress: Progress = NO_PROGRESS,
) -> CalendarImportReport:
    """Merge the file's days into each year it names (`replace_year`: the file is the whole year), then
    recompute every running complaint deadline the change moves — audited and told to the complainant
    and the handling unit through the outbox — and every open verification request's time limit (audited),
    all in the same transaction. All or nothing.

    Replacing or undoing more than a small share of a year's official days, or making a year official
    with a fragment of a schedule (< MIN_OFFICIAL_DAYS exception days), needs `replace_year`."""
    schedule = parse_schedule_days(read_table(path, limits(uow.settings), progress))
    report = CalendarImportReport()
    tz = uow.settings.timezone
    async with uow:
        known = await uow.calendar.covered_years()
        loaded = await uow.calendar.load()  # a copy: the repository may hand out one shared object
        before = WorkingDayCalendar(set(loaded.holidays), set(loaded.workdays), set(loaded.covered_years))
        for year, listed in sorted(schedule.items()):
            existing = {day: DayKind.HOLIDAY for day in before.holidays if day.year == year} | {
                day: DayKind.WORKDAY for day in before.workdays if day.year == year
            }
            report.years.append(_year_change(year, listed, existing, known.get(year), replace_year))
        try:
            for change in report.years:
                if change.source_before is None:
                    if len(change.days) < MIN_OFFICIAL_DAYS and not replace_year:
                        raise ImportNeedsConfirmation(
                            N_(
                                "Refused: {year} has no official calendar yet and the file gives only "
                                "{count} exception day(s) for it; an official schedule has about 20 to 30. "
                                "Nothing was changed. Import the whole schedule, or repeat with {flag} if "
                                "this is really all of {year}."
                            ),
                            year=change.year,
                            count=len(change.days),
                            flag="--replace-year",
                        )
                    continue
                existing_count = len(change.days) - len(change.added) + len(change.removed)
                require_flag_for_large_changes(
                    len(change.changed) + len(change.removed),
                    existing_count,
                    settings=uow.settings,
                    confirmed=replace_year,
                    what=N_("official calendar days of the year"),
                    flag="--replace-year",
                )
        except ImportNeedsConfirmation:
            if not dry_run:
                raise
            report.needs_flag = True
        now = clock.now()
        for change in report.years:
            if not change.touched:
                continue
            source = f"import:{path.name}"
            if change.source_before is not None and not replace_year:
                source = f"{change.source_before}+{source}"[-200:]
            await uow.calendar.replace_year(change.year, change.days, source, now)
        after = await uow.calendar.load()
        open_complaints = await uow.complaints.list(statuses=sorted(HANDLING_STATES))
        progress.stage("deadlines", len(open_complaints))
        for complaint in open_complaints:
            if complaint.correct_deadline(before, after, tz, actor, now, f"calendar import {path.name}"):
                note = complaint.audit[-1].note or ""
                moved = bool(complaint.events) and isinstance(complaint.events[-1], DeadlineCorrected)
                report.deadlines.append(DeadlineChange(complaint.number, note.split(": calendar")[0], moved))
            progress.advance()
        for request in await uow.verifications.list(statuses=sorted(VERIFICATION_OPEN)):
            if request.correct_deadline(after, tz, actor, now, f"calendar import {path.name}"):
                note = request.audit[-1].note or ""
                report.deadlines.append(DeadlineChange(request.number, note.split(": calendar")[0], True))
        if dry_run:
            await uow.rollback()
            return report
        await uow.commit()
        report.applied = True
        return report


async def load_calendar(uow: AbstractUnitOfWork) -> WorkingDayCalendar:
    async with uow:
        return await uow.calendar.load()
