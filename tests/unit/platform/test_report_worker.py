"""The bot draws a report in a worker process that exits afterwards: the files are written, and the
charting libraries (≈45 MB that would stay for good, docs/memory.md) never load into the bot's process."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]

DRAW = """
import asyncio, json, sys
from collections import Counter
from datetime import UTC, date, datetime
from pathlib import Path
from nocert_core.services.oversight.report_export import export_report_in_worker
from nocert_core.services.oversight.reports import Period, Report, UnitStats

unit = UnitStats("U1", "市公安局", received=3, accepted=2, rejected=Counter(vague=1), resolved=2, due=2,
                 on_time=1, handling_days=[2, 4], ratings=[5])
report = Report(Period(date(2026, 11, 23), date(2026, 11, 29), "week"), datetime(2026, 11, 30, tzinfo=UTC),
                [unit], [(date(2026, 11, 23), 3)], [])
files = asyncio.run(export_report_in_worker(report, Path(sys.argv[1]), "zh_Hans"))
print(json.dumps({
    "files": [path.name for path in files.all() if path.stat().st_size > 0],
    "loaded_here": sorted(name for name in ("matplotlib", "openpyxl") if name in sys.modules),
}))
"""


def test_a_report_drawn_for_the_bot_is_written_by_a_worker_that_leaves_no_charting_library_behind(
    tmp_path: Path,
) -> None:
    finished = subprocess.run(
        [sys.executable, "-c", DRAW, str(tmp_path)],
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    drawn = json.loads(finished.stdout)
    assert drawn["files"] == [
        "complaints_per_unit_2026-11-23_2026-11-29.png",
        "on_time_rate_2026-11-23_2026-11-29.png",
        "weekly_trend_2026-11-23_2026-11-29.png",
        "report_2026-11-23_2026-11-29.xlsx",
    ]
    assert drawn["loaded_here"] == []
