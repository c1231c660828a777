"""Working-day arithmetic on the official PRC calendar: holidays, make-up working days (调休), the year
without data (provisional Mon–Fri), and an imported schedule for that year."""

from __future__ import annotations

import logging
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from nocert_core.clock import FixedClock
from nocert_core.domain.actors import Actor, Role
from nocert_core.domain.calendar import (
    DayKind,
    WorkingDayCalendar,
    reset_fallback_warnings,
)
from nocert_core.domain.events import DeadlineCorrected
from nocert_core.domain.units import Unit
from nocert_core.errors import ImportFailed
from nocert_core.services.complaints import handling as svc
from nocert_core.services.platform.calendar import (
    chinese_calendar_exceptions,
    import_schedule,
    parse_schedule,
)
from tests.fakes import FakeUnitOfWork, FakeUnitRepository

DATA = Path(__file__).resolve().parents[2] / "data"
SCHEDULE_2027 = DATA / "calendar-2027-test-fixture.csv"


def seeded() -> WorkingDayCalendar:
    """What `nocert init` stores: chinese-calendar's exceptions for the years it covers."""
    exceptions = chinese_calendar_exceptions()
    return WorkingDayCalendar.from_days(
        (item for days in exceptions.values() for item in days), covered_years=exceptions.keys()
    )


def with_2027() -> WorkingDayCalendar:
    calendar = seeded()
    for year, days in parse_schedule(SCHEDULE_2027.read_text(encoding="utf-8")).items():
        calendar.covered_years.add(year)
        for day, kind in days:
            (calendar.holidays if kind == DayKind.HOLIDAY else calendar.workdays).add(day)
    return calendar


def test_the_seed_has_the_2026_national_day_holiday_and_its_make_up_days() -> None:
    calendar = seeded()
    assert 2026 in calendar.covered_years and 2027 not in calendar.covered_years
    assert all(not calendar.is_working_day(date(2026, 10, day)) for day in range(1, 8))
    assert calendar.is_working_day(date(2026, 9, 20))  # a Sunday, worked
    assert calendar.is_working_day(date(2026, 10, 10))  # a Saturday, worked
    assert not calendar.is_working_day(date(2026, 10, 11))  # an ordinary Sunday


def test_a_deadline_across_national_day_skips_the_holiday_and_counts_the_saturday_make_up_day() -> None:
    calendar = seeded()
    # Tue 09-29 → Wed 09-30 (1), 10-01..07 off, Thu 10-08 (2), Fri 10-09 (3),
    # Sat 10-10 make-up (4), Mon 10-12 (5)
    deadline = calendar.deadline(date(2026, 9, 29), 5)
    assert deadline.day == date(2026, 10, 12) and not deadline.provisional
    assert calendar.working_days_between(date(2026, 9, 30), date(2026, 10, 12)) == 4
    assert calendar.working_days_between(date(2026, 10, 12), date(2026, 9, 30)) == -4


def test_the_sunday_make_up_day_before_national_day_counts_as_a_working_day() -> None:
    calendar = seeded()
    # Fri 09-18 → Sun 09-20 make-up (1), Mon 21 (2), Tue 22 (3), Wed 23 (4), Thu 24 (5); Fri 25 is Mid-Autumn.
    assert calendar.add_working_days(date(2026, 9, 18), 5) == date(2026, 9, 24)
    assert calendar.add_working_days(date(2026, 9, 18), 6) == date(2026, 9, 28)


def test_zero_working_days_is_the_start_day_and_negative_is_refused() -> None:
    calendar = seeded()
    assert calendar.add_working_days(date(2026, 10, 3), 0) == date(2026, 10, 3)
    with pytest.raises(ValueError):
        calendar.add_working_days(date(2026, 10, 3), -1)


def test_a_deadline_into_2027_without_data_falls_back_to_weekdays_and_is_provisional(
    caplog: pytest.LogCaptureFixture,
) -> None:
    reset_fallback_warnings()
    with caplog.at_level(logging.WARNING, logger="nocert_core.domain.calendar"):
        # Mon 12-28 → 29 (1), 30 (2), 31 (3), Fri 2027-01-01 counted as a weekday (4), Mon 01-04 (5)
        first = seeded().deadline(date(2026, 12, 28), 5)
        # a calendar is loaded afresh for each use case: still one warning per year per process
        second = seeded().deadline(date(2026, 12, 29), 5)
        seeded().is_working_day(date(2027, 3, 3))
    assert first.day == date(2027, 1, 4) and first.provisional
    assert second.day == date(2027, 1, 5) and second.provisional
    warnings = [r for r in caplog.records if "2027" in r.getMessage()]
    assert len(warnings) == 1, "the fallback is announced once per year, not per call"


def test_with_the_2027_schedule_imported_the_same_deadline_is_official_and_skips_new_year() -> None:
    calendar = with_2027()
    deadline = calendar.deadline(date(2026, 12, 28), 5)
    assert deadline.day == date(2027, 1, 5) and not deadline.provisional


def test_the_imported_spring_festival_and_its_make_up_days_are_respected() -> None:
    calendar = with_2027()
    # Thu 02-04 → 02-05..02-14 all off (holiday + weekends), Mon 15 (1) … Fri 19 (5)
    assert calendar.add_working_days(date(2027, 2, 4), 5) == date(2027, 2, 19)
    assert calendar.add_working_days(date(2027, 1, 29), 1) == date(2027, 1, 31)  # Sunday make-up day
    assert calendar.is_working_day(date(2027, 2, 20))  # Saturday make-up day
    assert calendar.working_days_between(date(2027, 2, 4), date(2027, 2, 20)) == 6


def test_a_far_future_date_never_crashes() -> None:
    calendar = seeded()
    assert calendar.is_working_day(date(2999, 12, 31)) == (date(2999, 12, 31).weekday() < 5)
    assert calendar.is_working_day(date.max) in (True, False)
    deadline = calendar.deadline(date(2100, 12, 30), 10)
    assert deadline.provisional and deadline.day.year == 2101


def test_a_schedule_with_a_bad_row_is_refused_with_line_numbers() -> None:
    text = "date,kind\n2027-01-01,holiday\n2027-13-01,holiday\n2027-02-20,rest\n2027-01-01,workday\n"
    with pytest.raises(ImportFailed) as raised:
        parse_schedule(text)
    assert [line for line, _ in raised.value.problems] == [3, 4, 5]
    assert "nothing was imported" in str(raised.value)


def test_a_schedule_keeps_only_exceptions_and_accepts_chinese_kinds() -> None:
    parsed = parse_schedule("日期,类型\n2027-01-01,休\n2027-01-02,休\n2027-01-31,班\n2027-02-01,班\n")
    assert parsed == {2027: [(date(2027, 1, 1), DayKind.HOLIDAY), (date(2027, 1, 31), DayKind.WORKDAY)]}


async def test_accepting_after_importing_2027_gives_an_official_deadline(tmp_path: Path) -> None:
    uow = FakeUnitOfWork(calendar=seeded())
    staff = Actor("console:staff-KW-SPJ", Role.STAFF, unit_code="KW-SPJ")
    citizen = Actor("console:citizen", Role.CITIZEN)
    uow.units = FakeUnitRepository([Unit("KW-SPJ", "奎文区行政审批服务局")])
    draft = svc.ComplaintDraft(
        "王芳", "13805361234", "奎文区审批局", "撤回要求", "已免提交", "12月28日被要求开证明"
    )
    monday = datetime(2026, 12, 28, 2, 0, tzinfo=UTC)
    clock = FixedClock(monday)
    first = await svc.register_complaint(uow, clock, citizen, draft)
    accepted = await svc.accept_complaint(uow, clock, staff, first.number)
    assert accepted.deadline_provisional
    assert accepted.deadline_at == datetime(2027, 1, 4, 15, 59, 59, 999999, tzinfo=UTC)

    report = await import_schedule(uow, clock, SCHEDULE_2027)
    assert [(year.year, len(year.days)) for year in report.years] == [(2027, 24)]
    second = await svc.register_complaint(uow, clock, citizen, draft)
    accepted = await svc.accept_complaint(uow, clock, staff, second.number)
    assert not accepted.deadline_provisional
    assert accepted.deadline_at == datetime(2027, 1, 5, 15, 59, 59, 999999, tzinfo=UTC)


async def test_importing_the_official_year_corrects_a_provisional_deadline_and_the_extension_counts_from_it(
    tmp_path: Path,
) -> None:
    uow = FakeUnitOfWork(calendar=seeded())
    staff = Actor("console:staff-KW-SPJ", Role.STAFF, unit_code="KW-SPJ")
    supervisor = Actor("console:sv", Role.SUPERVISOR)
    citizen = Actor("console:citizen", Role.CITIZEN)
    uow.units = FakeUnitRepository([Unit("KW-SPJ", "奎文区行政审批服务局")])
    draft = svc.ComplaintDraft("王芳", "13805361234", "奎文区审批局", "撤回要求", "已免提交", "被要求开证明")
    clock = FixedClock(datetime(2026, 12, 28, 2, 0, tzinfo=UTC))
    first = await svc.register_complaint(uow, clock, citizen, draft)
    await svc.accept_complaint(uow, clock, staff, first.number)
    await svc.request_extension(uow, clock, staff, first.number, 2, "需要调取档案")

    report = await import_schedule(uow, clock, SCHEDULE_2027)

    corrected = await uow.complaints.get_by_number(first.number)
    assert corrected is not None and not corrected.deadline_provisional
    assert corrected.deadline_at == datetime(2027, 1, 5, 15, 59, 59, 999999, tzinfo=UTC)  # 1-1..1-3 off
    assert corrected.audit[-1].action == "correct_deadline"
    assert "2027-01-04 (provisional) → 2027-01-05" in (corrected.audit[-1].note or "")
    assert [change.number for change in report.deadlines] == [first.number]
    assert any(
        isinstance(event, DeadlineCorrected) and event.new_day == "2027-01-05" for event in uow.published
    )
    extended = await svc.decide_extension(uow, clock, supervisor, first.number, True)
    assert extended.deadline_at == datetime(2027, 1, 7, 15, 59, 59, 999999, tzinfo=UTC)  # 2 after 01-05


def test_one_definition_puts_a_deadline_overdue_due_today_or_due_on_the_next_working_day() -> None:
    from datetime import UTC, datetime

    from nocert_core.domain.calendar import DueBucket, DueWindow, WorkingDayCalendar

    # Friday 2026-11-27 10:00 in Shanghai; the next working day is Monday 2026-11-30.
    now = datetime(2026, 11, 27, 2, 0, tzinfo=UTC)
    window = DueWindow.at(now, WorkingDayCalendar(), "Asia/Shanghai")
    assert window.next_working_day.isoformat() == "2026-11-30"
    end_of = {
        day: datetime.fromisoformat(f"{day}T15:59:59.999999+00:00") for day in ("2026-11-27", "2026-11-30")
    }
    assert window.bucket(datetime(2026, 11, 27, 1, 59, tzinfo=UTC)) == DueBucket.OVERDUE
    assert window.bucket(end_of["2026-11-27"]) == DueBucket.TODAY
    assert window.bucket(end_of["2026-11-30"]) == DueBucket.NEXT_WORKING_DAY
    assert window.bucket(datetime(2026, 12, 1, 15, 59, tzinfo=UTC)) is None
    assert window.bucket(None) is None
