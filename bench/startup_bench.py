"""Start-up times, each as a ratio against a floor measured in the same run (medians of `--runs` runs).

    python bench/startup_bench.py [--runs 5]

1. CLI commands that need no chat library, against `python -c "import typer"` (target ≤ 3×):
   `nocert --help` and the commands that read the database (`CLI_COMMANDS`: complaints list/show, units
   list, calendar years, outbox status, verify list, rectify list, catalogue changes/at, lexicon list) on a
   demo SQLite database. `nocert ask` is shown too (it builds the guidance index: no target, for information).
   `--checkout DIR` times another checkout of nocert (e.g. an older commit, for a before/after table);
   the floor and the demo database are then that checkout's.
2. `nocert run` from process start to its first `getUpdates`, against a bare aiogram bot
   (bench/echo_bot.py) doing the same against the same fake Bot API (target ≤ 1.3×). aiogram's own import
   takes seconds on a busy machine: that is the floor, not something to fight.
3. The first guidance answer: once `nocert run` logs that its start-up work is done (the guidance index and
   jieba's dictionary are built in the background at start), a citizen asks a free-text question; the time
   until the answer is sent (target ≤ 300 ms).

The fake Bot API is tests/fakebotapi.py served on the loopback. Numbers go in docs/startup.md.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import resource
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CHECKOUT = ROOT  # the nocert the commands run from (--checkout)
sys.path.insert(0, str(ROOT))

from tests.fakebotapi import FakeBotApi  # noqa: E402

PYTHON = sys.executable
NOCERT = [PYTHON, "-m", "bot.cli"]
# (label, arguments, target ratio or None)
CLI_COMMANDS: tuple[tuple[str, list[str], float | None], ...] = (
    ("nocert --help", ["--help"], 3.0),
    ("complaints list", ["complaints", "list"], 3.0),
    ("complaints list --status accepted", ["complaints", "list", "--status", "accepted"], 3.0),
    ("complaints show 1", ["complaints", "show", "1"], 3.0),
    ("units list", ["units", "list"], 3.0),
    ("calendar years", ["calendar", "years"], 3.0),
    ("outbox status", ["outbox", "status"], 3.0),
    ("verify list", ["verify", "list"], 3.0),
    ("rectify list", ["rectify", "list"], 3.0),
    ("catalogue changes", ["catalogue", "changes"], 3.0),
    ("catalogue at 2026-11-01", ["catalogue", "at", "2026-11-01"], 3.0),
    ("lexicon list", ["lexicon", "list"], 3.0),
)
QUESTION = "办理居住证还要带户口本吗"
READY_LOG = "start-up work done"


def fresh_update_id() -> int:
    """Update ids this database has not seen: each run of the bot on it starts above the last."""
    return time.time_ns() // 1_000_000 % 2**31


def environment(database_url: str, api: FakeBotApi | None = None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("NOCERT_")}
    env.update(PYTHONPATH=str(CHECKOUT), NOCERT_DATABASE_URL=database_url, NOCERT_REDIS_URL="")
    if api is not None:
        env.update(NOCERT_TELEGRAM_TOKEN=api.token, NOCERT_TELEGRAM_API_URL=api.base_url)
    return env


def timed(command: list[str], env: dict[str, str]) -> tuple[float, float]:
    """(wall-clock seconds, CPU seconds: user + system of the child)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run(
        command, env=env, cwd=CHECKOUT, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def median_of(runs: int, command: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Medians of wall-clock and of CPU time over `runs` runs."""
    timed(command, env)  # warm the OS file cache once; not counted
    results = [timed(command, env) for _ in range(runs)]
    return statistics.median(r[0] for r in results), statistics.median(r[1] for r in results)


async def stop(process: subprocess.Popen[bytes]) -> None:
    process.send_signal(signal.SIGTERM)
    for _ in range(600):
        if process.poll() is not None:
            return
        await asyncio.sleep(0.05)
    process.kill()


async def until_polling(api: FakeBotApi, process: subprocess.Popen[bytes], started: float) -> float:
    while "getUpdates" not in api.calls:
        if process.poll() is not None:
            raise RuntimeError(f"the bot exited with {process.returncode}")
        if time.perf_counter() - started > 180:
            raise TimeoutError("the bot never polled")
        await asyncio.sleep(0.005)
    return time.perf_counter() - started


async def to_first_poll(command: list[str], env: dict[str, str]) -> float:
    async with FakeBotApi(first_update_id=fresh_update_id()) as api:
        env = {**env, "NOCERT_TELEGRAM_TOKEN": api.token, "NOCERT_TELEGRAM_API_URL": api.base_url}
        command = [part.replace("{API}", api.base_url).replace("{TOKEN}", api.token) for part in command]
        started = time.perf_counter()
        process = subprocess.Popen(
            command, env=env, cwd=CHECKOUT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        try:
            return await until_polling(api, process, started)
        finally:
            await stop(process)


async def first_answer(database_url: str, workdir: Path) -> float:
    """Seconds from a question to its answer, asked once `nocert run` says its start-up work is done."""
    log_path = workdir / "run.log"
    async with FakeBotApi(first_update_id=fresh_update_id()) as api:
        env = environment(database_url, api)
        with log_path.open("wb") as log_file:  # a file, not a pipe: a full pipe would block the bot
            process = subprocess.Popen(
                [*NOCERT, "-v", "run", "--polling-timeout", "1"],
                env=env,
                cwd=CHECKOUT,
                stdout=subprocess.DEVNULL,
                stderr=log_file,
            )
            try:
                await until_polling(api, process, time.perf_counter())
                waited = time.perf_counter()
                while READY_LOG not in log_path.read_text(encoding="utf-8", errors="replace"):
                    if process.poll() is not None or time.perf_counter() - waited > 300:
                        raise RuntimeError("the bot never finished its start-up work")
                    await asyncio.sleep(0.05)
                user = 7001
                api.push_command(user, "start")
                await api.wait_for_messages(user, 1, timeout=60)
                await asyncio.sleep(1)  # the welcome may come in several messages
                api.skip_unread(user)
                started = time.perf_counter()
                api.push_text(user, QUESTION)
                await api.wait_for_messages(user, 1, timeout=60)
                return time.perf_counter() - started
            except Exception:
                print(log_path.read_text(encoding="utf-8", errors="replace")[-3000:], file=sys.stderr)
                raise
            finally:
                await stop(process)


async def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--part", choices=["all", "cli", "bot", "answer"], default="all")
    parser.add_argument("--checkout", type=Path, default=ROOT, help="time this checkout's nocert")
    args = parser.parse_args()
    part, runs = args.part, args.runs
    global CHECKOUT
    CHECKOUT = args.checkout.resolve()
    with tempfile.TemporaryDirectory() as tmp:
        database_url = f"sqlite+aiosqlite:///{Path(tmp) / 'bench.db'}"
        env = environment(database_url)
        subprocess.run(
            [*NOCERT, "init", "--demo"], env=env, cwd=CHECKOUT, check=True, stdout=subprocess.DEVNULL
        )

        if part in ("all", "cli"):
            cli(runs, env)
        if part in ("all", "bot"):
            await bot(runs, env)
        if part in ("all", "answer"):
            answers = [await first_answer(database_url, Path(tmp)) for _ in range(runs)]
            first = statistics.median(answers)
            verdict = "ok" if first <= 0.3 else "OVER 300 ms"
            print(
                f"First guidance answer after start-up (median of {runs}): {first * 1000:.0f} ms  {verdict}"
            )


def cli(runs: int, env: dict[str, str]) -> None:
    """Wall-clock is the target; CPU time (user + system) is shown too: on a machine whose cores are busy
    with other work, a longer process waits for a core more often than the short floor does, which
    inflates the wall-clock ratio while the CPU ratio shows what the command itself costs."""
    print(f"CLI (median of {runs}; floor: python -c 'import typer'; wall-clock, then CPU time; {CHECKOUT})")
    floor, floor_cpu = median_of(runs, [PYTHON, "-c", "import typer"], env)
    print(f"  {'floor: import typer':34} {floor * 1000:8.0f} ms        {floor_cpu * 1000:8.0f} ms cpu")
    for label, arguments, target in (*CLI_COMMANDS, ("ask (builds the index)", ["ask", QUESTION], None)):
        seconds, cpu = median_of(runs, [*NOCERT, *arguments], env)
        verdict = "" if target is None else ("  ok" if seconds / floor <= target else f"  OVER {target}×")
        print(
            f"  {label:34} {seconds * 1000:8.0f} ms {seconds / floor:5.1f}×  "
            f"{cpu * 1000:8.0f} ms cpu {cpu / floor_cpu:5.1f}×{verdict}"
        )


async def bot(runs: int, env: dict[str, str]) -> None:
    print(f"Bot start to first getUpdates (median of {runs}; floor: a bare aiogram bot)")
    echo = [
        PYTHON,
        str(ROOT / "bench" / "echo_bot.py"),
        "aiogram",
        "--api",
        "{API}",
        "--token",
        "{TOKEN}",
    ]
    bare = statistics.median([await to_first_poll(echo, env) for _ in range(runs)])
    run = [*NOCERT, "run", "--polling-timeout", "1"]
    ours = statistics.median([await to_first_poll(run, env) for _ in range(runs)])
    verdict = "ok" if ours / bare <= 1.3 else "OVER 1.3×"
    print(f"  {'floor: bare aiogram bot':34} {bare * 1000:8.0f} ms")
    print(f"  {'nocert run':34} {ours * 1000:8.0f} ms  {ours / bare:5.1f}×  {verdict}")


if __name__ == "__main__":
    asyncio.run(main())
