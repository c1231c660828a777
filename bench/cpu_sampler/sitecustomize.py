"""A CPU-time sampler for `nocert run` under bench/dialog_bench.py (bench only; the bot's code is not
changed by it). With `CPU_SAMPLE=PREFIX` in the bench's environment the bots start with this directory
on their PYTHONPATH; in the `nocert run` process this takes a stack at every tick of the process's CPU
time (SIGPROF, 1 ms asked; the kernel may round it up: 10 ms on this machine) and writes them as
collapsed stacks (`frame;frame;… count`, for flame-graph tools) to PREFIX.<pid> when the process exits.
`CPU_SAMPLE_DELAY=seconds` starts it later (after the start-up work).

Unlike py-spy it follows SQLAlchemy's greenlets: a statement's frames are joined to the use case that ran
it (py-spy shows them as stacks of their own, with no caller), and it counts CPU time, not time waiting
for a core — on a loaded machine a socket write that wakes the server shows up in py-spy as ~20 % of the
samples but costs little CPU (docs/performance.md, session 7)."""

from __future__ import annotations

import os
import sys

if os.environ.get("CPU_SAMPLE") and "run" in sys.argv[1:]:
    import atexit
    import collections
    import signal
    import threading
    import time
    from types import FrameType

    _stacks: collections.Counter[str] = collections.Counter()

    def _name(frame: FrameType) -> str:
        path = frame.f_code.co_filename
        for marker in ("/site-packages/", "/lib/python3.11/", os.getcwd() + "/"):
            if marker in path:
                path = path.split(marker, 1)[1]
                break
        return f"{frame.f_code.co_qualname} ({path})"

    def _sample(_signal: int, frame: FrameType | None) -> None:
        names: list[str] = []
        while frame is not None:
            names.append(_name(frame))
            frame = frame.f_back
        greenlet = sys.modules.get("greenlet")
        if greenlet is not None:  # a statement's greenlet: continue with the frames that spawned it
            current = greenlet.getcurrent()
            while current.parent is not None:
                current = current.parent
                frame = current.gr_frame
                while frame is not None:
                    names.append(_name(frame))
                    frame = frame.f_back
        _stacks[";".join(reversed(names))] += 1

    def _start(*_: object) -> None:
        signal.signal(signal.SIGPROF, _sample)
        signal.setitimer(signal.ITIMER_PROF, 0.001, 0.001)

    def _write() -> None:
        signal.setitimer(signal.ITIMER_PROF, 0, 0)
        with open(f"{os.environ['CPU_SAMPLE']}.{os.getpid()}", "w", encoding="utf-8") as out:
            out.writelines(f"{stack} {count}\n" for stack, count in _stacks.items())

    atexit.register(_write)
    delay = float(os.environ.get("CPU_SAMPLE_DELAY") or 0)
    if delay > 0:  # the timer is set on the main thread: a thread only signals it when to
        signal.signal(signal.SIGUSR2, _start)
        threading.Thread(
            target=lambda: (time.sleep(delay), os.kill(os.getpid(), signal.SIGUSR2)), daemon=True
        ).start()
    else:
        _start()
