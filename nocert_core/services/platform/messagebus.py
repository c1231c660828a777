"""In-transaction event handlers.

Handlers run inside `uow.commit()` before the database commit, so what they write (outbox rows) is
committed in the same transaction as the change that caused it. Which handlers an event has is decided in
one place, `nocert_core.bootstrap.EVENT_HANDLERS`, and handed to the unit of work factory.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from nocert_core.domain.events import Event

if TYPE_CHECKING:
    from nocert_core.services.platform.uow import AbstractUnitOfWork

Handler = Callable[["AbstractUnitOfWork", Any], Awaitable[None]]
EventHandlers = Mapping[type[Event], Sequence[Handler]]


async def dispatch(handlers: EventHandlers, uow: AbstractUnitOfWork, event: Event) -> None:
    """Run the handlers of the event's class and of its base classes."""
    for event_type in type(event).__mro__:
        for handler in handlers.get(event_type, ()):
            await handler(uow, event)
