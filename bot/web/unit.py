"""Unit pages: the queue by deadline and the complaint page with every field, the screening advice and its
cues, the timeline from the audit trail, and the actions the chat offers
(handlers/complaints/case_card.offered_actions) through the same services — the citizen is told in chat by the
outbox, as when the button is pressed."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from aiohttp import web

from bot.web.guards import task_force, unit_desk
from bot.web.pages import app_of, form
from bot.web.render import done, render, t
from handlers.complaints.case_card import offered_actions
from nocert_core.clock import local_date
from nocert_core.domain.actors import Actor
from nocert_core.domain.case_card import CaseCard
from nocert_core.domain.complaint_lifecycle import RejectionGround
from nocert_core.domain.complaints import Category, Complaint
from nocert_core.domain.labels import label_of
from nocert_core.errors import ValidationFailed
from nocert_core.i18n import N_
from nocert_core.services.complaints import handling as svc
from nocert_core.services.complaints import intake, press
from nocert_core.services.units.tree import list_units

routes = web.RouteTableDef()
NUMBER = r"{number:TS-\d{4}-\d{6}}"


@routes.get("/unit")
async def queue(request: web.Request) -> web.StreamResponse:
    actor = unit_desk(request)
    application = app_of(request)
    found = await svc.list_complaints(application.uow(), actor, open_only=True)
    return render(request, "queue.html", complaints=found, now=application.clock.now())


async def _page(
    request: web.Request, actor: Actor, complaint: Complaint, phone: str | None = None
) -> web.Response:
    application = app_of(request)
    unit = await intake.unit_name(application.uow(), complaint.unit_code)
    card = CaseCard.of(complaint, unit, application.settings.timezone)
    units = await list_units(application.uow()) if actor.is_supervisor else []
    now, tz = application.clock.now(), application.settings.timezone
    return render(
        request,
        "complaint.html",
        c=complaint,
        card=card,
        unit_name=unit,
        offered=offered_actions(card, actor.is_supervisor),
        screening=complaint.screening or {},
        grounds=list(RejectionGround),
        cue_names={key: _cue_name(request, key) for key in _cues(complaint)},
        ground_names=", ".join(label_of(RejectionGround, g, t(request)) for g in card.grounds) or "—",
        max_days=application.settings.max_extension_working_days,
        phone=phone,
        units=units,
        pressable=actor.is_supervisor and press.can_press(complaint, now),
        pressed_today=press.pressed_on(complaint, local_date(now, tz).isoformat(), tz),
    )


@routes.get(f"/complaints/{NUMBER}")
async def complaint_page(request: web.Request) -> web.StreamResponse:
    actor = unit_desk(request)
    complaint = await svc.get_complaint(app_of(request).uow(), actor, request.match_info["number"])
    return await _page(request, actor, complaint)


@routes.post(f"/complaints/{NUMBER}/phone")
async def phone(request: web.Request) -> web.StreamResponse:
    """The full number, audited exactly like the chat's ☎ button
    (services.complaints.handling.reveal_phone)."""
    actor = unit_desk(request)
    application = app_of(request)
    number = request.match_info["number"]
    full = await svc.reveal_phone(application.uow(), application.clock, actor, number)
    complaint = await svc.get_complaint(application.uow(), actor, number)
    return await _page(request, actor, complaint, phone=full)


Said = tuple[str, dict[str, str]]  # what to tell the clerk: a msgid and its parameters
Act = Callable[[web.Request, Actor, str, dict[str, str]], Awaitable[Said]]


CUE_MSGIDS = {"time": N_("When it happened"), "service": N_("Service"), "document": N_("Certificate")}


def _cues(complaint: Complaint) -> list[str]:
    cues = (complaint.screening or {}).get("cues")
    return [str(key) for key in cues] if isinstance(cues, dict) else []


def _cue_name(request: web.Request, key: str) -> str:
    """Which screening rule a cue triggered, in words: a category, an Art.8 ground, or a detail found."""
    translate = t(request)
    for kind in (Category, RejectionGround):
        if key in {member.value for member in kind}:
            return label_of(kind, key, translate)
    return translate(CUE_MSGIDS[key]) if key in CUE_MSGIDS else key


def _day(request: web.Request, complaint: Complaint) -> str:
    if complaint.deadline_at is None:
        return "—"
    return local_date(complaint.deadline_at, app_of(request).settings.timezone).isoformat()


def _required(fields: dict[str, str], name: str) -> str:
    value = fields.get(name, "")
    if not value:
        raise ValidationFailed(N_("Please type your answer."))
    return value


async def _accept(request: web.Request, actor: Actor, number: str, fields: dict[str, str]) -> Said:
    application = app_of(request)
    accepted = await svc.accept_complaint(application.uow(), application.clock, actor, number)
    return N_("Accepted. The complainant is told. Deadline: {deadline}."), {
        "deadline": _day(request, accepted)
    }


async def _reject(request: web.Request, actor: Actor, number: str, fields: dict[str, str]) -> Said:
    application = app_of(request)
    ground = fields.get("ground", "")
    if ground not in {g.value for g in RejectionGround}:
        raise ValidationFailed(N_("Please choose one of the buttons."))
    reason = _required(fields, "reason")
    await svc.reject_complaint(
        application.uow(), application.clock, actor, number, RejectionGround(ground), reason
    )
    return N_("Not accepted. The complainant is told the ground and your reason."), {}


async def _return(request: web.Request, actor: Actor, number: str, fields: dict[str, str]) -> Said:
    application = app_of(request)
    await svc.return_misrouted(
        application.uow(), application.clock, actor, number, _required(fields, "reason")
    )
    return N_("Returned to the task force for re-routing."), {}


async def _extend(request: web.Request, actor: Actor, number: str, fields: dict[str, str]) -> Said:
    application = app_of(request)
    days = fields.get("days", "")
    if not days.isdigit():
        raise ValidationFailed(
            N_("An extension is 1 to {max_days} working days."),
            max_days=application.settings.max_extension_working_days,
        )
    reason = _required(fields, "reason")
    await svc.request_extension(application.uow(), application.clock, actor, number, int(days), reason)
    return N_("Extension requested. The task force decides; you will be told."), {}


async def _resolve(request: web.Request, actor: Actor, number: str, fields: dict[str, str]) -> Said:
    application = app_of(request)
    await svc.resolve_complaint(
        application.uow(), application.clock, actor, number, _required(fields, "result")
    )
    return N_("Resolved. The complainant is told the result and asked to rate it."), {}


async def _duplicate(request: web.Request, actor: Actor, number: str, fields: dict[str, str]) -> Said:
    application = app_of(request)
    original = _required(fields, "original").upper()
    await svc.mark_duplicate(application.uow(), application.clock, actor, number, original)
    return N_("Marked as a duplicate of {original}."), {"original": original}


async def _decide(request: web.Request, actor: Actor, number: str, fields: dict[str, str]) -> Said:
    task_force(request)
    application = app_of(request)
    approve = fields.get("approve") == "1"
    decided = await svc.decide_extension(application.uow(), application.clock, actor, number, approve)
    msgid = (
        N_("Extension approved. New deadline: {deadline}.")
        if approve
        else N_("Extension denied. The deadline stays {deadline}.")
    )
    return msgid, {"deadline": _day(request, decided)}


async def _route(request: web.Request, actor: Actor, number: str, fields: dict[str, str]) -> Said:
    task_force(request)
    application = app_of(request)
    code = _required(fields, "unit")
    await svc.route_complaint(application.uow(), application.clock, actor, number, code)
    return N_("Routed to {unit}. Its staff are told."), {
        "unit": await intake.unit_name(application.uow(), code) or code
    }


async def _press(request: web.Request, actor: Actor, number: str, fields: dict[str, str]) -> Said:
    """催办 (services/complaints/press.py, the same rule as the chat's button)."""
    task_force(request)
    application = app_of(request)
    done_press = await press.press_late_unit(
        application.uow(), application.clock, actor, number, fields.get("note", "")
    )
    if not done_press.staff_told:
        return N_("Recorded, but nobody of the unit is bound in chat: please phone them."), {}
    return N_("The unit is pressed ({days} working days late); its staff and the complainant are told."), {
        "days": str(done_press.working_days_late)
    }


ACTIONS: dict[str, Act] = {
    "accept": _accept,
    "reject": _reject,
    "return": _return,
    "extend": _extend,
    "resolve": _resolve,
    "duplicate": _duplicate,
    "decide-extension": _decide,
    "route": _route,
    "press": _press,
}


@routes.post(f"/complaints/{NUMBER}/{{action}}")
async def act(request: web.Request) -> web.StreamResponse:
    actor = unit_desk(request)
    action = ACTIONS.get(request.match_info["action"])
    number = request.match_info["number"]
    if action is None:
        raise web.HTTPNotFound()
    await svc.get_complaint(app_of(request).uow(), actor, number)  # not visible → the same 404 as missing
    msgid, params = await action(request, actor, number, await form(request))
    raise done(request, f"/complaints/{number}", t(request)(msgid, **params))


def setup(app: web.Application) -> None:
    app.router.add_routes(routes)
