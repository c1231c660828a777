"""The one HTTP application: the web console, the public guidance page and — mounted by other features on
the same `web.Application` — Telegram webhooks, /healthz and /metrics (issue 11).

Middlewares, outermost first: security headers → who is this (session cookie → account → Actor; an
anonymous browser gets a random cookie) → CSRF on every unsafe method → domain errors as pages
("not allowed" renders exactly like "not found"). Routes that are not forms (webhooks) opt out of CSRF with
`csrf_exempt(prefix)`.
"""

from __future__ import annotations

import secrets
from collections.abc import Awaitable, Callable, Iterable
from pathlib import Path

from aiohttp import web

from bot.web.keys import (
    ACCOUNT,
    ACTOR,
    APP_KEY,
    BROWSER_IS_NEW,
    BROWSER_SECRET,
    ENV_KEY,
    LIMITS_KEY,
    SESSION_TOKEN,
    SIGNER_KEY,
)
from bot.web.render import environment, render, t
from bot.web.security import BROWSER_COOKIE, CSRF_FIELD, SESSION_COOKIE, Signer
from nocert_core.bootstrap import Application
from nocert_core.domain.labels import error_text
from nocert_core.errors import DomainError, NotFound, PermissionDenied
from nocert_core.i18n import N_
from nocert_core.services.access import web_access

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
Mount = Callable[[web.Application], None]
STATIC = Path(__file__).parent / "static"
CSRF_EXEMPT_KEY = web.AppKey("nocert_csrf_exempt", list[str])
UNSAFE = frozenset({"POST", "PUT", "PATCH", "DELETE"})
CSP = (
    "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; script-src 'self'; "
    "frame-ancestors 'none'; form-action 'self'; base-uri 'none'"
)


@web.middleware
async def security_headers(request: web.Request, handler: Handler) -> web.StreamResponse:
    response = await handler(request)
    response.headers.setdefault("Content-Security-Policy", CSP)
    response.headers.setdefault("Referrer-Policy", "no-referrer")  # sign-in links never leak onwards
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    if request.get(ACTOR) is not None:
        response.headers.setdefault("Cache-Control", "no-store")
    elif request.path.startswith("/static/") and "v" in request.query:
        response.headers.setdefault("Cache-Control", "public, max-age=31536000, immutable")  # versioned URL
    return response


@web.middleware
async def identify(request: web.Request, handler: Handler) -> web.StreamResponse:
    if request.path.startswith("/static/"):
        return await handler(request)  # files: nobody needs to be looked up
    signer = request.app[SIGNER_KEY]
    application = request.app[APP_KEY]
    token = signer.unsign("session", request.cookies.get(SESSION_COOKIE))
    if token:
        account = await web_access.session_account(application.uow(), application.clock, token)
        if account is not None:
            request[ACCOUNT] = account
            request[ACTOR] = account.as_actor()
            request[SESSION_TOKEN] = token
    browser = signer.unsign("browser", request.cookies.get(BROWSER_COOKIE))
    if browser is None:
        browser = secrets.token_urlsafe(24)
        request[BROWSER_IS_NEW] = True
    request[BROWSER_SECRET] = browser
    return await handler(request)


@web.middleware
async def csrf(request: web.Request, handler: Handler) -> web.StreamResponse:
    if request.method in UNSAFE and not any(request.path.startswith(p) for p in request.app[CSRF_EXEMPT_KEY]):
        token = request.headers.get("X-CSRF-Token")
        if token is None and request.content_type in (
            "application/x-www-form-urlencoded",
            "multipart/form-data",
        ):
            token = str((await request.post()).get(CSRF_FIELD, ""))
        secret = request.get(SESSION_TOKEN) or request.get(BROWSER_SECRET)
        if not request.app[SIGNER_KEY].csrf_ok(secret, token):
            return render(
                request,
                "error.html",
                status=403,
                message=t(request)(N_("This form has expired. Go back, reload the page and try again.")),
            )
    return await handler(request)


@web.middleware
async def domain_errors(request: web.Request, handler: Handler) -> web.StreamResponse:
    try:
        return await handler(request)
    except (NotFound, PermissionDenied):
        return render(request, "not_found.html", status=404)
    except DomainError as error:
        return render(request, "error.html", status=400, message=error_text(error, t(request)))


async def not_found_page(request: web.Request, handler: Handler) -> web.StreamResponse:
    try:
        return await handler(request)
    except web.HTTPNotFound:
        return render(request, "not_found.html", status=404)


def csrf_exempt(app: web.Application, prefix: str) -> None:
    """For routes that authenticate otherwise (Telegram's secret header on a webhook)."""
    app[CSRF_EXEMPT_KEY].append(prefix)


def create_web_app(
    application: Application, *, secret: str | None = None, mounts: Iterable[Mount] = ()
) -> web.Application:
    """The aiohttp application; `mounts` add other features' routes (webhooks, health, metrics)."""
    from bot.web import adjustments, auth, notices, oversight, public, register, taskforce, unit

    app = web.Application(
        middlewares=[security_headers, identify, web.middleware(not_found_page), csrf, domain_errors],
        client_max_size=256 * 1024,
    )
    app[APP_KEY] = application
    app[SIGNER_KEY] = Signer(secret if secret is not None else application.settings.web_secret)
    app[ENV_KEY] = environment()
    app[LIMITS_KEY] = {}
    app[CSRF_EXEMPT_KEY] = []
    app.router.add_static("/static", STATIC, append_version=True, name="static")
    for feature in (auth, taskforce, oversight, notices, register, unit, adjustments, public):
        feature.setup(app)
    for mount in mounts:
        mount(app)
    return app
