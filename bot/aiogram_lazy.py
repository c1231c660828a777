"""Import aiogram with its Telegram types built on first use instead of all at import.

`aiogram.types` ends by calling `model_rebuild` on every one of its ~300 pydantic models, which builds
every validator at import: about 4 s of CPU on the development machine, half of `nocert run`'s start-up
and most of what a bot killed and restarted spends before its first getUpdates (docs/startup.md). The
models themselves are declared with pydantic's `defer_build=True`; only that loop forces the build.

Importing this module first makes that loop remember the namespace it passes (the forward references of
aiogram's types are resolved in it) instead of building; pydantic builds a model the first time it is
validated or serialised, and the `model_rebuild` of aiogram's base classes then uses the remembered
namespace (also for the methods, which aiogram declares after the types and which refer to them), so the
result is the model aiogram's loop would have built. The first update and the first send pay for the
few types they use (a fraction of a second), not for all of them.

If aiogram was imported before this module, its types are already built and nothing changes.
"""

from __future__ import annotations

import sys
from typing import Any

from pydantic import BaseModel

_NAMESPACE = "_nocert_types_namespace"


def _install() -> None:
    if "aiogram.types" in sys.modules:
        return
    saved = BaseModel.__dict__["model_rebuild"]
    remembered: list[Any] = []
    original = saved.__func__

    def remember(
        cls: type[BaseModel],
        *,
        force: bool = False,
        raise_errors: bool = True,
        _parent_namespace_depth: int = 2,
        _types_namespace: Any = None,
    ) -> bool | None:
        if cls.__module__.startswith("aiogram.types") and _types_namespace is not None and not force:
            type.__setattr__(cls, _NAMESPACE, _types_namespace)
            remembered.append(_types_namespace)
            return None
        return original(
            cls,
            force=force,
            raise_errors=raise_errors,
            _parent_namespace_depth=_parent_namespace_depth + 1,
            _types_namespace=_types_namespace,
        )

    def build(
        cls: type[BaseModel],
        *,
        force: bool = False,
        raise_errors: bool = True,
        _parent_namespace_depth: int = 2,
        _types_namespace: Any = None,
    ) -> bool | None:
        if _types_namespace is None:
            _types_namespace = getattr(cls, _NAMESPACE, None) or (remembered[0] if remembered else None)
        return original(
            cls,
            force=force,
            raise_errors=raise_errors,
            _parent_namespace_depth=_parent_namespace_depth + 1,
            _types_namespace=_types_namespace,
        )

    BaseModel.model_rebuild = classmethod(remember)  # type: ignore[assignment, method-assign]
    try:
        from aiogram.client.context_controller import BotContextController
        from aiogram.methods.base import Request, Response
    finally:
        type.__setattr__(BaseModel, "model_rebuild", saved)
    # every aiogram model (types, methods, the generic Response[...]) resolves its names in that namespace
    for base in (BotContextController, Request, Response):
        base.model_rebuild = classmethod(build)  # type: ignore[assignment, method-assign]


_install()
