"""What every asyncio task awaits, for a bench that stops making progress (bench/fuzz.py).

`install(path)` dumps every task of the running loop — its name, the chain of coroutine frames it is in
and the future it waits on — to `path` on SIGUSR1 (`kill -USR1 <pid>`); `dump(path, reason)` does it at
once (a watchdog calls it when inputs stop being answered). py-spy shows only the event loop's own thread
stack, which for asyncio is always `select`; this shows the awaiting coroutines."""

from __future__ import annotations

import asyncio
import io
import signal
import time
from collections import Counter
from pathlib import Path


def _chain(task: asyncio.Task[object]) -> list[str]:
    """The task's coroutine and what it awaits, outermost first (a task's stack shows only the first)."""
    places: list[str] = []
    awaited: object = task.get_coro()
    while awaited is not None:
        frame = getattr(awaited, "cr_frame", None) or getattr(awaited, "gi_frame", None)
        if frame is None:
            places.append(f"({type(awaited).__name__})")
            break
        places.append(f"{frame.f_code.co_filename}:{frame.f_lineno} {frame.f_code.co_name}")
        awaited = getattr(awaited, "cr_await", None) or getattr(awaited, "gi_yieldfrom", None)
    return places


def dump(path: Path, reason: str) -> None:
    out = io.StringIO()
    tasks = sorted(asyncio.all_tasks(), key=lambda task: task.get_name())
    out.write(f"== {time.strftime('%H:%M:%S')} {reason}: {len(tasks)} tasks\n")
    places: Counter[str] = Counter()
    for task in tasks:
        chain = _chain(task)
        where = " -> ".join(place.rsplit("/", 1)[-1] for place in chain[-5:])
        places[where] += 1
        out.write(f"-- {task.get_name()} waits on {getattr(task, '_fut_waiter', None)!r}\n")
        for place in chain:
            out.write(f"     {place}\n")
    out.write("== tasks by innermost frames\n")
    for where, count in places.most_common():
        out.write(f"{count:5d}  {where}\n")
    with path.open("a", encoding="utf-8") as file:
        file.write(out.getvalue())


def install(path: Path) -> None:
    asyncio.get_running_loop().add_signal_handler(signal.SIGUSR1, dump, path, "SIGUSR1")
