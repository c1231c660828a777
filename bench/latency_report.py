"""The breakdown of a stage trace (bench/latency_trace.py), run in the bench process: `report` prints, for the
fixed-rate updates of one run, the mean of each stage interval and what ran around the slowest (GC pauses,
group commits, getUpdates calls, long event-loop callbacks)."""

from __future__ import annotations

import json
import statistics
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench.latency_trace import BLOCK

# The stages in order: each interval is named by the stage it ends at.
ORDER = [
    "served",  # bench: getUpdates answered with it (fake server)
    "accepted",  # bot: aiogram parsed it and handed it over
    "inbox",  # the next getUpdates call starts its batch's inbox write
    "queued",  # written, queued for its user
    "taken",  # its user's queue took it (slot free, the user's earlier updates done)
    "process",
    "paced",  # user lock and flood guard
    "batch",  # a group commit took it (or "alone")
    "batch_done",
    "committed",
    "call",  # the first reply's Bot API call
    "answered_at",  # bench: its last reply arrived
]

Times = dict[str, float]


def report(bench_rows: list[dict[str, Any]], trace_path: Path, label: str) -> None:
    """The fixed-rate updates of one run: the mean of each stage interval for all of them, for the slowest
    5 %, and for the slowest 1 %; plus what ran around the slowest (GC pauses, batches, polls)."""
    if not trace_path.exists():
        print(f"  (no trace at {trace_path})")
        return
    data = json.loads(trace_path.read_text())
    rows = _rows(bench_rows, data["events"])
    if not rows:
        print("  (no traced update matched)")
        return
    rows.sort(key=lambda times: times["latency"])
    _print_stages(rows, label)
    first, last = min(t["sent"] for t in rows), max(t["answered_at"] for t in rows)
    gcs = [(g, a, b) for g, a, b in data["gcs"] if first <= a <= last]
    _print_gcs(gcs)
    busy = {int(tenth): seconds for tenth, seconds in data.get("busy", [])}

    def loop_busy(start: float, end: float) -> float:
        tenths = range(int(start * 10), int(end * 10) + 1)
        return sum(busy.get(tenth, 0.0) for tenth in tenths) / (0.1 * len(tenths))

    _print_batches([batch for batch in data["batches"] if first <= batch[0] <= last], loop_busy)
    _print_polls([(a, s, b, n) for a, s, b, n in data["polls"] if first <= a <= last])
    blocks = [(a, b, what) for a, b, what in data.get("blocks", []) if first <= a <= last]
    _print_blocks(blocks, first)
    window = loop_busy(first, last)
    slow = rows[int(0.99 * len(rows)) :]
    print(
        f"event loop busy: {100 * window:.0f} % of the window, "
        f"{100 * statistics.mean(loop_busy(t['sent'], t['answered_at']) for t in slow):.0f} % "
        "while the slowest 1 % waited"
    )
    _print_slowest(rows[-5:], gcs, blocks)


def _spent(seen: dict[str, list[float]], start: str, end: str) -> float:
    """Seconds between each `start` mark and its `end` mark, summed (an update's calls, marks, statements)."""
    return sum(b - a for a, b in zip(seen.get(start, []), seen.get(end, []), strict=False))


def _rows(bench_rows: list[dict[str, Any]], events: list[tuple[str, str, float]]) -> list[Times]:
    """Each answered update the trace saw: the first moment of every stage, the bench's own moments, and the
    time it spent in Bot API calls, sent marks and SQL."""
    stages: dict[str, dict[str, list[float]]] = defaultdict(lambda: defaultdict(list))
    for update_id, stage, moment in events:
        stages[update_id][stage].append(moment)
    rows = []
    for row in bench_rows:
        seen = stages.get(str(row["update_id"]))
        if seen is None or row["answered"] is None:
            continue
        times = {"sent": row["sent"], "served": row["served"], "answered_at": row["answered"]}
        for stage, moments in seen.items():
            times[stage] = moments[0]
        if "alone" in times and "batch" not in times:  # handled alone: the same interval as a batch's
            times["batch"], times["batch_done"] = times["alone"], times.get("alone_done", times["alone"])
        times["calls"] = len(seen.get("call", []))
        times["sql"] = _spent(seen, "sql", "sql_done")
        times["sqls"] = len(seen.get("sql", []))
        times["answering"] = _spent(seen, "answer", "answered")
        times["marks"] = _spent(seen, "mark", "marked")
        times["calling"] = _spent(seen, "call", "called")
        times["latency"] = row["answered"] - row["sent"]
        rows.append(times)
    return rows


def _print_stages(rows: list[Times], label: str) -> None:
    """The table: a row for all updates, the slowest 5 % and the slowest 1 % (rows sorted by latency)."""
    groups = {
        "all": rows,
        "slowest 5 %": rows[int(0.95 * len(rows)) :],
        "slowest 1 %": rows[int(0.99 * len(rows)) :],
    }
    print(
        f"\n#### stage trace, {label}: {len(rows)} updates; "
        "mean ms of each interval (ends at the stage named)"
    )
    header = [
        "group",
        "latency",
        *ORDER[:-1],
        "last reply",
        "in calls",
        "in marks",
        "calls",
        "answering",
        "in SQL",
        "statements",
    ]
    print("| " + " | ".join(header) + " |")
    print("|" + "---|" * len(header))
    for name, group in groups.items():
        cells = [name, f"{1000 * statistics.mean(t['latency'] for t in group):.1f}"]
        previous = "sent"
        for stage in ORDER:
            values = [1000 * (t[stage] - t[previous]) for t in group if stage in t and previous in t]
            cells.append(f"{statistics.mean(values):.1f}" if values else "–")
            if any(stage in t for t in group):  # a stage no update reached is skipped, not a zero interval
                previous = stage
        cells.append(f"{1000 * statistics.mean(t['calling'] for t in group):.1f}")
        cells.append(f"{1000 * statistics.mean(t['marks'] for t in group):.1f}")
        cells.append(f"{statistics.mean(t['calls'] for t in group):.1f}")
        cells.append(f"{1000 * statistics.mean(t['answering'] for t in group):.1f}")
        cells.append(f"{1000 * statistics.mean(t['sql'] for t in group):.1f}")
        cells.append(f"{statistics.mean(t['sqls'] for t in group):.1f}")
        print("| " + " | ".join(cells) + " |")


def _print_gcs(gcs: list[tuple[int, float, float]]) -> None:
    by_generation = defaultdict(list)
    for generation, start, end in gcs:
        by_generation[generation].append(1000 * (end - start))
    print(
        "GC in the window: "
        + (
            ", ".join(
                f"gen {g}: {len(v)}× (max {max(v):.1f} ms, total {sum(v):.0f} ms)"
                for g, v in sorted(by_generation.items())
            )
            or "none"
        )
    )


def _print_batches(in_window: list[list[float]], loop_busy: Callable[[float, float], float]) -> None:
    """Group commits: their sizes, and the longest 5 % — were they waiting, or was the loop busy?"""
    if not in_window:
        return
    batches = [batch[2] for batch in in_window]
    longest = sorted(in_window, key=lambda batch: batch[0] - batch[1])[: max(1, len(in_window) // 20)]
    print(
        f"group commits in the window: {len(batches)}, "
        f"sizes mean {statistics.mean(batches):.1f}, max {max(batches)}; the longest 5 %: "
        f"{1000 * statistics.mean(b - a for a, b, *_ in longest):.0f} ms, "
        f"{statistics.mean(batch[2] for batch in longest):.1f} updates, "
        f"{1000 * statistics.mean(batch[3] for batch in longest):.0f} ms in "
        f"{statistics.mean(batch[4] for batch in longest):.0f} statements, "
        f"loop busy {100 * statistics.mean(loop_busy(batch[0], batch[1]) for batch in longest):.0f} %"
    )


def _print_polls(polls: list[tuple[float, float, float, int]]) -> None:
    if not polls:
        return
    inbox = [1000 * (s - a) for a, s, _, _ in polls]
    sizes = [n for *_, n in polls]
    print(
        f"getUpdates in the window: {len(polls)}, "
        f"batch mean {statistics.mean(sizes):.1f} max {max(sizes)}; "
        f"inbox write before each mean {statistics.mean(inbox):.1f} max {max(inbox):.1f} ms"
    )


def _print_blocks(blocks: list[tuple[float, float, str]], first: float) -> None:
    """Event-loop callbacks longer than BLOCK: how many, and the eight longest with what they ran."""
    if not blocks:
        return
    total = sum(b - a for a, b, _ in blocks)
    print(
        f"loop callbacks over {1000 * BLOCK:.0f} ms in the window: {len(blocks)}, "
        f"{1000 * total:.0f} ms in all"
    )
    for a, b, what in sorted(blocks, key=lambda block: block[0] - block[1])[:8]:
        print(f"    {1000 * (b - a):.0f} ms at +{a - first:.2f} s: {what}")


def _print_slowest(
    slowest: list[Times], gcs: list[tuple[int, float, float]], blocks: list[tuple[float, float, str]]
) -> None:
    """Each of the slowest updates stage by stage, with the GC pauses and long callbacks overlapping it."""
    for times in slowest:
        parts = []
        previous = "sent"
        for stage in ORDER:
            if stage in times:
                parts.append(f"{stage} +{1000 * (times[stage] - times[previous]):.0f}")
                previous = stage
        overlapping = [
            f"gen{g} {1000 * (b - a):.0f}ms"
            for g, a, b in gcs
            if a < times["answered_at"] and b > times["sent"]
        ]
        overlapping += [
            f"loop {1000 * (b - a):.0f}ms"
            for a, b, _ in blocks
            if a < times["answered_at"] and b > times["sent"] and b - a > 0.01
        ]
        print(
            f"  slow {1000 * times['latency']:.0f} ms: "
            + ", ".join(parts)
            + (f"; meanwhile {overlapping}" if overlapping else "")
        )
