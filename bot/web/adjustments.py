"""A unit's own catalogue entries and their adjustments (R3) with the filing deadlines (R3 Art.8: filed
within the working days after the triggering event). The chat's /adjust roles; staff see their unit's.

Filing from the browser (POST /unit/adjustments) asks what the chat's /adjust asks and calls the same
service, `services.catalogue.adjustments.file_adjustment`: staff file for their own unit's entries (Art.8),
the task force for any unit and on its own initiative (Art.9); every filing notifies the task force
(outbox)."""

from __future__ import annotations

from datetime import date

from aiohttp import web

from bot.web.guards import signed_in
from bot.web.pages import app_of, form
from bot.web.render import done, render, t
from nocert_core.clock import local_date
from nocert_core.domain.actors import Actor
from nocert_core.domain.adjustments import AdjustmentTrigger, AdjustmentType
from nocert_core.domain.catalogue import ExemptionMode
from nocert_core.errors import NotFound, ValidationFailed
from nocert_core.i18n import N_
from nocert_core.services.catalogue import adjustments as catalogue_service
from nocert_core.services.catalogue.imports import current_catalogue
from nocert_core.services.units.tree import list_units

routes = web.RouteTableDef()


def adjuster(request: web.Request) -> Actor:
    from handlers.guidance.adjust import router

    actor = signed_in(request)
    if not router.allows(actor):
        raise NotFound()
    return actor


def _kinds_and_modes(request: web.Request) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    from handlers.guidance.adjust import KINDS, MODES  # the chat's own wording of the choices

    translate = t(request)
    return (
        [(kind, translate(label)) for kind, label in KINDS.items()],
        [(mode.value, translate(label)) for mode, label in MODES.items()],
    )


@routes.get("/unit/adjustments")
async def adjustments(request: web.Request) -> web.StreamResponse:
    actor = adjuster(request)
    application = app_of(request)
    units = await list_units(application.uow())
    unit_code = actor.unit_code if not actor.is_supervisor else (request.query.get("unit") or None)
    found = await catalogue_service.list_adjustments(
        application.uow(), unit_code=unit_code, newest_first=True
    )
    entries = [
        e for e in await current_catalogue(application.uow()) if unit_code and e.unit_code == unit_code
    ]
    kinds, modes = _kinds_and_modes(request)
    return render(
        request,
        "adjustments.html",
        kinds=kinds,
        modes=modes,
        today=local_date(application.clock.now(), application.settings.timezone).isoformat(),
        adjustments=found[:200],
        entries=entries[:200],
        units=units,
        unit_code=unit_code or "",
        settings_days=application.settings.adjustment_filing_working_days,
    )


def _field(fields: dict[str, str], name: str, label: str) -> str:
    value = fields.get(name, "")
    if not value:
        raise ValidationFailed("The field {field} is required.", field=label)
    if len(value) > 500:
        raise ValidationFailed("The field {field} is longer than {limit} characters.", field=label, limit=500)
    return value


@routes.post("/unit/adjustments")
async def file_adjustment(request: web.Request) -> web.StreamResponse:
    actor = adjuster(request)
    application = app_of(request)
    fields = await form(request)
    kind = fields.get("kind", "")
    if kind not in {k.value for k in AdjustmentType}:
        raise ValidationFailed(N_("Please choose one of the buttons."))
    mode = fields.get("mode") or None
    if kind != AdjustmentType.CANCEL.value and mode not in {m.value for m in ExemptionMode}:
        raise ValidationFailed(N_("Please choose one of the buttons."))
    try:
        event_date = date.fromisoformat(fields.get("event_date", ""))
    except ValueError as error:
        raise ValidationFailed(N_("Please give the date as YYYY-MM-DD, e.g. 2026-11-23.")) from error
    filed = await catalogue_service.file_adjustment(
        application.uow(),
        application.clock,
        actor,
        catalogue_service.AdjustmentRequest(
            kind=AdjustmentType(kind),
            service_code=_field(fields, "service_code", N_("Service")),
            certificate=_field(fields, "certificate", N_("Certificate")),
            basis=_field(fields, "basis", N_("Basis")),
            event_date=event_date,
            trigger=AdjustmentTrigger.TASK_FORCE if actor.is_supervisor else AdjustmentTrigger.OTHER,
            mode=None if kind == AdjustmentType.CANCEL.value else mode,
            service=fields.get("service") or None,
            unit=(fields.get("unit") or None) if actor.is_supervisor else None,
        ),
    )
    msgid = (
        N_("Adjustment #{id} filed and the task force notified. It was due by {due}: filed LATE.")
        if filed.late
        else N_("Adjustment #{id} filed and the task force notified (due by {due}).")
    )
    query = f"?unit={filed.unit_code}" if actor.is_supervisor and filed.unit_code else ""
    raise done(
        request, f"/unit/adjustments{query}", t(request)(msgid, id=filed.id, due=filed.due_date.isoformat())
    )


def setup(app: web.Application) -> None:
    app.router.add_routes(routes)
