"""Instructions per guidance question (valgrind callgrind): a measure the machine's load does not move.

    python bench/guidance_instructions.py [--rows 50000] [--out FILE]

Runs itself under `valgrind --tool=callgrind --instr-atstart=no`: the catalogue is synthesised and indexed
(as in bench/guidance_bench.py) and 30 questions are asked to warm the caches with instrumentation OFF, then
instrumentation is switched on (`callgrind_control -i on`) and every question of guidance_questions.csv and
the evaluation sets is asked once. Prints the instructions counted divided by the questions. Slow (a
50 000-row build under valgrind takes minutes); compare two code versions with the same ROWS. Needs valgrind.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def worker(rows: int) -> None:
    import jieba

    sys.path.insert(0, str(ROOT / "bench"))
    from guidance_bench import synthesise  # type: ignore[import-not-found]

    from nocert_core.guidance import GuidanceIndex, answer, builtin_lexicon

    questions = _questions()
    jieba.setLogLevel(60)
    index = GuidanceIndex(synthesise(rows), builtin_lexicon())
    for question in questions[:30]:
        answer(index, question)
    switch = subprocess.Popen(["callgrind_control", "-i", "on", str(os.getpid())], stdout=subprocess.DEVNULL)
    while switch.poll() is None:  # valgrind takes the command while this process runs (not while it waits)
        time.sleep(0.05)
    for question in questions:
        answer(index, question)
    print(f"questions {len(questions)}")


def _questions() -> list[str]:
    import csv

    questions = [
        row["question"]
        for row in csv.DictReader((ROOT / "tests/data/guidance_questions.csv").open(encoding="utf-8"))
    ]
    for path in sorted((ROOT / "tests/data/eval").glob("*/questions.csv")):
        questions += [row["question"] for row in csv.DictReader(path.open(encoding="utf-8-sig"))]
    return questions


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rows", type=int, default=50000)
    parser.add_argument("--out", type=Path, help="keep callgrind's output here (for callgrind_annotate)")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    arguments = parser.parse_args()
    if arguments.worker:
        worker(arguments.rows)
        return
    out = arguments.out or Path(tempfile.mkdtemp()) / "callgrind.out"
    done = subprocess.run(
        [
            "valgrind", "--tool=callgrind", "--instr-atstart=no", f"--callgrind-out-file={out}",
            sys.executable, __file__, "--worker", "--rows", str(arguments.rows),
        ],
        capture_output=True, text=True, env={**os.environ, "PYTHONPATH": str(ROOT)},
    )  # fmt: skip
    asked = re.search(r"questions (\d+)", done.stdout)
    totals = re.search(r"^totals: (\d+)", out.read_text() if out.exists() else "", re.MULTILINE)
    if done.returncode != 0 or not asked or not totals:
        raise SystemExit(f"valgrind run failed:\n{done.stdout}\n{done.stderr[-2000:]}")
    count, instructions = int(asked.group(1)), int(totals.group(1))
    print(f"rows {arguments.rows}: {instructions:,} instructions for {count} questions, "
          f"{instructions / count / 1e6:.2f} M per question")  # fmt: skip


if __name__ == "__main__":
    main()
