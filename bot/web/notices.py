"""Rectification notices (R4 Art.8–9) in the browser: the task force issues, accepts, sends back and confirms
the follow-up check (回头看); the unit's staff report. Same services as /rectify and /notices in chat."""

from __future__ import annotations

from aiohttp import web

from bot.web.guards import signed_in, task_force
from bot.web.pages import app_of, form
from bot.web.render import done, render, t
from nocert_core.domain.actors import Actor
from nocert_core.domain.rectification import DEFAULT_RETURN_WORKING_DAYS, RectificationAction
from nocert_core.errors import NotFound, ValidationFailed
from nocert_core.i18n import N_
from nocert_core.services.oversight import rectification as rect
from nocert_core.services.units.tree import list_units

routes = web.RouteTableDef()
NOTICE = r"{number:ZG-\d{4}-\d{5}}"


def notice_reader(request: web.Request) -> Actor:
    """The chat's two /notices routers: the task force's and the unit staff's."""
    from handlers.oversight.supervision import router, staff_router

    actor = signed_in(request)
    if not (router.allows(actor) or staff_router.allows(actor)):
        raise NotFound()
    return actor


def _days(fields: dict[str, str], default: int) -> int:
    raw = fields.get("days", "") or str(default)
    if not raw.isdigit() or not 1 <= int(raw) <= 60:
        raise ValidationFailed(N_("A time limit is 1 to 60 working days."))
    return int(raw)


def _text(fields: dict[str, str], name: str) -> str:
    value = fields.get(name, "")
    if not value:
        raise ValidationFailed(N_("Please type your answer."))
    return value


@routes.get("/notices")
async def notices(request: web.Request) -> web.StreamResponse:
    actor = notice_reader(request)
    application = app_of(request)
    found = await rect.list_notices(application.uow(), actor)
    units = await list_units(application.uow())
    return render(
        request,
        "notices.html",
        notices=sorted(found, key=lambda n: n.issued_at, reverse=True),
        units=units,
        unit_names={u.code: u.name for u in units},
        now=application.clock.now(),
    )


@routes.post("/notices")
async def issue(request: web.Request) -> web.StreamResponse:
    actor = task_force(request)
    application = app_of(request)
    fields = await form(request)
    numbers = [
        n.strip().upper() for n in fields.get("complaints", "").replace("，", ",").split(",") if n.strip()
    ]
    notice = await rect.issue_notice(
        application.uow(),
        application.clock,
        actor,
        _text(fields, "unit"),
        _text(fields, "issue"),
        _text(fields, "requirement"),
        _days(fields, DEFAULT_RETURN_WORKING_DAYS),
        numbers or None,
    )
    raise done(
        request, f"/notices/{notice.number}", t(request)(N_("Notice {number} issued."), number=notice.number)
    )


@routes.get(f"/notices/{NOTICE}")
async def notice_page(request: web.Request) -> web.StreamResponse:
    actor = notice_reader(request)
    application = app_of(request)
    notice = await rect.get_notice(application.uow(), actor, request.match_info["number"])
    units = {u.code: u.name for u in await list_units(application.uow())}
    allowed = {a.value for a in notice.allowed_actions()}
    return render(
        request,
        "notice.html",
        n=notice,
        unit_name=units.get(notice.unit_code, notice.unit_code),
        may_report=RectificationAction.REPORT.value in allowed and not actor.is_supervisor,
        may_decide=actor.is_supervisor and RectificationAction.ACCEPT.value in allowed,
        may_confirm=actor.is_supervisor and RectificationAction.CONFIRM_FOLLOW_UP.value in allowed,
        default_days=DEFAULT_RETURN_WORKING_DAYS,
    )


@routes.post(f"/notices/{NOTICE}/{{action:report|accept|return|confirm}}")
async def notice_action(request: web.Request) -> web.StreamResponse:
    actor = notice_reader(request)
    application = app_of(request)
    uow, clock, number = application.uow(), application.clock, request.match_info["number"]
    await rect.get_notice(application.uow(), actor, number)  # not visible → the same 404 as missing
    fields = await form(request)
    action = request.match_info["action"]
    if action == "report":
        await rect.report_rectification(uow, clock, actor, number, _text(fields, "report"))
    elif action == "accept":
        await rect.accept_rectification(uow, clock, actor, number, fields.get("note", ""))
    elif action == "return":
        days = _days(fields, DEFAULT_RETURN_WORKING_DAYS)
        await rect.return_rectification(uow, clock, actor, number, _text(fields, "reason"), days)
    else:
        await rect.confirm_follow_up(uow, clock, actor, number, fields.get("note", ""))
    raise done(request, f"/notices/{number}", t(request)(N_("Saved. Those concerned are told.")))


def setup(app: web.Application) -> None:
    app.router.add_routes(routes)
