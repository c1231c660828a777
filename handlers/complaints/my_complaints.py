"""A citizen's own complaints: list, details with timeline, withdraw or "I started other proceedings"
(R5 Art.11, with confirmation), and the 1–5 rating with an optional comment (R4 Art.6)."""

from __future__ import annotations

from handlers.dialogs.callbacks import first_text, pressed
from handlers.dialogs.chat_common import local_day, menu_row
from handlers.dialogs.steps import edits_card, prompt
from handlers.dispatch.routing import Context, HandlerResult, Router
from handlers.types import Button, Reply
from nocert_core.domain.actors import Role
from nocert_core.domain.complaint_lifecycle import Action, ComplaintStatus, TerminationGround
from nocert_core.domain.complaints import Complaint
from nocert_core.domain.labels import label_for, label_of
from nocert_core.errors import ValidationFailed
from nocert_core.i18n import N_
from nocert_core.services.complaints import handling as complaint_service
from nocert_core.services.complaints import intake

router = Router("my_complaints", roles=[Role.CITIZEN])
CITIZEN_TIMELINE_ACTIONS = {
    "register",
    "correct_deadline",
    "route",
    "accept",
    "reject",
    "approve_extension",
    "resolve",
    "terminate",
    "return_misrouted",
    "mark_duplicate",
    "rate",
}
RATEABLE = (ComplaintStatus.RESOLVED, ComplaintStatus.REJECTED)


@router.command("my")
async def my_command(ctx: Context) -> HandlerResult:
    return await show_list(ctx)


async def show_list(ctx: Context) -> HandlerResult:
    found = await complaint_service.list_complaints(ctx.uow(), ctx.actor)
    if not found:
        start = [[Button(ctx.t(N_("📝 Complain: an agency demanded a proof")), "ci:start")], menu_row(ctx.t)]
        return ctx.reply(N_("You have not filed any complaint yet."), start)
    rows = [
        [Button(f"{c.number} · {label_for(c.status, ctx.t)}", f"mc:open:{c.number}")]
        for c in sorted(found, key=lambda c: c.registered_at, reverse=True)[:20]
    ]
    return ctx.reply(N_("Your complaints (newest first). Choose one for details:"), [*rows, menu_row(ctx.t)])


async def details(ctx: Context, complaint: Complaint) -> Reply:
    t = ctx.t
    unit = await intake.unit_name(ctx.uow(), complaint.unit_code) or t(N_("to be routed by the task force"))
    lines = [
        t(N_("Complaint {number}"), number=complaint.number),
        f"{t(N_('Status'))}: {label_for(complaint.status, t)}",
        f"{t(N_('Agency'))}: {complaint.agency_text}",
        f"{t(N_('Handling unit'))}: {unit}",
        f"{t(N_('Category'))}: {label_for(complaint.category, t)}",
        f"{t(N_('Demand'))}: {complaint.demand}",
    ]
    if complaint.deadline_at is not None and complaint.is_open:
        provisional = f" {t(N_('(provisional)'))}" if complaint.deadline_provisional else ""
        lines.append(f"{t(N_('Deadline'))}: {local_day(ctx, complaint.deadline_at)}{provisional}")
    if complaint.result:
        lines.append(f"{t(N_('Result'))}: {complaint.result}")
    if complaint.rejection_ground:
        lines.append(
            f"{t(N_('Not accepted because'))}: {label_for(complaint.rejection_ground, t)}"
            f" — {complaint.status_reason or ''}"
        )
    if complaint.termination_ground:
        lines.append(f"{t(N_('Terminated'))}: {label_for(complaint.termination_ground, t)}")
    if complaint.rating:
        lines.append(f"{t(N_('Your rating'))}: {'★' * complaint.rating.score}")
    lines += ["", t(N_("Timeline:"))]
    for entry in complaint.audit:
        if entry.action in CITIZEN_TIMELINE_ACTIONS:
            lines.append(f"· {local_day(ctx, entry.at)} {label_of(Action, entry.action, t)}")
    return Reply("\n".join(lines), _detail_buttons(ctx, complaint))


def _detail_buttons(ctx: Context, complaint: Complaint) -> list[list[Button]]:
    t = ctx.t
    rows: list[list[Button]] = []
    if complaint.is_open:
        rows.append([Button(t(N_("Withdraw this complaint")), f"mc:wd:{complaint.number}")])
        rows.append(
            [
                Button(
                    t(N_("I started litigation / arbitration / reconsideration")),
                    f"mc:lit:{complaint.number}",
                )
            ]
        )
    if complaint.status in RATEABLE and complaint.rating is None:
        rows.append(rating_buttons(ctx, complaint.number))
    rows.append([Button(t(N_("◀ My complaints")), "mc:back")])
    return rows


def rating_buttons(ctx: Context, number: str) -> list[Button]:
    return [Button("★" * score, f"rt:{number}:{score}") for score in range(1, 6)]


@router.button("mc")
async def on_button(ctx: Context) -> HandlerResult:
    result = await _on_button(ctx)
    # Moving within "my complaints" updates the card in place; "My complaints" under another message
    # (e.g. the registration number) opens the list below it.
    return result if ctx.incoming.data == "mc:list" else edits_card(result)


async def _on_button(ctx: Context) -> HandlerResult:
    cb = pressed(ctx)
    action, number = cb.action, first_text(cb)
    if action in ("list", "back"):
        return await show_list(ctx)
    complaint = await complaint_service.get_complaint(ctx.uow(), ctx.actor, number)
    if action == "open":
        return await details(ctx, complaint)
    if action in ("wd", "lit"):
        question = (
            N_("Withdraw complaint {number}? Its handling ends and cannot be resumed.")
            if action == "wd"
            else N_(
                "You have applied for litigation, arbitration or administrative reconsideration "
                "about {number}? Then the complaint procedure ends (R5 Art.11)."
            )
        )
        buttons = [
            [
                Button(ctx.t(N_("Yes, end it")), f"mc:{action}ok:{number}"),
                Button(ctx.t(N_("No, keep it")), f"mc:open:{number}"),
            ]
        ]
        return ctx.reply(question, buttons, number=number)
    if action in ("wdok", "litok"):
        if not complaint.is_open:
            return [ctx.reply(N_("This button is out of date.")), await details(ctx, complaint)]
        ground = TerminationGround.WITHDRAWN if action == "wdok" else TerminationGround.OTHER_PROCEEDINGS
        ended = await complaint_service.terminate_complaint(
            ctx.uow(), ctx.app.clock, ctx.actor, number, ground
        )
        return [
            ctx.reply(N_("Complaint {number} has ended. The handling unit is informed."), number=number),
            await details(ctx, ended),
        ]
    return ctx.reply(N_("This button is out of date."))


rating_router = Router("rating", roles=[Role.CITIZEN])


async def on_score(ctx: Context) -> HandlerResult:
    cb = pressed(ctx)
    number, score = cb.text(0), cb.integer(1)
    complaint = await complaint_service.get_complaint(ctx.uow(), ctx.actor, number)
    if complaint.rating is not None or complaint.status not in RATEABLE:
        return [ctx.reply(N_("This complaint has already been rated.")), await details(ctx, complaint)]
    ctx.state.clear()
    ctx.state.set("rt.comment", number=number, score=score)
    return await _ask_comment(ctx)


@prompt("rt.comment")
async def _ask_comment(ctx: Context) -> HandlerResult:
    return ctx.reply(
        N_("You chose {stars}. Anything you want to add? Type a comment, or skip."),
        [[Button(ctx.t(N_("Skip")), "@rt:skip")], [Button(ctx.t(N_("✖ Cancel")), "@rt:cancel")]],
        stars="★" * int(ctx.state.data["score"]),
    )


async def _rate(ctx: Context, comment: str) -> HandlerResult:
    number, score = ctx.state.data["number"], int(ctx.state.data["score"])
    await complaint_service.rate_complaint(ctx.uow(), ctx.app.clock, ctx.actor, number, score, comment)
    ctx.state.clear()
    return ctx.reply(
        N_(
            "Thank you for rating complaint {number}. Your rating cannot be changed by the unit, "
            "and units see scores, not who gave them."
        ),
        [menu_row(ctx.t)],
        number=number,
    )


@rating_router.state("rt.comment")
async def on_comment(ctx: Context) -> HandlerResult:
    comment = ctx.incoming.text.strip()
    if not comment:
        raise ValidationFailed(N_("Please type a comment, or press Skip."))
    return await _rate(ctx, comment)


@rating_router.button("rt")
async def on_rating_button(ctx: Context) -> HandlerResult:
    action = pressed(ctx).action
    if action == "skip" and ctx.state.name == "rt.comment":
        return await _rate(ctx, "")
    if action == "cancel":
        ctx.state.clear()
        return ctx.reply(N_("Cancelled. Nothing was submitted."), [menu_row(ctx.t)])
    return await on_score(ctx)
