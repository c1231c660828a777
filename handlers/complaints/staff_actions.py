"""What each staff button does, and the short dialogs behind them (a reason, a result, a number of days)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import replace

from handlers.complaints.case_card import due_state, render_case
from handlers.dialogs.chat_common import find_number, local_day
from handlers.dialogs.steps import prompt
from handlers.dispatch.routing import Context, HandlerResult
from handlers.types import Button, Reply
from nocert_core.clock import local_date
from nocert_core.domain.case_card import CaseCard
from nocert_core.domain.complaint_lifecycle import HANDLING_STATES, Action, ComplaintStatus, RejectionGround
from nocert_core.domain.complaints import Complaint
from nocert_core.domain.labels import label_for, label_of
from nocert_core.errors import IllegalTransition, ValidationFailed
from nocert_core.i18n import N_
from nocert_core.numbers import whole_number
from nocert_core.services.complaints import handling as svc
from nocert_core.services.complaints import intake
from nocert_core.services.platform.calendar import load_calendar

ButtonAction = Callable[[Context, str, list[str]], Awaitable[HandlerResult]]
STATES = ("st.reason", "st.extdays", "st.extreason", "st.dup")
ASK = {
    "rej": N_("Why is complaint {number} not accepted? Write the reason the complainant will read."),
    "ret": N_("Why is complaint {number} not for your unit? The task force will re-route it."),
    "res": N_("What is the result for complaint {number}? The complainant will read it."),
    "extreason": N_("Why does complaint {number} need {days} more working days?"),
    "extdays": N_("How many more working days does complaint {number} need (1–{max_days})?"),
    "dup": N_("Complaint {number} duplicates which earlier complaint? Type its number (TS-…)."),
}


async def show_case(ctx: Context, number: str, heading: str | None = None) -> Reply:
    complaint = await svc.get_complaint(ctx.uow(), ctx.actor, number)
    return await card(ctx, complaint, heading)


async def card(ctx: Context, complaint: Complaint, heading: str | None = None) -> Reply:
    unit = await intake.unit_name(ctx.uow(), complaint.unit_code)
    settings = ctx.app.settings
    case = CaseCard.of(complaint, unit, settings.timezone, settings.handling_working_days)
    due = None
    if complaint.status in HANDLING_STATES:
        tz = settings.timezone
        calendar = await load_calendar(ctx.uow())
        due = due_state(complaint.deadline_at, local_date(ctx.app.clock.now(), tz), calendar, tz)
    # The unit that registered it for a caller keeps a read-only view (docs/security.md, item 9).
    read_only = not ctx.actor.acts_for_unit(complaint.unit_code)
    if read_only:
        note = ctx.t(N_("Read only: your unit registered this complaint; another unit handles it."))
        heading = f"{heading}\n{note}" if heading else note
    return render_case(case, ctx.t, ctx.actor.is_supervisor, heading, due, read_only)


async def _stale(ctx: Context, number: str) -> HandlerResult:
    complaint = await svc.get_complaint(ctx.uow(), ctx.actor, number)
    note = ctx.t(
        N_("This button is out of date: the complaint is now “{status}”."),
        status=label_of(ComplaintStatus, complaint.status, ctx.t),
    )
    return replace(await card(ctx, complaint, heading=note), edit=True)  # the pressed card says so


async def _require(ctx: Context, number: str, action: Action) -> Complaint | None:
    complaint = await svc.get_complaint(ctx.uow(), ctx.actor, number)
    return complaint if action in complaint.allowed_actions() else None


async def open_case(ctx: Context, number: str, _: list[str]) -> HandlerResult:
    return await show_case(ctx, number)


async def accept(ctx: Context, number: str, _: list[str]) -> HandlerResult:
    try:
        done = await svc.accept_complaint(ctx.uow(), ctx.app.clock, ctx.actor, number)
    except IllegalTransition:
        return await _stale(ctx, number)
    heading = ctx.t(
        N_("Accepted. The complainant is told. Deadline: {deadline}."), deadline=card_deadline(ctx, done)
    )
    return await card(ctx, done, heading)


def card_deadline(ctx: Context, complaint: Complaint) -> str:
    return local_day(ctx, complaint.deadline_at)


async def phone(ctx: Context, number: str, _: list[str]) -> HandlerResult:
    full = await svc.reveal_phone(ctx.uow(), ctx.app.clock, ctx.actor, number)
    return ctx.reply(
        N_("Phone of the complainant of {number}: {phone}\n(This view is recorded.)"),
        number=number,
        phone=full,
    )


async def reject(ctx: Context, number: str, _: list[str]) -> HandlerResult:
    if await _require(ctx, number, Action.REJECT) is None:
        return await _stale(ctx, number)
    ctx.state.clear()
    ctx.state.set("st.ground", number=number)
    return await _ask_ground(ctx)


@prompt("st.ground")
async def _ask_ground(ctx: Context) -> HandlerResult:
    number = ctx.state.data["number"]
    rows = [[Button(label_for(g, ctx.t), f"@st:rg:{number}:{g.value}")] for g in RejectionGround]
    rows.append([Button(ctx.t(N_("✖ Cancel")), f"@st:stop:{number}")])
    return ctx.reply(
        N_("On which ground (R5 Art.8) is complaint {number} not accepted?"), rows, number=number
    )


async def ground_chosen(ctx: Context, number: str, rest: list[str]) -> HandlerResult:
    ground = rest[0] if rest else ""
    if ctx.state.name != "st.ground" or ground not in {g.value for g in RejectionGround}:
        return await _stale(ctx, number)
    ctx.state.set("st.reason", op="rej", ground=ground)
    return await _ask(ctx)


def _start(op: str, action: Action, state: str) -> ButtonAction:
    async def start(ctx: Context, number: str, _: list[str]) -> HandlerResult:
        complaint = await _require(ctx, number, action)
        if complaint is None or (op == "extdays" and complaint.extension_state.value != "none"):
            return await _stale(ctx, number)
        ctx.state.clear()
        ctx.state.set(state, number=number, op=op)
        return await _ask(ctx)

    return start


@prompt(*STATES)
async def _ask(ctx: Context) -> HandlerResult:
    data = ctx.state.data
    op = "extreason" if ctx.state.name == "st.extreason" else data["op"]
    text = ctx.t(
        ASK[op],
        number=data["number"],
        days=data.get("days", ""),
        max_days=ctx.app.settings.max_extension_working_days,
    )
    return Reply(text, [[Button(ctx.t(N_("✖ Cancel")), f"@st:stop:{data['number']}")]])


async def on_text(ctx: Context) -> HandlerResult:
    data, text = ctx.state.data, ctx.incoming.text.strip()
    number, op = data["number"], data.get("op")
    if ctx.state.name == "st.ground":
        raise ValidationFailed(N_("Please choose one of the buttons."))
    if not text:
        raise ValidationFailed(N_("Please type your answer."))
    if ctx.state.name == "st.extdays":
        days = whole_number(text)
        if days is None or not 1 <= days <= ctx.app.settings.max_extension_working_days:
            raise ValidationFailed(
                N_("An extension is 1 to {max_days} working days."),
                max_days=ctx.app.settings.max_extension_working_days,
            )
        ctx.state.set("st.extreason", days=days)
        return await _ask(ctx)
    uow, clock, actor = ctx.uow(), ctx.app.clock, ctx.actor
    if ctx.state.name == "st.extreason":
        done = await svc.request_extension(uow, clock, actor, number, int(data["days"]), text)
        heading = ctx.t(N_("Extension requested. The task force decides; you will be told."))
    elif ctx.state.name == "st.dup":
        original = find_number(text)
        if original is None:
            raise ValidationFailed(N_("Please type a complaint number like TS-2026-000123."))
        done = await svc.mark_duplicate(uow, clock, actor, number, original)
        heading = ctx.t(N_("Marked as a duplicate of {original}."), original=original)
    elif op == "rej":
        done = await svc.reject_complaint(uow, clock, actor, number, RejectionGround(data["ground"]), text)
        heading = ctx.t(N_("Not accepted. The complainant is told the ground and your reason."))
    elif op == "ret":
        done = await svc.return_misrouted(uow, clock, actor, number, text)
        heading = ctx.t(N_("Returned to the task force for re-routing."))
    else:
        done = await svc.resolve_complaint(uow, clock, actor, number, text)
        heading = ctx.t(N_("Resolved. The complainant is told the result and asked to rate it."))
    ctx.state.clear()
    return await card(ctx, done, heading)


async def stop(ctx: Context, number: str, _: list[str]) -> HandlerResult:
    ctx.state.clear()
    return await show_case(ctx, number, ctx.t(N_("Cancelled. Nothing was changed.")))


BUTTON_ACTIONS: dict[str, ButtonAction] = {
    "case": open_case,
    "acc": accept,
    "ph": phone,
    "rej": reject,
    "rg": ground_chosen,
    "ret": _start("ret", Action.RETURN_MISROUTED, "st.reason"),
    "res": _start("res", Action.RESOLVE, "st.reason"),
    "ext": _start("extdays", Action.REQUEST_EXTENSION, "st.extdays"),
    "dup": _start("dup", Action.MARK_DUPLICATE, "st.dup"),
    "stop": stop,
}
