"""Every feature's Router, in the order the dispatcher consults them. Add one line per feature module."""

from __future__ import annotations

from handlers.routing import Router


def all_routers() -> list[Router]:
    routers: list[Router] = []
    # Feature modules append their router here, e.g.:
    #   from handlers import guidance
    #   routers.append(guidance.router)
    return routers
