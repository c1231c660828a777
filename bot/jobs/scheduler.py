"""Background jobs of a running bot: outbox delivery, deadline sweeps, hotspots, digest, weekly report,
retention (old dialog drafts and delivered outbox rows are deleted once a day).

APScheduler's AsyncIOScheduler (timezone Asia/Shanghai) only *triggers* work; deadlines live in the
complaint table, so nothing is lost with the process. On start-up every sweep runs once (catching up
on what was missed while down), and the digest and weekly report are sent if their time today has
passed and they were not sent yet (their outbox dedup keys make a second send impossible; the weekly
report looks them up *before* building anything).
Jobs coalesce and never overlap (max_instances=1); a run delayed by a busy loop still happens.
With several instances (`elect=True`) only the holder of the scheduler lease runs them
(bot/jobs/leadership.py); the outbox worker runs on every instance.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

from bot.jobs.leadership import Leadership
from bot.jobs.outbox_worker import OutboxWorker, Sender
from nocert_core.bootstrap import Application
from nocert_core.services.oversight import digest, hotspots, sweeps
from nocert_core.services.platform import retention
from nocert_core.services.platform.warm_up import warm_up
from nocert_core.services.verification.requests import sweep_verifications

log = logging.getLogger(__name__)


def _failed(what: str, error: Exception) -> None:
    """A job's failure: a busy or dropped database (SQLite "database is locked" under load, a lost
    connection) is a warning with its message — the job runs again at its next time; anything else is
    logged with its traceback."""
    from sqlalchemy.exc import OperationalError

    if isinstance(error, OperationalError):
        first_line = str(error.orig or error).splitlines()[0][:200]
        log.warning("%s failed (%s: %s); it runs again next time", what, type(error).__name__, first_line)
    else:
        log.exception("%s failed", what)


JOB_DEFAULTS = {"coalesce": True, "max_instances": 1, "misfire_grace_time": 3600}
_WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
STOP_GRACE_SECONDS = 15.0  # how long stop() waits for the step in hand before cancelling it


def _parse_time(text: str) -> time:
    hours, _, minutes = text.partition(":")
    return time(int(hours), int(minutes or 0))


Job = Callable[[Application, asyncio.Event], Awaitable[None]]


@dataclass
class BackgroundJobs:
    """The running background work of one bot process. `stop()` is graceful: it signals every loop,
    lets each finish the step in hand (a delivery round, a sweep batch) within `grace` seconds, and
    only then cancels what is left — cancelling mid-query left connections to be reset while their
    task was being cancelled."""

    app: Application
    worker: OutboxWorker | None
    scheduler: AsyncIOScheduler | None = None
    stop_event: asyncio.Event = field(default_factory=asyncio.Event)
    tasks: list[asyncio.Task[Any]] = field(default_factory=list)
    running: set[asyncio.Task[Any]] = field(default_factory=set)  # scheduled jobs in progress
    warm_up: asyncio.Task[None] | None = None  # start-up work: nothing to keep, cancelled on stop
    warm_up_reading: asyncio.Event = field(default_factory=asyncio.Event)  # ... unless it reads the database
    leadership: Leadership | None = None  # several instances: only the lease holder runs the jobs

    async def run_job(self, job: Job) -> None:
        """How the scheduler runs a job: tracked, so `stop()` can wait for it instead of cancelling it."""
        if self.stop_event.is_set():
            return
        if self.leadership is not None and not self.leadership.leading:
            return  # another instance runs the scheduled jobs
        task = asyncio.current_task()
        if task is not None:
            self.running.add(task)
        try:
            await job(self.app, self.stop_event)
        finally:
            if task is not None:
                self.running.discard(task)

    async def stop(self, grace: float = STOP_GRACE_SECONDS) -> None:
        self.stop_event.set()
        if self.warm_up is not None and not self.warm_up.done():
            if self.warm_up_reading.is_set():  # let the database read finish: a cancel cuts it mid-statement
                await asyncio.wait([self.warm_up], timeout=grace)
            if not self.warm_up.done():
                self.warm_up.cancel()
                await asyncio.wait([self.warm_up])
        if self.scheduler is not None and self.scheduler.running:
            self.scheduler.pause()  # no new job starts; the ones running are awaited below
        if self.worker is not None:
            self.worker.wake()
        busy = [task for task in [*self.tasks, *self.running] if not task.done()]
        if busy:
            _, left = await asyncio.wait(busy, timeout=grace)
            if left:
                log.warning(
                    "background work still busy after %.0f s, cancelling: %s",
                    grace,
                    ", ".join(sorted(task.get_name() for task in left)),
                )
                for task in left:
                    task.cancel()
                await asyncio.wait(left)
        for task in self.tasks:
            if task.done() and not task.cancelled() and task.exception() is not None:
                log.error("background task %s failed", task.get_name(), exc_info=task.exception())
        if self.scheduler is not None and self.scheduler.running:
            self.scheduler.shutdown(wait=False)  # nothing of ours is running any more
        if self.leadership is not None:
            await self.leadership.release()  # a successor need not wait for the lease to expire


async def sweep_job(app: Application, stop: asyncio.Event | None = None) -> None:
    try:
        result = await sweeps.run_sweeps(app.uow, app.clock, hotspots=False, stop=stop)
    except Exception as error:
        _failed("deadline sweep", error)
        return
    if result.messages:
        log.info("sweep: %s (%d message(s))", result.marked, result.messages)


async def hotspot_job(app: Application, stop: asyncio.Event | None = None) -> None:
    try:
        await hotspots.sweep_hotspots(app.uow, app.clock)
    except Exception as error:
        _failed("hotspot sweep", error)


async def digest_job(app: Application, stop: asyncio.Event | None = None) -> None:
    try:
        await digest.send_daily_digest(app.uow, app.clock)
    except Exception as error:
        _failed("daily digest", error)


async def weekly_report_job(app: Application, stop: asyncio.Event | None = None) -> None:
    try:
        await digest.send_weekly_report(app.uow, app.clock)
    except Exception as error:
        _failed("weekly report", error)


async def retention_job(app: Application, stop: asyncio.Event | None = None) -> None:
    try:
        purged = await retention.purge_expired(app.uow, app.clock)
    except Exception as error:
        _failed("retention purge", error)
        return
    if purged.drafts or purged.outbox:
        log.info("retention: %d draft(s), %d delivered outbox row(s) deleted", purged.drafts, purged.outbox)


CATCH_UP_DONE = "start-up catch-up done"  # bench/memory_bench.py waits for this line


async def catch_up(app: Application, stop: asyncio.Event | None = None) -> None:
    """Run what a stopped bot missed: every sweep once; today's digest and this week's report if due.
    Each step is whole (one transaction or many committed batches); a stop request ends it between steps."""
    stop = stop or asyncio.Event()
    settings = app.settings
    zone = ZoneInfo(settings.timezone)
    local_now = app.clock.now().astimezone(zone)
    steps: list[Job] = [sweep_job, sweep_verifications, hotspot_job, retention_job]
    if local_now.time() >= _parse_time(settings.digest_time):
        steps.append(digest_job)
    report_day = _WEEKDAYS.index(settings.weekly_report_day.lower()[:3])
    days_since = (local_now.weekday() - report_day) % 7
    report_at = datetime.combine(
        local_now.date() - timedelta(days=days_since), _parse_time(settings.weekly_report_time), zone
    )
    if local_now >= report_at:
        steps.append(weekly_report_job)
    for step in steps:
        if stop.is_set():
            return
        await step(app, stop)
    log.info("%s (%d steps)", CATCH_UP_DONE, len(steps))


def build_scheduler(jobs: BackgroundJobs) -> AsyncIOScheduler:
    """The triggers; every job runs through `jobs.run_job` (tracked for a graceful stop)."""
    settings = jobs.app.settings
    scheduler = AsyncIOScheduler(timezone=settings.timezone, job_defaults=JOB_DEFAULTS)
    run = jobs.run_job
    scheduler.add_job(
        run, IntervalTrigger(minutes=settings.sweep_interval_minutes), args=[sweep_job], id="sweep"
    )
    scheduler.add_job(
        run,
        IntervalTrigger(minutes=settings.sweep_interval_minutes),
        args=[sweep_verifications],
        id="verification_sweep",
    )
    scheduler.add_job(run, IntervalTrigger(hours=1), args=[hotspot_job], id="hotspots")
    digest_at = _parse_time(settings.digest_time)
    # Every day: a make-up Saturday can be a working day, so the job itself asks the calendar.
    scheduler.add_job(
        run, CronTrigger(hour=digest_at.hour, minute=digest_at.minute), args=[digest_job], id="digest"
    )
    # Retention once a day, at night (the first run is part of the start-up catch-up).
    scheduler.add_job(run, CronTrigger(hour=3, minute=17), args=[retention_job], id="retention")
    report_at = _parse_time(settings.weekly_report_time)
    scheduler.add_job(
        run,
        CronTrigger(day_of_week=settings.weekly_report_day, hour=report_at.hour, minute=report_at.minute),
        args=[weekly_report_job],
        id="weekly_report",
    )
    return scheduler


def start_background_jobs(
    app: Application, senders: dict[str, Sender], *, elect: bool = False
) -> BackgroundJobs:
    """Called by each chat runtime once its loop runs; `await handle.stop()` on shutdown. With `elect`
    (several instances) the scheduled jobs and the catch-up run only while this instance holds the lease."""
    worker = OutboxWorker(app, senders) if senders else None
    jobs = BackgroundJobs(app, worker)
    jobs.scheduler = build_scheduler(jobs)
    jobs.scheduler.start()
    jobs.warm_up = asyncio.create_task(warm_up(app, jobs.warm_up_reading), name="nocert-warm-up")
    if elect:

        async def caught_up() -> None:  # the new holder catches up on what was missed meanwhile
            jobs.tasks.append(asyncio.create_task(jobs.run_job(catch_up), name="nocert-catch-up"))

        jobs.leadership = Leadership(app, on_gain=caught_up)
        jobs.tasks.append(asyncio.create_task(jobs.leadership.run(jobs.stop_event), name="nocert-lease"))
    else:
        jobs.tasks.append(asyncio.create_task(catch_up(app, jobs.stop_event), name="nocert-catch-up"))
    if worker is not None:
        jobs.tasks.append(asyncio.create_task(worker.run_forever(jobs.stop_event), name="nocert-outbox"))
    return jobs
