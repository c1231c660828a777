"""Complaint intake (R5 Art.5–7): name, phone, agency, demand, reasons, facts (with follow-up questions when
vague), on whose behalf; then a summary to confirm, edit, go back or cancel. Staff use the same dialog for a
complaint received by hotline, letter, fax, SMS, e-mail or at the counter (`/register`, channel first)."""

from __future__ import annotations

import uuid
from typing import Any

from handlers.complaints import intake_steps as s
from handlers.dialogs import steps
from handlers.dialogs.callbacks import first_text, pressed
from handlers.dialogs.chat_common import menu_row
from handlers.dialogs.steps import edits_card, prompt
from handlers.dispatch.routing import Context, HandlerResult, Router
from handlers.types import Button, InputKind, Reply
from nocert_core.domain.actors import Role
from nocert_core.domain.complaints import Channel
from nocert_core.errors import ValidationFailed
from nocert_core.i18n import N_
from nocert_core.services.complaints import handling as complaint_service
from nocert_core.services.complaints import intake
from nocert_core.services.complaints.handling import ComplaintDraft

router = Router("complaint_intake")


async def start_complaint(ctx: Context, prefill: dict[str, str] | None = None) -> HandlerResult:
    """Start (or restart) intake.

    `prefill` keys: agency_text, unit_code, demand (from guidance); channel (staff registering a complaint).
    """
    prefill = prefill or {}
    draft: dict[str, Any] = {}
    if prefill.get("agency_text"):
        draft["agency"] = prefill["agency_text"]
        draft["unit_code"] = prefill.get("unit_code") or None
        draft["unit_name"] = (
            await intake.unit_name(ctx.uow(), draft["unit_code"]) if draft["unit_code"] else None
        )
    if prefill.get("demand"):
        draft["demand"] = prefill["demand"]
    ctx.state.clear()
    staff_mode = ctx.actor.role in (Role.STAFF, Role.SUPERVISOR, Role.ADMIN) and "channel" in prefill
    opening = await complaint_service.intake_start(ctx.uow(), ctx.app.clock, ctx.actor)
    if not opening.may_file:
        limit = ctx.app.settings.max_complaints_per_day
        return ctx.reply(complaint_service.DAILY_CAP_REACHED, [menu_row(ctx.t)], limit=limit)
    # The draft's own id is the registration's dedup key: a redelivered or re-pressed Submit finds the
    # complaint it registered, and two drafts of one account never share a key.
    ctx.state.set(
        None, draft=draft, staff=staff_mode, channel=prefill.get("channel"), draft_id=uuid.uuid4().hex
    )
    if staff_mode and not prefill.get("channel"):
        ctx.state.name = "ci.channel"
        return await s.show(ctx)
    intro = ctx.reply(
        N_(
            "Let's file your complaint. I will ask 7 short questions; you can go back or cancel at any time. "
            "Your phone number is only shown to the staff handling your complaint."
        )
        if not staff_mode
        else N_("Registering a complaint for a caller. Enter what the caller tells you.")
    )
    replies = [intro]
    prefilled: list[str] = [field for field in ("agency", "demand") if field in draft]
    if prefilled and not staff_mode:
        ctx.state.data["prefilled"] = prefilled
        replies.append(_prefill_note(ctx, prefilled))
    previous = None if staff_mode else opening.last_contact
    if previous is not None:
        ctx.state.data["previous"] = list(previous)
        ctx.state.name = "ci.reuse"
    else:
        ctx.state.name = s.next_state(draft)
    return [*replies, *s.as_list(await s.show(ctx))]


def _prefill_note(ctx: Context, fields: list[str]) -> Reply:
    """What the guidance answer already filled in, visibly, with a way to change it."""
    values = s.draft(ctx)
    lines = [ctx.t(N_("Already filled in from your question:"))]
    for field in fields:
        value = values.get("unit_name") if field == "agency" and values.get("unit_name") else values[field]
        lines.append(f"· {ctx.t(s.FIELD_NAME[field])}: {value}")
    change = [[Button(ctx.t(N_("✎ Change these")), "ci:unfill")]]
    return Reply("\n".join(lines), change)


@router.command("complain")
async def complain_command(ctx: Context) -> HandlerResult:
    return await start_complaint(ctx)


@router.button("ci")
async def on_button(ctx: Context) -> HandlerResult:
    result = await _on_button(ctx)
    action = pressed(ctx).action
    return result if action == "start" else edits_card(result)  # a step's buttons update that step


async def _on_button(ctx: Context) -> HandlerResult:
    cb = pressed(ctx)
    action, value = cb.action, first_text(cb)
    if action == "start":
        return await start_complaint(ctx)
    if action == "reuse" and ctx.state.name == "ci.reuse":
        previous = ctx.state.data.pop("previous", None) or ["", ""]
        if value == "yes":
            s.draft(ctx).update(name=previous[0], phone=previous[1])
        ctx.state.name = s.next_state(s.draft(ctx))
        return await s.show(ctx)
    if action == "unfill" and (ctx.state.name or "").startswith("ci."):
        for field in ctx.state.data.pop("prefilled", []):
            s.draft(ctx).pop(field, None)
            if field == "agency":
                s.draft(ctx).pop("unit_code", None), s.draft(ctx).pop("unit_name", None)
        if ctx.state.name not in ("ci.reuse", "ci.name", "ci.phone"):
            ctx.state.name = s.next_state(s.draft(ctx))
        return await s.show(ctx)
    if action == "cancel":
        ctx.state.clear()
        return ctx.reply(N_("Cancelled. Nothing was submitted."), [menu_row(ctx.t)])
    if action == "back":
        ctx.state.name = s.previous_state(ctx.state)
        ctx.state.data.pop("editing", None)
        return await s.show(ctx)
    if action == "ch":
        ctx.state.data["channel"] = value
        ctx.state.name = s.next_state(s.draft(ctx))
        return await s.show(ctx)
    if action == "unit":
        return await _choose_unit(ctx, value)
    if action == "behalf":
        if value == "other":
            ctx.state.name = "ci.principal"
            return await s.show(ctx)
        s.draft(ctx)["behalf"] = ""
        return await s.advance(ctx, "behalf")
    if action == "skip" and ctx.state.name == "ci.followup":
        return await _next_followup(ctx)
    if action == "edit":
        ctx.state.name = "ci.editpick"
        return await s.show(ctx)
    if action == "editf":
        ctx.state.data["editing"] = True
        ctx.state.data.pop("candidates", None)
        ctx.state.name = "ci." + value
        return await s.show(ctx)
    if action == "confirm" and ctx.state.name == "ci.summary":
        return await _register(ctx)
    # e.g. "ci:unfill" under a message of an intake that is over: whatever step the user is in now
    return [ctx.reply(N_("This button is out of date.")), *await steps.reshow(ctx)]


@router.state(
    "ci.reuse",
    "ci.name",
    "ci.phone",
    "ci.agency",
    "ci.demand",
    "ci.reasons",
    "ci.facts",
    "ci.principal",
    "ci.behalf",
)
async def on_answer(ctx: Context) -> HandlerResult:
    if ctx.state.name == "ci.reuse":  # typing a name instead of choosing: a new name (and phone)
        ctx.state.data.pop("previous", None)
        ctx.state.name = "ci.name"
    field = (ctx.state.name or "").removeprefix("ci.")
    text = ctx.incoming.text.strip()
    if field == "behalf":
        raise ValidationFailed(N_("Please choose one of the buttons."))
    if field == "phone" and ctx.incoming.kind not in (InputKind.TEXT, InputKind.CONTACT):
        raise ValidationFailed(N_("Please type the phone number."))
    if field == "agency":
        return await _answer_agency(ctx, s.valid_text(text, "agency", 2, 300))
    if field == "principal":
        s.draft(ctx)["behalf"] = s.valid_name(text)
        return await s.advance(ctx, "behalf")
    s.draft(ctx)[field] = s.validate(field, text, ctx.app.settings.max_text_length)
    return await s.advance(ctx, field)


@router.state("ci.followup")
async def on_followup(ctx: Context) -> HandlerResult:
    text = s.valid_text(ctx.incoming.text.strip(), "facts", 1, ctx.app.settings.max_text_length)
    key = ctx.state.data["followups"][0]
    draft = s.draft(ctx)
    draft["facts"] = f"{draft['facts']}\n{ctx.t(s.FOLLOWUP_LABEL[key])}: {text}"
    return await _next_followup(ctx)


@router.state("ci.summary", "ci.editpick", "ci.channel")
async def on_text_at_buttons(ctx: Context) -> HandlerResult:
    return [ctx.reply(N_("Please use the buttons below.")), *s.as_list(await s.show(ctx))]


async def _next_followup(ctx: Context) -> HandlerResult:
    remaining = ctx.state.data.get("followups", [])[1:]
    ctx.state.data["followups"] = remaining
    if remaining:
        return await s.show(ctx)
    return await s.advance(ctx, "facts", after_followups=True)


async def _answer_agency(ctx: Context, text: str) -> HandlerResult:
    matches = await intake.find_units(ctx.uow(), text)
    ctx.state.data["agency_text"] = text
    if len(matches) == 1:
        s.set_agency(ctx, text, matches[0].code, matches[0].name)
        note = ctx.reply(N_("Noted: {unit}."), unit=matches[0].name)
        return [note, *s.as_list(await s.advance(ctx, "agency"))]
    ctx.state.data["candidates"] = [[match.code, match.name] for match in matches]
    return await s.show(ctx)


async def _choose_unit(ctx: Context, code: str) -> HandlerResult:
    text = ctx.state.data.get("agency_text")
    if ctx.state.name != "ci.agency" or not text:
        return [ctx.reply(N_("This button is out of date.")), *s.as_list(await s.show(ctx))]
    if code == "-":
        s.set_agency(ctx, text, None, None)
        note = ctx.reply(N_("Noted. The task force will find the responsible unit."))
        return [note, *s.as_list(await s.advance(ctx, "agency"))]
    names = {found_code: name for found_code, name in ctx.state.data.get("candidates", [])}
    if code not in names:
        return [ctx.reply(N_("This button is out of date.")), *s.as_list(await s.show(ctx))]
    s.set_agency(ctx, text, code, names[code])
    return await s.advance(ctx, "agency")


async def _register(ctx: Context) -> HandlerResult:
    draft = s.draft(ctx)
    channel = ctx.state.data.get("channel") or (
        Channel.CONSOLE if ctx.incoming.channel == "console" else Channel.TELEGRAM
    )
    complaint = await complaint_service.register_complaint(
        ctx.uow(),
        ctx.app.clock,
        ctx.actor,
        ComplaintDraft(
            complainant_name=draft["name"],
            complainant_phone=draft["phone"],
            agency_text=draft["agency"],
            demand=draft["demand"],
            reasons=draft["reasons"],
            facts=draft["facts"],
            channel=Channel(channel),
            on_behalf_of=draft.get("behalf") or None,
            unit_code=draft.get("unit_code"),
        ),
        dedup_ref=f"intake:{ctx.state.data.setdefault('draft_id', uuid.uuid4().hex)}",
    )
    staff_mode = bool(ctx.state.data.get("staff"))
    token = ctx.state.data.get(steps.TOKEN_KEY)
    ctx.state.clear()
    unit = await intake.unit_name(ctx.uow(), complaint.unit_code)
    handler_text = (
        ctx.t(N_("It goes to {unit}."), unit=unit)
        if unit
        else ctx.t(N_("The task force will route it to the responsible unit."))
    )
    settings = ctx.app.settings
    msgid = (
        N_("Registered as {number}. {handler} Give the caller this number.")
        if staff_mode
        else N_(
            "Your complaint is registered as {number}. {handler}\n"
            "The unit first decides whether to accept it; once accepted it has {days} working days "
            "to handle it "
            "(a complex case may be extended by up to {max_days} working days). "
            "I will tell you here about every change."
        )
    )
    buttons = (
        [[Button(ctx.t(N_("My complaints")), "mc:list")], menu_row(ctx.t)]
        if not staff_mode
        else [menu_row(ctx.t)]
    )
    if token:  # Submit pressed again (its answer lost, or a double tap): the number, not "out of date"
        steps.remember_done(
            ctx, str(token), N_("This complaint is already registered as {number}."), number=complaint.number
        )
    return Reply(
        ctx.t(
            msgid,
            number=complaint.number,
            handler=handler_text,
            days=settings.handling_working_days,
            max_days=settings.max_extension_working_days,
        ),
        buttons=buttons,
    )


@prompt(*s.ALL_STATES)
async def _prompt(ctx: Context) -> HandlerResult:
    return await s.show(ctx)
