"""Bench-only stage trace of `nocert run`: where an update's reply latency goes (issue 15, session 7).

    PYTHONPATH=. python bench/latency_trace.py run --framework aiogram   # `nocert run`, traced
                                                                          # into NOCERT_BENCH_TRACE=FILE

Runs `nocert run` with the runtime's stages wrapped (nothing in the bot's own code changes): for every
update the moments it was accepted from the getUpdates batch, written to the inbox, taken from its user's
queue, paced (user lock and flood guard), handled (in a shared batch or alone), each Bot API call of its
replies and each "sent" mark. Besides, every getUpdates call (issued, sent after the inbox write, answered)
and every garbage collection. All moments are `time.monotonic()`, comparable with the bench process's on
the same machine. Written as JSON to NOCERT_BENCH_TRACE when the process exits.

`bench/dialog_bench.py --trace DIR` starts nocert this way, records the bench's own side (sent, served by
getUpdates, answered) and prints the breakdown of the fixed-rate runs (bench/latency_report.py).
"""

from __future__ import annotations

import atexit
import contextvars
import functools
import gc
import json
import os
import sys
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

_events: list[tuple[str, str, float]] = []  # (update id, stage, monotonic)
_polls: list[tuple[float, float, float, int]] = []  # getUpdates: issued, sent (after the inbox), answered, n
_gcs: list[tuple[int, float, float]] = []  # (generation, start, end)
_batches: list[tuple[float, float, int]] = []  # group commit: start, end, size
_blocks: list[tuple[float, float, str]] = []  # event-loop callbacks over BLOCK seconds: start, end, what
BLOCK = 0.005
_busy: dict[int, float] = defaultdict(float)  # tenth of a second (monotonic × 10): seconds of loop callbacks
_current: contextvars.ContextVar[str | None] = contextvars.ContextVar("traced_update", default=None)
_batch_sql: contextvars.ContextVar[list[float] | None] = contextvars.ContextVar("batch_sql", default=None)


def _mark(update_id: str | None, stage: str) -> None:
    if update_id:
        _events.append((update_id, stage, time.monotonic()))


def _around(cls: type, name: str, key: Any, before: str, after: str) -> None:
    """Wrap the coroutine method `cls.name`: marks `before`/`after` for the update(s) `key(args)` names."""
    original = getattr(cls, name)

    @functools.wraps(original)
    async def wrapped(*args: Any, **kwargs: Any) -> Any:
        ids = key(*args, **kwargs)
        for update_id in ids:
            _mark(update_id, before)
        try:
            return await original(*args, **kwargs)
        finally:
            for update_id in ids:
                _mark(update_id, after)

    setattr(cls, name, wrapped)


def _current_ids(*_: Any, **__: Any) -> list[str | None]:
    return [_current.get()]


def install() -> None:
    from aiogram.methods import GetUpdates

    from bot.telegram import aiogram_runtime, aiogram_session
    from bot.telegram.base import TelegramRuntime
    from handlers.dispatch import flood, update_batch
    from handlers.dispatch.dispatcher import Dispatcher
    from nocert_core.services.messaging.sent_marks import SentMarks

    original_accept = TelegramRuntime.accept

    async def accept(self: Any, incoming: Any, callback_query_id: str | None = None) -> None:
        _mark(incoming.update_id, "accepted")
        await original_accept(self, incoming, callback_query_id)

    TelegramRuntime.accept = accept  # type: ignore[method-assign]
    _around(
        TelegramRuntime, "_ingest", lambda self, batch: [i.update_id for i, _ in batch], "inbox", "queued"
    )

    original_row = TelegramRuntime.handle_row

    async def handle_row(self: Any, inbox_id: int, incoming: Any, callback_query_id: str | None) -> None:
        _current.set(incoming.update_id)  # this task's own context: the calls below find it
        _mark(incoming.update_id, "taken")
        await original_row(self, inbox_id, incoming, callback_query_id)
        _mark(incoming.update_id, "finished")

    TelegramRuntime.handle_row = handle_row  # type: ignore[method-assign]
    _around(TelegramRuntime, "_process_with_retries", _current_ids, "process", "committed")
    _around(aiogram_runtime.AiogramRuntime, "_answer_callback", _current_ids, "answer", "answered")
    _around(aiogram_runtime.AiogramRuntime, "_call", _current_ids, "call", "called")
    _around(SentMarks, "mark", _current_ids, "mark", "marked")
    _around(flood.FloodGuard, "pace", _current_ids, "pace", "paced")
    _around(Dispatcher, "process_alone", _current_ids, "alone", "alone_done")

    original_batch = update_batch.GroupCommit._commit_batch

    async def commit_batch(self: Any, batch: list[Any]) -> Any:
        _current.set(None)  # this task's context came from whichever update started it
        in_batch = [0.0, 0.0]
        _batch_sql.set(in_batch)
        started = time.monotonic()
        for item in batch:
            _mark(item.incoming.update_id, "batch")
        try:
            return await original_batch(self, batch)
        finally:
            _batches.append((started, time.monotonic(), len(batch), in_batch[0], in_batch[1]))
            for item in batch:
                _mark(item.incoming.update_id, "batch_done")

    update_batch.GroupCommit._commit_batch = commit_batch  # type: ignore[method-assign]

    session_class = aiogram_session.ScreeningSession
    original_request = session_class.make_request

    async def make_request(self: Any, bot: Any, method: Any, timeout: int | None = None) -> Any:
        if not isinstance(method, GetUpdates):
            return await original_request(self, bot, method, timeout)
        issued = time.monotonic()
        sent = issued
        before = self.before_get_updates

        async def inbox_then_mark() -> None:
            nonlocal sent
            if before is not None:
                await before()
            sent = time.monotonic()

        self.before_get_updates = inbox_then_mark
        try:
            result = await original_request(self, bot, method, timeout)
        finally:
            self.before_get_updates = before
        _polls.append((issued, sent, time.monotonic(), len(result)))
        return result

    session_class.make_request = make_request  # type: ignore[method-assign]

    from sqlalchemy import event
    from sqlalchemy.engine import Engine

    def before_statement(conn: Any, cursor: Any, statement: str, *_: Any) -> None:
        conn.info["traced_started"] = time.monotonic()

    def after_statement(conn: Any, cursor: Any, statement: str, *_: Any) -> None:
        started = conn.info.pop("traced_started", None)
        in_batch = _batch_sql.get()
        if started is not None and in_batch is not None:
            in_batch[0] += time.monotonic() - started
            in_batch[1] += 1
        update_id = _current.get()
        if started is not None and update_id:
            _events.append((update_id, "sql", started))
            _events.append((update_id, "sql_done", time.monotonic()))

    event.listen(Engine, "before_cursor_execute", before_statement)
    event.listen(Engine, "after_cursor_execute", after_statement)

    gc_started: dict[int, float] = {}

    def on_gc(phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            gc_started[0] = time.monotonic()
        elif 0 in gc_started:
            _gcs.append((info["generation"], gc_started.pop(0), time.monotonic()))

    gc.callbacks.append(on_gc)

    import asyncio.events

    original_run = asyncio.events.Handle._run

    def timed_run(handle: Any) -> None:
        started = time.monotonic()
        original_run(handle)
        ended = time.monotonic()
        _busy[int(started * 10)] += ended - started
        if ended - started > BLOCK:
            _blocks.append((started, ended, _describe(handle)))

    asyncio.events.Handle._run = timed_run  # type: ignore[method-assign]
    atexit.register(dump, os.environ["NOCERT_BENCH_TRACE"])


def _describe(handle: Any) -> str:
    """The coroutine a loop callback stepped, and where it stands now (or the callback itself)."""
    callback = getattr(handle, "_callback", None)
    task = getattr(callback, "__self__", None)
    coro = getattr(task, "get_coro", lambda: None)()
    if coro is None:
        return repr(callback)[:200]
    frames = []
    while coro is not None:
        frame = getattr(coro, "cr_frame", None) or getattr(coro, "gi_frame", None)
        if frame is not None:
            frames.append(f"{frame.f_code.co_name}:{frame.f_lineno}")
        coro = getattr(coro, "cr_await", None) or getattr(coro, "gi_yieldfrom", None)
    return f"{getattr(task, 'get_name', lambda: '?')()} " + " > ".join(frames)[:300]


def dump(path: str) -> None:
    from collections import Counter

    objects = gc.get_objects()
    kinds = Counter(type(item).__qualname__ for item in objects).most_common(25)
    heap = {"objects": len(objects), "frozen": gc.get_freeze_count(), "kinds": kinds}
    data = {
        "heap": heap,
        "events": _events,
        "polls": _polls,
        "gcs": _gcs,
        "batches": _batches,
        "busy": list(_busy.items()),
        "blocks": _blocks,
    }
    Path(path).write_text(json.dumps(data))


if __name__ == "__main__":
    # The code traced is the one on PYTHONPATH (the bench sets it: with --before, the code before a
    # change), not necessarily the checkout this script is in.
    install()
    from bot.cli import main

    sys.argv = ["nocert", *sys.argv[1:]]
    main()
