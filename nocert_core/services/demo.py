"""The demo data set (`nocert init --demo`, and the console's first start on an empty database).

Each feature contributes a loader; loaders must be idempotent (running twice changes nothing).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from nocert_core.bootstrap import Application

DemoLoader = Callable[["Application"], Awaitable[str]]  # returns a one-line summary of what it loaded
_loaders: list[tuple[int, DemoLoader]] = []


def register_demo_loader(order: int) -> Callable[[DemoLoader], DemoLoader]:
    """Lower `order` runs first (units 10, staff accounts 20, complaints 30, catalogue 40, oversight 50)."""

    def register(loader: DemoLoader) -> DemoLoader:
        if all(existing is not loader for _, existing in _loaders):
            _loaders.append((order, loader))
        return loader

    return register


def _import_feature_loaders() -> None:
    # One import line per feature module that registers a loader.
    import nocert_core.demo.foundation  # units (order 10), complaints (order 30)
    import nocert_core.services.accounts  # console staff accounts (order 20)
    import nocert_core.services.catalogue_demo  # the demo catalogue (order 40)


async def load_demo(app: Application) -> list[str]:
    _import_feature_loaders()
    summaries = []
    for _, loader in sorted(_loaders, key=lambda item: item[0]):
        summaries.append(await loader(app))
    return summaries
