"""Staff and supervisors file catalogue adjustments in chat (R3 Art.8–9): /adjust or the `gadj` buttons.

Steps: type (add/change/cancel) → service code → certificate → [mode, for add/change] → basis → date of the
triggering event → confirm. Staff adjust their own unit's entries; supervisors any (the service decides).
"""

from __future__ import annotations

from datetime import date

from handlers.dialogs.callbacks import pressed
from handlers.dialogs.steps import as_list, prompt
from handlers.dispatch.routing import Context, HandlerResult, Router
from handlers.types import Button, Reply
from nocert_core.clock import local_date
from nocert_core.domain.actors import Role
from nocert_core.domain.adjustments import AdjustmentTrigger, AdjustmentType
from nocert_core.domain.catalogue import ExemptionMode
from nocert_core.i18n import N_
from nocert_core.services.catalogue import adjustments as catalogue_service

router = Router("guidance-adjust", roles=(Role.STAFF, Role.SUPERVISOR, Role.ADMIN))
STEPS = (
    "gadj.kind",
    "gadj.service",
    "gadj.certificate",
    "gadj.mode",
    "gadj.basis",
    "gadj.date",
    "gadj.confirm",
)
KINDS = {"add": N_("Add an entry"), "change": N_("Change an entry"), "cancel": N_("Cancel an entry")}
MODES = {
    ExemptionMode.ASSOCIATION: N_("E-licence association"),
    ExemptionMode.DOWNLOAD_UPLOAD: N_("Download and upload"),
    ExemptionMode.VERIFICATION: N_("Department verification"),
    ExemptionMode.COMMITMENT: N_("Informed commitment"),
    ExemptionMode.ABOLISHED: N_("Abolished outright"),
    ExemptionMode.DATA_SHARING: N_("Data sharing"),
}


def _cancel_row(ctx: Context) -> list[Button]:
    return [Button(ctx.t(N_("✖ Cancel")), "@gadj:quit")]


@router.command("adjust")
async def start(ctx: Context) -> HandlerResult:
    ctx.state.clear()
    ctx.state.set("gadj.kind", adj={})
    return await show(ctx)


@prompt(*STEPS)
async def show(ctx: Context) -> HandlerResult:
    t, step, adj = ctx.t, ctx.state.name, ctx.state.data.get("adj", {})
    if step == "gadj.kind":
        rows = [[Button(t(label), f"@gadj:kind:{kind}")] for kind, label in KINDS.items()]
        return Reply(t(N_("Which adjustment do you file with the task force?")), [*rows, _cancel_row(ctx)])
    if step == "gadj.service":
        return Reply(t(N_("The service code (事项编码), e.g. 370700-BDC-001:")), [_cancel_row(ctx)])
    if step == "gadj.certificate":
        return Reply(t(N_("The certificate or proof, by its official name:")), [_cancel_row(ctx)])
    if step == "gadj.mode":
        rows = [[Button(t(label), f"@gadj:mode:{mode.short}")] for mode, label in MODES.items()]
        return Reply(t(N_("How is the proof obtained instead?")), [*rows, _cancel_row(ctx)])
    if step == "gadj.basis":
        return Reply(t(N_("The basis of the adjustment (the law, decision or reason):")), [_cancel_row(ctx)])
    if step == "gadj.date":
        return Reply(
            t(N_("When did the triggering event happen? (YYYY-MM-DD)")),
            [[Button(t(N_("Today")), "@gadj:today")], _cancel_row(ctx)],
        )
    summary = t(
        N_(
            "File this adjustment?\nType: {kind}\nService: {service}\nCertificate: {certificate}\n"
            "Mode: {mode}\nBasis: {basis}\nEvent date: {date}"
        ),
        kind=t(KINDS[adj["kind"]]),
        service=adj["service_code"],
        certificate=adj["certificate"],
        mode=adj.get("mode") or "-",
        basis=adj["basis"],
        date=adj["event_date"],
    )
    return Reply(summary, [[Button(t(N_("✔ File it")), "@gadj:file")], _cancel_row(ctx)])


def _next(ctx: Context, **values: str) -> None:
    adj = dict(ctx.state.data.get("adj", {}))
    adj.update(values)
    order = list(STEPS)
    step = order[order.index(ctx.state.name or "gadj.kind") + 1]
    if step == "gadj.mode" and adj.get("kind") == "cancel":
        step = "gadj.basis"
    ctx.state.set(step, adj=adj)


@router.button("gadj")
async def buttons(ctx: Context) -> HandlerResult:
    cb = pressed(ctx)
    action = cb.action
    if action == "quit":
        ctx.state.clear()
        return Reply(ctx.t(N_("Cancelled; nothing was filed.")))
    if action == "kind" and ctx.state.name == "gadj.kind":
        _next(ctx, kind=cb.text(0))
    elif action == "mode" and ctx.state.name == "gadj.mode":
        _next(ctx, mode=ExemptionMode.parse(cb.text(0)).value)
    elif action == "today" and ctx.state.name == "gadj.date":
        _next(ctx, event_date=local_date(ctx.app.clock.now(), ctx.app.settings.timezone).isoformat())
    elif action == "file" and ctx.state.name == "gadj.confirm":
        return await _file(ctx)
    return await show(ctx)


@router.state("gadj.service", "gadj.certificate", "gadj.basis", "gadj.date")
async def text(ctx: Context) -> HandlerResult:
    value = ctx.incoming.text.strip()
    if not value or len(value) > 500:
        return [Reply(ctx.t(N_("Please type a short text answer."))), *as_list(await show(ctx))]
    field = {
        "gadj.service": "service_code",
        "gadj.certificate": "certificate",
        "gadj.basis": "basis",
        "gadj.date": "event_date",
    }[ctx.state.name or ""]
    if field == "event_date":
        try:
            value = date.fromisoformat(value).isoformat()
        except ValueError:
            return Reply(ctx.t(N_("Please give the date as YYYY-MM-DD, e.g. 2026-11-23.")))
    _next(ctx, **{field: value})
    return await show(ctx)


async def _file(ctx: Context) -> HandlerResult:
    adj = ctx.state.data["adj"]
    kind = AdjustmentType(adj["kind"])
    request = catalogue_service.AdjustmentRequest(
        kind=kind,
        service_code=adj["service_code"],
        certificate=adj["certificate"],
        basis=adj["basis"],
        event_date=date.fromisoformat(adj["event_date"]),
        trigger=AdjustmentTrigger.TASK_FORCE if ctx.actor.is_supervisor else AdjustmentTrigger.OTHER,
        mode=adj.get("mode"),
    )
    adjustment = await catalogue_service.file_adjustment(ctx.uow(), ctx.app.clock, ctx.actor, request)
    ctx.state.clear()
    msgid = (
        N_("Adjustment #{id} filed and the task force notified. It was due by {due}: filed LATE.")
        if adjustment.late
        else N_("Adjustment #{id} filed and the task force notified (due by {due}).")
    )
    return Reply(ctx.t(msgid, id=adjustment.id, due=adjustment.due_date.isoformat()))
