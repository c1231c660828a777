"""Feature repositories attached to every SQLAlchemy unit of work, so features (catalogue, oversight,
chat) add their own without editing the core unit of work."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

Attacher = Callable[[Any], None]
_attachers: list[Attacher] = []


def register(attacher: Attacher) -> Attacher:
    if attacher not in _attachers:
        _attachers.append(attacher)
    return attacher


def attach(uow: Any) -> None:
    import nocert_core.adapters.tables  # noqa: F401 - feature modules register on import

    for attacher in _attachers:
        attacher(uow)
