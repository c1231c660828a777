"""Task-force pages: the self-refreshing overview, the routing and extension queue, rectification notices,
scorecards. The role filter is the chat's supervision router (bot/web/guards.py); data come from the
same services as /overdue, /unrouted, /report, /rectify."""

from __future__ import annotations

import asyncio
import contextlib
import time
from datetime import UTC, date, datetime
from datetime import time as day_time

from aiohttp import web

from bot.web.guards import task_force
from bot.web.keys import LIMITS_KEY
from bot.web.pages import app_of, is_partial, pct, script_json
from bot.web.render import render, t
from nocert_core.clock import local_date
from nocert_core.domain.actors import Actor
from nocert_core.domain.complaints import CLOSED_STATES, ComplaintStatus
from nocert_core.i18n import N_
from nocert_core.services import dashboard
from nocert_core.services.reports import Report

routes = web.RouteTableDef()


def trend_series(data: dashboard.Overview, label: str, week: str) -> dict[str, object]:
    """uPlot's shape: x as Unix seconds (the Monday of each week), one series of counts."""
    xs = [int(datetime.combine(day, day_time(0, 0), tzinfo=UTC).timestamp()) for day, _ in data.report.trend]
    values = [count for _, count in data.report.trend]
    return {"x": xs, "xlabel": week, "series": [{"label": label, "values": values}]}


RATES_SECONDS = 300.0  # the slow parts read the bulk of the table: refreshed at most every five minutes


async def _slow_parts(request: web.Request, actor: Actor) -> tuple[float, date, Report, dict[str, int]]:
    application = app_of(request)
    today = local_date(application.clock.now(), application.settings.timezone)
    rates = await dashboard.unit_rates(application.uow, application.clock)
    closed = await dashboard.counts_by_state(application.uow, actor, sorted(CLOSED_STATES))
    return time.monotonic(), today, rates, closed


async def _overview(request: web.Request, actor: Actor) -> dashboard.Overview:
    """The per-unit rates and the closed-state counts read the bulk of the table: they are kept per process
    and refreshed in the background once they are five minutes old (the page shows the last result meanwhile).
    Open states, the deadline board and hotspots are read on every request."""
    application = app_of(request)
    cache = request.app[LIMITS_KEY]
    today = local_date(application.clock.now(), application.settings.timezone)
    cached = cache.get("overview")
    if cached is None or cached[1] != today:
        cached = await _slow_parts(request, actor)
        cache["overview"] = cached
    elif time.monotonic() - cached[0] > RATES_SECONDS and not cache.get("overview_refreshing"):
        cache["overview_refreshing"] = True

        async def refresh() -> None:
            try:
                cache["overview"] = await _slow_parts(request, actor)
            finally:
                cache["overview_refreshing"] = False

        cache["overview_task"] = asyncio.create_task(refresh())  # kept referenced until it is done
    return await dashboard.overview(
        application.uow, application.clock, actor, rates=cached[2], closed_counts=cached[3]
    )


@routes.get("/tf")
async def overview(request: web.Request) -> web.StreamResponse:
    actor = task_force(request)
    application = app_of(request)
    data = await _overview(request, actor)
    translate = t(request)
    return render(
        request,
        "overview.html",
        data=data,
        states=list(ComplaintStatus),
        now=application.clock.now(),
        pct=pct,
        partial=is_partial(request),
        trend_json=script_json(
            trend_series(data, translate(N_("Complaints received")), translate(N_("Week of")))
        ),
    )


@routes.get("/tf/overview.json")
async def overview_json(request: web.Request) -> web.StreamResponse:
    actor = task_force(request)
    data = await _overview(request, actor)
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
