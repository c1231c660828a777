"""Supervision in chat (R5 Art.13, R4 Art.8–9): /overdue, /stats, /report for the task force, and
rectification notices — a supervisor issues one (unit → issue → requirement → deadline), the unit's
staff report on it, the supervisor accepts or sends it back, and confirms the follow-up check (回头看)."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, timedelta

from handlers.dialogs.callbacks import first_text, pressed
from handlers.dialogs.steps import prompt
from handlers.dispatch.routing import Context, HandlerResult, Router
from handlers.types import Attachment, Button, InputKind, Reply
from nocert_core.clock import local_date
from nocert_core.domain.actors import Role
from nocert_core.domain.calendar import WorkingDayCalendar
from nocert_core.domain.complaint_lifecycle import ComplaintStatus
from nocert_core.domain.complaints import Category
from nocert_core.domain.labels import label_for, label_of
from nocert_core.domain.rectification import (
    AWAITING_REPORT,
    DEFAULT_RETURN_WORKING_DAYS,
    RectificationStatus,
)
from nocert_core.i18n import N_
from nocert_core.numbers import whole_number
from nocert_core.services.oversight import rectification as rect
from nocert_core.services.oversight.dashboard import due_board
from nocert_core.services.oversight.report_export import CHART_CAPTIONS, export_report_in_worker, scratch_dir
from nocert_core.services.oversight.reports import UNROUTED, build_report, counts_since, percent, period_for

router = Router("supervision", roles=[Role.SUPERVISOR, Role.ADMIN])
staff_router = Router("supervision_staff", roles=[Role.STAFF])
CANCEL = "rect:cancel"


@router.command("overdue")
async def overdue(ctx: Context) -> HandlerResult:
    board = await due_board(ctx.uow, ctx.app.clock, ctx.actor)
    if board.is_empty():
        return ctx.reply(N_("No complaint is overdue or due today or on the next working day. 🎉"))
    buckets = (
        (ctx.t(N_("🔴 Overdue")), board.overdue),
        (ctx.t(N_("⏳ Due today")), board.due_today),
        (
            ctx.t(N_("📅 Due on the next working day ({day})"), day=board.next_working_day.isoformat()),
            board.due_next,
        ),
    )
    lines: list[str] = []
    for title, items in buckets:
        if not items:
            continue
        lines.append(title)
        by_unit: dict[str, list[str]] = defaultdict(list)
        for item in items:
            by_unit[item.unit_name].append(f"{item.number} ({item.deadline.isoformat()})")
        for unit, numbers in sorted(by_unit.items()):
            lines.append(f"• {unit}: {', '.join(numbers)}")
    late = sorted(board.overdue, key=lambda item: (-item.working_days_late, item.number))
    if late:  # the latest first, each with its unit and how late, and a button to its case
        lines += ["", ctx.t(N_("Most overdue first:"))]
        lines += [
            "· "
            + ctx.t(
                N_("{number} · {unit} · {days} working days late"),
                number=item.number,
                unit=item.unit_name,
                days=item.working_days_late,
            )
            for item in late[:15]
        ]
    buttons = [
        [Button(f"⛔ {item.number} · {item.unit_name}", f"st:case:{item.number}")] for item in late[:8]
    ]
    return Reply("\n".join(lines), buttons)


@router.button("svm")
async def menu_item(ctx: Context) -> HandlerResult:
    """The task force's menu items for what used to be only slash commands."""
    pages = {"overdue": overdue, "stats": stats, "report": report, "notices": notices}
    return await pages[pressed(ctx).action](ctx)


async def _unit_names(ctx: Context) -> dict[str, str]:
    async with ctx.uow() as uow:
        return {unit.code: unit.name for unit in await uow.units.list()}


async def _calendar(ctx: Context) -> WorkingDayCalendar:
    async with ctx.uow() as uow:
        return await uow.calendar.load()


@router.command("stats")
async def stats(ctx: Context) -> HandlerResult:
    today = local_date(ctx.app.clock.now(), ctx.app.settings.timezone)
    lines: list[str] = []
    for title, start in (
        (N_("This week (since {day})"), today - timedelta(days=today.weekday())),
        (N_("This month (since {day})"), today.replace(day=1)),
    ):
        counts = await counts_since(ctx.uow, start)
        lines.append(ctx.t(title, day=start.isoformat()) + f": {counts.total}")
        units = [
            (ctx.t(N_("not yet routed")) if name == UNROUTED else name, n)
            for name, n in counts.by_unit.most_common(8)
        ]
        lines.append(ctx.t(N_("By unit: {items}"), items=_join(units)))
        categories = [(label_of(Category, key, ctx.t), n) for key, n in counts.by_category.most_common()]
        lines.append(ctx.t(N_("By category: {items}"), items=_join(categories)))
        statuses = [(label_of(ComplaintStatus, key, ctx.t), n) for key, n in counts.by_status.most_common()]
        lines.append(ctx.t(N_("By state: {items}"), items=_join(statuses)))
    return Reply("\n".join(lines))


def _join(items: list[tuple[str, int]]) -> str:
    return "；".join(f"{name} {count}" for name, count in items) or "—"


@router.command("report")
async def report(ctx: Context) -> HandlerResult:
    """This week's report (or `/report month`): a summary, three charts and the workbook."""
    name = "month" if ctx.incoming.args.strip().lower().startswith("m") else "week"
    period = period_for(name, local_date(ctx.app.clock.now(), ctx.app.settings.timezone))
    built = await build_report(ctx.uow, ctx.app.clock, period)
    files = await export_report_in_worker(built, scratch_dir(), ctx.t.locale)
    total = built.total()
    summary = ctx.reply(
        N_(
            "📈 Report {period}: {received} received, {resolved} resolved, on-time rate {on_time}, "
            "{overdue} overdue now."
        ),
        period=period.label(),
        received=total.received,
        resolved=total.resolved,
        on_time=percent(total.on_time_rate),
        overdue=total.overdue_now,
    )
    replies = [summary]
    for key, path, kind in (
        ("complaints", files.complaints_chart, "photo"),
        ("on_time", files.on_time_chart, "photo"),
        ("trend", files.trend_chart, "photo"),
        ("workbook", files.workbook, "document"),
    ):
        caption = ctx.t(CHART_CAPTIONS[key])  # on the file itself, not again as a message before it
        replies.append(Reply("", attachment=Attachment(path, kind=kind, caption=caption)))
    return replies


# ---- rectification notices: the supervisor's side ---------------------------------------------------
@router.command("rectify")
async def rectify(ctx: Context) -> HandlerResult:
    ctx.state.clear()
    ctx.state.set("rect.unit")
    return await _ask(ctx)


@prompt("rect.unit", "rect.issue", "rect.req", "rect.days", "rect.reason", "rect.report")
async def _ask(ctx: Context) -> HandlerResult:
    questions = {
        "rect.unit": N_("Which unit is the rectification notice for? Send its code or name."),
        "rect.issue": N_("What is the issue? Describe the problem found."),
        "rect.req": N_("What must the unit do (the requirement)?"),
        "rect.days": N_("Deadline in working days (1–60)?"),
        "rect.reason": N_("Why is it sent back? (The unit will see this.)"),
        "rect.report": N_("Please write your rectification report: what was done, and since when."),
    }
    cancel = [Button(ctx.t(N_("✖ Cancel")), CANCEL)]
    if ctx.state.name == "rect.days" and ctx.state.data.get("op") in ("return", "reopen"):
        days = DEFAULT_RETURN_WORKING_DAYS
        default = Button(ctx.t(N_("{days} working days"), days=days), f"@rect:days:{days}")
        return ctx.reply(
            N_("New deadline in working days (1–60)? Usually {days}: press the button or send a number."),
            [[default], cancel],
            days=days,
        )
    msgid = questions.get(ctx.state.name or "", questions["rect.unit"])
    return ctx.reply(msgid, [cancel])


ask_notice = _ask  # the next question of a notice started elsewhere (from a late case's button)


def _text(ctx: Context) -> str | None:
    text = ctx.incoming.text.strip() if ctx.incoming.kind == InputKind.TEXT else ""
    return text or None


@router.state("rect.unit", "rect.issue", "rect.req", "rect.days", "rect.reason")
async def on_supervisor_text(ctx: Context) -> HandlerResult:
    text = _text(ctx)
    if text is None:
        return await _ask(ctx)
    name = ctx.state.name
    if name == "rect.unit":
        async with ctx.uow() as uow:
            units = list(await uow.units.list())
        exact = [u for u in units if text.upper() == u.code.upper() or text in u.names()]
        found = exact or [u for u in units if text in u.name]
        if len(found) != 1:
            rows = [[Button(u.name, f"rect:unit:{u.code}")] for u in found[:8]]
            return ctx.reply(
                N_("Please pick the unit:")
                if found
                else N_("No unit matches “{text}”. Try its code or full name."),
                [*rows, [Button(ctx.t(N_("✖ Cancel")), CANCEL)]],
                text=text,
            )
        ctx.state.set("rect.issue", unit=found[0].code)
    elif name == "rect.issue":
        ctx.state.set("rect.req", issue=text)
    elif name == "rect.req":
        ctx.state.set("rect.days", requirement=text)
    elif name == "rect.days":
        days = whole_number(text)
        if days is None or not 1 <= days <= 60:
            return ctx.reply(N_("Please send a whole number of working days from 1 to 60."))
        return await _with_deadline(ctx, days)
    elif name == "rect.reason":
        ctx.state.set("rect.days", reason=text)
    return await _ask(ctx)


async def _with_deadline(ctx: Context, working_days: int) -> HandlerResult:
    """The last step: issue the notice, or send it back / reopen it, with this many working days."""
    data = ctx.state.data
    op = data.get("op")
    if op in ("return", "reopen"):
        change = rect.return_rectification if op == "return" else rect.reopen_rectification
        notice = await change(
            ctx.uow(), ctx.app.clock, ctx.actor, data["notice"], data["reason"], working_days
        )
        ctx.state.clear()
        msgid = (
            N_("Sent back. New deadline: {deadline}.")
            if op == "return"
            else N_("Reopened. New deadline: {deadline}.")
        )
        return ctx.reply(msgid, deadline=_day(ctx, notice.deadline_at))
    notice = await rect.issue_notice(
        ctx.uow(),
        ctx.app.clock,
        ctx.actor,
        data["unit"],
        data["issue"],
        data["requirement"],
        working_days,
        complaint_numbers=data.get("complaints"),
    )
    ctx.state.clear()
    return ctx.reply(
        N_("Rectification notice {notice} issued to {unit}, due {deadline}. The unit's staff are notified."),
        notice=notice.number,
        unit=notice.unit_code,
        deadline=_day(ctx, notice.deadline_at),
    )


def _day(ctx: Context, instant: datetime | None) -> str:
    return (
        local_date(instant, ctx.app.settings.timezone).isoformat() if isinstance(instant, datetime) else "—"
    )


@router.command("notices")
@staff_router.command("notices")
async def notices(ctx: Context) -> HandlerResult:
    found = await rect.list_notices(ctx.uow(), ctx.actor)
    open_ones = [n for n in found if n.status != RectificationStatus.CLOSED]
    if not open_ones:
        return ctx.reply(N_("No open rectification notices."))
    now = ctx.app.clock.now()
    lines = [ctx.t(N_("Open rectification notices ({count}):"), count=len(open_ones))]
    for notice in open_ones[:30]:
        late = " 🔴" if notice.is_overdue(now) else ""
        lines.append(
            f"• {notice.number} {notice.unit_code} {label_for(notice.status, ctx.t)} "
            f"{_day(ctx, notice.deadline_at)}{late}"
        )
    buttons = [
        [Button(ctx.t(N_("Report rectification")) + f" {n.number}", f"rect:report:{n.number}")]
        for n in open_ones
        if ctx.actor.role == Role.STAFF and n.status in AWAITING_REPORT
    ][:8]
    return Reply("\n".join(lines), buttons=buttons)


@router.button("rect")
async def on_supervisor_button(ctx: Context) -> HandlerResult:
    cb = pressed(ctx)
    action, arg = cb.action, first_text(cb)
    if action == "cancel":
        ctx.state.clear()
        return ctx.reply(N_("Cancelled. Nothing was changed."))
    if action == "days" and ctx.state.name == "rect.days":
        return await _with_deadline(ctx, cb.integer(0))
    if action == "unit" and ctx.state.name == "rect.unit":
        ctx.state.set("rect.issue", unit=arg)
        return await _ask(ctx)
    if action == "accept":
        notice = await rect.accept_rectification(ctx.uow(), ctx.app.clock, ctx.actor, arg)
        return ctx.reply(
            N_("Accepted. The follow-up check (回头看) is due around {day}."),
            day=_day(ctx, notice.follow_up_at),
        )
    if action in ("return", "reopen"):
        await rect.get_notice(ctx.uow(), ctx.actor, arg)
        ctx.state.clear()
        ctx.state.set("rect.reason", notice=arg, op=action)
        return await _ask(ctx)
    if action == "confirm":
        notice = await rect.confirm_follow_up(ctx.uow(), ctx.app.clock, ctx.actor, arg)
        return ctx.reply(N_("Follow-up check recorded: notice {notice} is closed."), notice=notice.number)
    return ctx.reply(N_("This button is out of date."))


# ---- rectification notices: the unit's side -----------------------------------------------------------
@staff_router.button("rect")
async def on_staff_button(ctx: Context) -> HandlerResult:
    cb = pressed(ctx)
    action, arg = cb.action, first_text(cb)
    if action == "cancel":
        ctx.state.clear()
        return ctx.reply(N_("Cancelled. Nothing was changed."))
    if action == "report":
        notice = await rect.get_notice(ctx.uow(), ctx.actor, arg)
        if notice.status not in AWAITING_REPORT:
            return ctx.reply(
                N_("This notice does not wait for a report (state: {state})."), state=notice.status.value
            )
        ctx.state.clear()
        ctx.state.set("rect.report", notice=arg)
        return await _ask(ctx)
    return ctx.reply(N_("This button is out of date."))


@staff_router.state("rect.report")
async def on_staff_report(ctx: Context) -> HandlerResult:
    text = _text(ctx)
    if text is None:
        return await _ask(ctx)
    notice = await rect.report_rectification(
        ctx.uow(), ctx.app.clock, ctx.actor, ctx.state.data["notice"], text
    )
    ctx.state.clear()
    msgid = (
        N_("Report sent to the task force (on time).")
        if notice.reported_on_time
        else N_("Report sent to the task force (after the deadline).")
    )
    return ctx.reply(msgid)
