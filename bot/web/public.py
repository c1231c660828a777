"""The public guidance page (no sign-in): ask in plain words (the engine and JSON of `nocert ask`), browse
and search the catalogue by service, certificate and unit, the catalogue as of a date, recent changes, and an
opinion on a change (R3 Art.10) — rate-limited per browser and per address, the author kept anonymous (a
keyed pseudonym of the browser cookie; no address or cookie is stored)."""

from __future__ import annotations

import time
from collections import deque
from datetime import date, timedelta

from aiohttp import web

from bot.web.keys import BROWSER_SECRET, LIMITS_KEY, SIGNER_KEY
from bot.web.pages import app_of, form, script_json
from bot.web.render import done, render, t
from handlers.guidance.text import render_answer
from nocert_core.clock import local_date
from nocert_core.domain.actors import Actor, Role
from nocert_core.errors import ValidationFailed
from nocert_core.guidance import GuidanceIndex, answer
from nocert_core.i18n import N_
from nocert_core.services.catalogue import adjustments as catalogue_service
from nocert_core.services.catalogue import guidance as guidance_service
from nocert_core.services.catalogue.imports import catalogue_at, current_catalogue

routes = web.RouteTableDef()
MAX_QUESTION = 300
MAX_ROWS = 100
CHANGES_SHOWN = 30
INDEX_SECONDS = 60.0  # the guidance index is rebuilt at most once a minute per process


async def _index(request: web.Request) -> GuidanceIndex:
    cache = request.app[LIMITS_KEY]
    cached = cache.get("guidance_index")
    if cached is None or time.monotonic() - cached[0] > INDEX_SECONDS:
        cached = (time.monotonic(), await guidance_service.load_index(app_of(request).uow()))
        cache["guidance_index"] = cached
    index: GuidanceIndex = cached[1]
    return index


@routes.get("/guide")
async def guide(request: web.Request) -> web.StreamResponse:
    question = request.query.get("q", "").strip()[:MAX_QUESTION]
    reply = None
    if question:
        result = answer(await _index(request), question)
        reply = render_answer(result, t(request))
    application = app_of(request)
    changes = await catalogue_service.list_adjustments(application.uow(), limit=5, newest_first=True)
    return render(request, "guide.html", question=question, reply=reply, changes=changes)


@routes.get("/guide/ask.json")
async def ask_json(request: web.Request) -> web.StreamResponse:
    question = request.query.get("q", "").strip()[:MAX_QUESTION]
    if not question:
        raise ValidationFailed(N_("Please type your answer."))
    result = answer(await _index(request), question)
    return web.Response(text=script_json(result.as_json()), content_type="application/json")


def _as_of(request: web.Request) -> date | None:
    raw = request.query.get("as_of", "")
    if not raw:
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError as error:
        raise ValidationFailed(N_("Please type a date like 2026-11-25.")) from error


@routes.get("/guide/catalogue")
async def catalogue(request: web.Request) -> web.StreamResponse:
    application = app_of(request)
    day = _as_of(request)
    entries = await (catalogue_at(application.uow(), day) if day else current_catalogue(application.uow()))
    service, certificate, unit = (
        request.query.get(k, "").strip()[:100] for k in ("service", "certificate", "unit")
    )
    found = [
        e for e in entries if service in e.service and certificate in e.certificate and unit in e.unit_name
    ]
    return render(
        request,
        "catalogue.html",
        entries=found[:MAX_ROWS],
        total=len(found),
        service=service,
        certificate=certificate,
        unit=unit,
        as_of=day.isoformat() if day else "",
    )


@routes.get("/guide/changes")
async def changes(request: web.Request) -> web.StreamResponse:
    application = app_of(request)
    today = local_date(application.clock.now(), application.settings.timezone)
    found = await catalogue_service.list_adjustments(
        application.uow(), since=today - timedelta(days=90), newest_first=True, limit=CHANGES_SHOWN
    )
    return render(request, "changes.html", changes=found)


def _allowed(request: web.Request, key: str, per_hour: int) -> bool:
    """A sliding one-hour window per key (in this process)."""
    windows = request.app[LIMITS_KEY].setdefault("opinions", {})
    now = time.monotonic()
    window: deque[float] = windows.setdefault(key, deque())
    while window and now - window[0] > 3600:
        window.popleft()
    if len(window) >= per_hour:
        return False
    window.append(now)
    return True


@routes.post(r"/guide/changes/{id:\d+}/opinion")
async def opinion(request: web.Request) -> web.StreamResponse:
    application = app_of(request)
    signer = request.app[SIGNER_KEY]
    browser = signer.client_key("browser", request[BROWSER_SECRET])
    address = signer.client_key("address", request.remote or "")
    per_hour = application.settings.web_opinions_per_hour
    if not (_allowed(request, browser, per_hour) and _allowed(request, address, per_hour * 4)):
        return render(
            request,
            "error.html",
            status=429,
            message=t(request)(
                N_("Thank you — you have sent several opinions already. Please try again later.")
            ),
        )
    author = Actor(ref=f"web:{browser}", role=Role.CITIZEN)  # a pseudonym: nobody can tell who wrote it
    fields = await form(request)
    await catalogue_service.give_opinion(
        application.uow(), application.clock, author, int(request.match_info["id"]), fields.get("text", "")
    )
    raise done(request, "/guide/changes", t(request)(N_("Thank you. Your opinion reaches the task force.")))


def setup(app: web.Application) -> None:
    app.router.add_routes(routes)
