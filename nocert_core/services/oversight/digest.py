"""The supervisors' daily digest (working days only) and the weekly report, written to the outbox.

Both are keyed by day or week in their dedup keys, so the scheduler's regular run, a catch-up at
start-up and a second scheduler instance together still send each once."""

from __future__ import annotations

from collections import defaultdict
from datetime import timedelta
from pathlib import Path

from sqlalchemy import or_, select

from nocert_core.adapters.sql import orm
from nocert_core.clock import Clock, local_date, local_midnight
from nocert_core.domain import notifications as notes
from nocert_core.domain.calendar import DueBucket, DueWindow
from nocert_core.domain.complaint_lifecycle import HANDLING_STATES, OPEN_STATES
from nocert_core.domain.notifications import DailyDigest, DigestUnit, ReportFile, WeeklyReport
from nocert_core.services.messaging import outbox
from nocert_core.services.oversight.alerts import Recipients
from nocert_core.services.oversight.report_export import CHART_CAPTIONS, export_report_in_worker
from nocert_core.services.oversight.reports import build_report, percent, period_for
from nocert_core.services.platform.uow import UnitOfWorkFactory
from nocert_core.settings import default_data_dir

DIGEST = notes.DAILY_DIGEST
WEEKLY = notes.WEEKLY_REPORT
FILE = notes.REPORT_FILE
WEEKLY_PARTS = ("summary", "complaints", "on_time", "trend", "workbook")  # dedup key parts, in send order


async def digest_payload(uow_factory: UnitOfWorkFactory, clock: Clock) -> DailyDigest | None:
    """None on a day off. New = registered since the previous working day's start."""
    tz = uow_factory.settings.timezone
    now = clock.now()
    today = local_date(now, tz)
    c = orm.complaints
    async with uow_factory() as uow:
        calendar = await uow.calendar.load()
        if not calendar.is_working_day(today):
            return None
        previous = today - timedelta(days=1)
        while not calendar.is_working_day(previous) and (today - previous).days < 30:
            previous -= timedelta(days=1)
        since = local_midnight(previous + timedelta(days=1), tz)
        window = DueWindow.at(now, calendar, tz)
        rows = (
            await uow.session.execute(
                select(c.c.unit_code, c.c.status, c.c.registered_at, c.c.deadline_at).where(
                    or_(c.c.registered_at >= since, c.c.status.in_(HANDLING_STATES))
                )
            )
        ).all()
        names = {unit.code: unit.name for unit in await uow.units.list()}
    per_unit: dict[str | None, dict[str, int]] = defaultdict(lambda: {"new": 0, "due_today": 0, "overdue": 0})
    for row in rows:
        counts = per_unit[row.unit_code]
        if row.registered_at >= since and row.status in OPEN_STATES:
            counts["new"] += 1
        if row.status in HANDLING_STATES:
            bucket = window.bucket(row.deadline_at)
            if bucket == DueBucket.OVERDUE:
                counts["overdue"] += 1
            elif bucket == DueBucket.TODAY:
                counts["due_today"] += 1
    units = [
        DigestUnit(code, names.get(code or "", ""), **counts)
        for code, counts in sorted(per_unit.items(), key=lambda item: (-item[1]["overdue"], item[0] or "~"))
        if any(counts.values())
    ]
    return DailyDigest(
        day=today.isoformat(),
        new=sum(unit.new for unit in units),
        due_today=sum(unit.due_today for unit in units),
        overdue=sum(unit.overdue for unit in units),
        units=units,
    )


async def send_daily_digest(uow_factory: UnitOfWorkFactory, clock: Clock) -> int:
    payload = await digest_payload(uow_factory, clock)
    if payload is None:
        return 0
    async with uow_factory() as uow:
        written = await outbox.notify(
            uow, await Recipients(uow).supervisors(), DIGEST, payload, f"digest:{payload.day}"
        )
        await uow.commit()
    return written


def reports_dir(uow_factory: UnitOfWorkFactory) -> Path:
    configured = uow_factory.settings.reports_dir
    return Path(configured) if configured else default_data_dir() / "reports"


async def send_weekly_report(uow_factory: UnitOfWorkFactory, clock: Clock) -> int:
    """Last week's report: a summary, three charts and the workbook, to every supervisor."""
    settings = uow_factory.settings
    period = period_for("week", local_date(clock.now(), settings.timezone), previous=True)
    key = f"report:weekly:{period.start.isoformat()}"
    async with uow_factory() as uow:
        supervisors = await Recipients(uow).supervisors()
        if not supervisors:
            return 0
        # Check first: every start-up catches up on this week's report, and building it (queries, charts,
        # workbook) is seconds of work that must not be redone once every supervisor has it.
        expected = {f"{key}:{part}:{account.ref}"[:200] for part in WEEKLY_PARTS for account in supervisors}
        if await uow.outbox.existing_keys(expected) == expected:
            return 0
    report = await build_report(uow_factory, clock, period)
    # matplotlib and openpyxl are CPU-bound: in a worker process, so the chat loop keeps answering meanwhile
    # and the bot does not keep them loaded afterwards.
    out_dir = reports_dir(uow_factory) / f"weekly-{period.start.isoformat()}"
    files = await export_report_in_worker(report, out_dir, settings.locale)
    total = report.total()
    summary = WeeklyReport(
        start=period.start.isoformat(),
        end=period.end.isoformat(),
        received=total.received,
        resolved=total.resolved,
        on_time=percent(total.on_time_rate),
        overdue=total.overdue_now,
        unreachable=list(report.unreachable),
    )
    parts: list[tuple[str, str, notes.Payload]] = [("summary", WEEKLY, summary)]
    for part, path, kind in (
        ("complaints", files.complaints_chart, "photo"),
        ("on_time", files.on_time_chart, "photo"),
        ("trend", files.trend_chart, "photo"),
        ("workbook", files.workbook, "document"),
    ):
        parts.append((part, FILE, ReportFile(str(path), kind, CHART_CAPTIONS[part])))
    written = 0
    async with uow_factory() as uow:
        for part, kind, payload in parts:
            written += await outbox.notify(uow, supervisors, kind, payload, f"{key}:{part}")
        await uow.commit()
    return written
