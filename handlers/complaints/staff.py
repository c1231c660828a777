"""Unit staff (and the task force) acting on complaints: /queue, /case, the assignment buttons (accept,
reject with an Art.8 ground and reason, return as misrouted, request an extension, resolve, mark duplicate,
view phone) and /register for complaints received by phone, letter, fax, SMS, e-mail or at the counter."""

from __future__ import annotations

from datetime import date, datetime

from handlers.complaints import staff_actions as act
from handlers.complaints.case_card import due_state, due_text
from handlers.complaints.intake import start_complaint
from handlers.dialogs.callbacks import pressed
from handlers.dialogs.chat_common import case_rows, find_number, local_day, menu_row
from handlers.dialogs.steps import edits_card
from handlers.dispatch.routing import Context, HandlerResult, Router
from nocert_core.clock import local_date
from nocert_core.domain.actors import Role
from nocert_core.domain.calendar import WorkingDayCalendar
from nocert_core.domain.labels import label_for
from nocert_core.i18n import N_
from nocert_core.services.access import web_access
from nocert_core.services.complaints import handling as complaint_service
from nocert_core.services.platform.calendar import load_calendar

router = Router("staff", roles=[Role.STAFF, Role.SUPERVISOR, Role.ADMIN])


@router.command("queue")
async def queue(ctx: Context) -> HandlerResult:
    found = await complaint_service.list_complaints(ctx.uow(), ctx.actor, open_only=True)
    if not found:
        return ctx.reply(N_("No open complaints. 🎉"), [menu_row(ctx.t)])
    calendar = await load_calendar(ctx.uow())
    today = local_date(ctx.app.clock.now(), ctx.app.settings.timezone)
    found = sorted(found, key=lambda c: (c.deadline_at is None, c.deadline_at or c.registered_at, c.number))
    rows = case_rows(
        found,
        lambda c: " · ".join(
            part
            for part in (
                c.number,
                local_day(ctx, c.deadline_at) if c.deadline_at else "",
                due_mark(ctx, c.deadline_at, today, calendar),
                label_for(c.status, ctx.t),
            )
            if part
        ),
    )
    return ctx.reply(N_("Open complaints by deadline ({count}):"), [*rows, menu_row(ctx.t)], count=len(found))


def due_mark(ctx: Context, deadline: datetime | None, today: date, calendar: WorkingDayCalendar) -> str:
    """⛔ overdue by N working days, ⚠ due today, ⏰ due on the next working day; '' otherwise."""
    return due_text(due_state(deadline, today, calendar, ctx.app.settings.timezone), ctx.t)


@router.command("case")
async def case(ctx: Context) -> HandlerResult:
    year = local_date(ctx.app.clock.now(), ctx.app.settings.timezone).year
    number = find_number(ctx.incoming.args, year)
    if number is None:
        return ctx.reply(N_("Which complaint? Send /case with its number, e.g. /case TS-2026-000123."))
    return await act.show_case(ctx, number)


@router.command("register")
async def register(ctx: Context) -> HandlerResult:
    return await start_complaint(ctx, {"channel": ""})


@router.command("web")
async def web_console(ctx: Context) -> HandlerResult:
    link = await web_access.issue_web_link(ctx.uow(), ctx.app.clock, ctx.actor)
    return ctx.reply(
        N_("Your sign-in link to the web console (valid {minutes} minutes, once; do not forward it):\n{url}"),
        minutes=link.minutes,
        url=link.url,
    )


@router.button("st")
async def on_button(ctx: Context) -> HandlerResult:
    cb = pressed(ctx)
    if cb.action == "queue":
        return await queue(ctx)
    if cb.action == "register":
        return await register(ctx)
    result = await act.BUTTON_ACTIONS[cb.action](ctx, cb.text(0), [str(value) for value in cb.values[1:]])
    return edits_card(result) if cb.action in EDITS_CARD else result


# Buttons whose answer is the same card, updated (the others keep the card and answer below it).
EDITS_CARD = frozenset({"acc", "rg", "stop"})


router.state(*act.STATES, "st.ground")(act.on_text)
