"""Choosing a Telegram runtime: the framework's library is imported only when it is chosen."""

from __future__ import annotations

from bot.telegram.base import FRAMEWORKS, ConversationDispatcher, RetryPolicy, TelegramRuntime
from nocert_core.bootstrap import Application
from nocert_core.logging import install_privacy_filter


def create_runtime(
    framework: str,
    app: Application,
    dispatcher: ConversationDispatcher,
    *,
    token: str,
    api_url: str = "https://api.telegram.org",
    polling_timeout: int = 30,
    retry: RetryPolicy | None = None,
) -> TelegramRuntime:
    """The runtime for `framework` ("aiogram" or "ptb"); the framework is imported only when chosen."""
    install_privacy_filter([token])  # request URLs carry the token (PTB logs them with -v)
    runtime_class: type[TelegramRuntime]
    if framework == "aiogram":
        from bot.telegram.aiogram_models import import_aiogram

        import_aiogram()  # its Bot API models built on first use: −100 MB (docs/memory.md)
        from bot.telegram.aiogram_runtime import AiogramRuntime

        runtime_class = AiogramRuntime
    elif framework == "ptb":
        from bot.telegram.ptb_runtime import PtbRuntime

        runtime_class = PtbRuntime
    else:
        raise ValueError(f"unknown Telegram framework {framework!r}; choose one of {', '.join(FRAMEWORKS)}")
    return runtime_class(
        app, dispatcher, token=token, api_url=api_url, polling_timeout=polling_timeout, retry=retry
    )
