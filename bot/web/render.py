"""Jinja2 rendering in the visitor's language: templates call `_("English msgid", name=value)` — the same
gettext catalogues as the chat (locales/*/LC_MESSAGES/web.po holds the console's own strings)."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import jinja2
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
from bot.web.security import BROWSER_COOKIE, SESSION_COOKIE
from nocert_core.domain.complaint_lifecycle import Action, ComplaintStatus, RejectionGround
from nocert_core.domain.labels import label_for, label_of
from nocert_core.i18n import SUPPORTED_LOCALES, Translator, normalise_locale, translator

TEMPLATES = Path(__file__).parent / "templates"
FLASH_COOKIE = "nocert_flash"
RAW_KINDS: dict[str, type[StrEnum]] = {"status": ComplaintStatus, "action": Action, "ground": RejectionGround}


def environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=jinja2.select_autoescape(["html"]),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def request_locale(request: web.Request) -> str:
    """Signed in: the account's language; otherwise ?lang=, the lang cookie, then Accept-Language."""
    wanted = request.query.get("lang") or request.cookies.get("nocert_lang")
    if wanted in SUPPORTED_LOCALES:
        return wanted
    account = request.get(ACCOUNT)
    if account is not None and not wanted:
        return str(account.locale)
    header = request.headers.get("Accept-Language", "")
    return normalise_locale(header.split(",")[0] if header else None)


def t(request: web.Request) -> Translator:
    return translator(request_locale(request))


def csrf_token(request: web.Request) -> str:
    signer = request.app[SIGNER_KEY]
    secret = request.get(SESSION_TOKEN) or request.get(BROWSER_SECRET) or ""
    return signer.csrf_token(secret) if secret else ""


def render(request: web.Request, template: str, status: int = 200, **context: Any) -> web.Response:
    translate = t(request)
    settings = request.app[APP_KEY].settings
    tz = ZoneInfo(settings.timezone)

    def local(value: datetime | date | None, with_time: bool = True) -> str:
        if value is None:
            return ""
        if isinstance(value, datetime):
            shown = value.astimezone(tz)
            return shown.strftime("%Y-%m-%d %H:%M" if with_time else "%Y-%m-%d")
        return value.isoformat()

    def label(value: StrEnum | None) -> str:
        return label_for(value, translate)

    def label_raw(kind: str, raw: str | None) -> str:
        return label_of(RAW_KINDS[kind], raw, translate)

    context.setdefault("message", _flash_of(request))
    body = (
        request.app[ENV_KEY]
        .get_template(template)
        .render(
            _=translate,
            label=label,
            label_raw=label_raw,
            local=local,
            locale=translate.locale,
            actor=request.get(ACTOR),
            account=request.get(ACCOUNT),
            csrf=csrf_token(request),
            path=request.path,
            static=lambda name: str(request.app.router["static"].url_for(filename=name)),
            **context,
        )
    )
    response = web.Response(text=body, content_type="text/html", status=status)
    _remember_browser(request, response)
    if request.cookies.get(FLASH_COOKIE):
        response.del_cookie(FLASH_COOKIE, path="/")
    return response


def _flash_of(request: web.Request) -> str | None:
    return request.app[SIGNER_KEY].unsign("flash", request.cookies.get(FLASH_COOKIE))


def done(request: web.Request, location: str, message: str) -> web.HTTPSeeOther:
    """Redirect after a successful form (post/redirect/get) with a one-time confirmation to show. A change
    made here drops this process's overview snapshot (bot/web/taskforce.py): its author sees it at once."""
    request.app[LIMITS_KEY].pop("overview", None)
    response = web.HTTPSeeOther(location)
    signed = request.app[SIGNER_KEY].sign("flash", message)
    response.set_cookie(FLASH_COOKIE, signed, httponly=True, samesite="Strict", path="/", max_age=60)
    return response


def _remember_browser(request: web.Request, response: web.StreamResponse) -> None:
    """An anonymous browser gets a random cookie the first time: its CSRF tokens are derived from it."""
    if request.get(BROWSER_IS_NEW) and not request.cookies.get(SESSION_COOKIE):
        response.set_cookie(
            BROWSER_COOKIE,
            request.app[SIGNER_KEY].sign("browser", request[BROWSER_SECRET]),
            httponly=True,
            samesite="Strict",
            secure=request.secure,
            path="/",
        )
    wanted = request.query.get("lang")
    if wanted in SUPPORTED_LOCALES:
        response.set_cookie("nocert_lang", wanted, samesite="Lax", path="/", max_age=365 * 86400)
