"""Who holds an outbox lease, and whether that process is dead.

Every lease on an outbox row names its holder: `host:pid:start:nonce` (`this_process()`; `start` is the
process's start time from /proc where there is one, the nonce tells apart two processes that had the same
pid). A bot killed with SIGKILL leaves its leases behind: the row in flight at the kill, replies written
but not yet sent. Without a holder they wait out the lease (30 s), and a bot restarted more often than
that (the kill soak, a crash loop) kept a busy chat frozen on every start. A starting worker releases the
leases of holders on the SAME host that are provably gone: no process with that pid, a process with that
pid started at another time, or this very pid with another nonce (a container's pid 1 after a restart).
A holder on another host, or one that cannot be told dead, keeps its lease until it runs out. Releasing a
dead holder's lease re-sends at most what it had in flight: the one-message-per-chat window of
docs/reliability.md, as when the lease runs out.
"""

from __future__ import annotations

import functools
import os
import socket
import uuid


def _start_time(pid: int) -> str | None:
    """The process's start time in clock ticks since boot (field 22 of /proc/<pid>/stat), or None."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as handle:
            stat = handle.read()
    except OSError:
        return None
    fields = stat.rsplit(")", 1)[-1].split()  # the command name (field 2) may contain spaces
    return fields[19] if len(fields) > 19 else None


def _exists(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # exists, owned by someone else
        return True
    return True


@functools.cache
def this_process() -> str:
    """This process's holder name (the same for every lease it takes)."""
    pid = os.getpid()
    return f"{socket.gethostname()}:{pid}:{_start_time(pid) or ''}:{uuid.uuid4().hex[:8]}"


def host_prefix() -> str:
    return f"{socket.gethostname()}:"


def is_dead(holder: str) -> bool:
    """True only when the holder is on this host and provably not running any more."""
    parts = holder.rsplit(":", 3)
    if len(parts) != 4 or f"{parts[0]}:" != host_prefix() or holder == this_process():
        return False
    try:
        pid = int(parts[1])
    except ValueError:
        return False
    if pid == os.getpid():
        return True  # this pid, another nonce: an earlier process that had this pid
    if not _exists(pid):
        return True
    started = _start_time(pid)
    return bool(parts[2]) and started is not None and started != parts[2]
