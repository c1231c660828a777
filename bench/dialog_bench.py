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
after in one run, at the same load. The simulated citizens are in bench/dialog_bench_citizens.py; the bots'
processes and databases in bench/dialog_bench_processes.py.

    PYTHONPATH=. /work/venv/bin/python bench/dialog_bench.py [--frameworks aiogram ptb]
        [--backends sqlite pg] [--reps 3] [--citizens 50] [--closed-seconds 15] [--rates 20 100]
        [--rate-seconds 10]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psutil

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.dialog_bench_citizens import DIALOG, BenchApi, Citizen, Step, UserIds, typed  # noqa: E402
from bench.dialog_bench_processes import (  # noqa: E402
    database,
    forget_redis_keys,
    start_nocert,
    stop_process,
    wait_polling,
)

REPLY_TIMEOUT = 60.0  # an update not fully answered by then counts as unanswered


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
                    args.trace / f"before-{framework}-{backend}.json" if args.trace else None,
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
                            label = f"rep {rep + 1}, {rate:g}/s" if args.trace and name != "echo" else None
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
        help="run nocert (and the --before bot) through bench/latency_trace.py (aiogram): each update's "
        "stages, traced into DIR, and a breakdown of every fixed-rate run",
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
                from bench.latency_report import report as trace_report

                for name in ("before", "nocert"):
                    if name in bots:
                        sides = args.trace / f"{name}-{framework}-{backend}-bench.json"
                        sides.write_text(json.dumps(bots[name].traced))  # to report again offline
                        for label, rows in bots[name].traced.items():
                            path = args.trace / f"{name}-{framework}-{backend}.json"
                            trace_report(rows, path, f"{name}, {label}")
    print(f"\nuptime: {subprocess.run(['uptime'], capture_output=True, text=True).stdout.strip()}")


if __name__ == "__main__":
    asyncio.run(main())
