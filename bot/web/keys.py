"""Typed keys of what the web application carries (aiohttp AppKey): other features mount onto the same app
and read these (e.g. issue 11's webhook route reads APP_KEY)."""

from __future__ import annotations

from typing import Any

import jinja2
from aiohttp import web

from bot.web.security import Signer
from nocert_core.bootstrap import Application
from nocert_core.domain.accounts import Account
from nocert_core.domain.actors import Actor

APP_KEY = web.AppKey("nocert_application", Application)
SIGNER_KEY = web.AppKey("nocert_signer", Signer)
ENV_KEY = web.AppKey("nocert_jinja", jinja2.Environment)
LIMITS_KEY = web.AppKey("nocert_limits", dict[str, Any])

# Per request, set by the `identify` middleware.
ACCOUNT = web.RequestKey("nocert_account", Account)
ACTOR = web.RequestKey("nocert_actor", Actor)
SESSION_TOKEN = web.RequestKey("nocert_session_token", str)
BROWSER_SECRET = web.RequestKey("nocert_browser_secret", str)
BROWSER_IS_NEW = web.RequestKey("nocert_browser_is_new", bool)
