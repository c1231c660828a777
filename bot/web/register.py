"""(filled in by the next pieces of issue 14)"""

from __future__ import annotations

from aiohttp import web


def setup(app: web.Application) -> None:
    return None
