"""The demo data set (`nocert init --demo`, and the console's first start on an empty database).

Each feature contributes a loader; `nocert_core.bootstrap.DEMO_LOADERS` lists them in the order they run.
Loaders must be idempotent (running twice changes nothing).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence

from nocert_core.services.platform.uow import AppContext

DemoLoader = Callable[[AppContext], Awaitable[str]]  # returns a one-line summary of what it loaded


async def load_demo(app: AppContext, loaders: Sequence[DemoLoader]) -> list[str]:
    return [await loader(app) for loader in loaders]
