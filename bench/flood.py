"""Flooding: how long does one user's flood delay everybody else? (issue 10)

One runtime (aiogram or python-telegram-bot) over the loopback fake Bot API (tests/fakebotapi.py), SQLite.
A flooder pushes `--flood` text messages at once; meanwhile `--others` other users each send /help every
`--interval` seconds. Measured: the others' latency (update pushed → reply seen) without and with the flood,
and whether every flooded message was answered (nothing lost) once the paced flood is worked off.
Pacing as configured by `--per-minute` / `--burst` (the defaults 30 / 15 would make a 500-message flood take
16 minutes to drain; the bench uses 600 / 15 so it drains in under a minute — the others' latency is what it
shows, and that does not depend on the rate).

    PYTHONPATH=. /work/venv/bin/python bench/flood.py [--frameworks aiogram ptb] [--flood 500] [--others 5]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import time
from pathlib import Path

from nocert_core.bootstrap import open_application
from nocert_core.settings import Settings
from tests.e2e.telegram_helpers import BotProcess
from tests.fakebotapi import FakeBotApi

FLOODER = 50_000


async def _latency(api: FakeBotApi, user_id: int, text: str, timeout: float = 60.0) -> float:
    before = len(api.messages_to(user_id))
    started = time.perf_counter()
    api.push_text(user_id, text, language="en")
    while len(api.messages_to(user_id)) == before:
        if time.perf_counter() - started > timeout:
            return timeout
        await asyncio.sleep(0.005)
    return time.perf_counter() - started


async def _others(api: FakeBotApi, others: int, rounds: int, interval: float) -> list[float]:
    async def one(user_id: int) -> list[float]:
        samples = []
        for _ in range(rounds):
            samples.append(await _latency(api, user_id, "/help"))
            await asyncio.sleep(interval)
        return samples

    results = await asyncio.gather(*(one(60_000 + index) for index in range(others)))
    return [sample for samples in results for sample in samples]


def _describe(samples: list[float]) -> str:
    ordered = sorted(samples)
    p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]
    return (
        f"p50 {statistics.median(ordered) * 1000:.0f} ms, p99 {p99 * 1000:.0f} ms, "
        f"max {ordered[-1] * 1000:.0f} ms ({len(ordered)} samples)"
    )


async def run(framework: str, args: argparse.Namespace) -> None:
    folder = Path(tempfile.mkdtemp(prefix="nocert-flood-"))
    settings = Settings(
        database_url=f"sqlite+aiosqlite:///{folder / 'flood.db'}",
        redis_url=None,
        telegram_token=None,
        rate_limit_per_minute=args.per_minute,
        rate_limit_burst=args.burst,
    )
    app = await open_application(settings)
    try:
        async with FakeBotApi() as api, BotProcess(framework, app, api):
            for index in range(args.others):
                await _latency(api, 60_000 + index, "/start")
            quiet = await _others(api, args.others, args.rounds, args.interval)
            for _ in range(args.flood):
                api.push_text(FLOODER, "/help", language="en")
            flooded = await _others(api, args.others, args.rounds, args.interval)
            started = time.perf_counter()
            while sum(1 for m in api.messages_to(FLOODER) if "What I can do" in m.text) < args.flood:
                if time.perf_counter() - started > args.drain_timeout:
                    break
                await asyncio.sleep(0.1)
            answered = sum(1 for m in api.messages_to(FLOODER) if "What I can do" in m.text)
            notes = sum(1 for m in api.messages_to(FLOODER) if "faster than I can answer" in m.text)
            print(f"{framework}: others without a flood: {_describe(quiet)}", flush=True)
            print(
                f"{framework}: others during a {args.flood}-message flood: {_describe(flooded)}", flush=True
            )
            print(
                f"{framework}: flood answered {answered}/{args.flood}, slow-down notes {notes}, "
                f"drained {time.perf_counter() - started:.0f} s after the others finished",
                flush=True,
            )
    finally:
        await app.close()


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--frameworks", nargs="+", default=["aiogram", "ptb"])
    parser.add_argument("--flood", type=int, default=500)
    parser.add_argument("--others", type=int, default=5)
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--interval", type=float, default=0.3)
    parser.add_argument("--per-minute", type=int, default=600)
    parser.add_argument("--burst", type=int, default=15)
    parser.add_argument("--drain-timeout", type=float, default=180.0)
    args = parser.parse_args()
    for framework in args.frameworks:
        asyncio.run(run(framework, args))


if __name__ == "__main__":
    main()
