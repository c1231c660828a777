"""Guidance answer latency and memory at 1k, 10k and 50k catalogue rows, against a plain baseline.

The catalogues are synthesised from the demo catalogue: every service is repeated for more implementing
units (county-level copies with their own codes and a place prefix), so the vocabulary and the posting lists
grow like a real province-wide list. Queries are the evaluation questions (tests/data/guidance_questions.csv).

Baseline: jieba.lcut of "service + certificate" per row, rank_bm25.BM25Okapi, top 10 by get_scores.

Queries also include the evaluation sets' questions (tests/data/eval/*/questions.csv: other cities' wording,
English). Wall-clock and CPU time (`time.thread_time`, which waiting for a core on a loaded machine does not
inflate) are both reported.

Each question is asked in --reps passes (default 5) and counted by its fastest pass (wall clock and CPU
apart): on a shared machine one pass of a question may wait for a core or meet another process's cache
traffic, every pass of a slow question is slow. "p99 every ask" is the tail over all passes. The garbage
collector runs as in the bot (on; --no-gc turns it off while timing). The load average before and after
is printed: quote it with any wall-clock figure.

Run: .venv/bin/python bench/guidance_bench.py [--sizes 1000,10000,50000] [--queries 2000] [--reps 5]
"""

from __future__ import annotations

import argparse
import csv
import gc
import os
import statistics
import time
from pathlib import Path

import jieba
import psutil

from nocert_core.adapters.files.catalogue_files import parse_catalogue
from nocert_core.guidance import GuidanceIndex, IndexedEntry, answer, builtin_lexicon
from nocert_core.services.catalogue.demo import DEMO_CATALOGUE
from nocert_core.services.catalogue.guidance import indexed

ROOT = Path(__file__).resolve().parents[1]
PLACES = [
    *("奎文区", "潍城区", "寒亭区", "坊子区", "高新区", "滨海区", "青州市", "诸城市", "寿光市", "安丘市"),
    *("高密市", "昌邑市", "临朐县", "昌乐县", "峡山区", "综合保税区", "东关街道", "北关街道", "广文街道"),
]


def synthesise(rows: int) -> list[IndexedEntry]:
    demo = [indexed(row.entry) for row in parse_catalogue(DEMO_CATALOGUE)]
    result = list(demo)
    copy = 0
    while len(result) < rows:
        copy += 1
        place = PLACES[copy % len(PLACES)] + ("" if copy < len(PLACES) else str(copy // len(PLACES)))
        for entry in demo:
            if len(result) >= rows:
                break
            code, service = f"{entry.service_code}-{copy}", f"{place}{entry.service}"
            unit = f"{place}{entry.unit}"
            result.append(IndexedEntry(code, service, unit, None, entry.certificate, entry.mode, entry.basis))
    return result[:rows]


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def rss() -> int:
    gc.collect()
    return psutil.Process(os.getpid()).memory_info().rss


def measure(
    name: str, build, ask, questions: list[str], queries: int, reps: int = 1, collect: bool = True
) -> dict[str, float]:  # type: ignore[no-untyped-def]
    """Build, warm up, then ask `queries` questions in `reps` passes. Each question's time is its fastest
    pass (wall and CPU apart): a question slowed once by other work on the machine is not counted slow,
    one that is slow every time is. `collect`: the garbage collector runs as in the bot (on)."""
    before = rss()
    started = time.perf_counter()
    state = build()
    build_seconds = time.perf_counter() - started
    memory = (rss() - before) / 2**20
    for question in questions[:20]:  # warm-up
        ask(state, question)
    asked = [questions[number % len(questions)] for number in range(queries)]
    timings = [[0.0] * reps for _ in asked]
    cpu = [[0.0] * reps for _ in asked]
    if not collect:
        gc.disable()
    try:
        for rep in range(reps):  # (whole passes: a slow moment of the machine hits one pass of a question)
            for number, question in enumerate(asked):
                started, started_cpu = time.perf_counter(), time.thread_time()
                ask(state, question)
                cpu[number][rep] = (
                    time.thread_time() - started_cpu
                ) * 1000  # (waiting for a core: not counted)
                timings[number][rep] = (time.perf_counter() - started) * 1000
    finally:
        gc.enable()
    del state
    fastest, fastest_cpu = [min(times) for times in timings], [min(times) for times in cpu]
    return {
        "build_s": build_seconds,
        "rss_mib": memory,
        "p50_ms": statistics.median(fastest),
        "p99_ms": percentile(fastest, 0.99),
        "max_ms": max(fastest),
        "cpu_p50_ms": statistics.median(fastest_cpu),
        "cpu_p99_ms": percentile(fastest_cpu, 0.99),
        "cpu_max_ms": max(fastest_cpu),
        "p99_all_ms": percentile([t for times in timings for t in times], 0.99),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="1000,10000,50000")
    parser.add_argument("--queries", type=int, default=2000)
    parser.add_argument("--baseline-queries", type=int, default=200)
    parser.add_argument("--reps", type=int, default=5, help="passes over the questions (each one's fastest)")
    parser.add_argument("--baseline-reps", type=int, default=1)
    parser.add_argument("--no-gc", action="store_true", help="garbage collector off while timing")
    args = parser.parse_args()
    data = ROOT / "tests/data/guidance_questions.csv"
    questions = [row["question"] for row in csv.DictReader(data.open(encoding="utf-8"))]
    for path in sorted((ROOT / "tests/data/eval").glob("*/questions.csv")):  # other cities' wording too
        questions += [row["question"] for row in csv.DictReader(path.open(encoding="utf-8-sig"))]
    jieba.setLogLevel(60)
    jieba.initialize()
    GuidanceIndex([], builtin_lexicon())  # load jieba's dictionary once so it is not counted per size
    lexicon = builtin_lexicon()
    load = os.getloadavg()
    print(
        f"{len(questions)} questions, {args.reps} passes (baseline {args.baseline_reps}): per question the "
        f"fastest pass; gc {'off' if args.no_gc else 'on, as in the bot'}; load average {load[0]:.2f}"
    )
    print(
        "  rows engine      build s  RSS MiB   p50 ms   p99 ms   max ms  CPU p50  CPU p99  CPU max"
        "  p99 every ask"
    )
    for size in (int(s) for s in args.sizes.split(",")):
        entries = synthesise(size)
        build = lambda entries=entries: GuidanceIndex(entries, lexicon)  # noqa: E731
        ours = measure("nocert", build, answer, questions, args.queries, args.reps, not args.no_gc)

        def build_baseline(entries: list[IndexedEntry] = entries):  # type: ignore[no-untyped-def]
            from rank_bm25 import BM25Okapi

            return BM25Okapi([jieba.lcut(f"{e.service}{e.certificate}") for e in entries])

        def ask_baseline(bm25, question: str) -> list[int]:  # type: ignore[no-untyped-def]
            scores = bm25.get_scores(jieba.lcut(question))
            return sorted(range(len(scores)), key=scores.__getitem__, reverse=True)[:10]

        base = measure(
            "baseline",
            build_baseline,
            ask_baseline,
            questions,
            args.baseline_queries,
            args.baseline_reps,
            not args.no_gc,
        )
        for name, result in (("nocert", ours), ("bm25", base)):
            print(
                f"{size:>6} {name:<10} {result['build_s']:>8.2f} {result['rss_mib']:>8.1f} "
                f"{result['p50_ms']:>8.3f} {result['p99_ms']:>8.3f} {result['max_ms']:>8.3f} "
                f"{result['cpu_p50_ms']:>8.3f} {result['cpu_p99_ms']:>8.3f} {result['cpu_max_ms']:>8.3f} "
                f"{result['p99_all_ms']:>14.3f}",
                flush=True,
            )
    print(f"load average after: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
