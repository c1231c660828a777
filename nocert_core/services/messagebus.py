"""In-transaction event handlers.

Handlers run inside `uow.commit()` before the database commit, so what they write (outbox rows) is
committed in the same transaction as the change that caused it. Feature modules subscribe on import;
`nocert_core.services.subscribers` imports them all.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any, TypeVar

from nocert_core.domain.events import Event

if TYPE_CHECKING:
    from nocert_core.services.uow import AbstractUnitOfWork

E = TypeVar("E", bound=Event)
Handler = Callable[["AbstractUnitOfWork", Any], Awaitable[None]]
_handlers: dict[type[Event], list[Handler]] = defaultdict(list)


def subscribe(event_type: type[E]) -> Callable[[Handler], Handler]:
    def register(handler: Handler) -> Handler:
        if handler not in _handlers[event_type]:
            _handlers[event_type].append(handler)
        return handler

    return register


async def dispatch(uow: AbstractUnitOfWork, event: Event) -> None:
    for event_type in type(event).__mro__:
        for handler in _handlers.get(event_type, []):
            await handler(uow, event)
