"""Nightly-size fuzz run over the real Telegram runtimes (issue 10): aiogram and python-telegram-bot, each
against the loopback fake Bot API (tests/fakebotapi.py), the same seeded random walks as the test suite's
fuzz (tests/fuzzing/: valid answers, hostile text, unknown commands, shown, mutated and forged buttons)
plus a poison update (one the library cannot parse) every `--poison-every` inputs.

Reports per runtime: inputs, tracebacks (log records at ERROR or with exception info, exceptions escaping a
handler), hangs (an update not handled within 10 s), stuck users (no menu after /cancel, /start), buttons
the bot sent that its own codec cannot parse, dialog states reached, poison updates skipped, wall time.
Flood limits are off (as in the test settings): the walks send as fast as the bot answers.

    PYTHONPATH=. /work/venv/bin/python bench/fuzz.py [--inputs 10000] [--users 40] [--seed 20261130]
        [--frameworks aiogram ptb] [--database sqlite|postgres]
Exit status 1 when any runtime has a traceback, a hang or a stuck user.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import random
import sys
import tempfile
import time
from pathlib import Path

from bench import task_dump
from handlers.dispatch.dispatcher import DatabaseStateStorage
from nocert_core.bootstrap import Application, open_application
from nocert_core.domain.actors import CLI_ADMIN, Actor, Role
from nocert_core.services.access.invites import create_invite
from nocert_core.services.catalogue import guidance as guidance_service
from nocert_core.services.complaints import handling as svc
from nocert_core.services.complaints.handling import ComplaintDraft
from nocert_core.settings import Settings
from tests.e2e.telegram_helpers import BotProcess, TelegramChat
from tests.fakebotapi import FakeBotApi
from tests.fuzzing.walks import Findings, TracebackCatcher, check_not_stuck, walk
from tests.integration.chat_driver import FACTS, add_units

SLOW_AFTER, HANG_AFTER = 10.0, 70.0  # seconds: answered later than 10 s is slow; not within 70 s, a hang
POISON = {"message": {"message_id": "x", "date": "yesterday", "chat": 5, "text": "13805361234"}}


class TelegramDriver:
    """One Telegram user of the fuzz: every input goes through the fake Bot API and the real runtime."""

    def __init__(self, chat: TelegramChat, app: Application, name: str) -> None:
        self.chat = chat
        self.app = app
        self.name = name
        self.storage = DatabaseStateStorage(app)

    async def text(self, text: str) -> None:
        await self._settle(self.chat.api.push_text(self.chat.user_id, text, language=self.chat.language))

    async def command(self, command: str, args: str) -> None:
        await self.text(f"/{command} {args}".rstrip())

    async def press(self, data: str) -> None:
        await self._settle(self.chat.api.push_callback(self.chat.user_id, data, language=self.chat.language))

    async def _settle(self, update_id: int) -> None:
        assert self.chat.bot.runtime is not None
        await self.chat.bot.runtime.wait_processed(update_id, timeout=HANG_AFTER)
        self.chat.inbox()

    def buttons(self) -> list[str]:
        return [data for message in self.chat.last for data in message.button_data]

    def last_text(self) -> str:
        return self.chat.text

    async def state_name(self) -> str | None:
        return (await self.storage.load(f"telegram:{self.chat.user_id}")).name


async def _users(app: Application, bot: BotProcess, count: int) -> list[TelegramDriver]:
    """Citizens, staff of two units and supervisors (bound by invite), about 6 : 3 : 1."""
    drivers: list[TelegramDriver] = []
    for index in range(count):
        user_id = 10_000 + index
        chat = TelegramChat(bot, user_id, language="en" if index % 2 else "zh-hans")
        kind = index % 10
        if kind in (6, 7, 8, 9):
            role = Role.SUPERVISOR if kind == 9 else Role.STAFF
            unit = None if kind == 9 else ("KW-SPJ" if kind % 2 else "WC-SPJ")
            invite = await create_invite(app.uow(), app.clock, CLI_ADMIN, unit_code=unit, role=role)
            await chat.send(f"/start {invite.code}")
            name = f"{role.value} {unit or ''} {user_id}"
        else:
            name = f"citizen {user_id}"
        drivers.append(TelegramDriver(chat, app, name.replace("  ", " ")))
    return drivers


async def fuzz_runtime(framework: str, args: argparse.Namespace) -> tuple[Findings, int, float]:
    folder = Path(tempfile.mkdtemp(prefix=f"nocert-fuzz-{framework}-"))
    url = f"sqlite+aiosqlite:///{folder / 'fuzz.db'}"
    if args.database == "postgres":
        import asyncpg

        name = f"nocert_fuzz_{framework}_{int(time.time())}"
        connection = await asyncpg.connect(args.postgres_admin)
        await connection.execute(f'CREATE DATABASE "{name}"')
        await connection.close()
        url = f"postgresql+asyncpg://postgres@127.0.0.1:5432/{name}"
    settings = Settings(
        database_url=url,
        redis_url=None,
        telegram_token=None,
        rate_limit_per_minute=0,
        max_complaints_per_day=0,
    )
    app = await open_application(settings)
    findings = Findings()
    catcher = TracebackCatcher(findings)
    logging.getLogger().addHandler(catcher)
    started = time.perf_counter()
    poisoned = 0
    try:
        await add_units(app)
        await guidance_service.load_index(app.uow())  # as `nocert run` warms it up before users arrive
        citizen = Actor("telegram:10000", Role.CITIZEN)
        for agency in ("奎文区行政审批服务局", "潍城区行政审批服务局"):
            draft = ComplaintDraft("王芳", "13805361234", agency, "demand", "reasons", FACTS)
            await svc.register_complaint(app.uow(), app.clock, citizen, draft)
        async with FakeBotApi() as api, BotProcess(framework, app, api) as bot:
            drivers = await _users(app, bot, args.users)
            per_user = max(1, args.inputs // len(drivers))
            rng = random.Random(args.seed)
            seeds = [rng.random() for _ in drivers]

            async def poison_now_and_then() -> None:
                nonlocal poisoned
                while True:
                    await asyncio.sleep(args.poison_seconds)
                    api.push_raw(POISON)
                    poisoned += 1

            async def watchdog() -> None:  # inputs stopped being answered: what does every task await?
                seen, quiet = findings.inputs, 0.0
                while True:
                    await asyncio.sleep(5)
                    quiet = quiet + 5 if findings.inputs == seen else 0.0
                    seen = findings.inputs
                    if quiet == args.dump_after:
                        task_dump.dump(args.dump, f"{framework}: no new input for {quiet:.0f} s")

            dumped_slow = 0

            def on_slow(what: str) -> None:  # the first few inputs outlasting SLOW_AFTER: what awaits what
                nonlocal dumped_slow
                dumped_slow += 1
                if dumped_slow <= 3:
                    task_dump.dump(args.dump, f"{framework}: no answer within {SLOW_AFTER:.0f} s to {what}")

            poisoner = asyncio.create_task(poison_now_and_then())
            dog = asyncio.create_task(watchdog())
            task_dump.install(args.dump)
            try:
                await asyncio.gather(
                    *(
                        walk(
                            driver,
                            random.Random(seed),
                            per_user,
                            findings,
                            SLOW_AFTER,
                            HANG_AFTER,
                            on_slow,
                        )
                        for driver, seed in zip(drivers, seeds, strict=True)
                    )
                )
            finally:
                poisoner.cancel()
                dog.cancel()
            for driver in drivers:
                await check_not_stuck(driver, findings)
    finally:
        logging.getLogger().removeHandler(catcher)
        await app.close()
    return findings, poisoned, time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--inputs", type=int, default=10_000, help="inputs per runtime")
    parser.add_argument("--users", type=int, default=40)
    parser.add_argument("--seed", type=int, default=20261130)
    parser.add_argument("--frameworks", nargs="+", default=["aiogram", "ptb"])
    parser.add_argument("--database", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--postgres-admin", default="postgresql://postgres@127.0.0.1:5432/test")
    parser.add_argument("--poison-seconds", type=float, default=5.0, help="a poison update this often")
    parser.add_argument(
        "--dump",
        type=Path,
        default=Path(tempfile.gettempdir()) / "nocert-fuzz-tasks.txt",
        help="where asyncio task dumps go (SIGUSR1, or no new input for --dump-after s)",
    )
    parser.add_argument("--dump-after", type=float, default=30.0)
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    failed = False
    for framework in args.frameworks:
        findings, poisoned, seconds = asyncio.run(fuzz_runtime(framework, args))
        print(
            f"{framework}: {findings.summary()}; {poisoned} poison updates pushed; {seconds:.0f} s",
            flush=True,
        )
        for kind, items in (
            ("traceback", findings.tracebacks),
            ("hang", findings.hangs),
            ("slow", findings.slow),
            ("stuck", findings.stuck),
            ("unparsable button", findings.unparsable_buttons),
        ):
            for item in items[:10]:
                print(f"  {kind}: {item}", flush=True)
        print(f"  states: {', '.join(sorted(findings.states))}", flush=True)
        failed = failed or not findings.clean
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
