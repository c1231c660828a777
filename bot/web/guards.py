"""Who may open a page: the SAME role filters as the chat's routers (handlers/complaints/staff.py,
handlers/oversight/supervision.py), so a role allowed a command in chat is allowed the page and no other.
Row-level checks (which unit's complaints) stay in the services the pages call."""

from __future__ import annotations

from aiohttp import web

from bot.web.keys import ACTOR
from nocert_core.domain.actors import Actor
from nocert_core.errors import NotFound


def signed_in(request: web.Request) -> Actor:
    actor: Actor | None = request.get(ACTOR)
    if actor is None:
        raise web.HTTPSeeOther("/signin")
    return actor


def task_force(request: web.Request) -> Actor:
    """Pages behind the chat's supervision commands (/overdue, /report, /rectify …)."""
    from handlers.oversight.supervision import router

    actor = signed_in(request)
    if not router.allows(actor):
        raise NotFound()  # looks exactly like a page that does not exist
    return actor


def unit_desk(request: web.Request) -> Actor:
    """Pages behind the chat's staff commands (/queue, /case and the case buttons)."""
    from handlers.complaints.staff import router

    actor = signed_in(request)
    if not router.allows(actor):
        raise NotFound()
    return actor
