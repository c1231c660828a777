"""Small helpers the page modules share."""

from __future__ import annotations

import json
from typing import Any

from aiohttp import web

from bot.web.keys import APP_KEY
from nocert_core.bootstrap import Application


def app_of(request: web.Request) -> Application:
    return request.app[APP_KEY]


def script_json(value: Any) -> str:
    """JSON safe inside <script type="application/json"> (no "</script>" break-out)."""
    return json.dumps(value, ensure_ascii=False, default=str).replace("<", "\\u003c").replace(">", "\\u003e")


def pct(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.0f}%"


def is_partial(request: web.Request) -> bool:
    return request.headers.get("X-Partial") == "1"


async def form(request: web.Request) -> dict[str, str]:
    data = await request.post()
    return {key: str(value).strip() for key, value in data.items() if isinstance(value, str)}
