"""Top-1 accuracy of certificate guidance on a catalogue the system has never seen.

    python bench/guidance_eval.py CATALOGUE.csv QUESTIONS.csv [--misses]

Imports the catalogue into a fresh SQLite database with `nocert catalogue import`, asks every question with
`nocert ask - --json` (exactly what an administrator would run), and scores each answer: right when the
intent, the service, the certificate and the yes/no verdict all match the expected ones.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

from nocert_core.domain.catalogue import certificate_key

NOCERT = [sys.executable, "-m", "bot.cli"]


def run(args: list[str], env: dict[str, str], stdin: str | None = None) -> str:
    done = subprocess.run([*NOCERT, *args], env=env, input=stdin, capture_output=True, text=True, check=True)
    return done.stdout


def is_right(question: dict[str, str], answer: dict[str, object]) -> bool:
    ok = answer["intent"] == question["intent"]
    service = answer["service"]
    if question["service_code"]:
        ok = ok and isinstance(service, dict) and service["code"] == question["service_code"]
    if question["certificate"]:
        got = answer["certificate"]
        ok = ok and isinstance(got, str) and certificate_key(got) == certificate_key(question["certificate"])
    if question["intent"] == "pair":
        ok = ok and answer["exempt"] == (question["exempt"] == "true")
    return bool(ok)


def evaluate(catalogue: Path, questions_path: Path, show_misses: bool) -> dict[str, tuple[int, int]]:
    questions = list(csv.DictReader(questions_path.open(encoding="utf-8")))
    with tempfile.TemporaryDirectory() as folder:
        env = {**os.environ, "NOCERT_DATABASE_URL": f"sqlite+aiosqlite:///{Path(folder) / 'eval.db'}"}
        run(["catalogue", "import", str(catalogue)], env)
        output = run(["ask", "-", "--json"], env, stdin="\n".join(q["question"] for q in questions) + "\n")
    answers = [json.loads(line) for line in output.splitlines() if line.startswith("{")]
    right: Counter[str] = Counter()
    total: Counter[str] = Counter()
    for question, answer in zip(questions, answers, strict=True):
        ok = is_right(question, answer)
        total[question["intent"]] += 1
        right[question["intent"]] += ok
        if show_misses and not ok:
            service = answer["service"] if isinstance(answer["service"], dict) else {}
            print(
                f"MISS {question['question']}  expected {question['intent']} {question['service_code']} "
                f"{question['certificate']} {question['exempt']}  got {answer['intent']} "
                f"{service.get('code')} {answer['certificate']} {answer['exempt']}"
            )
    return {intent: (right[intent], total[intent]) for intent in total}


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("catalogue", type=Path)
    parser.add_argument("questions", type=Path)
    parser.add_argument("--misses", action="store_true", help="print every wrong answer")
    arguments = parser.parse_args()
    scores = evaluate(arguments.catalogue, arguments.questions, arguments.misses)
    for intent in ("pair", "service", "certificate", "unknown"):
        if intent in scores:
            right, total = scores[intent]
            print(f"{intent:12} {right:3}/{total:<3} {right / total:6.1%}")


if __name__ == "__main__":
    main()
