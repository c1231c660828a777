"""Background jobs of a running bot: outbox delivery, deadline sweeps, hotspots, digest, weekly report.

APScheduler's AsyncIOScheduler (timezone Asia/Shanghai) only *triggers* work; deadlines live in the
complaint table, so nothing is lost with the process. On start-up every sweep runs once (catching up
on what was missed while down), and the digest and weekly report are sent if their time today has
passed and they were not sent yet (their outbox dedup keys make a second send impossible).
Jobs coalesce and never overlap (max_instances=1); a run delayed by a busy loop still happens.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

from bot.outbox_worker import OutboxWorker, Sender
from nocert_core.bootstrap import Application
from nocert_core.services import alerts, digest, hotspots

log = logging.getLogger(__name__)
JOB_DEFAULTS = {"coalesce": True, "max_instances": 1, "misfire_grace_time": 3600}
_WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def _parse_time(text: str) -> time:
    hours, _, minutes = text.partition(":")
    return time(int(hours), int(minutes or 0))


@dataclass
class BackgroundJobs:
    app: Application
    scheduler: AsyncIOScheduler
    worker: OutboxWorker | None
    stop_event: asyncio.Event = field(default_factory=asyncio.Event)
    tasks: list[asyncio.Task[Any]] = field(default_factory=list)

    async def stop(self) -> None:
        self.stop_event.set()
        with contextlib.suppress(Exception):
            self.scheduler.shutdown(wait=False)
        for task in self.tasks:
            task.cancel()
        for task in self.tasks:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task


async def sweep_job(app: Application) -> None:
    try:
        result = await alerts.run_sweeps(app.uow, app.clock, hotspots=False)
    except Exception:
        log.exception("deadline sweep failed")
        return
    if result.messages:
        log.info("sweep: %s (%d message(s))", result.marked, result.messages)


async def hotspot_job(app: Application) -> None:
    try:
        await hotspots.sweep_hotspots(app.uow, app.clock)
    except Exception:
        log.exception("hotspot sweep failed")


async def digest_job(app: Application) -> None:
    try:
        await digest.send_daily_digest(app.uow, app.clock)
    except Exception:
        log.exception("daily digest failed")


async def weekly_report_job(app: Application) -> None:
    try:
        await digest.send_weekly_report(app.uow, app.clock)
    except Exception:
        log.exception("weekly report failed")


async def catch_up(app: Application) -> None:
    """Run what a stopped bot missed: every sweep once; today's digest and this week's report if due."""
    await sweep_job(app)
    await hotspot_job(app)
    settings = app.settings
    zone = ZoneInfo(settings.timezone)
    local_now = app.clock.now().astimezone(zone)
    if local_now.time() >= _parse_time(settings.digest_time):
        await digest_job(app)
    report_day = _WEEKDAYS.index(settings.weekly_report_day.lower()[:3])
    days_since = (local_now.weekday() - report_day) % 7
    report_at = datetime.combine(
        local_now.date() - timedelta(days=days_since), _parse_time(settings.weekly_report_time), zone
    )
    if local_now >= report_at:
        await weekly_report_job(app)


def build_scheduler(app: Application) -> AsyncIOScheduler:
    settings = app.settings
    scheduler = AsyncIOScheduler(timezone=settings.timezone, job_defaults=JOB_DEFAULTS)
    scheduler.add_job(
        sweep_job, IntervalTrigger(minutes=settings.sweep_interval_minutes), args=[app], id="sweep"
    )
    scheduler.add_job(hotspot_job, IntervalTrigger(hours=1), args=[app], id="hotspots")
    digest_at = _parse_time(settings.digest_time)
    # Every day: a make-up Saturday can be a working day, so the job itself asks the calendar.
    scheduler.add_job(
        digest_job, CronTrigger(hour=digest_at.hour, minute=digest_at.minute), args=[app], id="digest"
    )
    report_at = _parse_time(settings.weekly_report_time)
    scheduler.add_job(
        weekly_report_job,
        CronTrigger(day_of_week=settings.weekly_report_day, hour=report_at.hour, minute=report_at.minute),
        args=[app],
        id="weekly_report",
    )
    return scheduler


def start_background_jobs(app: Application, senders: dict[str, Sender]) -> BackgroundJobs:
    """Called by each chat runtime once its loop runs; `await handle.stop()` on shutdown."""
    scheduler = build_scheduler(app)
    worker = OutboxWorker(app, senders) if senders else None
    jobs = BackgroundJobs(app, scheduler, worker)
    scheduler.start()
    jobs.tasks.append(asyncio.create_task(catch_up(app), name="nocert-catch-up"))
    if worker is not None:
        jobs.tasks.append(asyncio.create_task(worker.run_forever(jobs.stop_event), name="nocert-outbox"))
    return jobs
