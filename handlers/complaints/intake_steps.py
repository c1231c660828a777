"""The steps of complaint intake: order, questions, validation, navigation and the summary."""

from __future__ import annotations

from typing import Any

from handlers.dialogs.chat_common import nav_row
from handlers.dialogs.steps import as_list
from handlers.dispatch.routing import Context, DialogState, HandlerResult
from handlers.types import Button, Reply
from nocert_core.domain.complaints import Channel
from nocert_core.domain.labels import label_for, label_of
from nocert_core.domain.phones import mask_phone, normalise_phone
from nocert_core.errors import ValidationFailed
from nocert_core.i18n import N_
from nocert_core.services.complaints.handling import STAFF_CHANNELS
from nocert_core.services.complaints.intake import missing_specifics

__all__ = ["ALL_STATES", "ORDER", "as_list"]

ORDER = ("name", "phone", "agency", "demand", "reasons", "facts", "behalf")
ALL_STATES = (
    *(f"ci.{field}" for field in ORDER),
    "ci.followup",
    "ci.principal",
    "ci.summary",
    "ci.editpick",
    "ci.channel",
    "ci.reuse",
)
QUESTION = {
    "name": N_("Step {step} of 7 — What is your name?"),
    "phone": N_(
        "Step {step} of 7 — Your phone number, so the unit can reach you (a mainland mobile like "
        "13812345678, or a landline with area code like 0536-1234567). You can also share it with the button."
    ),
    "agency": N_(
        "Step {step} of 7 — Which agency or service counter demanded the proof? Type its name, "
        "e.g. 奎文区行政审批服务局."
    ),
    "demand": N_(
        "Step {step} of 7 — What do you want? e.g. that they accept the application without the proof."
    ),
    "reasons": N_("Step {step} of 7 — Why do you think this breaks the no-proof rules?"),
    "facts": N_(
        "Step {step} of 7 — What happened? Please say when, where, which service you applied for and which "
        "document was demanded."
    ),
    "behalf": N_("Step {step} of 7 — Are you complaining for yourself or on behalf of someone else?"),
}
STAFF_QUESTION = {  # a clerk entering a caller's complaint reads about the caller, not to them
    "name": N_("Step {step} of 7 — The caller's name?"),
    "phone": N_("Step {step} of 7 — The caller's phone number (mobile or landline with area code)?"),
    "agency": N_(
        "Step {step} of 7 — Which agency or service counter demanded the proof from the caller? "
        "e.g. 奎文区行政审批服务局."
    ),
    "demand": N_("Step {step} of 7 — What does the caller want?"),
    "reasons": N_("Step {step} of 7 — Why does the caller think this breaks the no-proof rules?"),
    "facts": N_(
        "Step {step} of 7 — What happened to the caller? When, where, which service the caller applied for "
        "and which document the caller was asked for."
    ),
    "behalf": N_("Step {step} of 7 — Is the caller complaining for themselves or for someone else?"),
}
FIELD_NAME = {
    "name": N_("Name"),
    "phone": N_("Phone"),
    "agency": N_("Agency"),
    "demand": N_("Demand"),
    "reasons": N_("Reasons"),
    "facts": N_("Facts"),
    "behalf": N_("On behalf of"),
}
FOLLOWUP_QUESTION = {
    "when": N_("When did it happen? (the date, roughly the time)"),
    "where": N_("Where did it happen? (the hall, counter number, or website/app)"),
    "service": N_("Which service were you applying for?"),
    "document": N_("Which certificate or proof did they demand?"),
}
STAFF_FOLLOWUP_QUESTION = {
    "when": N_("When did it happen to the caller? (the date, roughly the time)"),
    "where": N_("Where did it happen? (the hall, counter number, or website/app the caller used)"),
    "service": N_("Which service was the caller applying for?"),
    "document": N_("Which certificate or proof was the caller asked to submit?"),
}
FOLLOWUP_LABEL = {
    "when": N_("When"),
    "where": N_("Where"),
    "service": N_("Service"),
    "document": N_("Document demanded"),
}


def draft(ctx: Context) -> dict[str, Any]:
    found: dict[str, Any] = ctx.state.data.setdefault("draft", {})
    return found


def next_state(values: dict[str, Any]) -> str:
    for field in ORDER:
        if field not in values:
            return f"ci.{field}"
    return "ci.summary"


def previous_state(state: DialogState) -> str:
    name = state.name or ""
    if name in ("ci.followup",):
        return "ci.facts"
    if name in ("ci.principal", "ci.summary"):
        return "ci.behalf"
    if name == "ci.editpick":
        return "ci.summary"
    field = name.removeprefix("ci.")
    if field in ORDER:
        index = ORDER.index(field)
        if index > 0:
            return f"ci.{ORDER[index - 1]}"
        return "ci.channel" if state.data.get("staff") else name
    return name or "ci.name"


def valid_text(text: str, field: str, minimum: int, maximum: int) -> str:
    if len(text) < minimum:
        raise ValidationFailed(
            N_("That is too short for the {field}. Please write a little more."), field=FIELD_NAME[field]
        )
    if len(text) > maximum:
        raise ValidationFailed(
            N_("The {field} can be at most {limit} characters; yours has {length}."),
            field=FIELD_NAME[field],
            limit=maximum,
            length=len(text),
        )
    return text


def valid_name(text: str) -> str:
    name = valid_text(text, "name", 1, 50)
    if not any(char.isalpha() for char in name):
        raise ValidationFailed(N_("That does not look like a name. Please type a name, e.g. 王芳."))
    return name


def validate(field: str, text: str, max_length: int) -> str:
    if field == "name":
        return valid_name(text)
    if field == "phone":
        return normalise_phone(valid_text(text, "phone", 3, 32))
    return valid_text(text, field, 2 if field != "facts" else 4, max_length)


def set_agency(ctx: Context, text: str, code: str | None, name: str | None) -> None:
    values = draft(ctx)
    values.update(agency=text, unit_code=code, unit_name=name)
    ctx.state.data.pop("candidates", None)
    ctx.state.data.pop("agency_text", None)


async def advance(ctx: Context, field: str, after_followups: bool = False) -> HandlerResult:
    """After an answer: follow-up questions for vague facts, then the next open step (or the summary)."""
    if field == "facts" and not after_followups:
        missing = missing_specifics(draft(ctx)["facts"])
        if missing:
            ctx.state.name = "ci.followup"
            ctx.state.data["followups"] = missing
            note = ctx.reply(
                N_("A few details make the caller's complaint checkable, so it is not dismissed as vague.")
                if ctx.state.data.get("staff")
                else N_(
                    "Thank you. A few details make your complaint checkable, so it is not dismissed as vague."
                )
            )
            return [note, *as_list(await show(ctx))]
    ctx.state.data.pop("followups", None)
    ctx.state.name = "ci.summary" if ctx.state.data.pop("editing", False) else next_state(draft(ctx))
    return await show(ctx)


async def show(ctx: Context) -> HandlerResult:
    """The question (with buttons) for the current step."""
    name = ctx.state.name or ""
    t = ctx.t
    if name == "ci.summary":
        return summary(ctx)
    if name == "ci.editpick":
        fields = [[Button(t(FIELD_NAME[field]), f"@ci:editf:{field}")] for field in ORDER]
        return Reply(t(N_("Which answer do you want to change?")), [*fields, nav_row(t)])
    if name == "ci.channel":
        buttons = [
            Button(label_for(channel, t), f"@ci:ch:{channel.value}") for channel in sorted(STAFF_CHANNELS)
        ]
        pairs = [buttons[index : index + 2] for index in range(0, len(buttons), 2)]
        return Reply(t(N_("How was the complaint received?")), [*pairs, nav_row(t, back=False)])
    if name == "ci.reuse":
        name_, phone = ctx.state.data.get("previous") or ["", ""]
        choices = [
            [
                Button(t(N_("✔ Use these")), "@ci:reuse:yes"),
                Button(t(N_("✎ Enter new ones")), "@ci:reuse:no"),
            ],
            nav_row(t, back=False),
        ]
        text = t(
            N_("Your name and phone from your last complaint: {name} · {phone}. Use them again?"),
            name=name_,
            phone=mask_phone(phone),
        )
        return Reply(text, choices)
    if name == "ci.followup":
        key = ctx.state.data["followups"][0]
        skip = [Button(t(N_("I don't know / skip")), "@ci:skip")]
        questions = STAFF_FOLLOWUP_QUESTION if ctx.state.data.get("staff") else FOLLOWUP_QUESTION
        return Reply(t(questions[key]), [skip, nav_row(t)])
    if name == "ci.principal":
        question = (
            N_("Whose complaint is it? Type the name of the person the caller is acting for.")
            if ctx.state.data.get("staff")
            else N_("Whose complaint is it? Type the name of the person you are acting for.")
        )
        return Reply(t(question), [nav_row(t)])
    field = name.removeprefix("ci.")
    step = ORDER.index(field) + 1
    staff = bool(ctx.state.data.get("staff"))
    text = t(STAFF_QUESTION[field] if staff else QUESTION[field], step=step)
    current = draft(ctx).get(field)
    if current and field != "behalf":
        text += "\n" + t(N_("(Current answer: {value})"), value=current)
    rows: list[list[Button]] = []
    if field == "agency" and "candidates" in ctx.state.data:
        rows, text = _agency_choices(ctx)
    if field == "behalf":
        rows = [
            [
                Button(t(N_("For the caller") if staff else N_("For myself")), "@ci:behalf:self"),
                Button(t(N_("For someone else")), "@ci:behalf:other"),
            ]
        ]
    first = field == "name" and not staff
    return Reply(text, [*rows, nav_row(t, back=not first)], request_contact=field == "phone" and not staff)


def _agency_choices(ctx: Context) -> tuple[list[list[Button]], str]:
    t = ctx.t
    candidates = ctx.state.data["candidates"]
    rows = [[Button(name, f"@ci:unit:{code}")] for code, name in candidates]
    rows.append([Button(t(N_("Not in the list — let the task force route it")), "@ci:unit:-")])
    typed = ctx.state.data.get("agency_text", "")
    if candidates:
        text = t(N_("Several agencies match “{text}”. Which one do you mean?"), text=typed)
    else:
        text = t(
            N_(
                "I could not find an agency called “{text}”. "
                "Type the name again (as on the sign or the receipt), "
                "or choose “Not in the list” and the task force will find the responsible unit."
            ),
            text=typed,
        )
    return rows, text


def summary(ctx: Context) -> Reply:
    t = ctx.t
    values = draft(ctx)
    unit = values.get("unit_name") or t(N_("to be routed by the task force"))
    staff = bool(ctx.state.data.get("staff"))
    heading = N_("Please check the caller's complaint:") if staff else N_("Please check your complaint:")
    lines = [t(heading), ""]
    if ctx.state.data.get("channel"):
        lines.append(f"{t(N_('Received by'))}: {label_of(Channel, ctx.state.data['channel'], t)}")
    for field in ORDER:
        myself = N_("the caller") if staff else N_("myself")
        value = values.get(field) or (t(myself) if field == "behalf" else "—")
        lines.append(f"{t(FIELD_NAME[field])}: {value}")
        if field == "agency":
            lines.append(f"{t(N_('Handling unit'))}: {unit}")
    buttons = [
        [Button(t(N_("✔ Submit")), "@ci:confirm")],
        [Button(t(N_("✎ Edit an answer")), "@ci:edit")],
        nav_row(t),
    ]
    return Reply("\n".join(lines), buttons)
