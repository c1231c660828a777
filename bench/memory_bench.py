"""Memory of the bot's core: where it goes, and whether it grows with the database.

    python bench/memory_bench.py [--more 500] [--batches 4] [--no-trace]

In one process, on a fresh SQLite database in a temporary folder:
1. RSS (psutil) after importing the core, then per component (tracemalloc, Python objects only): jieba's
   dictionary (loaded once per process: nocert_core/jieba_dictionary.py), the complaint segmenter, the
   pinyin tables, the guidance index, hot-spot keywords (jieba.analyse's part-of-speech table), the demo data.
2. After the demo data and the start-up work (`nocert run` does the same work in the background): RSS.
3. Then `--batches` batches of `--more` complaints each (demo complaints registered again under new
   references), with the hot-spot detection run after each batch: RSS after each (tracemalloc off). Flat
   means the core keeps nothing per row. tracemalloc's own book-keeping inflates RSS: take RSS from a
`--no-trace` run, the per-component split from a traced run.

The goal (issue 12, item 7) is ≤ 250 MB steady on the demo data and flat as the database grows.

    python bench/memory_bench.py --bot [--more 3000]

measures the real thing instead: `nocert run` (aiogram) against the fake Bot API (tests/fakebotapi.py) on a
demo database, then on one with `--more` further complaints: RSS once its start-up work and its start-up
catch-up (every sweep, hot spots, digest and weekly report when due) are done and a citizen has asked a
guidance question, and again after a quiet minute. Numbers go in docs/memory.md.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import importlib
import os
import sys
import tempfile
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

import psutil

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
MB = 1024 * 1024


def rss() -> float:
    gc.collect()
    return psutil.Process().memory_info().rss / MB


def traced(label: str, work: Callable[[], Any]) -> Any:
    if not tracemalloc.is_tracing():
        return work()
    gc.collect()
    before = tracemalloc.get_traced_memory()[0]
    result = work()
    gc.collect()
    print(f"  {label:<44} {(tracemalloc.get_traced_memory()[0] - before) / MB:7.1f} MB (tracemalloc)")
    return result


def traced_now() -> float:
    gc.collect()
    return tracemalloc.get_traced_memory()[0] / MB if tracemalloc.is_tracing() else 0.0


def report(label: str, before: float) -> None:
    if tracemalloc.is_tracing():
        print(f"  {label:<44} {traced_now() - before:7.1f} MB (tracemalloc)")


async def main(more: int, batches: int, trace: bool) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        os.environ.update(
            NOCERT_DATABASE_URL=f"sqlite+aiosqlite:///{Path(tmp) / 'memory.db'}", NOCERT_REDIS_URL=""
        )
        print(f"RSS at start (interpreter + bench imports): {rss():.0f} MB")
        if trace:
            tracemalloc.start()
        bootstrap = traced(
            "import the core (bootstrap)", lambda: importlib.import_module("nocert_core.bootstrap")
        )
        print(f"RSS after importing the core: {rss():.0f} MB")

        from nocert_core.adapters.text import segmenter
        from nocert_core.demo.foundation import demo_complaints
        from nocert_core.guidance.search.fuzzy import sound
        from nocert_core.jieba_dictionary import base_tokenizer
        from nocert_core.services.catalogue import guidance
        from nocert_core.services.complaints import handling as svc
        from nocert_core.services.oversight import hotspots

        traced("jieba's dictionary (global tokenizer, once)", base_tokenizer)
        traced("complaint segmenter (private word table)", lambda: segmenter().cut("营业执照"))
        traced("pinyin tables", lambda: sound("证"))
        app = await bootstrap.open_application()
        before = traced_now()
        summaries = await bootstrap.load_demo(app)
        report(f"demo data loaded ({len(summaries)} loaders)", before)
        before = traced_now()
        await guidance.load_index(app.uow())
        report("guidance index (incl. its word table)", before)
        traced("hot-spot keywords (noun tags, IDF table)", lambda: hotspots.keywords("开无犯罪记录证明"))
        if tracemalloc.is_tracing():
            print(f"  {'all traced Python objects':<44} {traced_now():7.1f} MB")
            tracemalloc.stop()
        steady = rss()
        print(f"RSS after demo data and start-up work: {steady:.0f} MB")

        cases = demo_complaints()
        from nocert_core.demo.foundation import SUPERVISOR

        registered = 0
        for batch in range(1, batches + 1):
            for i in range(more):
                case = cases[i % len(cases)]
                draft = svc.ComplaintDraft(
                    complainant_name=case.name,
                    complainant_phone=case.phone,
                    agency_text=case.agency,
                    demand=case.demand,
                    reasons=case.reasons,
                    facts=case.facts,
                )
                await svc.register_complaint(
                    app.uow(), app.clock, SUPERVISOR, draft, dedup_ref=f"bench:{batch}:{i}"
                )
                registered += 1
            await hotspots.detect(app.uow, app.clock.now())
            print(f"RSS after {registered} more complaints (+ hot-spot detection): {rss():.0f} MB")
        await app.close()


def import_rss() -> None:
    """RSS each part of a running bot adds, one after another in this process, in the order `nocert run`
    loads them (bench imports first: psutil). Libraries first, then the data the start-up work loads."""
    os.environ.setdefault("NOCERT_REDIS_URL", "")
    last = rss()
    print(f"  {'interpreter + psutil':<52} {last:6.0f} MB")

    def step(label: str, work: Callable[[], Any]) -> None:
        nonlocal last
        work()
        now = rss()
        print(f"  {label:<52} {now - last:+6.1f} MB  (= {now:.0f})")
        last = now

    def aiogram() -> None:
        from bot.telegram.aiogram_models import import_aiogram

        import_aiogram()
        importlib.import_module("bot.telegram.aiogram_runtime")

    def first_updates() -> None:
        from aiogram.methods import Response, SendMessage
        from aiogram.types import Message, Update

        user = {"id": 1, "is_bot": False, "first_name": "a"}
        message = {
            "message_id": 1,
            "date": 0,
            "chat": {"id": 1, "type": "private"},
            "from": user,
            "text": "x",
        }
        Response[list[Update]].model_validate({"ok": True, "result": [{"update_id": 1, "message": message}]})
        Response[Message].model_validate({"ok": True, "result": message})
        SendMessage(chat_id=1, text="x").model_dump()

    def words() -> None:
        from nocert_core.adapters.text import segmenter

        segmenter().cut("营业执照")

    def pinyin() -> None:
        from nocert_core.guidance.search.fuzzy import sound

        sound("证")

    def opencc() -> None:
        from nocert_core.textnorm import canonical

        canonical("營業執照")

    def keywords() -> None:
        from nocert_core.services.oversight import hotspots

        hotspots.keywords("开无犯罪记录证明")

    for label, work in (
        ("typer", lambda: importlib.import_module("typer")),
        ("pydantic, pydantic-settings (settings)", lambda: importlib.import_module("nocert_core.settings")),
        ("SQLAlchemy (asyncio, SQLite driver)", lambda: importlib.import_module("sqlalchemy.ext.asyncio")),
        ("the core (nocert_core.bootstrap)", lambda: importlib.import_module("nocert_core.bootstrap")),
        ("handlers, scheduler (bot.cli.run)", lambda: importlib.import_module("bot.cli.run")),
        ("aiogram (models built on first use)", aiogram),
        ("aiogram: first updates and replies (models built)", first_updates),
        ("jieba + its dictionary (complaint segmenter)", words),
        ("pypinyin tables (typo correction)", pinyin),
        ("opencc (traditional → simplified)", opencc),
        ("hot-spot keywords (jieba.posseg, noun and IDF tables)", keywords),
        (
            "matplotlib.pyplot (report worker only)",
            lambda: importlib.import_module("matplotlib.pyplot"),
        ),
        ("openpyxl (report worker only)", lambda: importlib.import_module("openpyxl")),
    ):
        step(label, work)


async def add_complaints(count: int) -> None:
    """`count` demo complaints registered again under new references, into NOCERT_DATABASE_URL."""
    from nocert_core import bootstrap
    from nocert_core.demo.foundation import SUPERVISOR, demo_complaints
    from nocert_core.services.complaints import handling as svc

    app = await bootstrap.open_application()
    cases = demo_complaints()
    for i in range(count):
        case = cases[i % len(cases)]
        draft = svc.ComplaintDraft(
            complainant_name=case.name,
            complainant_phone=case.phone,
            agency_text=case.agency,
            demand=case.demand,
            reasons=case.reasons,
            facts=case.facts,
        )
        await svc.register_complaint(app.uow(), app.clock, SUPERVISOR, draft, dedup_ref=f"bench:{i}")
    await app.close()


async def bot_rss(workdir: Path, quiet: float, user: int) -> tuple[float, float]:
    """RSS of `nocert run` once started up and caught up and a question is answered; after `quiet` s."""
    import subprocess

    from bench.startup_bench import (
        NOCERT,
        QUESTION,
        READY_LOG,
        environment,
        fresh_update_id,
        stop,
        until_polling,
    )
    from bot.jobs.scheduler import CATCH_UP_DONE
    from tests.fakebotapi import FakeBotApi

    log_path = workdir / "run.log"
    async with FakeBotApi(first_update_id=fresh_update_id()) as api:
        env = environment(os.environ["NOCERT_DATABASE_URL"], api)
        with log_path.open("wb") as log_file:
            process = subprocess.Popen(
                [*NOCERT, "-v", "run", "--polling-timeout", "1"],
                env=env,
                cwd=ROOT,
                stdout=subprocess.DEVNULL,
                stderr=log_file,
            )
            try:
                import time

                await until_polling(api, process, time.perf_counter())
                while not all(
                    mark in log_path.read_text(encoding="utf-8", errors="replace")
                    for mark in (READY_LOG, CATCH_UP_DONE)
                ):
                    if process.poll() is not None:
                        raise RuntimeError(log_path.read_text(encoding="utf-8", errors="replace")[-3000:])
                    await asyncio.sleep(0.5)
                api.push_text(user, QUESTION)
                await api.wait_for_messages(user, 1, timeout=300)
                ready = psutil.Process(process.pid).memory_info().rss / MB
                await asyncio.sleep(quiet)
                return ready, psutil.Process(process.pid).memory_info().rss / MB
            finally:
                await stop(process)


async def bot_main(more: int, quiet: float) -> None:
    import subprocess

    from bench.startup_bench import NOCERT, environment

    with tempfile.TemporaryDirectory() as tmp:
        database_url = f"sqlite+aiosqlite:///{Path(tmp) / 'memory.db'}"
        os.environ.update(NOCERT_DATABASE_URL=database_url, NOCERT_REDIS_URL="")
        env = environment(database_url)
        subprocess.run([*NOCERT, "init", "--demo"], env=env, cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
        for label, count in (("demo data", 0), (f"demo data + {more} complaints", more)):
            await add_complaints(count)
            ready, later = await bot_rss(Path(tmp), quiet, user=7001 + count)
            print(
                f"nocert run (aiogram), {label}: RSS {ready:.0f} MB when ready, "
                f"{later:.0f} MB {quiet:.0f} s later"
            )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--more", type=int, default=500, help="complaints per batch")
    parser.add_argument("--batches", type=int, default=4)
    parser.add_argument(
        "--no-trace", action="store_true", help="RSS only: tracemalloc's own book-keeping inflates RSS"
    )
    parser.add_argument("--bot", action="store_true", help="measure a real `nocert run` instead")
    parser.add_argument("--imports", action="store_true", help="RSS each library and table adds, in order")
    parser.add_argument("--quiet", type=float, default=60.0, help="--bot: seconds to wait before the 2nd RSS")
    arguments = parser.parse_args()
    if arguments.imports:
        import_rss()
    elif arguments.bot:
        asyncio.run(bot_main(arguments.more, arguments.quiet))
    else:
        asyncio.run(main(arguments.more, arguments.batches, not arguments.no_trace))
