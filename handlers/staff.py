"""Unit staff (and the task force) acting on complaints: /queue, /case, the assignment buttons (accept,
reject with an Art.8 ground and reason, return as misrouted, request an extension, resolve, mark duplicate,
view phone) and /register for complaints received by phone, letter, fax, SMS, e-mail or at the counter."""

from __future__ import annotations

from handlers import staff_actions as act
from handlers.chat_common import NUMBER_PATTERN, case_rows, find_number, local_day, menu_row
from handlers.complaint_intake import start_complaint
from handlers.routing import Context, HandlerResult, Router
from handlers.steps import edits_card
from nocert_core.domain.actors import Role
from nocert_core.domain.labels import label_for
from nocert_core.i18n import N_
from nocert_core.services import complaints as complaint_service
from nocert_core.services import web_access

router = Router("staff", roles=[Role.STAFF, Role.SUPERVISOR, Role.ADMIN])


@router.command("queue")
async def queue(ctx: Context) -> HandlerResult:
    found = await complaint_service.list_complaints(ctx.app.uow(), ctx.actor, open_only=True)
    if not found:
        return ctx.reply(N_("No open complaints. 🎉"), [menu_row(ctx.t)])
    rows = case_rows(
        found, lambda c: f"{c.number} · {local_day(ctx, c.deadline_at)} · {label_for(c.status, ctx.t)}"
    )
    return ctx.reply(N_("Open complaints by deadline ({count}):"), [*rows, menu_row(ctx.t)], count=len(found))


@router.command("case")
async def case(ctx: Context) -> HandlerResult:
    number = find_number(ctx.incoming.args)
    if number is None:
        return ctx.reply(N_("Which complaint? Send /case with its number, e.g. /case TS-2026-000123."))
    return await act.show_case(ctx, number)


@router.command("register")
async def register(ctx: Context) -> HandlerResult:
    return await start_complaint(ctx, {"channel": ""})


@router.command("web")
async def web_console(ctx: Context) -> HandlerResult:
    link = await web_access.issue_web_link(ctx.app.uow(), ctx.app.clock, ctx.actor)
    return ctx.reply(
        N_("Your sign-in link to the web console (valid {minutes} minutes, once; do not forward it):\n{url}"),
        minutes=link.minutes,
        url=link.url,
    )


@router.button("st")
async def on_button(ctx: Context) -> HandlerResult:
    parts = ctx.incoming.data.split(":")
    action = parts[1] if len(parts) > 1 else ""
    number = parts[2] if len(parts) > 2 else ""
    if action == "queue":
        return await queue(ctx)
    if action == "register":
        return await register(ctx)
    if not NUMBER_PATTERN.fullmatch(number):
        return ctx.reply(N_("This button is out of date."))
    handler = act.BUTTON_ACTIONS.get(action)
    if handler is None:
        return ctx.reply(N_("This button is out of date."))
    result = await handler(ctx, number, parts[3:])
    return edits_card(result) if action in EDITS_CARD else result


# Buttons whose answer is the same card, updated (the others keep the card and answer below it).
EDITS_CARD = frozenset({"acc", "rg", "stop"})


router.state(*act.STATES, "st.ground")(act.on_text)
