"""What one chat update costs in database work: transactions, SQL statements, CPU time — machine-load
independent counts (the CPU time is not, but far less than wall time).

Citizens file the same complete complaint as bench/dialog_bench.py (10 updates), one after another,
through the path a Telegram runtime takes (bot/telegram/base.py): the inbox row (`_ingest`; polling
writes a whole getUpdates batch in one statement: here the updates that arrive while one batch is being
written form the next, so one citizen at a time makes batches of one), the
dispatcher (`Dispatcher.process`), and one "sent" mark per reply (`_deliver_claims`; no network).
With `--parallel N`, N citizens write at once (each waits for its answer before its next update), so
their updates can share transactions (group commit, handlers/dispatch/update_batch.py); the count is then for
the whole path, not per phase. The
engine's events count transactions (BEGIN … COMMIT/ROLLBACK; a statement run in autocommit is none)
and statements per phase.

    PYTHONPATH=. python bench/update_cost.py [--backend sqlite|pg] [--citizens 20] [--parallel 1]
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import os
import subprocess
import sys
import tempfile
import time
import uuid
from collections import Counter
from pathlib import Path
from typing import Any

from sqlalchemy import event

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from handlers.dispatch.dispatcher import Dispatcher  # noqa: E402
from handlers.types import Incoming, InputKind, incoming_to_payload, reply_from_payload  # noqa: E402
from nocert_core.bootstrap import open_application  # noqa: E402
from nocert_core.services.messaging.sent_marks import SentMarks  # noqa: E402

try:  # what TelegramRuntime._ingest calls (the code before it wrote the row through `receive`)
    from nocert_core.services.messaging.inbox_writes import receive_batch
except ImportError:
    receive_batch = None  # type: ignore[assignment]
from nocert_core.settings import Settings  # noqa: E402

PG_ADMIN = os.environ.get("NOCERT_TEST_PG_DSN", "postgresql://postgres@127.0.0.1:5432/test")
FACTS = "2026年11月20日上午在奎文区政务服务中心3号窗口办理食品经营许可，工作人员要求我开无犯罪记录证明"
DIALOG = [
    ("text", "/start"),
    ("press", "Complain"),
    ("text", "王芳"),
    ("text", "{phone}"),  # each citizen its own number (citizen_phone), as in bench/dialog_bench.py
    ("text", "奎文区行政审批服务局"),
    ("text", "Accept my application without the certificate"),
    ("text", "The certificate is in the exemption catalogue"),
    ("text", FACTS),
    ("press", "For myself"),
    ("press", "Submit"),
]


def citizen_phone(user: str) -> str:
    """A valid mobile number of the citizen's own (138 + its user id's last 8 digits): one shared number
    would make every Submit's repeat check read all complaints filed so far in the run, a cost no city has."""
    return f"138{int(user) % 10**8:08d}"


class Counting:
    def __init__(self, engine: Any) -> None:
        self.counts: Counter[str] = Counter()
        self.phase = "other"
        sync = engine.sync_engine
        event.listen(sync, "commit", self._ended)
        event.listen(sync, "rollback", self._ended)
        event.listen(sync, "before_cursor_execute", self._statement)
        self.texts: Counter[str] = Counter()  # statements by their first words (--top)

    def _statement(self, _conn: Any, _cursor: Any, statement: str, *_rest: Any) -> None:
        self._add("statements")
        if self.phase != "other":
            self.texts[" ".join(statement.split())[:90]] += 1

    def _ended(self, connection: Any) -> None:
        # An autocommit connection's "transaction" has no BEGIN/COMMIT on the wire: not counted.
        if connection.get_execution_options().get("isolation_level") != "AUTOCOMMIT":
            self._add("transactions")

    def _add(self, what: str) -> None:
        self.counts[f"{self.phase} {what}"] += 1


class Inbox:
    """The inbox writes as polling makes them (TelegramRuntime.before_get_updates): the updates that arrive
    while a batch is being written go together in the next one, as they would in the next getUpdates
    answer. One citizen at a time, every batch is one update. (Before, each update was written alone,
    so with --parallel 30 up to 30 writes overflowed the pool: new connections, statements prepared anew.)"""

    def __init__(self, app: Any) -> None:
        self.app = app
        self.waiting: list[tuple[Any, asyncio.Future[int]]] = []
        self.writer: asyncio.Task[None] | None = None

    async def receive(self, row: Any) -> int:
        done: asyncio.Future[int] = asyncio.get_running_loop().create_future()
        self.waiting.append((row, done))
        if self.writer is None or self.writer.done():
            self.writer = asyncio.get_running_loop().create_task(self._write())
        return await done

    async def _write(self) -> None:
        while self.waiting:
            batch, self.waiting = self.waiting, []
            try:
                ids = await receive_batch(self.app.uow, [row for row, _ in batch], self.app.clock.now())
            except Exception as error:
                for _, done in batch:
                    done.set_exception(error)
                continue
            for (_, done), inbox_id in zip(batch, ids, strict=True):
                done.set_result(inbox_id)


async def run(database_url: str, citizens: int, parallel: int, top: int) -> None:
    settings = Settings(
        database_url=database_url,
        redis_url=None,
        telegram_token=None,
        # The flood guard and the daily cap as deployed (`nocert run` in bench/dialog_bench.py has them):
        # the cap's check is one of the Submit's statements. A citizen's 10 updates stay within the burst.
    )
    app = await open_application(settings, migrate=False)
    counting = Counting(app.engine)
    dispatcher = Dispatcher(app)
    marks = SentMarks(app.clock)
    ids = itertools.count(int(time.time()) * 1000)
    inbox = Inbox(app)
    updates = 0

    async def citizen(index: int) -> Any:
        nonlocal updates
        user = str(5_000_000 + index)
        last: list[Any] = []
        for kind, value in DIALOG:
            update_id = next(ids)
            if kind == "text":
                value = citizen_phone(user) if value == "{phone}" else value
                command = value[1:] if value.startswith("/") else ""
                incoming = Incoming(
                    "telegram",
                    user,
                    user,
                    InputKind.COMMAND if command else InputKind.TEXT,
                    text=value,
                    command=command,
                    language="en",
                    update_id=str(update_id),
                )
            else:
                data = next(
                    button.data
                    for reply in reversed(last)
                    for row in reply.buttons
                    for button in row
                    if value in button.text
                )
                incoming = Incoming(
                    "telegram",
                    user,
                    user,
                    InputKind.BUTTON,
                    data=data,
                    language="en",
                    update_id=str(update_id),
                )
            if parallel == 1:
                counting.phase = "inbox"
            key = f"telegram:{update_id}"
            payload = {"incoming": incoming_to_payload(incoming)}
            if receive_batch is not None:
                inbox_id = await inbox.receive((key, incoming.user_ref, payload))
            else:  # the code before inbox_writes
                async with app.uow() as uow:
                    inbox_id, _ = await uow.chat.receive(key, incoming.user_ref, payload, app.clock.now())
                    await uow.commit()
            if parallel == 1:
                counting.phase = "process"
            claims = await dispatcher.process(inbox_id, incoming, 30.0)
            if parallel == 1:
                counting.phase = "sent marks"
            for claim in claims:  # TelegramRuntime._deliver_claims, without the network
                await marks.mark(app.uow, claim)
            if parallel == 1:
                counting.phase = "other"
            last = [reply_from_payload(claim.payload) for claim in claims]
            updates += 1
        if "TS-" not in last[-1].text:
            raise RuntimeError(f"the dialog did not end with a complaint number: {last[-1].text[:200]}")

    try:
        await citizen(0)  # warms up (caches, the guidance index): not counted
        counting.counts.clear()
        counting.texts.clear()
        updates = 0
        group = getattr(dispatcher, "group", None)  # None: code before the group commit
        if group is not None:
            group.stats.batches = group.stats.batched = group.stats.alone = 0
        started = time.process_time()
        if parallel > 1:
            counting.phase = "path"  # the citizens' phases overlap: counted together
        for first in range(1, citizens + 1, parallel):  # `parallel` citizens at a time
            await asyncio.gather(*(citizen(i) for i in range(first, min(first + parallel, citizens + 1))))
        cpu = time.process_time() - started
    finally:
        await app.close()
    print(f"{updates} updates ({citizens} complaints, {parallel} citizens at a time); per update:")
    phases = ("inbox", "process", "sent marks") if parallel == 1 else ()
    for phase in phases:
        t, s = counting.counts[f"{phase} transactions"], counting.counts[f"{phase} statements"]
        print(f"  {phase:<11} {t / updates:5.2f} transactions  {s / updates:5.2f} statements")
    total_t = sum(v for k, v in counting.counts.items() if k.endswith("transactions") and "other" not in k)
    total_s = sum(v for k, v in counting.counts.items() if k.endswith("statements") and "other" not in k)
    print(f"  {'all':<11} {total_t / updates:5.2f} transactions  {total_s / updates:5.2f} statements")
    print(f"  CPU {1000 * cpu / updates:.2f} ms per update (this process)")
    if group is not None:
        stats = group.stats
        print(f"  group commit: {stats.batched} updates in {stats.batches} shared, {stats.alone} alone")
    for text, count in counting.texts.most_common(top):
        print(f"  {count / updates:5.2f}  {text}")


async def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--backend", choices=["sqlite", "pg"], default="sqlite")
    parser.add_argument("--citizens", type=int, default=20)
    parser.add_argument(
        "--parallel", type=int, default=1, help="citizens at a time (their updates may share transactions)"
    )
    parser.add_argument("--top", type=int, default=0, help="list the N most frequent statements")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        admin = None
        name = f"nocert_update_cost_{uuid.uuid4().hex[:8]}"
        if args.backend == "sqlite":
            url = f"sqlite+aiosqlite:///{Path(tmp) / 'cost.db'}"
        else:
            import asyncpg

            admin = await asyncpg.connect(PG_ADMIN)
            await admin.execute(f'CREATE DATABASE "{name}"')
            url = f"postgresql+asyncpg://{PG_ADMIN.rsplit('/', 1)[0].split('://', 1)[1]}/{name}"
        try:
            env = {**os.environ, "NOCERT_DATABASE_URL": url, "PYTHONPATH": str(ROOT)}
            subprocess.run(
                [sys.executable, "-m", "bot.cli", "init", "--demo"],
                env=env,
                check=True,
                stdout=subprocess.DEVNULL,
                cwd=ROOT,
            )
            await run(url, args.citizens, args.parallel, args.top)
        finally:
            if admin is not None:
                await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
                await admin.close()


if __name__ == "__main__":
    asyncio.run(main())
