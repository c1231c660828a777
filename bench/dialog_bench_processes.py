"""The processes and databases of the dialog bench (bench/dialog_bench.py): a fresh SQLite file or
PostgreSQL database (with Redis), the environment a bot runs in, `nocert init --demo` then `nocert run` (of
the code in a given root, optionally through bench/latency_trace.py), waiting for its first getUpdates, and
stopping it."""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path
from typing import Any

from tests.fakebotapi import FakeBotApi

ROOT = Path(__file__).resolve().parents[1]
PG_ADMIN = os.environ.get("NOCERT_TEST_PG_DSN", "postgresql://postgres@127.0.0.1:5432/test")
REDIS_URL = os.environ.get("NOCERT_BENCH_REDIS_URL", "redis://127.0.0.1:6379/13")


async def wait_polling(api: FakeBotApi, process: subprocess.Popen[bytes], timeout: float = 120) -> None:
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


def environment(
    api: FakeBotApi, database_url: str, redis_url: str | None, root: Path = ROOT
) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("NOCERT_")}
    env.update(
        # CPU_SAMPLE: the bots load bench/cpu_sampler (a CPU-time sampler of `nocert run`, see there)
        PYTHONPATH=f"{ROOT / 'bench' / 'cpu_sampler'}:{root}" if os.environ.get("CPU_SAMPLE") else str(root),
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
    api: FakeBotApi,
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


async def forget_redis_keys(url: str, users: list[int]) -> None:
    from redis.asyncio import Redis

    client = Redis.from_url(url)
    try:
        for start in range(0, len(users), 1000):
            await client.delete(*[f"nocert:dialog:telegram:{user}" for user in users[start : start + 1000]])
    finally:
        await client.aclose()
