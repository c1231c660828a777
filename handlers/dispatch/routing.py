"""A small, aiogram-shaped router for transport-neutral conversations.

One `Router` per feature; `roles=` on the router is the role filter for everything in it. Handlers are
registered for commands, button prefixes (callback data `prefix:rest`) and dialog states, and receive a
`Context` (dependencies by name: `ctx.app`, `ctx.actor`, `ctx.t`, `ctx.state`). The `Dispatcher`
(handlers/dispatch/dispatcher.py) picks the handler, loads and saves dialog state, and serialises each user's
updates.
"""

from __future__ import annotations

import copy
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from handlers.types import Incoming, Reply

if TYPE_CHECKING:
    from handlers.dialogs.callbacks import Callback
from nocert_core.bootstrap import Application
from nocert_core.domain.accounts import Account
from nocert_core.domain.actors import Actor, Role
from nocert_core.i18n import Translator
from nocert_core.services.platform.uow import UnitOfWorkFactory


@dataclass
class DialogState:
    """Where a user is in a conversation: a state name and the answers so far (JSON-serialisable)."""

    name: str | None = None
    data: dict[str, Any] = field(default_factory=dict)
    # The stored version it was loaded at (0: nothing stored); None: not loaded, saved unconditionally.
    # A save with a version the storage no longer holds fails (StaleDialogState): no last-writer-wins.
    version: int | None = field(default=None, compare=False)

    def set(self, name: str | None, **data: Any) -> None:
        self.name = name
        self.data.update(data)

    def clear(self) -> None:
        self.name = None
        self.data = {}

    def copy(self) -> DialogState:
        """A deep copy (the dispatcher keeps the step before the handler ran)."""
        return DialogState(self.name, copy_data(self.data), self.version)


_ATOMS = (str, int, float, bool, type(None))


def copy_data(value: Any) -> Any:
    """A deep copy of JSON-like data (dicts, lists, tuples, strings, numbers), as `copy.deepcopy` makes it
    but ~5× cheaper: a dialog state with its step history is copied a few times per update (issue 15).
    Anything else is handed to `copy.deepcopy`."""
    kind = type(value)
    if kind is dict:
        return {key: copy_data(item) for key, item in value.items()}
    if kind is list:
        return [copy_data(item) for item in value]
    if kind in _ATOMS:
        return value
    if kind is tuple:
        return tuple(copy_data(item) for item in value)
    return copy.deepcopy(value)


@dataclass
class Context:
    app: Application
    incoming: Incoming
    account: Account
    actor: Actor
    t: Translator
    state: DialogState
    callback: Callback | None = None  # the pressed button's validated data (handlers/dialogs/callbacks.py)
    # the update's own (nocert_core.services.platform.joined_uow)
    transaction: UnitOfWorkFactory | None = None

    @property
    def uow(self) -> UnitOfWorkFactory:
        """Units of work for the use cases this update calls: all in the update's one transaction."""
        return self.transaction if self.transaction is not None else self.app.uow

    def reply(self, msgid: str, buttons: list[list[Any]] | None = None, **params: Any) -> Reply:
        return Reply(self.t(msgid, **params), buttons=buttons or [])


HandlerResult = Reply | list[Reply] | None
Handler = Callable[[Context], Awaitable[HandlerResult]]


class Router:
    def __init__(self, name: str, roles: Iterable[Role] | None = None) -> None:
        self.name = name
        self.roles = frozenset(roles) if roles is not None else None
        self.commands: dict[str, Handler] = {}
        self.buttons: dict[str, Handler] = {}
        self.states: dict[str, Handler] = {}

    def allows(self, actor: Actor) -> bool:
        return self.roles is None or actor.role in self.roles

    def command(self, *names: str) -> Callable[[Handler], Handler]:
        def register(handler: Handler) -> Handler:
            for name in names:
                self.commands[name] = handler
            return handler

        return register

    def button(self, prefix: str) -> Callable[[Handler], Handler]:
        """Callback data `prefix` or `prefix:…`."""

        def register(handler: Handler) -> Handler:
            self.buttons[prefix] = handler
            return handler

        return register

    def state(self, *names: str) -> Callable[[Handler], Handler]:
        """Free input (text, contact, unsupported) while the dialog is in one of these states."""

        def register(handler: Handler) -> Handler:
            for name in names:
                self.states[name] = handler
            return handler

        return register
