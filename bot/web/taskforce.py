"""Task-force pages: the self-refreshing overview, the routing and extension queue, rectification notices,
scorecards. The role filter is the chat's supervision router (bot/web/guards.py); data come from the
same services as /overdue, /unrouted, /report, /rectify."""

from __future__ import annotations

import asyncio
import contextlib
import time
from dataclasses import dataclass
from datetime import UTC, date, datetime
from datetime import time as day_time

from aiohttp import web

from bot.web.guards import task_force
from bot.web.keys import LIMITS_KEY
from bot.web.pages import app_of, is_partial, pct, script_json
from bot.web.render import render, t
from nocert_core.bootstrap import Application
from nocert_core.clock import local_date
from nocert_core.domain.actors import Actor
from nocert_core.domain.complaint_lifecycle import CLOSED_STATES, ComplaintStatus
from nocert_core.i18n import N_
from nocert_core.services.oversight import dashboard
from nocert_core.services.oversight.reports import Report

routes = web.RouteTableDef()


def trend_series(data: dashboard.Overview, label: str, week: str) -> dict[str, object]:
    """uPlot's shape: x as Unix seconds (the Monday of each week), one series of counts."""
    xs = [int(datetime.combine(day, day_time(0, 0), tzinfo=UTC).timestamp()) for day, _ in data.report.trend]
    values = [count for _, count in data.report.trend]
    return {"x": xs, "xlabel": week, "series": [{"label": label, "values": values}]}


SNAPSHOT_SECONDS = 30.0  # the overview shown is at most this old (plus the time one refresh takes)
RATES_SECONDS = 300.0  # the 30-day per-unit rates and closed-state counts read the bulk of the table


@dataclass
class Snapshot:
    taken: float  # time.monotonic() when the refresh started
    at: datetime  # the clock's time of that refresh (shown as "As of")
    day: date
    overview: dashboard.Overview
    rates_taken: float
    closed: dict[str, int]


async def _refresh(application: Application, actor: Actor, previous: Snapshot | None) -> Snapshot:
    """One refresh: the live parts every time, the rates and closed-state counts when five minutes old."""
    taken = time.monotonic()
    now = application.clock.now()
    day = local_date(now, application.settings.timezone)
    rates: Report | None = None
    closed: dict[str, int] | None = None
    rates_taken = taken
    if previous is not None and previous.day == day and taken - previous.rates_taken < RATES_SECONDS:
        rates, closed, rates_taken = previous.overview.report, previous.closed, previous.rates_taken
    if closed is None:
        closed = await dashboard.counts_by_state(application.uow, actor, sorted(CLOSED_STATES))
    data = await dashboard.overview(
        application.uow, application.clock, actor, rates=rates, closed_counts=closed
    )
    return Snapshot(taken, now, day, data, rates_taken, closed)


async def _overview(request: web.Request, actor: Actor) -> Snapshot:
    """The overview is the same for every supervisor (the whole city): it is kept per process as a
    snapshot and refreshed in the background once it is SNAPSHOT_SECONDS old, so a request only renders
    (stale-while-revalidate; one refresh at a time). The first request of a process, or of a new local
    day, waits for a fresh one. The page says how old it is."""
    application = app_of(request)
    cache = request.app[LIMITS_KEY]
    current: Snapshot | None = cache.get("overview")
    today = local_date(application.clock.now(), application.settings.timezone)
    if current is None or current.day != today:
        current = await _refresh(application, actor, current)
        cache["overview"] = current
    elif time.monotonic() - current.taken > SNAPSHOT_SECONDS and not cache.get("overview_refreshing"):
        cache["overview_refreshing"] = True
        previous = current

        async def refresh() -> None:
            try:
                cache["overview"] = await _refresh(application, actor, previous)
            finally:
                cache["overview_refreshing"] = False

        cache["overview_task"] = asyncio.create_task(refresh())  # kept referenced until it is done
    return current


@routes.get("/tf")
async def overview(request: web.Request) -> web.StreamResponse:
    actor = task_force(request)
    snapshot = await _overview(request, actor)
    data = snapshot.overview
    translate = t(request)
    return render(
        request,
        "overview.html",
        data=data,
        states=list(ComplaintStatus),
        now=snapshot.at,
        pct=pct,
        partial=is_partial(request),
        trend_json=script_json(
            trend_series(data, translate(N_("Complaints received")), translate(N_("Week of")))
        ),
    )


@routes.get("/tf/overview.json")
async def overview_json(request: web.Request) -> web.StreamResponse:
    actor = task_force(request)
    snapshot = await _overview(request, actor)
    data = snapshot.overview
    late = [
        {
            "number": i.number,
            "unit": i.unit_name,
            "deadline": i.deadline,
            "working_days_late": i.working_days_late,
        }
        for i in data.board.overdue
    ]
    body = {
        "as_of": snapshot.at.isoformat(),
        "counts": data.counts,
        "overdue": late,
        "overdue_total": data.board.overdue_total,
        "due_today": [i.number for i in data.board.due_today],
        "due_next": [i.number for i in data.board.due_next],
        "units": [
            {
                "code": u.code,
                "name": u.name,
                "received": u.received,
                "acceptance_rate": u.accepted / u.received if u.received else None,
                "on_time_rate": u.on_time_rate,
                "satisfaction": u.average_rating,
                "overdue_now": u.overdue_now,
            }
            for u in data.report.units
        ],
        "trend": trend_series(data, t(request)(N_("Complaints received")), t(request)(N_("Week of"))),
        "hotspots": [{"kind": h.kind, "subject": h.subject, "count": h.count} for h in data.hotspots],
    }
    return web.Response(text=script_json(body), content_type="application/json")


async def _stop_refresh(app: web.Application) -> None:
    task = app[LIMITS_KEY].get("overview_task")
    if task is not None and not task.done():
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task


def setup(app: web.Application) -> None:
    app.router.add_routes(routes)
    app.on_cleanup.append(_stop_refresh)
