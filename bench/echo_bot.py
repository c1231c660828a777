"""A bare echo bot of each framework, the baseline of bench/dialog_bench.py.

It does per update what the framework minimally must: a text is sent back as it came, a pressed button is
answered (answerCallbackQuery) and then one message is sent, exactly the calls nocert makes for one
update with one reply. Long polling as `nocert run` does it.

    python bench/echo_bot.py aiogram|ptb --api http://127.0.0.1:PORT --token 123:ABC
"""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
from typing import Any

PARALLEL = 32  # as many updates at once as nocert's runtime serves users in parallel


async def run_aiogram(api: str, token: str, polling_timeout: int) -> None:
    from aiogram import Bot, Dispatcher
    from aiogram.client.session.aiohttp import AiohttpSession
    from aiogram.client.telegram import TelegramAPIServer
    from aiogram.types import CallbackQuery, Message

    bot = Bot(token, session=AiohttpSession(api=TelegramAPIServer.from_base(api)))
    dispatcher = Dispatcher()

    @dispatcher.message()
    async def echo(message: Message) -> None:
        await bot.send_message(message.chat.id, message.text or "?")

    @dispatcher.callback_query()
    async def button(query: CallbackQuery) -> None:
        await query.answer()
        chat_id = query.message.chat.id if query.message is not None else query.from_user.id
        await bot.send_message(chat_id, query.data or "?")

    await dispatcher.start_polling(bot, polling_timeout=polling_timeout, handle_signals=True)


def run_ptb(api: str, token: str, polling_timeout: int) -> None:
    from telegram import Update
    from telegram.ext import ApplicationBuilder, CallbackQueryHandler, MessageHandler, filters

    async def echo(update: Update, context: Any) -> None:
        message = update.message
        if message is not None:
            await context.bot.send_message(message.chat.id, message.text or "?")

    async def button(update: Update, context: Any) -> None:
        query = update.callback_query
        assert query is not None
        await query.answer()
        chat_id = query.message.chat.id if query.message is not None else query.from_user.id
        await context.bot.send_message(chat_id, query.data or "?")

    application = (
        ApplicationBuilder()
        .token(token)
        .base_url(f"{api}/bot")
        .base_file_url(f"{api}/file/bot")
        .concurrent_updates(PARALLEL)
        .get_updates_read_timeout(polling_timeout + 10)
        .build()
    )
    application.add_handler(MessageHandler(filters.UpdateType.MESSAGE, echo))
    application.add_handler(CallbackQueryHandler(button))
    application.run_polling(
        poll_interval=0.0,
        timeout=polling_timeout,
        allowed_updates=[Update.MESSAGE, Update.CALLBACK_QUERY],
        stop_signals=(signal.SIGINT, signal.SIGTERM),
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("framework", choices=["aiogram", "ptb"])
    parser.add_argument("--api", default=os.environ.get("NOCERT_TELEGRAM_API_URL", ""))
    parser.add_argument("--token", default=os.environ.get("NOCERT_TELEGRAM_TOKEN", ""))
    parser.add_argument("--polling-timeout", type=int, default=30)
    args = parser.parse_args()
    if args.framework == "aiogram":
        asyncio.run(run_aiogram(args.api, args.token, args.polling_timeout))
    else:
        run_ptb(args.api, args.token, args.polling_timeout)


if __name__ == "__main__":
    main()
