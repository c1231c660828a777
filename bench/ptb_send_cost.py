"""The bot's CPU per Bot API call under python-telegram-bot: PTB's own httpx request against nocert's
(bot/telegram/ptb_request.py: a call without a file over aiohttp as one JSON body), the latter also as
nocert's runtime calls it: `JsonRequest.call` with the keyboard as JSON, no PTB objects built either way.

The fake Bot API (tests/fakebotapi.py) runs in a child process, so this process's CPU time is the client's
alone. Each round sends `--calls` messages with an inline keyboard (as a dialog step's reply), `--parallel`
at once, through each of the three in turn (forwards, then backwards in the next round; `--rounds` each),
and the report gives CPU µs per call, min / median over the rounds.

    PYTHONPATH=. /work/venv/bin/python bench/ptb_send_cost.py [--calls 2000] [--parallel 12] [--rounds 5]
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing
import os
import statistics
import sys
import time
from collections.abc import Callable
from multiprocessing.connection import Connection
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup  # noqa: E402
from telegram.request import BaseRequest, HTTPXRequest  # noqa: E402

from bot.telegram.ptb_request import JsonRequest  # noqa: E402


def serve(pipe: Connection) -> None:
    from tests.fakebotapi import FakeBotApi

    async def main() -> None:
        async with FakeBotApi() as api:
            pipe.send((api.base_url, api.token))
            await asyncio.get_running_loop().run_in_executor(None, pipe.recv)  # until told to stop

    asyncio.run(main())


KEYBOARD = {
    "inline_keyboard": [[{"text": "是", "callback_data": "@y:1"}, {"text": "否", "callback_data": "@n:1"}]]
}


async def one_round(
    request: BaseRequest, raw: bool, base_url: str, token: str, calls: int, parallel: int
) -> float:
    """`raw`: straight through `JsonRequest.call` with the keyboard as JSON (as nocert's PTB runtime
    sends); otherwise through PTB's `Bot.send_message` with PTB's keyboard objects."""
    bot = Bot(token, base_url=f"{base_url}/bot", request=request)
    keyboard = InlineKeyboardMarkup(
        [[InlineKeyboardButton("是", callback_data="@y:1"), InlineKeyboardButton("否", callback_data="@n:1")]]
    )
    url = f"{base_url}/bot{token}/sendMessage"
    async with bot:
        await bot.send_message(1001, "warm-up", reply_markup=keyboard)
        queue = iter(range(calls))

        async def sender() -> None:
            for number in queue:
                chat, text = 1001 + number % 50, f"第{number}步：请回答"
                if raw:
                    assert isinstance(request, JsonRequest)
                    sent = await request.call(url, {"chat_id": chat, "text": text, "reply_markup": KEYBOARD})
                    assert sent["message_id"]
                else:
                    await bot.send_message(chat, text, reply_markup=keyboard)

        started = time.process_time()
        await asyncio.gather(*(sender() for _ in range(parallel)))
        return (time.process_time() - started) / calls * 1e6


async def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--calls", type=int, default=2000)
    parser.add_argument("--parallel", type=int, default=12)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    print(f"load average before: {os.getloadavg()[0]:.1f}", flush=True)
    ours, theirs = multiprocessing.Pipe()
    server = multiprocessing.Process(target=serve, args=(theirs,), daemon=True)
    server.start()
    base_url, token = ours.recv()
    kinds: dict[str, tuple[Callable[[], BaseRequest], bool]] = {
        "PTB's HTTPXRequest, Bot.send_message": (lambda: HTTPXRequest(connection_pool_size=256), False),
        "nocert's JsonRequest, Bot.send_message": (lambda: JsonRequest(connection_pool_size=256), False),
        "nocert's JsonRequest.call, JSON keyboard": (lambda: JsonRequest(connection_pool_size=256), True),
    }
    results: dict[str, list[float]] = {name: [] for name in kinds}
    for number in range(args.rounds):
        order = list(kinds) if number % 2 == 0 else list(reversed(kinds))
        for name in order:
            make, raw = kinds[name]
            cost = await one_round(make(), raw, base_url, token, args.calls, args.parallel)
            results[name].append(cost)
            print(f"  round {number + 1} {name}: {cost:.0f} µs CPU per call", flush=True)
    ours.send("stop")
    server.join(10)
    print(f"load average after: {os.getloadavg()[0]:.1f}")
    print("| request | CPU µs per sendMessage, min / median |")
    print("|---|---|")
    for name, values in results.items():
        print(f"| {name} | {min(values):.0f} / {statistics.median(values):.0f} |")


if __name__ == "__main__":
    asyncio.run(main())
