"""The guidance conversation: ask which certificates you no longer need (R1), see what changed and give an
opinion on an adjustment (R3 Art.10). Staff/supervisor adjustments are in handlers/guidance/adjust.py.

Buttons (prefix `guide`): start, svc:<code> (other documents of a service), cert (other services accepting
the certificate of the last answer), alt:<code> (answer for another service), complain, changes,
op:<id> (give an opinion). Free text in the state `guide.ask` — and any free text outside a dialog — is a
question. See docs/guidance.md for the diagram.
"""

from __future__ import annotations

from handlers.dialogs.callbacks import first_text, pressed
from handlers.dialogs.steps import prompt
from handlers.dispatch.routing import Context, HandlerResult, Router
from handlers.guidance.text import ADJUSTMENT_KINDS, render_answer
from handlers.types import Button, Reply
from nocert_core.guidance import Answer, Intent, certificate_entries, pair_for, service_entries
from nocert_core.i18n import N_, translator
from nocert_core.services.catalogue import adjustments as catalogue_service
from nocert_core.services.catalogue import guidance as guidance_service

router = Router("guidance")
ASKING = "guide.ask"
OPINION = "guide.opinion"
CHANGES_SHOWN = 5


def _remember(ctx: Context, result: Answer) -> None:
    service = result.service
    entry = result.pair_entry
    ctx.state.set(
        ASKING,
        last={
            "service_code": service.code if service else None,
            "service": service.name if service else None,
            "unit": service.unit if service else None,
            "unit_code": service.unit_code if service else None,
            "certificate": result.certificate,
            "exempt_pair": entry is not None,
        },
    )


def _follow_ups(ctx: Context, result: Answer) -> list[list[Button]]:
    t = ctx.t
    rows: list[list[Button]] = []
    if result.service is not None and result.intent == Intent.PAIR:
        rows.append(
            [Button(t(N_("📄 Other documents for this service")), f"guide:svc:{result.service.code}")]
        )
    if result.intent == Intent.PAIR and result.certificate_in_catalogue:
        rows.append([Button(t(N_("🔁 Other services accepting this certificate")), "guide:cert")])
    for alternative in result.alternatives[:3]:
        if result.intent in (Intent.PAIR, Intent.SERVICE):
            rows.append(
                [
                    Button(
                        t(N_("Did you mean: {service}"), service=alternative.name[:28]),
                        f"guide:alt:{alternative.code}",
                    )
                ]
            )
    if result.pair_entry is not None or result.intent == Intent.SERVICE:
        rows.append([Button(t(N_("📝 They still asked me for it: file a complaint")), "guide:complain")])
    rows.append(
        [Button(t(N_("🆕 What changed recently")), "guide:changes"), Button(t(N_("⬅ Menu")), "guide:menu")]
    )
    return rows


def _intro(ctx: Context) -> Reply:
    return Reply(
        ctx.t(
            N_(
                "Ask me in your own words which certificate or proof you no longer need to bring, "
                "for example “二手房过户还要带户口本吗” or “开饭店哪些材料不用交”."
            )
        ),
        [
            [
                Button(ctx.t(N_("🆕 What changed recently")), "guide:changes"),
                Button(ctx.t(N_("⬅ Menu")), "guide:menu"),
            ]
        ],
    )


@prompt(ASKING)
async def ask_prompt(ctx: Context) -> HandlerResult:
    return _intro(ctx)


async def _reply_with(ctx: Context, result: Answer) -> Reply:
    _remember(ctx, result)
    t = translator("en") if result.language == "en" else ctx.t  # an English question gets an English reply
    if result.intent in (Intent.UNKNOWN, Intent.OUT_OF_AREA):
        from handlers.start.menu import menu_buttons

        return Reply(render_answer(result, t), menu_buttons(ctx))
    if result.intent == Intent.CLARIFY:
        rows = [
            [Button(f"{n}. {c.name[:40]}", f"guide:alt:{c.code}")]
            for n, c in enumerate(result.candidates[:4], start=1)
        ]
        rows.append([Button(t(N_("None of these")), "guide:none")])
        return Reply(render_answer(result, t), rows)
    return Reply(render_answer(result, t), _follow_ups(ctx, result))


@router.state(ASKING, "")
async def question(ctx: Context) -> HandlerResult:
    text = ctx.incoming.text.strip()
    if not text:
        return Reply(ctx.t(N_("Please type your question as text.")))
    result = await guidance_service.ask(ctx.uow(), text)
    return await _reply_with(ctx, result)


@router.command("ask")
async def ask_command(ctx: Context) -> HandlerResult:
    if ctx.incoming.args.strip():
        result = await guidance_service.ask(ctx.uow(), ctx.incoming.args.strip())
        return await _reply_with(ctx, result)
    ctx.state.set(ASKING)
    return _intro(ctx)


@router.button("guide")
async def button(ctx: Context) -> HandlerResult:
    cb = pressed(ctx)
    action, argument = cb.action, first_text(cb)
    last = ctx.state.data.get("last") or {}
    if action == "start":
        ctx.state.clear()
        ctx.state.set(ASKING)
        return _intro(ctx)
    if action == "menu":
        from handlers.start.menu import show_menu

        ctx.state.clear()
        return await show_menu(ctx)
    if action in ("svc", "alt"):
        index = await guidance_service.load_index(ctx.uow())
        result = service_entries(index, argument)
        if result is None:
            return [Reply(ctx.t(N_("This service is no longer in the catalogue."))), _intro(ctx)]
        if action == "alt" and last.get("certificate"):
            result = pair_for(index, argument, str(last["certificate"])) or result
        return await _reply_with(ctx, result)
    if action == "cert":
        if not last.get("certificate"):
            return [Reply(ctx.t(N_("This button is out of date."))), _intro(ctx)]
        index = await guidance_service.load_index(ctx.uow())
        return await _reply_with(ctx, certificate_entries(index, last["certificate"]))
    if action == "none":
        ctx.state.set(ASKING)
        return Reply(
            ctx.t(
                N_(
                    "Please tell me the service in other words (what you are applying for, and where), "
                    "or ask the unit that handles it."
                )
            )
        )
    if action == "complain":
        return await _complain(ctx, last)
    if action == "changes":
        return await _changes(ctx)
    if action == "op":
        await catalogue_service.get_adjustment(ctx.uow(), cb.integer(0))  # NotFound → a clear message
        ctx.state.set(OPINION, adjustment_id=cb.integer(0))
        return await opinion_prompt(ctx)
    return [Reply(ctx.t(N_("This button is out of date."))), _intro(ctx)]


async def _complain(ctx: Context, last: dict[str, object]) -> HandlerResult:
    from handlers.complaints.intake import start_complaint

    if not last.get("service"):
        return [Reply(ctx.t(N_("This button is out of date."))), _intro(ctx)]
    if last.get("certificate"):
        demand = ctx.t(
            N_(
                "When applying for {service}, I was asked to submit {certificate}, which the "
                "catalogue exempts."
            ),
            service=last["service"],
            certificate=last["certificate"],
        )
    else:
        demand = ctx.t(
            N_("When applying for {service}, I was asked for proofs the catalogue exempts."),
            service=last["service"],
        )
    prefill = {
        "agency_text": str(last.get("unit") or ""),
        "unit_code": str(last.get("unit_code") or ""),
        "demand": demand,
    }
    return await start_complaint(ctx, prefill=prefill)


async def _changes(ctx: Context) -> HandlerResult:
    adjustments = await catalogue_service.list_adjustments(ctx.uow(), limit=CHANGES_SHOWN, newest_first=True)
    if not adjustments:
        return Reply(
            ctx.t(N_("The catalogue has not changed yet.")), [[Button(ctx.t(N_("⬅ Menu")), "guide:menu")]]
        )
    lines = [ctx.t(N_("Recent changes to the catalogue:"))]
    buttons: list[list[Button]] = []
    for number, adjustment in enumerate(adjustments, start=1):
        lines.append(
            ctx.t(
                N_("{number}. {date} {kind}: {service} — {certificate} ({unit})"),
                number=number,
                date=adjustment.event_date.isoformat(),
                kind=ctx.t(ADJUSTMENT_KINDS[adjustment.kind.value]),
                service=adjustment.service,
                certificate=adjustment.certificate,
                unit=adjustment.unit_name,
            )
        )
        buttons.append(
            [Button(ctx.t(N_("💬 Opinion on change {number}"), number=number), f"guide:op:{adjustment.id}")]
        )
    buttons.append([Button(ctx.t(N_("⬅ Menu")), "guide:menu")])
    return Reply("\n".join(lines), buttons)


@prompt(OPINION)
async def opinion_prompt(ctx: Context) -> HandlerResult:
    return Reply(
        ctx.t(
            N_("Type your opinion on this change (it goes to the No-Proof City task force), or send /cancel.")
        )
    )


@router.state(OPINION)
async def opinion_text(ctx: Context) -> HandlerResult:
    adjustment_id = int(ctx.state.data.get("adjustment_id") or 0)
    await catalogue_service.give_opinion(
        ctx.uow(), ctx.app.clock, ctx.actor, adjustment_id, ctx.incoming.text
    )
    ctx.state.clear()
    ctx.state.set(ASKING)
    return Reply(
        ctx.t(N_("Thank you. Your opinion has been passed to the task force.")),
        [[Button(ctx.t(N_("⬅ Menu")), "guide:menu")]],
    )
