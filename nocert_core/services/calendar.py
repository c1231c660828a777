"""Calendar data: seeded from chinese-calendar, extended by an administrator's import of a year's
official schedule (国务院办公厅 notice), kept in the database so deadlines survive the package's data end."""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from datetime import date
from pathlib import Path

from nocert_core.clock import Clock
from nocert_core.domain.calendar import DayKind, WorkingDayCalendar
from nocert_core.errors import ImportFailed
from nocert_core.services.uow import AbstractUnitOfWork

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


def parse_schedule(text: str) -> dict[int, list[tuple[date, DayKind]]]:
    """CSV `date,kind[,note]` (kind holiday|workday, also 休/班; lines starting with # are comments).

    Only exceptions to Mon–Fri are kept. A date listed twice with different kinds is an error."""
    problems: list[tuple[int, str]] = []
    by_year: dict[int, list[tuple[date, DayKind]]] = defaultdict(list)
    kinds = {
        "holiday": DayKind.HOLIDAY,
        "休": DayKind.HOLIDAY,
        "workday": DayKind.WORKDAY,
        "班": DayKind.WORKDAY,
    }
    seen: dict[date, tuple[int, DayKind]] = {}
    data_started = False
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff")))
    for line_number, row in enumerate(reader, start=1):
        if not row or all(not cell.strip() for cell in row) or row[0].lstrip().startswith("#"):
            continue
        if not data_started and row[0].strip().lower() in ("date", "日期"):
            data_started = True
            continue
        data_started = True
        if len(row) < 2:
            problems.append((line_number, "expected two columns: date,kind"))
            continue
        try:
            day = date.fromisoformat(row[0].strip())
        except ValueError:
            problems.append((line_number, f"not a date (YYYY-MM-DD): {row[0].strip()!r}"))
            continue
        kind = kinds.get(row[1].strip().lower())
        if kind is None:
            problems.append((line_number, f"kind must be holiday or workday, not {row[1].strip()!r}"))
            continue
        if day in seen and seen[day][1] != kind:
            first_line, first_kind = seen[day]
            problems.append((line_number, f"{day} is already {first_kind.value} on line {first_line}"))
            continue
        seen[day] = (line_number, kind)
        if (kind == DayKind.HOLIDAY) == (day.weekday() >= 5):
            continue  # a weekend holiday or a weekday workday changes nothing
        by_year[day.year].append((day, kind))
    if problems:
        raise ImportFailed(problems)
    if not by_year:
        raise ImportFailed([(1, "the file has no days")])
    return dict(by_year)


async def import_schedule(uow: AbstractUnitOfWork, clock: Clock, path: Path) -> dict[int, int]:
    """Replace each year named in the file; returns {year: exception days}. All or nothing."""
    schedule = parse_schedule(path.read_text(encoding="utf-8-sig"))
    async with uow:
        counts = {}
        for year, days in sorted(schedule.items()):
            counts[year] = await uow.calendar.replace_year(year, days, f"import:{path.name}", clock.now())
        await uow.commit()
        return counts


async def load_calendar(uow: AbstractUnitOfWork) -> WorkingDayCalendar:
    async with uow:
        return await uow.calendar.load()
