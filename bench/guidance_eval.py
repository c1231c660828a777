"""Guidance and screening measured on an evaluation set the system has never seen (docs/guidance.md).

    python bench/guidance_eval.py SET_DIR [--misses] [--json OUT.json] [--complaints-only]
                                  [--accept-suggested-modes]
    python bench/guidance_eval.py CATALOGUE.csv QUESTIONS.csv [--misses]     (older sets: guidance only)

A set folder holds units.csv (the unit register), catalogue.csv, questions.csv and complaints.jsonl (format:
docs/guidance.md, "Evaluation sets"). Everything goes through the CLI an administrator would use, into a
fresh SQLite database: `nocert units import`, `nocert catalogue import`, `nocert ask - --json` for every
question, `nocert complaints screen` for every complaint. Reported per question class:

- top-1: the intent, the service, the certificate (compared by the catalogue's key), the yes/no verdict and,
  for `clarify`, every expected candidate among the offered ones, all right;
- clarify: the share of questions the bot answered by asking which service was meant;
- top1_rule: top-1, where an answer "the catalogue has no entry for X" to a question naming a place X that
  the unit register does not name also counts as right (issue 8 §3's rule; some writers' spec expected the
  city's rule for the city's own counties without units — see `out_of_area_by_rule`);
- harmful: the bot said a proof is not needed (an exempt pair, a service's list, or where a proof is exempt)
  for a service, certificate or place the person did NOT mean — the answer that sends someone without a
  document they need. Asking, "I do not know" and "not exempt" are never harmful.

A catalogue whose mode wordings the importer does not know is refused, as it would be for an operator.
With --accept-suggested-modes the script then does what the refusal tells the operator to do: it maps each
unknown wording to the closest known wording the importer named (`nocert catalogue modes add`), reports
which, and imports again. Whether those suggestions were right is for the reader to check against the set.

Screening, per complaint class: admissible, grounds (the same set), category and routing (the expected
unit, or no unit chosen and every expected candidate offered) — and harmful: admissible but advised not.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import re
import subprocess
import sys
import tempfile
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

from nocert_core.domain.catalogue import (
    ExemptionMode,
    certificate_key,
    closest_mode_wording,
    normalise_text,
)
from nocert_core.errors import ValidationFailed
from nocert_core.guidance.geo.place_names import strip_suffix
from nocert_core.textnorm import compact

NOCERT = [sys.executable, "-m", "bot.cli"]
CLASS_ORDER = (
    "simplified",
    "traditional",
    "typo",
    "english",
    "terse",
    "rambling",
    "sibling",
    "outside_place",
    "not_listed",
    "service_only",
    "certificate_only",
)


def run(args: list[str], env: dict[str, str], stdin: str | None = None) -> str:
    done = subprocess.run([*NOCERT, *args], env=env, input=stdin, capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"nocert {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
    return done.stdout


def _same_certificate(expected: str, got: object) -> bool:
    return isinstance(got, str) and certificate_key(got) == certificate_key(expected)


def _code(code: str) -> str:
    """A service or unit code as the importer stores it (`x-1` is X-1, `gz.gaj` is GZ.GAJ)."""
    return code.strip().upper()


def is_right(question: dict[str, str], answer: dict[str, Any]) -> bool:
    intent = question["intent"]
    if answer["intent"] != intent:
        return False
    service = answer.get("service") or {}
    if question.get("service_code") and (service.get("code") or "") != _code(question["service_code"]):
        return False
    if question.get("certificate") and not _same_certificate(
        question["certificate"], answer.get("certificate")
    ):
        return False
    if intent == "pair" and answer.get("exempt") != (question.get("exempt", "").lower() == "true"):
        return False
    if intent == "clarify":
        offered = {c["code"] for c in answer.get("candidates") or []}
        # (writers separate the codes with "|" or ";")
        expected = {_code(c) for c in re.split(r"[|;]", question.get("candidates") or "") if c.strip()}
        return expected <= offered
    return True


def is_harmful(question: dict[str, str], answer: dict[str, Any]) -> bool:
    """The bot says a proof is not needed, and that is not true for what the person meant."""
    intent, expected = answer["intent"], question["intent"]
    service = (answer.get("service") or {}).get("code")
    meant_service = _code(question.get("service_code") or "")
    if intent == "pair" and answer.get("exempt"):
        return not (
            expected == "pair"
            and question.get("exempt", "").lower() == "true"
            and service == meant_service
            and _same_certificate(question["certificate"], answer.get("certificate"))
        )
    if intent == "service" and answer.get("matches"):
        if expected in ("out_of_area", "unknown", "clarify", "certificate"):
            return True
        return bool(meant_service) and service != meant_service
    if intent == "certificate" and answer.get("matches"):
        if expected in ("out_of_area", "unknown"):
            return True
        if question.get("certificate"):
            return not _same_certificate(question["certificate"], answer.get("certificate"))
    return False


def register_text(units_csv: Path) -> str:
    """Every unit name and alias of a set's register, compacted (to tell a place the register names)."""
    if not units_csv.exists():
        return ""
    rows = list(csv.reader(units_csv.open(encoding="utf-8-sig")))[1:]
    return "|".join(compact(cell) for row in rows for cell in row[1:2] + row[3:4])


def out_of_area_by_rule(question: dict[str, str], answer: dict[str, Any], register: str) -> bool:
    """Issue 8 §3's rule where a writer's spec said otherwise: a place the unit register does not name — a
    county of the city without units included — gets "the catalogue has no entry for X", not the city's
    rule. Such an answer is counted right by the rule (column top1_rule) when the writer expected an answer
    and the place the bot named appears nowhere in the register."""
    place = compact(answer.get("place") or "")
    if answer["intent"] != "out_of_area" or question["intent"] == "out_of_area" or not question.get("place"):
        return False
    bare = strip_suffix(place)
    return bool(register) and len(bare) >= 2 and bare not in register


def _table(rows: dict[str, dict[str, int]], columns: tuple[str, ...], order: tuple[str, ...]) -> list[str]:
    names = [name for name in order if name in rows] + sorted(set(rows) - set(order) - {"ALL"}) + ["ALL"]
    lines = [f"{'class':18}{'n':>5}" + "".join(f"{c:>12}" for c in columns)]
    for name in names:
        row = rows[name]
        cells = "".join(f"{row[c] / row['n']:>12.1%}" for c in columns)
        lines.append(f"{name:18}{row['n']:>5}{cells}")
    return lines


def score_questions(
    questions: list[dict[str, str]], answers: list[dict[str, Any]], misses: list[str], register: str = ""
) -> dict[str, dict[str, int]]:
    rows: dict[str, dict[str, int]] = defaultdict(Counter)
    for question, answer in zip(questions, answers, strict=True):
        right, harmful = is_right(question, answer), is_harmful(question, answer)
        for name in (question.get("class") or question["intent"], "ALL"):
            row = rows[name]
            row["n"] += 1
            row["top1"] += right
            row["top1_rule"] += right or out_of_area_by_rule(question, answer, register)
            row["clarify"] += answer["intent"] == "clarify"
            row["harmful"] += harmful
        if not right or harmful:
            got = answer.get("service") or {}
            offered = "|".join(c["code"] for c in answer.get("candidates") or [])
            misses.append(
                f"{'HARMFUL ' if harmful else ''}MISS [{question.get('class')}] {question['question']}\n"
                f"    expected {question['intent']} {question.get('service_code')} "
                f"{question.get('certificate')} {question.get('exempt')} {question.get('candidates')} "
                f"{question.get('place')}\n"
                f"    got      {answer['intent']} {got.get('code')} {answer.get('certificate')} "
                f"{answer.get('exempt')} {offered} {answer.get('place') or ''}"
            )
    return rows


def score_complaints(
    complaints: list[dict[str, Any]], results: list[dict[str, Any]], misses: list[str]
) -> dict[str, dict[str, int]]:
    rows: dict[str, dict[str, int]] = defaultdict(Counter)
    for complaint, result in zip(complaints, results, strict=True):
        expect = complaint["expect"]
        unit = (result.get("unit") or {}).get("code")
        if expect.get("unit"):
            routed = unit is not None and _code(unit) == _code(expect["unit"])
        else:
            offered = {_code(c["code"]) for c in result.get("unit_candidates") or []}
            expected_units = {_code(code) for code in expect.get("candidates") or []}
            routed = unit is None and expected_units <= offered
        checks = {
            "admissible": result["admissible"] == expect["admissible"],
            "grounds": set(result["grounds"]) == set(expect.get("grounds") or []),
            "category": result["category"] == expect["category"],
            "routing": routed,
            "harmful": bool(expect["admissible"] and not result["admissible"]),
        }
        for name in (complaint.get("class", "?"), "ALL"):
            row = rows[name]
            row["n"] += 1
            for key, value in checks.items():
                row[key] += value
        wrong = [key for key, value in checks.items() if value != (key != "harmful")]
        if wrong:
            misses.append(
                f"MISS [{complaint.get('class')}] {complaint.get('id')} wrong: {','.join(wrong)}\n"
                f"    agency={complaint.get('agency')} demand={complaint.get('demand')} "
                f"reasons={complaint.get('reasons')} facts={complaint.get('facts')}\n"
                f"    expected {json.dumps(expect, ensure_ascii=False)}\n"
                f"    got      admissible={result['admissible']} grounds={result['grounds']} "
                f"category={result['category']} unit={unit} "
                f"candidates={[c['code'] for c in result.get('unit_candidates') or []]} "
                f"cues={result.get('cues')}"
            )
    return rows


def unknown_mode_wordings(catalogue: Path) -> dict[str, tuple[str, int]]:
    """Each mode wording of the file the importer would refuse: the known wording it suggests, and rows."""
    found: dict[str, tuple[str, int]] = {}
    for row in csv.DictReader(catalogue.open(encoding="utf-8-sig")):
        wording = (row.get("mode") or "").strip()
        if not wording:
            continue
        if wording in found:
            found[wording] = (found[wording][0], found[wording][1] + 1)
            continue
        try:
            ExemptionMode.parse(wording)
        except ValidationFailed:
            # the suggestion reads "known wording (mode)" or just the mode's name; both are accepted by
            # `nocert catalogue modes add`
            found[wording] = (closest_mode_wording(wording).split(" (")[0], 1)
    return found


def refused_wordings(catalogue: Path, refusal: str) -> dict[str, tuple[str, int]]:
    """The file's unknown wordings that the importer's refusal names (it quotes each one normalised:
    full-width brackets as ASCII), with the known wording suggested for each."""
    return {w: s for w, s in unknown_mode_wordings(catalogue).items() if normalise_text(w) in refusal}


def evaluate_set(
    folder: Path,
    catalogue: Path | None = None,
    questions_path: Path | None = None,
    *,
    complaints_only: bool = False,
    accept_suggested_modes: bool = False,
) -> dict[str, Any]:
    catalogue = catalogue or folder / "catalogue.csv"
    questions_path = questions_path or folder / "questions.csv"
    questions = [] if complaints_only else list(csv.DictReader(questions_path.open(encoding="utf-8-sig")))
    complaints_path = folder / "complaints.jsonl"
    complaints = (
        [
            json.loads(line)
            for line in complaints_path.read_text(encoding="utf-8").splitlines()
            if line.strip()
        ]
        if complaints_path.exists()
        else []
    )
    with tempfile.TemporaryDirectory() as workdir:
        env = {
            **os.environ,
            "NOCERT_DATABASE_URL": f"sqlite+aiosqlite:///{Path(workdir) / 'eval.db'}",
            "XDG_DATA_HOME": workdir,
        }
        if (folder / "units.csv").exists():
            run(["units", "import", str(folder / "units.csv")], env)
        suggested: dict[str, tuple[str, int]] = {}
        if accept_suggested_modes:
            refusal = subprocess.run(
                [*NOCERT, "catalogue", "import", "--dry-run", str(catalogue)],
                env=env,
                capture_output=True,
                text=True,
            )
            if refusal.returncode != 0:
                said = refusal.stdout + refusal.stderr
                suggested = refused_wordings(catalogue, said)
            for wording, (known, _rows) in suggested.items():
                run(["catalogue", "modes", "add", wording, known], env)
        run(["catalogue", "import", str(catalogue)], env)
        # Screening needs the register (routing) but not the catalogue's answers: skipping the questions
        # makes a complaints-only run take seconds instead of minutes.
        output = (
            run(["ask", "-", "--json"], env, stdin="\n".join(q["question"] for q in questions) + "\n")
            if questions
            else ""
        )
        screened = ""
        if complaints:
            fields = ("agency", "demand", "reasons", "facts")
            lines = [json.dumps({k: c.get(k, "") for k in fields}, ensure_ascii=False) for c in complaints]
            screened = run(["complaints", "screen", "--json"], env, stdin="\n".join(lines) + "\n")
    answers = [json.loads(line) for line in output.splitlines() if line.startswith("{")]
    results = [json.loads(line) for line in screened.splitlines() if line.startswith("{")]
    misses: list[str] = []
    register = register_text(folder / "units.csv")
    return {
        "questions": score_questions(questions, answers, misses, register) if questions else {},
        "complaints": score_complaints(complaints, results, misses) if complaints else {},
        "misses": misses,
        "accepted_modes": {w: {"as": known, "rows": n} for w, (known, n) in suggested.items()},
        "answers": [
            {"question": q["question"], "class": q.get("class"), "answer": a}
            for q, a in zip(questions, answers, strict=True)
        ],
        "screened": [{"id": c.get("id"), "result": r} for c, r in zip(complaints, results, strict=True)],
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("paths", type=Path, nargs="+", help="SET_DIR, or CATALOGUE.csv QUESTIONS.csv")
    parser.add_argument("--misses", action="store_true", help="print every wrong or harmful answer")
    parser.add_argument("--json", type=Path, help="write the figures as JSON here")
    parser.add_argument(
        "--complaints-only", action="store_true", help="screen the complaints, ask no question"
    )
    parser.add_argument(
        "--accept-suggested-modes",
        action="store_true",
        help="map each mode wording the importer refuses to the known wording it suggests, then import",
    )
    arguments = parser.parse_args()
    options = {
        "complaints_only": arguments.complaints_only,
        "accept_suggested_modes": arguments.accept_suggested_modes,
    }
    if arguments.paths[0].is_dir():
        report = evaluate_set(arguments.paths[0], **options)
    else:
        report = evaluate_set(arguments.paths[0].parent, *arguments.paths[:2], **options)
    for wording, accepted in report["accepted_modes"].items():
        print(f"operator step: {wording!r} ({accepted['rows']} rows) mapped to {accepted['as']!r}")
    if arguments.misses:
        print("\n".join(report["misses"]))
    if report["questions"]:
        columns_q = ("top1", "top1_rule", "clarify", "harmful")
        print("\n".join(_table(report["questions"], columns_q, CLASS_ORDER)))
    if report["complaints"]:
        print()
        columns = ("admissible", "grounds", "category", "routing", "harmful")
        print("\n".join(_table(report["complaints"], columns, ())))
    if arguments.json:
        figures: dict[str, Any] = {
            key: {k: dict(v) for k, v in report[key].items()} for key in ("questions", "complaints")
        }
        figures["accepted_modes"] = report["accepted_modes"]
        figures["answers"], figures["screened"] = report["answers"], report["screened"]
        arguments.json.write_text(json.dumps(figures, ensure_ascii=False, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
