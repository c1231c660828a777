"""Sign-in by one-time link, sign-out, and the landing redirect.

GET /login/<token> only shows a button: link previews (Telegram fetches URLs in messages) must not spend
the link; the POST that the button sends spends it and sets the session cookie."""

from __future__ import annotations

from aiohttp import web

from bot.web.guards import signed_in
from bot.web.keys import ACTOR, APP_KEY, SESSION_TOKEN, SIGNER_KEY
from bot.web.render import render
from bot.web.security import SESSION_COOKIE
from nocert_core.services.access import web_access

routes = web.RouteTableDef()


@routes.get("/")
async def home(request: web.Request) -> web.StreamResponse:
    actor = request.get(ACTOR)
    if actor is None:
        raise web.HTTPSeeOther("/guide")
    raise web.HTTPSeeOther("/tf" if actor.is_supervisor else "/unit")


@routes.get("/signin")
async def signin(request: web.Request) -> web.StreamResponse:
    return render(request, "signin.html")


@routes.get("/login/{token}")
async def login_page(request: web.Request) -> web.StreamResponse:
    return render(request, "login.html", token=request.match_info["token"])


@routes.post("/login")
async def login(request: web.Request) -> web.StreamResponse:
    application = request.app[APP_KEY]
    token = str((await request.post()).get("token", ""))[:200]
    session = await web_access.open_session(application.uow(), application.clock, token)
    response = web.HTTPSeeOther("/")
    response.set_cookie(
        SESSION_COOKIE,
        request.app[SIGNER_KEY].sign("session", session.token),
        max_age=application.settings.web_session_hours * 3600,
        httponly=True,
        samesite="Strict",
        secure=application.settings.web_base_url.startswith("https://"),
        path="/",
    )
    raise response


@routes.post("/logout")
async def logout(request: web.Request) -> web.StreamResponse:
    signed_in(request)
    application = request.app[APP_KEY]
    await web_access.close_session(application.uow(), application.clock, request[SESSION_TOKEN])
    response = web.HTTPSeeOther("/signin")
    response.del_cookie(SESSION_COOKIE, path="/")
    raise response


def setup(app: web.Application) -> None:
    app.router.add_routes(routes)
