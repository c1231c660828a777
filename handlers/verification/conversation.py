"""Department verification in chat (R2 部门核验).

Requesting-unit staff start a request with /verify (issuing unit → service → proof → applicant → data to
check → summary → submit); the issuing unit's staff get it with buttons to register/accept it, record the
result (consistent, or inconsistent with details) or return it with a reason. /requests lists the unit's
open requests, sent and received; opening one is an audited view (R2 Art.10)."""

from __future__ import annotations

from handlers.dialogs.callbacks import first_text, pressed
from handlers.dialogs.chat_common import menu_row
from handlers.dialogs.steps import prompt
from handlers.dispatch.routing import Context, HandlerResult, Router
from handlers.types import Button, InputKind, Reply
from handlers.verification.notifications import buttons_for, card_text, issuer_buttons, status_label
from nocert_core.clock import local_date
from nocert_core.domain.actors import Role
from nocert_core.domain.verification import (
    MAX_FIELD,
    MAX_TEXT,
    IllegalVerificationTransition,
    VerificationRequest,
    VerificationResult,
    required,
)
from nocert_core.domain.verification import VerificationAction as VA
from nocert_core.errors import IllegalTransition, PermissionDenied, ValidationFailed
from nocert_core.i18n import N_
from nocert_core.services.complaints import intake
from nocert_core.services.verification import requests as svc

router = Router("verification", roles=[Role.STAFF, Role.SUPERVISOR])
CANCEL = "@vr:cancel"
LISTED = 20

# Dialog fields in order: state → (question, label, length limit).
FIELDS = {
    "vr.service": (N_("Which government service is the applicant applying for?"), N_("Service"), MAX_FIELD),
    "vr.proof": (
        N_("Which proof or certificate should the issuing unit verify?"),
        N_("Proof to verify"),
        MAX_FIELD,
    ),
    "vr.applicant": (N_("The applicant's name?"), N_("Applicant"), MAX_FIELD),
    "vr.data": (
        N_(
            "What should be checked? Send what the applicant filled in (only what this service strictly "
            "needs)."
        ),
        N_("Data to check"),
        MAX_TEXT,
    ),
}
ORDER = ["vr.unit", *FIELDS, "vr.summary"]
NEEDS = {"vr.details": VA.VERIFY, "vr.reason": VA.RETURN, "vr.material": VA.REQUEST_MATERIAL}
ACTION_PROMPTS = {
    "vr.details": N_("What does not match? The requesting unit will see this."),
    "vr.reason": N_("Why is it returned? Say why it is outside your unit's duty."),
    "vr.material": N_("What did you ask the applicant for? (Recorded with the request, R2 Art.9.)"),
}


def _cancel_row(ctx: Context) -> list[Button]:
    return [Button(ctx.t(N_("✖ Cancel")), CANCEL)]


def _text(ctx: Context) -> str:
    return ctx.incoming.text.strip() if ctx.incoming.kind == InputKind.TEXT else ""


# ---- the requesting unit: /verify -----------------------------------------------------------------------
@router.command("verify")
async def start(ctx: Context) -> HandlerResult:
    if ctx.actor.role != Role.STAFF or not ctx.actor.unit_code:
        return ctx.reply(N_("Only staff of a unit can start a verification request."))
    ctx.state.clear()
    ctx.state.set("vr.unit", draft={})
    intro = ctx.reply(
        N_(
            "A verification request asks another unit to check a proof, so the applicant need not bring "
            "it (R2). I will ask 5 short questions."
        )
    )
    return [intro, *await _ask(ctx)]


async def _ask(ctx: Context) -> list[Reply]:
    """The current step's question (also what the dispatcher re-shows after an error)."""
    name = ctx.state.name or ""
    if name == "vr.unit":
        rows = [[Button(n, f"@vr:unit:{c}")] for c, n in ctx.state.data.get("candidates", [])]
        return [ctx.reply(N_("Which unit issues the proof? Send its name."), [*rows, _cancel_row(ctx)])]
    if name in FIELDS:
        return [ctx.reply(FIELDS[name][0], [_cancel_row(ctx)])]
    if name == "vr.summary":
        draft = ctx.state.data["draft"]
        lines = [
            ctx.t(N_("Please check the request:")),
            ctx.t(N_("To: {unit}"), unit=draft["unit_name"]),
            ctx.t(N_("Service: {text}"), text=draft["service"]),
            ctx.t(N_("Proof to verify: {text}"), text=draft["proof"]),
            ctx.t(N_("Applicant: {text}"), text=draft["applicant"]),
            ctx.t(N_("Data to check: {text}"), text=draft["data"]),
        ]
        buttons = [[Button(ctx.t(N_("✅ Submit")), "@vr:submit")], _cancel_row(ctx)]
        return [Reply("\n".join(lines), buttons=buttons)]
    if name in ACTION_PROMPTS:
        return [ctx.reply(ACTION_PROMPTS[name], [_cancel_row(ctx)])]
    return []


prompt(*ORDER, *ACTION_PROMPTS)(_ask)


@router.state("vr.unit")
async def on_unit(ctx: Context) -> HandlerResult:
    text = required(_text(ctx), N_("Unit"), MAX_FIELD)
    own = ctx.actor.unit_code
    matches = [m for m in await intake.find_units(ctx.uow(), text) if m.code != own]
    if len(matches) == 1:
        return await _set_unit(ctx, matches[0].code, matches[0].name)
    ctx.state.data["candidates"] = [[m.code, m.name] for m in matches]
    if not matches:
        return [
            ctx.reply(N_("No unit matches “{text}”. Try its code or full name."), text=text),
            *await _ask(ctx),
        ]
    return [ctx.reply(N_("Please pick the unit:")), *await _ask(ctx)]


async def _set_unit(ctx: Context, code: str, name: str) -> HandlerResult:
    ctx.state.data["draft"].update(unit_code=code, unit_name=name)
    ctx.state.data.pop("candidates", None)
    ctx.state.name = "vr.service"
    return [ctx.reply(N_("Noted: {unit}."), unit=name), *await _ask(ctx)]


@router.state(*FIELDS)
async def on_field(ctx: Context) -> HandlerResult:
    name = ctx.state.name or ""
    _, label, limit = FIELDS[name]
    ctx.state.data["draft"][name.removeprefix("vr.")] = required(_text(ctx), label, limit)
    ctx.state.name = ORDER[ORDER.index(name) + 1]
    return await _ask(ctx)


@router.state("vr.summary")
async def on_text_at_summary(ctx: Context) -> HandlerResult:
    return [ctx.reply(N_("Please use the buttons below.")), *await _ask(ctx)]


async def _submit(ctx: Context) -> HandlerResult:
    draft = ctx.state.data["draft"]
    request = await svc.create_request(
        ctx.uow(),
        ctx.app.clock,
        ctx.actor,
        draft["unit_code"],
        draft["service"],
        draft["proof"],
        draft["applicant"],
        draft["data"],
    )
    ctx.state.clear()
    return ctx.reply(
        N_(
            "Verification request {number} sent to {unit}. Time limit: {day}. "
            "You will be told the result here."
        ),
        [menu_row(ctx.t)],
        number=request.number,
        unit=draft["unit_name"],
        day=_day(ctx, request),
    )


def _day(ctx: Context, request: VerificationRequest) -> str:
    return local_date(request.deadline_at, ctx.app.settings.timezone).isoformat()


# ---- /requests and opening one --------------------------------------------------------------------------
@router.command("requests")
async def requests(ctx: Context) -> HandlerResult:
    found = await svc.list_requests(ctx.uow(), ctx.actor, open_only=True)
    if not found:
        return ctx.reply(N_("No open verification requests."), [menu_row(ctx.t)])
    now = ctx.app.clock.now()
    unit = ctx.actor.unit_code
    rows = []
    for request in found[:LISTED]:
        if unit is None:  # the task force: both units
            route = f"{request.requesting_unit_code} → {request.issuing_unit_code}"
        elif request.requesting_unit_code == unit:
            route = f"→ {request.issuing_unit_code}"
        else:
            route = f"← {request.requesting_unit_code}"
        late = " 🔴" if request.is_overdue(now) else ""
        label = f"{request.number} {route} · {request.proof[:16]} · {_day(ctx, request)}{late}"
        rows.append([Button(label, f"vr:open:{request.number}")])
    heading = (
        N_("Open verification requests ({count}); → sent, ← received:")
        if unit
        else N_("Open verification requests ({count}):")
    )
    return ctx.reply(heading, [*rows, menu_row(ctx.t)], count=len(found))


async def _open(ctx: Context, number: str) -> HandlerResult:
    request = await svc.get_request(ctx.uow(), ctx.app.clock, ctx.actor, number, "chat")
    return await _card(ctx, request)


async def _card(ctx: Context, request: VerificationRequest) -> Reply:
    async with ctx.uow() as uow:
        fields = await svc.card(uow, request)
    issuing = ctx.actor.role == Role.STAFF and ctx.actor.unit_code == request.issuing_unit_code
    requesting = ctx.actor.role == Role.STAFF and ctx.actor.unit_code == request.requesting_unit_code
    allowed = request.allowed_actions() if issuing or requesting else set()
    return Reply(card_text(fields, ctx.t), buttons=buttons_for(request.number, ctx.t, allowed, issuing))


# ---- buttons: the dialog's and the actions on a request -------------------------------------------------
@router.button("vr")
async def on_button(ctx: Context) -> HandlerResult:
    cb = pressed(ctx)
    action, arg = cb.action, first_text(cb)
    if action == "cancel":
        ctx.state.clear()
        return ctx.reply(N_("Cancelled. Nothing was changed."), [menu_row(ctx.t)])
    if action == "start":  # the staff menu's button: same as /verify
        return await start(ctx)
    if action == "list":  # the menu's button: same as /requests
        return await requests(ctx)
    if action == "unit" and ctx.state.name == "vr.unit":
        names = dict(ctx.state.data.get("candidates", []))
        if arg in names:
            return await _set_unit(ctx, arg, names[arg])
    if action == "submit" and ctx.state.name == "vr.summary":
        return await _submit(ctx)
    if action in ACTIONS and arg:
        try:
            return await ACTIONS[action](ctx, arg)
        except IllegalTransition:
            return await _already(ctx, arg)
    return [ctx.reply(N_("This button is out of date.")), *await _ask(ctx)]


async def _already(ctx: Context, number: str) -> HandlerResult:
    """A colleague (or an earlier press) got there first: say where the request is now."""
    ctx.state.clear()
    request = await svc.get_request(ctx.uow(), ctx.app.clock, ctx.actor, number, "chat")
    note = ctx.reply(
        N_("Request {number} is now: {state}. Nothing was changed."),
        number=request.number,
        state=status_label(request.status.value, ctx.t),
    )
    return [note, await _card(ctx, request)]


async def _accept(ctx: Context, number: str) -> HandlerResult:
    request = await svc.accept_request(ctx.uow(), ctx.app.clock, ctx.actor, number)
    return ctx.reply(
        N_("Request {number} is registered and accepted. Please verify it by {day}."),
        issuer_buttons(request.number, ctx.t, accepted=True),
        number=request.number,
        day=_day(ctx, request),
    )


async def _consistent(ctx: Context, number: str) -> HandlerResult:
    request = await svc.verify_request(
        ctx.uow(), ctx.app.clock, ctx.actor, number, VerificationResult.CONSISTENT
    )
    return ctx.reply(
        N_("Recorded: request {number} is verified as consistent. The requesting unit is told."),
        number=request.number,
    )


async def _ask_for(ctx: Context, number: str, state: str) -> HandlerResult:
    """Text comes next (details, reason, note): check first that this user may give it now."""
    action = NEEDS[state]
    request = await svc.get_request(ctx.uow(), ctx.app.clock, ctx.actor, number, f"chat:{action.value}")
    side = request.requesting_unit_code if action == VA.REQUEST_MATERIAL else request.issuing_unit_code
    if ctx.actor.role != Role.STAFF or ctx.actor.unit_code != side:
        raise PermissionDenied()
    allowed = request.allowed_actions()
    if action not in allowed and not (action == VA.VERIFY and VA.ACCEPT in allowed):
        raise IllegalVerificationTransition(status=request.status, action=action)
    ctx.state.clear()
    ctx.state.set(state, number=request.number)
    return await _ask(ctx)


async def _inconsistent(ctx: Context, number: str) -> HandlerResult:
    return await _ask_for(ctx, number, "vr.details")


async def _return(ctx: Context, number: str) -> HandlerResult:
    return await _ask_for(ctx, number, "vr.reason")


async def _material(ctx: Context, number: str) -> HandlerResult:
    return await _ask_for(ctx, number, "vr.material")


async def _withdraw(ctx: Context, number: str) -> HandlerResult:
    request = await svc.withdraw_request(ctx.uow(), ctx.app.clock, ctx.actor, number)
    return ctx.reply(N_("Request {number} is withdrawn; the issuing unit is told."), number=request.number)


ACTIONS = {
    "open": _open,
    "acc": _accept,
    "ok": _consistent,
    "bad": _inconsistent,
    "ret": _return,
    "wd": _withdraw,
    "mat": _material,
}


@router.state(*ACTION_PROMPTS)
async def on_action_text(ctx: Context) -> HandlerResult:
    text = _text(ctx)
    if not text:
        raise ValidationFailed(N_("Please type your answer."))
    number = ctx.state.data["number"]
    try:
        return await _answer(ctx, number, text)
    except IllegalTransition:
        return await _already(ctx, number)


async def _answer(ctx: Context, number: str, text: str) -> HandlerResult:
    uow, clock = ctx.uow(), ctx.app.clock
    if ctx.state.name == "vr.details":
        request = await svc.verify_request(
            uow, clock, ctx.actor, number, VerificationResult.INCONSISTENT, text
        )
        msgid = N_("Recorded: request {number} is not consistent. The requesting unit is told.")
    elif ctx.state.name == "vr.reason":
        request = await svc.return_request(uow, clock, ctx.actor, number, text)
        msgid = N_("Request {number} is returned with your reason. The requesting unit is told.")
    else:
        request = await svc.record_material_request(uow, clock, ctx.actor, number, text)
        msgid = N_("Recorded with request {number}: the applicant was asked for more material.")
    ctx.state.clear()
    return ctx.reply(msgid, [menu_row(ctx.t)], number=request.number)
