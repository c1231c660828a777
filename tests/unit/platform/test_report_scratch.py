"""Throw-away report exports do not pile up: a new export removes folders older than an hour."""

from __future__ import annotations

import os
import time
from pathlib import Path

from nocert_core.services.oversight.report_export import SCRATCH_KEPT_SECONDS, scratch_dir


def test_a_new_scratch_folder_removes_old_ones_and_keeps_recent_ones() -> None:
    first = scratch_dir()
    (first / "chart.png").write_bytes(b"png")
    old = scratch_dir()
    (old / "report.xlsx").write_bytes(b"xlsx")
    long_ago = time.time() - SCRATCH_KEPT_SECONDS - 60
    os.utime(old, (long_ago, long_ago))

    newest = scratch_dir()

    assert newest.is_dir() and newest != first
    assert (first / "chart.png").exists()  # recent: its files may still be on their way
    assert not old.exists()
    assert Path(newest).parent == first.parent
