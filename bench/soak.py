"""Soak test: many complaint conversations against one polling `nocert run` process that is SIGKILLed
and restarted every few seconds, over the loopback fake Bot API (optionally with injected send faults).

    PYTHONPATH=. python bench/soak.py --db sqlite --framework aiogram --conversations 1000
    PYTHONPATH=. python bench/soak.py --db postgres --framework ptb --conversations 1000 --faults
    PYTHONPATH=. python bench/soak.py --db sqlite --conversations 50 --no-kill      # a quick smoke run
    PYTHONPATH=. python bench/soak.py --db postgres --instances 3 --faults          # issue 11: webhooks

With `--instances N` (issue 11) N `nocert run --webhook` processes run behind a round-robin balancer
(bench/webhook_cluster.py); the fake Bot API posts the updates to it, and a random instance is SIGKILLed
every `--kill-min`–`--kill-max` s and started again.

Each simulated citizen (English client) files one complaint with unique answers: /complain, name, phone,
agency, demand, reasons, facts, "For myself", Submit. After sending it waits for the bot's next question
(a real citizen waits; nobody types an answer twice). Staff accounts of the handling unit are bound in chat
and must get exactly one assignment message per complaint. At the end it reads the database and reports:
complaints lost / duplicated / with a wrong field, citizen messages never answered, staff messages missing
or doubled, and the assignment delay (registration reply → staff message) p50/p95/max (those checks:
bench/soak_results.py; the database, the staff and the bot process: bench/soak_setup.py).
"""

from __future__ import annotations

import argparse
import asyncio
import copy
import json
import os
import random
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


from bench.soak_results import (  # noqa: E402
    NUMBER,
    STAFF_IDS,
    Conversation,
    alerts,
    doubles_next_kill,
    evaluate,
    log_counts,
    metric,
    never_answered,
    read_complaints,
    read_queues,
)
from bench.soak_setup import PG_ADMIN, UNIT_NAME, BotProcess, database, prepare  # noqa: E402
from tests.fakebotapi import FakeBotApi, FaultPlan  # noqa: E402

REDIS_URL = os.environ.get("NOCERT_SOAK_REDIS_URL", "redis://127.0.0.1:6379/14")


class TimedBotApi(FakeBotApi):
    """The fake Bot API, remembering when each message was accepted (for delays)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.by_chat: dict[int, list[tuple[Any, float]]] = {}
        self.polls: list[float] = []

    def _record(self, method: str, params: dict[str, Any], **kwargs: Any) -> Any:
        before = len(self.sent)
        result = super()._record(method, params, **kwargs)
        if len(self.sent) > before:
            message = self.sent[-1]
            self.by_chat.setdefault(message.chat_id, []).append((message, time.monotonic()))
        return result

    def _edit(self, params: dict[str, Any], text: str | None = None) -> Any:
        """A button's answer may replace its card (editMessageText): the citizen sees it as a new answer."""
        result = super()._edit(params, text)
        chat_id = int(params.get("chat_id") or 0)
        if isinstance(result, dict) and "message_id" in result:
            for message in reversed(self.sent):
                if message.chat_id == chat_id and message.message_id == result["message_id"]:
                    edited = copy.copy(message)
                    edited.method = "editMessageText"
                    self.by_chat.setdefault(chat_id, []).append((edited, time.monotonic()))
                    break
        return result

    async def _api_getUpdates(self, params: dict[str, Any], files: dict[str, Any]) -> Any:
        self.polls.append(time.monotonic())
        return await super()._api_getUpdates(params, files)

    def messages_to(self, chat_id: int) -> list[Any]:
        return [message for message, _ in self.by_chat.get(chat_id, [])]


class Citizen:
    def __init__(self, api: TimedBotApi, conversation: Conversation, wait: float) -> None:
        self.api, self.c, self.wait = api, conversation, wait
        self.seen = 0

    async def expect(self, what: str, pattern: str | tuple[str, ...]) -> Any:
        """Wait for a message whose text contains `pattern` (or one of them); None after `wait` s."""
        patterns = (pattern,) if isinstance(pattern, str) else pattern
        deadline = time.monotonic() + self.wait
        while time.monotonic() < deadline:
            messages = self.api.messages_to(self.c.user_id)
            for position in range(self.seen, len(messages)):
                if any(p in messages[position].text for p in patterns):
                    self.seen = position + 1
                    return messages[position]
            await asyncio.sleep(0.2)
        self.c.unanswered.append(what)  # not within `wait`; at the end: answered late, or never
        self.c.waiting.append((patterns, self.seen))
        return None

    async def say(self, text: str, what: str, pattern: str | tuple[str, ...]) -> Any:
        if text.startswith("/"):
            self.api.push_command(self.c.user_id, text, language="en")
        else:
            self.api.push_text(self.c.user_id, text, language="en")
        return await self.expect(what, pattern)

    async def press(self, message: Any, label: str, what: str, pattern: str) -> Any:
        self.api.push_callback(self.c.user_id, message.button(label), message.message_id, language="en")
        return await self.expect(what, pattern)

    async def run(self) -> None:
        c = self.c
        steps: list[tuple[str, str, str]] = [
            ("/complain", "start", "Step 1 of 7"),
            (c.name, "name", "Step 2 of 7"),
            (c.phone, "phone", "Step 3 of 7"),
            (UNIT_NAME, "agency", "Step 4 of 7"),
            (c.answers["demand"], "demand", "Step 5 of 7"),
            (c.answers["reasons"], "reasons", "Step 6 of 7"),
        ]
        message = None
        for text, what, pattern in steps:
            message = await self.say(text, what, pattern)
            if message is None:
                return
        # the last question ("for yourself or someone else?") is asked only when the dialog needs it
        message = await self.say(c.answers["facts"], "facts", ("Step 7 of 7", "Please check your complaint"))
        if message is None:
            return
        summary = message
        if "Please check your complaint" not in message.text:
            summary = await self.press(message, "For myself", "behalf", "Please check your complaint")
            if summary is None:
                return
        done = await self.press(summary, "Submit", "submit", "registered as")
        if done is not None:
            found = NUMBER.search(done.text)
            c.number = found.group(0) if found else None
            c.registered_at = time.monotonic()


async def killer(api: TimedBotApi, bot: BotProcess, low: float, high: float, stop: asyncio.Event) -> None:
    """SIGKILL the bot 5–20 s (by default) after it started polling again, and restart it at once.
    Counted from its first getUpdates, not from the exec: on a loaded machine the start alone (imports,
    migrations check) can take longer than the whole interval."""
    rng = random.Random(7)
    while not stop.is_set():
        started = bot.started_at[-1]
        while not stop.is_set() and not any(poll > started for poll in api.polls[-5:]):
            if bot.process is not None and bot.process.returncode is not None:  # it died by itself:
                bot.crashes += 1  # a supervisor (systemd) would start it again
                await bot.start()
                started = bot.started_at[-1]
            await asyncio.sleep(0.2)
        try:
            await asyncio.wait_for(stop.wait(), rng.uniform(low, high))
            return
        except TimeoutError:
            pass
        await bot.kill()
        await bot.start()


async def soak(args: argparse.Namespace) -> dict[str, Any]:
    workdir = Path(tempfile.mkdtemp(prefix="nocert-soak-"))
    url, pg_name = await database(args.db, workdir)
    seeded = await prepare(url, args.seed_alerts)
    faults = FaultPlan(rate_429=0.10, rate_500=0.05, rate_drop=0.05, seed=1) if args.faults else FaultPlan()
    started = time.monotonic()
    async with TimedBotApi(faults=faults) as api:
        env = {
            **os.environ,
            "PYTHONPATH": str(ROOT),
            "NOCERT_DATABASE_URL": url,
            "NOCERT_TELEGRAM_TOKEN": api.token,
            "NOCERT_TELEGRAM_API_URL": api.base_url,
            "NOCERT_LOCALE": "en",
        }
        if args.db == "postgres":
            # No FLUSHDB: two soaks at once (one poller, one cluster) share this Redis database, and a flush
            # at one's start wiped the other's dialogs mid-conversation (38 never answered, 7 "lost").
            # Each run's citizens have user ids of their own instead (below), so no dialog leaks between runs.
            env["NOCERT_REDIS_URL"] = REDIS_URL
        else:
            env.pop("NOCERT_REDIS_URL", None)
        stop = asyncio.Event()
        cluster = None
        if args.instances:
            from bench.webhook_cluster import Cluster

            api.webhook_connections = args.connections
            cluster = await Cluster(args.instances, env, args.framework, workdir).__aenter__()
            bot = BotProcess(env, args.framework, workdir / "unused.log")  # counts only
            started = time.monotonic()
            kills = (
                asyncio.create_task(cluster.killer(args.kill_min, args.kill_max, stop))
                if not args.no_kill
                else None
            )
        else:
            bot = BotProcess(env, args.framework, workdir / "bot.log")
            await bot.start()
            kills = (
                asyncio.create_task(killer(api, bot, args.kill_min, args.kill_max, stop))
                if not args.no_kill
                else None
            )
        run_tag = uuid.uuid4().hex[:6]
        first_user = 10_000_000 + random.SystemRandom().randrange(100_000) * 10_000  # this run's own users
        conversations = [
            Conversation(i, first_user + i, f"市民{i}", f"139{i:08d}", f"{run_tag}-{i}")
            for i in range(args.conversations)
        ]
        queue: asyncio.Queue[Conversation] = asyncio.Queue()
        for conversation in conversations:
            queue.put_nowait(conversation)

        end_by = started + args.max_minutes * 60

        async def citizen_loop() -> None:
            while not queue.empty() and time.monotonic() < end_by:
                conversation = queue.get_nowait()
                conversation.started = True
                await Citizen(api, conversation, args.wait).run()

        async def progress() -> None:
            while True:
                await asyncio.sleep(30)
                done = sum(1 for c in conversations if c.number or c.unanswered)
                print(
                    f"[soak] {time.monotonic() - started:6.0f}s  finished {done}/{len(conversations)}  "
                    f"kills {cluster.kills if cluster is not None else bot.kills}  sent {len(api.sent)}",
                    file=sys.stderr,
                    flush=True,
                )

        reporter = asyncio.create_task(progress())
        await asyncio.gather(*(citizen_loop() for _ in range(args.parallel)))
        reporter.cancel()
        dialogs_done = time.monotonic()
        stop.set()
        if kills is not None:
            await kills
        # let the outbox finish what is due (staff assignments), then stop cleanly
        expected_staff = sum(1 for c in conversations if c.number) * len(STAFF_IDS)
        deadline = time.monotonic() + args.drain
        while time.monotonic() < deadline:
            staff_sent = sum(len(api.messages_to(staff_id)) for staff_id in STAFF_IDS)
            if staff_sent >= expected_staff and not never_answered(api.by_chat, conversations):
                break  # the bot has caught up: every staff message and every late answer is out
            await asyncio.sleep(1)
        if cluster is not None:
            metrics_text = await cluster.metrics()
            await cluster.__aexit__(None, None, None)
            bot.kills, bot.crashes = cluster.kills, cluster.crashes
            bot.started_at = []
        await bot.stop()
        staff_messages = {staff_id: list(api.by_chat.get(staff_id, [])) for staff_id in STAFF_IDS}
        chats = {chat: [m.text[:60] for m in api.messages_to(chat)] for chat in api.by_chat}
        chat_log = dict(api.by_chat)
        fault_count = len(api.fault_log)
        webhook_statuses = list(api.webhook_statuses)
        startups = [
            min((poll for poll in api.polls if poll > start), default=start) - start
            for start in bot.started_at
        ]
        if cluster is not None:  # webhooks: from exec to /readyz answering 200
            startups = [after for instance in cluster.instances for after in instance.ready_after]
    stored, staff_outbox = await read_complaints(url)
    report = evaluate([c for c in conversations if c.started], stored, staff_messages)
    # a staff message not seen by the end is either still in the outbox (late) or nowhere (lost)
    report["staff_outbox_rows_by_status"] = staff_outbox
    if seeded:
        report.update(alerts(seeded, staff_messages))
    report.update(await read_queues(url))
    report.update(log_counts(workdir), workdir=str(workdir), pg_database=pg_name)
    never = never_answered(chat_log, conversations)
    # every chat as the fake Bot API saw it, and what each unfinished conversation waited for (to debug)
    (workdir / "chats.json").write_text(
        json.dumps(
            {
                str(c.user_id): {
                    "phone": c.phone,
                    "number": c.number,
                    "waited_for": [[list(patterns), seen] for patterns, seen in c.waiting],
                    "received": [
                        [round(at - started, 1), m.method, m.text[:100], m.button_data]
                        for m, at in chat_log.get(c.user_id, [])
                    ],
                }
                for c in conversations
                if c.started
            },
            ensure_ascii=False,
        )
    )
    report.update(
        citizen_messages_never_answered=never,  # not even by the end of the drain
        citizen_messages_answered_late=report["citizen_messages_unanswered"] - never,
        staff_doubles_allowed=bot.kills * len(STAFF_IDS),  # one message in flight per chat per kill
    )
    report.update(
        db=args.db + ("+redis" if args.db == "postgres" else ""),
        framework=args.framework,
        conversations=args.conversations,
        parallel=args.parallel,
        kills=bot.kills,
        crashes=bot.crashes,
        faults=args.faults,
        injected_faults=fault_count,
        startup_to_first_poll_p50_s=round(statistics.median(startups), 1),
        dialog_seconds=round(dialogs_done - started, 1),
    )
    if cluster is not None:
        report.update(
            staff_doubles_next_kill_s=doubles_next_kill(staff_messages, cluster.kill_times),
            instances=args.instances,
            webhook_posts_not_200=sum(1 for status in webhook_statuses if status != 200),
            updates_handled_per_instance_since_last_start=[
                metric(text, "nocert_updates_handled_total") for text in metrics_text
            ],
        )
    if args.show_chat is not None:
        report["_chats"] = chats
    if pg_name is not None and not args.keep_db:
        import asyncpg

        connection = await asyncpg.connect(PG_ADMIN)
        await connection.execute(f'DROP DATABASE IF EXISTS "{pg_name}" WITH (FORCE)')
        await connection.close()
    return report


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--db", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--framework", choices=("aiogram", "ptb"), default="aiogram")
    parser.add_argument("--conversations", type=int, default=1000)
    parser.add_argument("--parallel", type=int, default=40, help="citizens talking at the same time")
    parser.add_argument("--kill-min", type=float, default=5.0)
    parser.add_argument("--kill-max", type=float, default=20.0)
    parser.add_argument("--no-kill", action="store_true")
    parser.add_argument("--instances", type=int, default=0, help="webhook instances (0: one poller)")
    parser.add_argument("--connections", type=int, default=8, help="webhook POSTs in parallel")
    parser.add_argument(
        "--seed-alerts", type=int, default=0, help="complaints left unaccepted 10 days ago (alerts)"
    )
    parser.add_argument(
        "--max-minutes", type=float, default=600.0, help="start no new conversation after this long"
    )
    parser.add_argument("--faults", action="store_true", help="10%% 429, 5%% 500, 5%% dropped sends")
    parser.add_argument("--wait", type=float, default=120.0, help="how long a citizen waits for an answer")
    parser.add_argument("--keep-db", action="store_true", help="keep the PostgreSQL database afterwards")
    parser.add_argument("--show-chat", type=int, default=None, help="print what one chat received")
    parser.add_argument(
        "--drain",
        type=float,
        default=120.0,
        help="wait, killing no more, for staff messages and late answers",
    )
    args = parser.parse_args()
    import logging

    logging.getLogger("aiohttp.server").setLevel(logging.CRITICAL)  # the fake's injected dropped sends
    report = asyncio.run(soak(args))
    print(json.dumps(report, ensure_ascii=False, indent=2))
    if args.show_chat is not None:
        print(json.dumps(report.pop("_chats", {}).get(args.show_chat), ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
