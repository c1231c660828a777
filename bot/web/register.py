"""The register book page: filters, keyset paging, and the .xlsx of exactly what is filtered. Staff get
their own unit's rows (the filter is narrowed in `services.complaints.register_search`)."""

from __future__ import annotations

import tempfile
from pathlib import Path
from urllib.parse import urlencode

from aiohttp import web

from bot.web.guards import unit_desk
from bot.web.pages import app_of
from bot.web.render import render, t
from nocert_core.domain.complaint_lifecycle import ComplaintStatus
from nocert_core.domain.complaints import Category, Channel
from nocert_core.services.complaints import register_search as search
from nocert_core.services.units.tree import list_units

routes = web.RouteTableDef()
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _after(request: web.Request) -> int | None:
    raw = request.query.get("after", "")
    return int(raw) if raw.isdigit() else None


@routes.get("/register")
async def register_page(request: web.Request) -> web.StreamResponse:
    actor = unit_desk(request)
    application = app_of(request)
    flt = search.RegisterFilter.from_query(request.query)
    page = await search.search_register(application.uow(), actor, flt, _after(request))
    units = await list_units(application.uow())
    query = flt.as_query()
    return render(
        request,
        "register.html",
        page=page,
        flt=flt,
        units=units if actor.is_supervisor else [u for u in units if u.code == actor.unit_code],
        unit_names={u.code: u.name for u in units},
        states=list(ComplaintStatus),
        categories=list(Category),
        channels=list(Channel),
        next_url="/register?" + urlencode({**query, "after": page.next_after}) if page.next_after else None,
        first_url="/register?" + urlencode(query) if _after(request) else None,
        export_url="/register.xlsx?" + urlencode(query),
    )


@routes.get("/register.xlsx")
async def register_export(request: web.Request) -> web.StreamResponse:
    actor = unit_desk(request)
    application = app_of(request)
    flt = search.RegisterFilter.from_query(request.query)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "register.xlsx"
        await search.export_filtered(application.uow, actor, flt, path, t(request).locale)
        body = path.read_bytes()
    return web.Response(
        body=body,
        content_type=XLSX,
        headers={"Content-Disposition": 'attachment; filename="register.xlsx"'},
    )


def setup(app: web.Application) -> None:
    app.router.add_routes(routes)
