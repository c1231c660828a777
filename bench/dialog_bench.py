"""Dialog throughput and reply latency: `nocert run` against a bare echo bot of the same framework.

Simulated citizens file full complaints (/start, "Complain", name, phone, agency, demand, reasons, facts,
"For myself", "Submit": 10 updates) through the loopback fake Bot API (tests/fakebotapi.py, served in this
process); the bots run as separate processes (`nocert run` exactly as deployed, and bench/echo_bot.py).
The echo bot gets the same update sequence (the same texts; button presses with the same callback data)
and answers each with one message; nocert answers with the dialog's real replies (its reply count per step
is calibrated once by a single citizen before measuring).

For each framework × backend: both bots start and are warmed up (`--warmup-seconds` of closed loop, not
counted: `nocert run` builds its guidance index in the background after start), then `--reps`
repetitions, interleaved (echo first in odd reps, nocert first in even ones), each of
- closed loop: `--citizens` citizens at once, each sends its next update when the previous one's replies
  have all arrived, for `--closed-seconds`: updates/s and the bot process's CPU ms per update;
- fixed rate: updates offered at each of `--rates` per second for `--rate-seconds` (open loop: a new
  citizen starts a complaint whenever no citizen is waiting to send, so the offered rate does not drop
  when the bot is slow): handled/s, p50/p99 latency from sending an update to its last reply.
Reported: min and median over the reps, the nocert/echo ratio of each rep's medians, and the load average.
With `--before ROOT` a third bot, `nocert run` of the code in ROOT (e.g. `git archive <commit>` unpacked),
runs beside them on a database of its own and takes its turn in every rep: a change measured before and
after in one run, at the same load.

    PYTHONPATH=. /work/venv/bin/python bench/dialog_bench.py [--frameworks aiogram ptb]
        [--backends sqlite pg] [--reps 3] [--citizens 50] [--closed-seconds 15] [--rates 20 100]
        [--rate-seconds 10]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import random
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psutil

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.fakebotapi import FakeBotApi  # noqa: E402

REPLY_TIMEOUT = 60.0  # an update not fully answered by then counts as unanswered
PG_ADMIN = os.environ.get("NOCERT_TEST_PG_DSN", "postgresql://postgres@127.0.0.1:5432/test")
REDIS_URL = os.environ.get("NOCERT_BENCH_REDIS_URL", "redis://127.0.0.1:6379/13")
PHONE = "{phone}"  # each citizen types its own number (citizen_phone): one shared number would make every
# Submit's repeat check read all complaints filed so far in the run, a cost no real city has
FACTS = "2026年11月20日上午在奎文区政务服务中心3号窗口办理食品经营许可，工作人员要求我开无犯罪记录证明"
# (kind, value): "text" sends it, "press" presses the newest button whose label contains it.
DIALOG: list[tuple[str, str]] = [
    ("text", "/start"),
    ("press", "Complain"),
    ("text", "王芳"),
    ("text", PHONE),
    ("text", "奎文区行政审批服务局"),
    ("text", "Accept my application without the certificate"),
    ("text", "The certificate is in the exemption catalogue"),
    ("text", FACTS),
    ("press", "For myself"),
    ("press", "Submit"),
]


@dataclass
class Step:
    kind: str
    value: str
    replies: int  # messages the bot sends for this update
    echo_data: str = "button"  # the callback data the echo bot gets for a press


class BenchApi(FakeBotApi):
    """The fake Bot API with an index of messages per chat and waiters, so that thousands of citizens
    cost the bench O(1) per message (the test fake scans all messages)."""

    def __init__(self) -> None:
        super().__init__()
        self.count: dict[int, int] = {}
        self.last: dict[int, Any] = {}
        self.recent: dict[int, deque[Any]] = {}
        self.waiters: dict[int, tuple[int, asyncio.Future[float]]] = {}
        self.served: dict[int, float] = {}  # update id: when getUpdates first handed it out (--trace)

    async def _api_getUpdates(self, params: dict[str, Any], files: dict[str, Any]) -> Any:
        result = await super()._api_getUpdates(params, files)
        if isinstance(result, list):
            now = time.perf_counter()
            for update in result:
                self.served.setdefault(update["update_id"], now)
        return result

    def _record(self, method: str, params: dict[str, Any], **kwargs: Any) -> Any:  # type: ignore[override]
        result = super()._record(method, params, **kwargs)
        if isinstance(result, dict):
            chat = int(params["chat_id"])
            self.last[chat] = self.sent[-1]
            self.recent.setdefault(chat, deque(maxlen=6)).append(self.sent[-1])
            self._count(chat)
        return result

    def _edit(self, params: dict[str, Any], text: str | None = None) -> Any:
        """A pressed button's card edited in place counts as a reply like a new message."""
        result = super()._edit(params, text)
        if isinstance(result, dict):
            self._count(int(params["chat_id"]))
        return result

    def _count(self, chat: int) -> None:
        self.count[chat] = self.count.get(chat, 0) + 1
        waiter = self.waiters.get(chat)
        if waiter is not None and self.count[chat] >= waiter[0] and not waiter[1].done():
            waiter[1].set_result(time.perf_counter())

    def wait(self, chat: int, total: int) -> asyncio.Future[float]:
        future: asyncio.Future[float] = asyncio.get_running_loop().create_future()
        if self.count.get(chat, 0) >= total:
            future.set_result(time.perf_counter())
        else:
            self.waiters[chat] = (total, future)
        return future

    def button(self, chat: int, label: str) -> tuple[int, str]:
        for sent in reversed(self.recent.get(chat, ())):
            for row in sent.buttons:
                for text, data in row:
                    if label in text:
                        return sent.message_id, data
        raise LookupError(f"no button {label!r} for chat {chat}")


def citizen_phone(user_id: int) -> str:
    """A valid mobile number of the citizen's own, the same for the same user id (138 + 8 digits: every
    such number is a valid China Mobile one); ids in one run are consecutive, so no two citizens share one."""
    return f"138{user_id % 10**8:08d}"


def typed(value: str, user_id: int) -> str:
    return citizen_phone(user_id) if value == PHONE else value


class Citizen:
    def __init__(self, api: BenchApi, user_id: int, steps: list[Step], nocert: bool) -> None:
        self.api, self.user_id, self.steps, self.nocert = api, user_id, steps, nocert
        self.index = 0
        self.expected = 0
        self.update_id = 0  # of the last update sent
        api.user(user_id, language="en", first_name="王芳")

    @property
    def done(self) -> bool:
        return self.index >= len(self.steps)

    def send(self) -> asyncio.Future[float]:
        """Push the next update; the future resolves when all its replies have arrived."""
        step = self.steps[self.index]
        self.index += 1
        if step.kind == "text":
            self.update_id = self.api.push_text(self.user_id, typed(step.value, self.user_id), language="en")
        elif self.nocert:
            message_id, data = self.api.button(self.user_id, step.value)
            self.update_id = self.api.push_callback(self.user_id, data, message_id, language="en")
        else:
            last = self.api.last.get(self.user_id)
            message_id = last.message_id if last is not None else None
            self.update_id = self.api.push_callback(self.user_id, step.echo_data, message_id, language="en")
        self.expected += step.replies if self.nocert else 1
        return self.api.wait(self.user_id, self.expected)


class UserIds:
    def __init__(self) -> None:
        self.next = random.randrange(10**9, 2 * 10**9)
        self.used: list[int] = []

    def new(self) -> int:
        self.next += 1
        self.used.append(self.next)
        return self.next


@dataclass
class BotUnderTest:
    name: str  # "echo" / "nocert"
    api: BenchApi
    process: subprocess.Popen[bytes]
    steps: list[Step]
    results: dict[str, list[float]] = field(default_factory=dict)
    traced: dict[str, list[dict[str, Any]]] = field(default_factory=dict)  # --trace: run: its updates

    @property
    def nocert(self) -> bool:
        return self.name != "echo"  # "nocert", or "before" (--before: the code before a change)

    def record(self, key: str, value: float) -> None:
        self.results.setdefault(key, []).append(value)

    def cpu(self) -> float:
        times = psutil.Process(self.process.pid).cpu_times()
        return times.user + times.system


async def closed_loop(bot: BotUnderTest, ids: UserIds, citizens: int, seconds: float) -> None:
    done = lost = 0
    stop_at = 0.0

    async def citizen_loop() -> None:
        nonlocal done, lost
        while time.perf_counter() < stop_at:
            citizen = Citizen(bot.api, ids.new(), bot.steps, bot.nocert)
            while not citizen.done:
                try:
                    await asyncio.wait_for(citizen.send(), REPLY_TIMEOUT)
                except TimeoutError:  # never (fully) answered: this citizen gives up
                    lost += 1
                    break
                if time.perf_counter() < stop_at:
                    done += 1

    cpu_before = bot.cpu()
    started = time.perf_counter()
    stop_at = started + seconds
    await asyncio.gather(*(citizen_loop() for _ in range(citizens)))
    elapsed = min(time.perf_counter(), stop_at) - started
    cpu = bot.cpu() - cpu_before
    bot.record("closed updates/s", done / elapsed)
    bot.record("closed CPU ms/update", 1000 * cpu / max(done, 1))
    bot.record("closed unanswered", float(lost))


async def fixed_rate(
    bot: BotUnderTest, ids: UserIds, rate: float, seconds: float, trace_label: str | None = None
) -> None:
    idle: deque[Citizen] = deque()
    latencies: list[float] = []
    pending: set[asyncio.Task[None]] = set()
    total = int(rate * seconds)
    started = time.perf_counter()
    window_end = started + seconds
    answered_in_window = 0

    traced: list[dict[str, Any]] = []
    if trace_label is not None:
        bot.traced[trace_label] = traced

    async def track(citizen: Citizen, sent_at: float, future: asyncio.Future[float]) -> None:
        nonlocal answered_in_window
        update_id = citizen.update_id
        try:
            answered_at = await asyncio.wait_for(future, REPLY_TIMEOUT)
        except TimeoutError:
            latencies.append(float("inf"))
            return
        latencies.append(answered_at - sent_at)
        if trace_label is not None:
            served = bot.api.served.get(update_id)
            traced.append(
                {"update_id": update_id, "sent": sent_at, "served": served, "answered": answered_at}
            )
        answered_in_window += answered_at <= window_end
        if not citizen.done:
            idle.append(citizen)

    for number in range(total):
        delay = started + number / rate - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        citizen = idle.popleft() if idle else Citizen(bot.api, ids.new(), bot.steps, bot.nocert)
        sent_at = time.perf_counter()
        task = asyncio.create_task(track(citizen, sent_at, citizen.send()))
        pending.add(task)
        task.add_done_callback(pending.discard)
    await asyncio.gather(*pending)
    ordered = sorted(latencies)
    key = f"{rate:g}/s"
    bot.record(f"{key} handled/s", answered_in_window / seconds)
    bot.record(f"{key} p50 ms", 1000 * ordered[len(ordered) // 2])
    bot.record(f"{key} p99 ms", 1000 * ordered[min(len(ordered) - 1, int(0.99 * len(ordered)))])
    bot.record(f"{key} unanswered", float(sum(1 for value in latencies if value == float("inf"))))


async def calibrate(api: BenchApi, ids: UserIds) -> list[Step]:
    """One citizen through the dialog, waiting for quiet after each update: nocert's replies per step."""
    user = ids.new()
    api.user(user, language="en", first_name="王芳")
    steps: list[Step] = []
    for kind, value in DIALOG:
        before = api.count.get(user, 0)
        data = "button"
        if kind == "text":
            api.push_text(user, typed(value, user), language="en")
        else:
            message_id, data = api.button(user, value)
            api.push_callback(user, data, message_id, language="en")
        await asyncio.wait_for(api.wait(user, before + 1), 60)
        while True:  # quiet for 0.5 s: every reply of this update has arrived
            seen = api.count[user]
            await asyncio.sleep(0.5)
            if api.count[user] == seen:
                break
        steps.append(Step(kind, value, api.count[user] - before, data.split("~")[0]))
    last_text = api.last[user].text
    if "TS-" not in last_text:
        raise RuntimeError(f"the calibration dialog did not end with a complaint number: {last_text[:200]}")
    return steps


async def wait_polling(api: BenchApi, process: subprocess.Popen[bytes], timeout: float = 120) -> None:
    deadline = time.perf_counter() + timeout
    while "getUpdates" not in api.calls:
        if process.poll() is not None:
            raise RuntimeError(f"bot process exited with {process.returncode}")
        if time.perf_counter() > deadline:
            raise TimeoutError("the bot never started polling")
        await asyncio.sleep(0.1)


@contextlib.asynccontextmanager
async def database(backend: str, workdir: Path) -> Any:
    if backend == "sqlite":
        yield f"sqlite+aiosqlite:///{workdir / 'bench.db'}", None
        return
    import asyncpg

    name = f"nocert_dialog_bench_{uuid.uuid4().hex[:8]}"
    admin = await asyncpg.connect(PG_ADMIN)
    await admin.execute(f'CREATE DATABASE "{name}"')
    base = PG_ADMIN.rsplit("/", 1)[0].split("://", 1)[1]
    try:
        yield f"postgresql+asyncpg://{base}/{name}", REDIS_URL
    finally:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.close()


def environment(api: BenchApi, database_url: str, redis_url: str | None, root: Path = ROOT) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("NOCERT_")}
    env.update(
        PYTHONPATH=str(root),
        NOCERT_DATABASE_URL=database_url,
        NOCERT_TELEGRAM_TOKEN=api.token,
        NOCERT_TELEGRAM_API_URL=api.base_url,
        NOCERT_BOT_USERNAME="nocert_bot",
    )
    if redis_url:
        env["NOCERT_REDIS_URL"] = redis_url
    return env


async def stop_process(process: subprocess.Popen[bytes]) -> float:
    """SIGTERM; returns how long it took to exit (killed after 60 s)."""
    started = time.perf_counter()
    process.send_signal(signal.SIGTERM)
    while process.poll() is None and time.perf_counter() - started < 60:
        await asyncio.sleep(0.05)
    if process.poll() is None:
        process.kill()
    return time.perf_counter() - started


def start_nocert(
    framework: str,
    api: BenchApi,
    database_url: str,
    redis_url: str | None,
    root: Path,
    log: Any,
    trace: Path | None = None,
) -> subprocess.Popen[bytes]:
    """`nocert init --demo`, then `nocert run` (of the code in `root`), on its own database; with `trace`
    through bench/latency_trace.py, which writes the stage trace there at exit."""
    env = environment(api, database_url, redis_url, root)
    subprocess.run(
        [sys.executable, "-m", "bot.cli", "init", "--demo"],
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
        cwd=root,
    )
    command = [sys.executable, "-m", "bot.cli"]
    if trace is not None:
        command = [sys.executable, str(ROOT / "bench/latency_trace.py")]
        env["NOCERT_BENCH_TRACE"] = str(trace)
    return subprocess.Popen(
        [*command, "run", "--framework", framework],
        env=env,
        cwd=root,
        stdout=subprocess.DEVNULL,
        stderr=log,
    )


async def run_config(framework: str, backend: str, args: argparse.Namespace) -> dict[str, BotUnderTest]:
    ids = UserIds()
    before_root: Path | None = args.before
    with tempfile.TemporaryDirectory() as tmp:
        async with contextlib.AsyncExitStack() as stack:
            database_url, redis_url = await stack.enter_async_context(database(backend, Path(tmp)))
            nocert_api = await stack.enter_async_context(BenchApi())
            echo_api = await stack.enter_async_context(BenchApi())
            log = stack.enter_context((Path(tmp) / "nocert.log").open("wb"))
            trace = None
            if args.trace:
                args.trace.mkdir(parents=True, exist_ok=True)
                trace = args.trace / f"nocert-{framework}-{backend}.json"
            nocert = start_nocert(framework, nocert_api, database_url, redis_url, ROOT, log, trace)
            processes = {"nocert": nocert}
            if before_root is not None:  # the code before a change, on a database of its own
                (Path(tmp) / "before").mkdir()
                before_url, _ = await stack.enter_async_context(database(backend, Path(tmp) / "before"))
                before_api = await stack.enter_async_context(BenchApi())
                processes["before"] = start_nocert(
                    framework,
                    before_api,
                    before_url,
                    redis_url,
                    before_root,
                    stack.enter_context((Path(tmp) / "before.log").open("wb")),
                )
            echo = subprocess.Popen(
                [
                    sys.executable,
                    str(ROOT / "bench/echo_bot.py"),
                    framework,
                    "--api",
                    echo_api.base_url,
                    "--token",
                    echo_api.token,
                ],
                cwd=ROOT,
                stdout=subprocess.DEVNULL,
            )
            processes["echo"] = echo
            try:
                await wait_polling(nocert_api, nocert)
                await wait_polling(echo_api, echo)
                steps = await calibrate(nocert_api, ids)
                bots = {
                    "echo": BotUnderTest("echo", echo_api, echo, steps),
                    "nocert": BotUnderTest("nocert", nocert_api, nocert, steps),
                }
                if before_root is not None:
                    await wait_polling(before_api, processes["before"])
                    bots["before"] = BotUnderTest("before", before_api, processes["before"], steps)
                for bot in bots.values():  # start-up work (nocert builds its guidance index) is not measured
                    await closed_loop(bot, ids, args.citizens, args.warmup_seconds)
                    bot.results.clear()
                names = list(bots)
                for rep in range(args.reps):
                    # echo first in odd reps, nocert first in even ones (with --before: each rotates)
                    order = names[rep % len(names) :] + names[: rep % len(names)]
                    if len(names) == 2:
                        order = ["echo", "nocert"] if rep % 2 == 0 else ["nocert", "echo"]
                    for name in order:
                        bot = bots[name]
                        bot.record("load average", os.getloadavg()[0])
                        profiler = None
                        if args.py_spy and name == "nocert" and rep == 0:
                            profiler = start_profiler(bot, args, framework, backend)
                        await closed_loop(bot, ids, args.citizens, args.closed_seconds)
                        if profiler is not None:
                            await asyncio.to_thread(profiler.wait, 120)
                        for rate in args.rates:
                            await asyncio.sleep(1)
                            label = f"rep {rep + 1}, {rate:g}/s" if args.trace and name == "nocert" else None
                            await fixed_rate(bot, ids, rate, args.rate_seconds, label)
                        print(
                            f"  rep {rep + 1} {name}: "
                            + ", ".join(f"{k} {v[-1]:.1f}" for k, v in bot.results.items()),
                            flush=True,
                        )
            finally:
                for name, process in processes.items():
                    seconds = await stop_process(process)
                    print(f"  {name} stopped in {seconds:.1f} s (exit {process.returncode})", flush=True)
                if redis_url:
                    await forget_redis_keys(redis_url, ids.used)
                log.close()
                for name in ("nocert", "before"):
                    path = Path(tmp) / f"{name}.log"
                    if not path.exists():
                        continue
                    lines = path.read_text(errors="replace").splitlines()
                    errors = [line for line in lines if "Error" in line or "Traceback" in line]
                    if errors:
                        shown = f"{errors[:2]} … {errors[-1:]}"
                        print(f"  {name} logged {len(errors)} error line(s): {shown}", flush=True)
    return bots


def start_profiler(
    bot: BotUnderTest, args: argparse.Namespace, framework: str, backend: str
) -> subprocess.Popen[bytes]:
    """py-spy records `nocert run` during the first closed loop (collapsed stacks, one file per config)."""
    path = Path(f"{args.py_spy}-{framework}-{backend}.txt")
    return subprocess.Popen(
        [
            str(Path(sys.executable).with_name("py-spy")),
            "record",
            "--pid",
            str(bot.process.pid),
            "--duration",
            str(int(args.closed_seconds)),
            "--rate",
            "200",
            "--format",
            "raw",
            "--output",
            str(path),
            "--nonblocking",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


async def forget_redis_keys(url: str, users: list[int]) -> None:
    from redis.asyncio import Redis

    client = Redis.from_url(url)
    try:
        for start in range(0, len(users), 1000):
            await client.delete(*[f"nocert:dialog:telegram:{user}" for user in users[start : start + 1000]])
    finally:
        await client.aclose()


def report(framework: str, backend: str, bots: dict[str, BotUnderTest]) -> None:
    echo, nocert = bots["echo"], bots["nocert"]
    before = bots.get("before")
    print(f"\n### {framework}, {'SQLite' if backend == 'sqlite' else 'PostgreSQL+Redis'}")
    if before is None:
        print("| measure | echo min / median | nocert min / median | nocert ÷ echo (median) |")
        print("|---|---|---|---|")
    else:
        print(
            "| measure | echo min / median | before min / median | nocert min / median "
            "| before ÷ echo | nocert ÷ echo (median) |"
        )
        print("|---|---|---|---|---|---|")
    for key in echo.results:
        a = echo.results[key]
        cells = [f"{min(a):.1f} / {statistics.median(a):.1f}"]
        ratios = []
        for bot in (before, nocert) if before is not None else (nocert,):
            values = bot.results[key]
            cells.append(f"{min(values):.1f} / {statistics.median(values):.1f}")
            ratio = statistics.median(values) / statistics.median(a) if statistics.median(a) else float("nan")
            ratios.append(f"{ratio:.2f}")
        print(f"| {key} | " + " | ".join(cells + ratios) + " |")
    replies = sum(step.replies for step in nocert.steps)
    print(f"(nocert sends or edits {replies} messages per {len(nocert.steps)}-update dialog; echo: 1 each)")


async def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--frameworks", nargs="+", default=["aiogram", "ptb"], choices=["aiogram", "ptb"])
    parser.add_argument("--backends", nargs="+", default=["sqlite", "pg"], choices=["sqlite", "pg"])
    parser.add_argument("--reps", type=int, default=3)
    parser.add_argument("--warmup-seconds", type=float, default=20)
    parser.add_argument("--citizens", type=int, default=50)
    parser.add_argument("--closed-seconds", type=float, default=15)
    parser.add_argument("--rates", type=float, nargs="*", default=[20, 100])
    parser.add_argument("--rate-seconds", type=float, default=10)
    parser.add_argument(
        "--before",
        type=Path,
        metavar="ROOT",
        help="also run `nocert run` of the code in ROOT (a checkout of the code before a change), on a "
        "database of its own, interleaved with the other two in every rep",
    )
    parser.add_argument(
        "--py-spy",
        metavar="PREFIX",
        help="profile nocert's first closed loop with py-spy "
        "into PREFIX-<framework>-<backend>.txt (collapsed stacks)",
    )
    parser.add_argument(
        "--trace",
        type=Path,
        metavar="DIR",
        help="run nocert through bench/latency_trace.py (aiogram): each update's stages, traced into DIR, "
        "and a breakdown of every fixed-rate run",
    )
    args = parser.parse_args()
    print(f"uptime: {subprocess.run(['uptime'], capture_output=True, text=True).stdout.strip()}")
    print(f"settings: {vars(args)}", flush=True)
    for framework in args.frameworks:
        for backend in args.backends:
            print(f"\n## {framework} / {backend}", flush=True)
            bots = await run_config(framework, backend, args)
            report(framework, backend, bots)
            if args.trace:
                from bench.latency_trace import report as trace_report

                for label, rows in bots["nocert"].traced.items():
                    trace_report(rows, args.trace / f"nocert-{framework}-{backend}.json", label)
    print(f"\nuptime: {subprocess.run(['uptime'], capture_output=True, text=True).stdout.strip()}")


if __name__ == "__main__":
    asyncio.run(main())
