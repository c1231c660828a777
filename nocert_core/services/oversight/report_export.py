"""Write a report (charts + workbook) or a scorecard (workbook) to files, labelled in one locale.

Drawing charts and writing a workbook take about a second of CPU and matplotlib and openpyxl, once
imported, stay in a process for good (≈45 MB of RSS, docs/memory.md). So the bot draws in a short-lived
worker process (`export_report_in_worker`): no chat waits, and the bot's memory stays as it was; the worker
exits when the job is done. In a process, one export at a time (matplotlib's pyplot keeps global state).
Throw-away exports (a supervisor's `/report`) go to `scratch_dir()`, whose folders older than an hour are
removed at the next export."""

from __future__ import annotations

import asyncio
import multiprocessing
import shutil
import tempfile
import threading
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from nocert_core.adapters.files import charts
from nocert_core.adapters.files.xlsx_reports import write_workbook
from nocert_core.i18n import N_, translator
from nocert_core.services.oversight.reports import Report
from nocert_core.services.oversight.scorecard import ScorecardRow

CHART_CAPTIONS = {
    "complaints": N_("Complaints per unit"),
    "on_time": N_("On-time rate per unit"),
    "trend": N_("Complaints per week"),
    "workbook": N_("Report workbook"),
}


@dataclass(frozen=True)
class ReportFiles:
    complaints_chart: Path
    on_time_chart: Path
    trend_chart: Path
    workbook: Path

    def all(self) -> list[Path]:
        return [self.complaints_chart, self.on_time_chart, self.trend_chart, self.workbook]


def _rate(value: float | None) -> float | str:
    return "" if value is None else round(value, 4)


def _number(value: float | None) -> float | str:
    return "" if value is None else round(value, 2)


_EXPORTING = threading.Lock()
SCRATCH_KEPT_SECONDS = 3600  # long enough for the files to be sent, short enough not to pile up


async def export_report_in_worker(report: Report, out_dir: Path, locale: str = "zh_Hans") -> ReportFiles:
    """`export_report` in a new worker process that exits afterwards: the event loop (every other chat)
    keeps running meanwhile, and the charting libraries never load into the calling process. The worker is
    spawned, not forked: a fork would copy a process that runs threads and an event loop."""
    worker = ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn"))
    try:
        return await asyncio.get_running_loop().run_in_executor(
            worker, export_report, report, out_dir, locale
        )
    finally:
        worker.shutdown(wait=False, cancel_futures=True)  # the worker exits once its job is done


def scratch_dir(prefix: str = "nocert-report-") -> Path:
    """A fresh folder for a throw-away export; folders of earlier exports older than an hour are removed."""
    root = Path(tempfile.gettempdir()) / "nocert-reports"
    root.mkdir(parents=True, exist_ok=True)
    cutoff = time.time() - SCRATCH_KEPT_SECONDS
    for old in root.iterdir():
        try:
            if old.is_dir() and old.stat().st_mtime < cutoff:
                shutil.rmtree(old, ignore_errors=True)
        except OSError:
            continue  # another process removed it meanwhile
    return Path(tempfile.mkdtemp(prefix=prefix, dir=root))


def export_report(report: Report, out_dir: Path, locale: str = "zh_Hans") -> ReportFiles:
    with _EXPORTING:
        return _export_report(report, out_dir, locale)


def _export_report(report: Report, out_dir: Path, locale: str) -> ReportFiles:
    t = translator(locale)
    out_dir.mkdir(parents=True, exist_ok=True)
    tag = f"{report.period.start.isoformat()}_{report.period.end.isoformat()}"
    units = report.units
    period = report.period.label()
    complaints = charts.bar_chart(
        [unit.name for unit in units],
        [unit.received for unit in units],
        out_dir / f"complaints_per_unit_{tag}.png",
        title=t("Complaints per unit, {period}", period=period),
        xlabel=t("Complaints received"),
    )
    rated = [unit for unit in units if unit.on_time_rate is not None]
    on_time = charts.bar_chart(
        [unit.name for unit in rated],
        [unit.on_time_rate or 0.0 for unit in rated],
        out_dir / f"on_time_rate_{tag}.png",
        title=t("On-time rate per unit, {period}", period=period),
        xlabel=t("Handled by the deadline"),
        percent=True,
    )
    trend = charts.trend_chart(
        report.trend,
        out_dir / f"weekly_trend_{tag}.png",
        title=t("Complaints per week (week starting)"),
        ylabel=t("Complaints received"),
    )
    headers = [
        t("Unit code"),
        t("Unit"),
        t("Received"),
        t("Accepted"),
        t("Rejected"),
        t("Rejected: vague"),
        t("Rejected: repeat"),
        t("Rejected: litigation"),
        t("Rejected: out of scope"),
        t("Resolved"),
        t("On-time rate"),
        t("Average handling time (working days)"),
        t("Overdue now"),
        t("Average rating"),
        t("Ratings"),
        t("Unreachable staff"),
    ]
    rows = []
    for unit in [*units, report.total()]:
        rows.append(
            [
                unit.code,
                unit.name,
                unit.received,
                unit.accepted,
                unit.rejected_total,
                unit.rejected["vague"],
                unit.rejected["repeat"],
                unit.rejected["litigation"],
                unit.rejected["out_of_scope"],
                unit.resolved,
                _rate(unit.on_time_rate),
                _number(unit.average_handling_days),
                unit.overdue_now,
                _number(unit.average_rating),
                len(unit.ratings),
                "、".join(unit.unreachable),
            ]
        )
    trend_rows = [[week.isoformat(), count] for week, count in report.trend]
    unreachable_rows = [[line] for line in report.unreachable] or [[t("Everyone can be reached.")]]
    workbook = write_workbook(
        out_dir / f"report_{tag}.xlsx",
        [
            (t("By unit"), headers, rows, {11}),
            (t("Weekly trend"), [t("Week starting"), t("Received")], trend_rows, set()),
            (t("Unreachable"), [t("Who cannot be reached")], unreachable_rows, set()),
        ],
    )
    return ReportFiles(complaints, on_time, trend, workbook)


def export_scorecard(
    rows: list[ScorecardRow], path: Path, period_label: str, locale: str = "zh_Hans"
) -> Path:
    t = translator(locale)
    headers = [
        t("Unit code"),
        t("Unit"),
        t("Complaints"),
        t("Resolved"),
        t("On-time rate"),
        t("Average rating"),
        t("Ratings"),
        t("Rectifications due"),
        t("Rectifications on time"),
        t("Rectification on-time rate"),
        t("Overdue now"),
        t("Score (indicative)"),
    ]
    body = [
        [
            row.code,
            row.name,
            row.complaints,
            row.resolved,
            _rate(row.on_time_rate),
            _number(row.average_rating),
            row.ratings,
            row.rectifications_due,
            row.rectifications_on_time,
            _rate(row.rectification_rate),
            row.overdue_now,
            "" if row.score is None else row.score,
        ]
        for row in rows
    ]
    return write_workbook(path, [(t("Scorecard {period}", period=period_label), headers, body, {5, 10})])
