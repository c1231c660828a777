"""Task-force work lists: the routing queue with pending extension decisions (/unrouted in chat), the
scorecards (/report in chat) and department verification requests (/requests in chat; confidential to the
two units and the task force — `services.verification.requests` decides who sees what, every view audited)."""

from __future__ import annotations

from aiohttp import web

from bot.web.guards import signed_in, task_force
from bot.web.pages import app_of, form, script_json
from bot.web.render import done, render, t
from nocert_core.clock import local_date
from nocert_core.domain.actors import Actor
from nocert_core.domain.verification import VerificationAction, VerificationResult
from nocert_core.errors import NotFound, ValidationFailed
from nocert_core.i18n import N_
from nocert_core.services.complaints import handling as svc
from nocert_core.services.oversight.reports import period_for
from nocert_core.services.oversight.scorecard import build_scorecard
from nocert_core.services.units.tree import list_units
from nocert_core.services.verification import requests as verification_service

routes = web.RouteTableDef()


@routes.get("/tf/routing")
async def routing(request: web.Request) -> web.StreamResponse:
    actor = task_force(request)
    application = app_of(request)
    waiting = await svc.awaiting_task_force(application.uow(), actor)
    return render(
        request,
        "routing.html",
        to_route=[c for c in waiting if c.unit_code is None],
        extensions=[c for c in waiting if c.unit_code is not None],
        unit_names={u.code: u.name for u in await list_units(application.uow())},
    )


@routes.get("/tf/scorecards")
async def scorecards(request: web.Request) -> web.StreamResponse:
    task_force(request)
    application = app_of(request)
    today = local_date(application.clock.now(), application.settings.timezone)
    which = request.query.get("period", "month")
    period = period_for(
        "week" if which == "week" else "month", today, previous=request.query.get("prev") == "1"
    )
    rows = await build_scorecard(application.uow, application.clock, period)
    translate = t(request)
    chart = {
        "labels": [row.name for row in rows],
        "series": [{"label": translate(N_("Score")), "values": [row.score for row in rows]}],
    }
    return render(
        request,
        "scorecards.html",
        rows=rows,
        period=period,
        which=which,
        chart_json=script_json(
            {
                **chart,
                "x": list(range(len(rows))),
                "categorical": True,
                "xlabel": translate(N_("Handling unit")),
            }
        ),
    )


def verification_reader(request: web.Request) -> Actor:
    from handlers.verification.conversation import router

    actor = signed_in(request)
    if not router.allows(actor):
        raise NotFound()
    return actor


@routes.get("/verifications")
async def verifications(request: web.Request) -> web.StreamResponse:
    actor = verification_reader(request)
    application = app_of(request)
    found = await verification_service.list_requests(application.uow(), actor)
    names = {u.code: u.name for u in await list_units(application.uow())}
    return render(
        request, "verifications.html", requests=found, unit_names=names, now=application.clock.now()
    )


@routes.get(r"/verifications/{number:HC-\d{4}-\d{6}}")
async def verification_page(request: web.Request) -> web.StreamResponse:
    actor = verification_reader(request)
    application = app_of(request)
    found = await verification_service.get_request(
        application.uow(), application.clock, actor, request.match_info["number"], purpose="web"
    )
    names = {u.code: u.name for u in await list_units(application.uow())}
    allowed = {a.value for a in found.allowed_actions()}
    issuing = actor.unit_code == found.issuing_unit_code
    requesting = actor.unit_code == found.requesting_unit_code
    return render(
        request,
        "verification.html",
        r=found,
        unit_names=names,
        # a request verified at once is accepted in the same step
        # (services.verification.requests.verify_request)
        may_answer=issuing
        and bool({VerificationAction.VERIFY.value, VerificationAction.ACCEPT.value} & allowed),
        may_accept=issuing and VerificationAction.ACCEPT.value in allowed,
        may_withdraw=requesting and VerificationAction.WITHDRAW.value in allowed,
        results=list(VerificationResult),
    )


@routes.post(r"/verifications/{number:HC-\d{4}-\d{6}}/{action:accept|verify|return|withdraw}")
async def verification_action(request: web.Request) -> web.StreamResponse:
    """The issuing unit accepts, answers or returns; the requesting unit withdraws (same services as chat)."""
    actor = verification_reader(request)
    application = app_of(request)
    uow, clock, number = application.uow(), application.clock, request.match_info["number"]
    await verification_service.get_request(application.uow(), clock, actor, number, purpose="web action")
    fields = await form(request)
    action = request.match_info["action"]
    if action == "accept":
        await verification_service.accept_request(uow, clock, actor, number)
    elif action == "verify":
        result = fields.get("result", "")
        if result not in {r.value for r in VerificationResult}:
            raise ValidationFailed(N_("Please choose one of the buttons."))
        details = fields.get("details", "")
        await verification_service.verify_request(
            uow, clock, actor, number, VerificationResult(result), details
        )
    elif action == "return":
        reason = fields.get("reason", "")
        if not reason:
            raise ValidationFailed(N_("Please type your answer."))
        await verification_service.return_request(uow, clock, actor, number, reason)
    else:
        await verification_service.withdraw_request(uow, clock, actor, number, fields.get("note", ""))
    raise done(request, f"/verifications/{number}", t(request)(N_("Saved. Those concerned are told.")))


def setup(app: web.Application) -> None:
    app.router.add_routes(routes)
