"""A module imported on first use (the standard library's `importlib.util.LazyLoader`).

For modules that are many classes built at import and needed only on some paths: the complaint's domain
events (`domain/events.py` and the payloads of `domain/notifications.py`, tens of dataclasses) are created
only when a complaint changes, and a read-only CLI command never changes one (docs/startup.md). The bot
imports them eagerly anyway (`bootstrap.py` maps every event to its handlers)."""

from __future__ import annotations

import importlib.util
import sys
from types import ModuleType


def lazy_module(name: str) -> ModuleType:
    """Module `name`, executed when one of its attributes is first read (at once if already imported)."""
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.find_spec(name)
    if spec is None or spec.loader is None:
        raise ImportError(f"no module named {name!r}", name=name)
    loader = importlib.util.LazyLoader(spec.loader)
    spec.loader = loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    loader.exec_module(module)
    parent, _, child = name.rpartition(".")
    if parent in sys.modules:
        setattr(sys.modules[parent], child, module)
    return module
