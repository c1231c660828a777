"""The task force: route complaints no unit was found for (or returned as misrouted), approve or deny
extension requests, and answer a late case: press the unit (催办), a rectification notice, reassign."""

from __future__ import annotations

from handlers.complaints.staff_actions import card, show_case
from handlers.dialogs.callbacks import pressed
from handlers.dialogs.chat_common import case_rows, local_day, menu_row
from handlers.dialogs.steps import edits_card, prompt
from handlers.dispatch.routing import Context, HandlerResult, Router
from handlers.types import Button, Reply
from nocert_core.domain.actors import Role
from nocert_core.domain.complaint_lifecycle import Action
from nocert_core.domain.labels import label_for
from nocert_core.errors import DomainError, ValidationFailed
from nocert_core.i18n import N_
from nocert_core.services.complaints import handling as svc
from nocert_core.services.complaints import intake, press

router = Router("supervisor_routing", roles=[Role.SUPERVISOR, Role.ADMIN])


@router.command("unrouted")
async def unrouted(ctx: Context) -> HandlerResult:
    found = await svc.awaiting_task_force(ctx.uow(), ctx.actor)
    if not found:
        return ctx.reply(N_("Nothing waits for the task force. 🎉"), [menu_row(ctx.t)])
    rows = case_rows(
        found, lambda c: f"{c.number} · {label_for(c.status, ctx.t)} · {local_day(ctx, c.registered_at)}"
    )
    return ctx.reply(
        N_("Waiting for the task force ({count}): routing or extension decisions."),
        [*rows, menu_row(ctx.t)],
        count=len(found),
    )


@router.button("sv")
async def on_button(ctx: Context) -> HandlerResult:
    cb = pressed(ctx)
    action = cb.action
    if action == "unrouted":
        return await unrouted(ctx)
    number = cb.text(0)
    if action in ("xok", "xno"):
        return await _decide(ctx, number, approve=action == "xok")
    if action == "route":
        complaint = await svc.get_complaint(ctx.uow(), ctx.actor, number)
        if Action.ROUTE not in complaint.allowed_actions() or complaint.unit_code is not None:
            return await card(ctx, complaint, ctx.t(N_("This button is out of date.")))
        ctx.state.clear()
        screened: list[dict[str, str]] = list((complaint.screening or {}).get("unit_candidates") or [])  # type: ignore[call-overload]
        candidates = [[c["code"], c["name"]] for c in screened][:6]
        ctx.state.set("sv.unit", number=number, candidates=candidates)
        return await _ask_unit(ctx)
    if action == "urge":
        done = await press.press_late_unit(ctx.uow(), ctx.app.clock, ctx.actor, number)
        unit = await intake.unit_name(ctx.uow(), done.unit_code)
        msgid = (
            N_("Pressed {unit} about {number}: its staff are told, and it is recorded in the case history.")
            if done.staff_told
            else N_("Recorded. Nobody of {unit} is bound in chat: please phone the unit about {number}.")
        )
        heading = ctx.t(msgid, unit=unit or done.unit_code, number=number)
        return edits_card(await show_case(ctx, number, heading))
    if action == "rect":
        complaint = await svc.get_complaint(ctx.uow(), ctx.actor, number)
        if complaint.unit_code is None:
            return await card(ctx, complaint, ctx.t(N_("This button is out of date.")))
        return await notice_for_case(ctx, complaint.unit_code, number)
    if action == "move":
        complaint = await svc.get_complaint(ctx.uow(), ctx.actor, number)
        if Action.ROUTE not in complaint.allowed_actions() or complaint.unit_code is None:
            return await card(ctx, complaint, ctx.t(N_("This button is out of date.")))
        ctx.state.clear()
        ctx.state.set("sv.unit", number=number, candidates=[], move=True)
        return await _ask_unit(ctx)
    if action == "to":
        return await _route(ctx, number, cb.text(1))
    if action == "stop":
        ctx.state.clear()
        return await show_case(ctx, number, ctx.t(N_("Cancelled. Nothing was changed.")))
    return ctx.reply(N_("This button is out of date."))


@prompt("sv.unit")
async def _ask_unit(ctx: Context) -> HandlerResult:
    number = ctx.state.data["number"]
    rows = [[Button(name, f"@sv:to:{number}:{code}")] for code, name in ctx.state.data.get("candidates", [])]
    rows.append([Button(ctx.t(N_("✖ Cancel")), f"@sv:stop:{number}")])
    msgid = (
        N_("Reassign complaint {number} to which unit? Type a unit name or code.")
        if ctx.state.data.get("move")
        else N_("Route complaint {number} to which unit? Choose one, or type a unit name or code.")
    )
    return Reply(ctx.t(msgid, number=number), rows)


@router.state("sv.unit")
async def on_unit_text(ctx: Context) -> HandlerResult:
    text = ctx.incoming.text.strip()
    if len(text) < 2:
        raise ValidationFailed(N_("Please type a unit name or code."))
    matches = await intake.find_units(ctx.uow(), text)
    if not matches:
        raise ValidationFailed(N_("No unit matches “{text}”. Try another name or the unit code."), text=text)
    ctx.state.data["candidates"] = [[m.code, m.name] for m in matches]
    return await _ask_unit(ctx)


async def _route(ctx: Context, number: str, unit_code: str) -> HandlerResult:
    if ctx.state.name != "sv.unit" or ctx.state.data.get("number") != number:
        return [ctx.reply(N_("This button is out of date.")), await show_case(ctx, number)]
    done = await svc.route_complaint(ctx.uow(), ctx.app.clock, ctx.actor, number, unit_code)
    ctx.state.clear()
    unit = await intake.unit_name(ctx.uow(), unit_code)
    return await card(ctx, done, ctx.t(N_("Routed to {unit}. Its staff are told."), unit=unit or unit_code))


async def notice_for_case(ctx: Context, unit_code: str, number: str) -> HandlerResult:
    """A rectification notice from a late case: the unit and the complaint are known, the issue is asked."""
    from handlers.oversight.supervision import ask_notice

    ctx.state.clear()
    ctx.state.set("rect.issue", unit=unit_code, complaints=[number])
    return await ask_notice(ctx)


async def _decide(ctx: Context, number: str, approve: bool) -> HandlerResult:
    try:
        done = await svc.decide_extension(ctx.uow(), ctx.app.clock, ctx.actor, number, approve)
    except DomainError:
        complaint = await svc.get_complaint(ctx.uow(), ctx.actor, number)
        return await card(
            ctx, complaint, ctx.t(N_("This button is out of date: there is no pending extension request."))
        )
    msgid = (
        N_("Extension approved. New deadline: {deadline}.")
        if approve
        else N_("Extension denied. The deadline stays {deadline}.")
    )
    return await card(ctx, done, ctx.t(msgid, deadline=local_day(ctx, done.deadline_at)))
