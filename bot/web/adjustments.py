"""A unit's own catalogue entries and their adjustments (R3) with the filing deadlines (R3 Art.8: filed
within the working days after the triggering event). The chat's /adjust roles; staff see their unit's."""

from __future__ import annotations

from aiohttp import web

from bot.web.guards import signed_in
from bot.web.pages import app_of
from bot.web.render import render
from nocert_core.domain.actors import Actor
from nocert_core.errors import NotFound
from nocert_core.services import catalogue as catalogue_service
from nocert_core.services.catalogue_import import current_catalogue
from nocert_core.services.units import list_units

routes = web.RouteTableDef()


def adjuster(request: web.Request) -> Actor:
    from handlers.guidance_adjust import router

    actor = signed_in(request)
    if not router.allows(actor):
        raise NotFound()
    return actor


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
    return render(
        request,
        "adjustments.html",
        adjustments=found[:200],
        entries=entries[:200],
        units=units,
        unit_code=unit_code or "",
        settings_days=application.settings.adjustment_filing_working_days,
    )


def setup(app: web.Application) -> None:
    app.router.add_routes(routes)
