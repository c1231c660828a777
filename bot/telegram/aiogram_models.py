"""aiogram imported with its pydantic models built on first use, not at import.

aiogram 3 declares every Bot API type (~300) and method (~170) as a pydantic model, and its import builds
them all: `aiogram.types` rebuilds every type (`model_rebuild`, to resolve forward references) and each method
is built as its class is defined. pydantic compiles a validator and a serializer per model, and each holds
the whole tree of models it reaches (a Message reaches most of the API), so importing aiogram cost +123 MB
of RSS and most of its import time — for models a bot like ours never sees (docs/memory.md).

`import_aiogram()` imports aiogram with those builds deferred: while it runs, pydantic's
`complete_model_class` leaves the models of `aiogram.types` and `aiogram.methods` with pydantic's own
"build me on first use" placeholders (what `defer_build=True` does, and what aiogram's types ask for), and
afterwards every such model gets, as its parent namespace, the one aiogram itself hands `model_rebuild`
(every `aiogram.types` name), so the forward references resolve when pydantic builds it. A model is then
built by pydantic the first time it validates or serializes: the first getUpdates builds `Update`, the
first reply `SendMessage` and `Message`. tests/unit/chat/test_aiogram_models.py checks that the deferred
models parse and dump what the eager ones do.

Call it before anything imports aiogram (`bot/telegram/runtimes.py` does, before importing the aiogram
runtime); if aiogram is already imported it does nothing.

Building a model is seconds of CPU on a loaded machine (`Update` reaches most of the API), and on first use
it happens on the event loop, in the middle of answering a user. With several instances that froze an
instance right after each (re)start while it held its first users' locks (issue 11's soak). So in webhook
mode `build_used_models` builds, before the server listens, the models the runtime uses for every update
(and the response models its session keeps), in a worker thread while nothing else runs.
"""

from __future__ import annotations

import sys
import threading
from typing import Any, Literal, Optional, Union

_DEFERRED_MODULES = ("aiogram.types.", "aiogram.methods.")
_lock = threading.Lock()


def import_aiogram() -> None:
    """Import aiogram, its Bot API models left to be built on first use (see the module docstring)."""
    with _lock:
        if "aiogram" in sys.modules:
            return
        from pydantic._internal import _model_construction
        from pydantic._internal._mock_val_ser import set_model_mocks

        complete = _model_construction.complete_model_class

        def deferred(cls: Any, *args: Any, **kwargs: Any) -> bool:
            if cls.__module__.startswith(_DEFERRED_MODULES):
                set_model_mocks(cls)
                return False
            return complete(cls, *args, **kwargs)

        _model_construction.complete_model_class = deferred
        try:
            import aiogram
            import aiogram.methods
            import aiogram.types
        finally:
            _model_construction.complete_model_class = complete
        _give_namespace(aiogram.types, aiogram.methods)


def _give_namespace(types: Any, methods: Any) -> None:
    """Every deferred model resolves its annotations in the namespace aiogram.types passes to
    `model_rebuild` (aiogram/types/__init__.py), kept weakly as pydantic keeps parent namespaces."""
    from aiogram.client.default import Default
    from pydantic import BaseModel
    from pydantic._internal._model_construction import build_lenient_weakvaluedict

    namespace = {
        "List": list,
        "Optional": Optional,
        "Union": Union,
        "Literal": Literal,
        "Default": Default,
        **{name: getattr(types, name) for name in types.__all__},
    }
    lenient = build_lenient_weakvaluedict(namespace)
    pending: list[type[BaseModel]] = [BaseModel]
    while pending:
        for model in pending.pop().__subclasses__():
            pending.append(model)
            if model.__module__.startswith(_DEFERRED_MODULES):
                model.__pydantic_parent_namespace__ = lenient


USED_TYPES = (
    "Update",
    "Message",
    "CallbackQuery",
    "InlineKeyboardMarkup",
    "InlineKeyboardButton",
    "ReplyKeyboardMarkup",
    "KeyboardButton",
    "ReplyKeyboardRemove",
    "BotCommand",
    "BotCommandScopeChat",
)
USED_METHODS = (
    "SendMessage",
    "EditMessageText",
    "SendPhoto",
    "SendDocument",
    "AnswerCallbackQuery",
    "SetMyCommands",
    "SetWebhook",
    "DeleteWebhook",
    "GetMe",
)


def build_used_models(response_models: dict[Any, Any]) -> None:
    """Build the models a runtime uses for each update and reply, and `Response[...]` of each method's
    result into `response_models` (bot/telegram/aiogram_session.py's cache). Not thread-safe against a
    concurrent first use: call it before updates can arrive."""
    from aiogram import methods, types
    from aiogram.methods import Response

    for name in USED_TYPES:
        getattr(types, name).model_rebuild()
    for name in USED_METHODS:
        method = getattr(methods, name)
        method.model_rebuild()
        returning = method.__returning__
        if returning not in response_models:
            response_models[returning] = Response[returning]  # type: ignore[valid-type]
