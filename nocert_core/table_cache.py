"""Compact tables built once from a library's data file, cached on disk, built in a worker process.

jieba's dictionary and pypinyin's phrases ship as text or JSON; parsing them makes hundreds of thousands of
short-lived Python objects, and a process keeps most of the memory they took after they are freed (tens of
MB of RSS for good). So a table is built by a spawned worker process that writes it to a cache file and
exits; the caller reads the file (bytes, a few MB) into its compact form. The file is named after the data
file's path, size and modification time, so a new library version builds it again. The cache folder is
`NOCERT_CACHE_DIR`, else the user's cache folder (platformdirs); if it cannot be written, the table is built
in the calling process.
"""

from __future__ import annotations

import hashlib
import logging
import multiprocessing
import os
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import TypeVar

log = logging.getLogger(__name__)
T = TypeVar("T")


def cache_dir() -> Path:
    import platformdirs

    return Path(os.environ.get("NOCERT_CACHE_DIR") or platformdirs.user_cache_dir("nocert"))


def cached_path(kind: str, source: Path) -> Path:
    stat = source.stat()
    digest = hashlib.sha1(f"{source}|{stat.st_size}|{stat.st_mtime_ns}".encode()).hexdigest()[:16]
    return cache_dir() / f"{kind}-{digest}"


def load_table(kind: str, source: Path, build: Callable[[Path], bytes], read: Callable[[bytes], T]) -> T:
    """`read(build(source))`, with `build`'s bytes cached and built by a worker process the first time.
    `build` must be a module-level function (the worker imports it); `read` raises ValueError on bytes it
    cannot use (a damaged file is built again)."""
    path = cached_path(kind, source)
    try:
        return read(path.read_bytes())
    except (OSError, ValueError):
        pass
    worker = ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn"))
    try:
        worker.submit(write_table, build, source, path).result()
        return read(path.read_bytes())
    except (OSError, ValueError):
        log.info("%s table not cached in %s: built in this process", kind, path.parent)
        return read(build(source))
    finally:
        worker.shutdown(wait=False)


def write_table(build: Callable[[Path], bytes], source: Path, path: Path) -> None:
    data = build(source)
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f"{path.name}.{os.getpid()}.partial")
    partial.write_bytes(data)
    os.replace(partial, path)  # another process may write the same file: each write is whole
