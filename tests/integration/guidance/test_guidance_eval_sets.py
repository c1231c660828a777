"""Evaluation sets written by people who never saw the code (tests/data/eval/<city>/, docs/guidance.md):
each imported through the CLI into a fresh database, every question asked with `nocert ask - --json`, every
complaint screened with `nocert complaints screen`. Floors sit below the measured figures
(docs/guidance-history.md); the harmful ceiling ("not needed" said for a service or place the person did not
mean) sits above them.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from bench import guidance_eval
from nocert_core.settings import get_settings

ROOT = Path(__file__).resolve().parents[3]
SETS = ROOT / "tests" / "data" / "eval"
# set: (top-1 floor, clarify ceiling, harmful ceiling)
FLOORS: dict[str, tuple[float, float, float]] = {
    "jinan": (0.93, 0.07, 0.01),
    "qingdao": (0.86, 0.07, 0.01),
    "yantai": (0.90, 0.12, 0.01),
    "zibo": (0.90, 0.12, 0.01),
    "weihai": (0.92, 0.10, 0.01),  # the lead's held-out set of session 2 (now read)
    "taian": (0.90, 0.08, 0.01),  # the lead's held-out set of session 3 (now read)
    "linyi": (0.92, 0.07, 0.01),  # held out in session 4, read in session 5 (session 8: 93.5 %)
    "jining": (0.85, 0.10, 0.01),  # held out in session 4, read in session 5
    # held out in session 5 (measured at its start and end, misses never read), READ in session 6: floors
    # a little below the session-6 figures (top-1 91.6 / 91.6 / 92.9 %, clarify 4.5 / 5.2 / 6.5 %, harmful
    # 0 / 0 / 0 of 154); their mode wordings need the operator's step (below)
    "dezhou": (0.89, 0.06, 0.01),
    "rizhao": (0.91, 0.07, 0.01),  # session 8 trad: 93.5 % in-process
    "liaocheng": (0.91, 0.08, 0.01),
    # held out in session 6 (end: top-1 87.1 / 79.9 / 74.7 %, harmful 2 / 3 / 5 of 154-155), READ in
    # session 7: floors a little below the figures reached (98.1 / 94.8 / 94.8 %, clarify 5.2 / 5.8 / 6.5 %;
    # docs/guidance-history.md, "Session 7"); harmful 0 / 0 / 0, the ceiling at the goal's 1 %
    "binzhou": (0.96, 0.08, 0.01),
    "heze": (0.93, 0.08, 0.01),
    "zaozhuang": (0.93, 0.08, 0.01),
    # written blind in session 7 (measured at f235552: top-1 86.6 / 81.2 / 78.2 %, clarify 7.0 / 5.2 / 7.3 %,
    # harmful 5 / 5 / 10 of 157 / 154 / 165), READ in session 7: top-1 floors raised by gen's general rules
    # (in-process at 864f4d5+rebase: 89.2 / 87.0 / 86.7 %); harmful ceilings just above the figures after
    # the places and the safeguards (2 / 1 / 4 of 157 / 154 / 165; clarify 8.3 / 7.1 / 6.1 %)
    # (session 8, main 48ebb23: 94.9 / 92.7 %, harmful 0 / 1)
    "dongying": (0.93, 0.08, 0.01),
    "xuzhou": (0.92, 0.08, 0.01),  # session 8 sib: 94.2 % in-process
    "baoding": (0.92, 0.08, 0.01),
    # held out in session 7: measured at f235552 (after the session's first read sets) and at its end
    # (f451dcf), misses never read — top-1 83.3 / 83.3 / 79.9 %, clarify 8.3 / 6.8 / 9.7 %, harmful 1 / 5 / 5
    # of 156 / 162 / 154. READ in session 8: at main 5d23a18 88.5 / 92.6 / 90.9 %, clarify 6.4 / 5.6 / 8.4 %,
    # harmful 0 / 1 / 1 (docs/guidance-history.md, "Session 8 — rambling, terse and simplified" and
    # "Session 8 — English, traditional, typo")
    "luoyang": (0.88, 0.08, 0.01),
    "yichang": (0.91, 0.07, 0.01),
    "mianyang": (0.89, 0.10, 0.01),
    # written blind in session 8 (常德, 赣州, 南阳), measured at its start (4b8e30f: 90.2 / 83.9 / 82.5 %,
    # clarify 5.5 / 7.1 / 7.8 %, harmful 1 / 1 / 3 of 164 / 155 / 154) and at 6ea1056 (90.2 / 85.2 / 83.8 %,
    # harmful 1 / 1 / 2), then READ from 20:31 UTC; floors a little below the mid figures
    "changde": (0.91, 0.07, 0.01),  # session 8 sib: 92.1 % in-process, harmful 0
    "ganzhou": (0.88, 0.08, 0.01),  # session 8 sib: 89.7 % in-process (gen2: 87.7 %)
    "nanyang": (0.85, 0.09, 0.01),  # session 8 harm: 85.7 %, harmful 0 (2 not_listed fixed); sib: 86.4 %
    # held out in session 8 (绍兴, 大同, 柳州): measured at its start, middle and end (4b8e30f → 6ea1056 →
    # 4a4aa47: 84.2 → 86.1, 88.1 → 87.5, 82.4 → 85.5 %; harmful 5 → 3, 1 → 1, 2 → 2 of 165 / 160 / 165),
    # misses never read; the ceilings sit above the end figures until these sets are read
    "shaoxing": (0.85, 0.08, 0.02),
    "datong": (0.86, 0.09, 0.01),
    "liuzhou": (0.84, 0.07, 0.02),
}
# set: screening floors (admissible, grounds, category, routing); no admissible complaint may be advised
# not admissible in any set. Category sits low where the writer files a vague complaint as demanded_proof
# (jinan, qingdao, yantai, zibo) or a proof named with the list cited as list_not_followed (yantai, taian,
# weihai, jining, linyi; the writers given docs/eval-writer-spec.md file it demanded_proof, also when the
# list is cited for the commitment it allows — session 8): docs/guidance.md, "Screening".
SCREENING_FLOORS: dict[str, tuple[float, float, float, float]] = {
    "jinan": (0.97, 0.97, 0.83, 0.95),
    "qingdao": (0.97, 0.97, 0.86, 0.94),
    "yantai": (0.97, 0.97, 0.72, 0.97),
    "zibo": (0.97, 0.97, 0.82, 0.96),
    "weihai": (0.97, 0.97, 0.76, 0.98),
    "taian": (0.97, 0.97, 0.80, 0.97),  # 0.84 before session 8: see the comment above
    "linyi": (0.97, 0.97, 0.95, 0.97),  # held out in session 4, read in session 5
    "jining": (0.97, 0.97, 0.90, 0.97),  # held out in session 4, read in session 5
    # held out in session 5, their complaints read in session 6
    "dezhou": (0.97, 0.97, 0.97, 0.97),
    "rizhao": (0.97, 0.97, 0.97, 0.97),
    "liaocheng": (0.97, 0.97, 0.97, 0.97),
    # held out in session 6 (end: 100/100/100/100, 98/98/96/100, 100/100/100/100 %), read in session 8
    "binzhou": (0.97, 0.97, 0.97, 0.97),
    "heze": (0.97, 0.97, 0.97, 0.97),
    "zaozhuang": (0.97, 0.97, 0.97, 0.97),
    # written blind in session 7 (≥ 94 % on all four at f235552), read in session 7; screening read in
    # session 8 (harm, screen): 100/100/100/100 % each
    "dongying": (0.97, 0.97, 0.97, 0.97),
    "xuzhou": (0.97, 0.97, 0.97, 0.97),
    "baoding": (0.97, 0.97, 0.97, 0.97),
    # held out in session 7 (end: 98/96/90/100, 100/100/96/100, 100/98/98/98 %), READ in session 8:
    # 100/100/100/100 % each (docs/guidance-history.md, "Session 8: screening")
    "luoyang": (0.97, 0.97, 0.97, 0.97),
    "yichang": (0.97, 0.97, 0.97, 0.97),
    "mianyang": (0.97, 0.97, 0.97, 0.97),
    # written blind in session 8: 100/98/98/98, 100/98/98/100, 100/98/100/98 % at 6ea1056, read from 20:31
    "changde": (0.97, 0.97, 0.97, 0.97),  # screen's branch before reading them: 100/100/100/98 %
    "ganzhou": (0.97, 0.97, 0.97, 0.97),  # screen's branch before reading them: 100/98/100/100 %
    "nanyang": (0.97, 0.97, 0.97, 0.96),  # screen's branch before reading them: 100/100/100/98 %
    # held out in session 8 (end: 100/100/98/100, 100/100/94/98, 100/100/100/100 %), misses never read
    "shaoxing": (0.97, 0.97, 0.96, 0.97),
    "datong": (0.97, 0.97, 0.92, 0.96),
    "liuzhou": (0.97, 0.97, 0.97, 0.97),
}


# held-out sets whose screening misses nobody has read yet: admissible complaints advised not admissible,
# as measured (the next session reads them and brings this to 0; luoyang's one, a paper insurance policy
# 保单 demanded, was fixed in session 8)
SCREENING_HARMFUL_UNREAD: dict[str, int] = {}


@pytest.fixture
def cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[CliRunner]:
    monkeypatch.setenv("NOCERT_DATABASE_URL", f"sqlite+aiosqlite:///{tmp_path / 'eval.db'}")
    get_settings.cache_clear()
    yield CliRunner()
    get_settings.cache_clear()


def _lines(output: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in output.splitlines() if line.startswith("{")]


@pytest.mark.parametrize("name", sorted(FLOORS))
def test_an_evaluation_set_written_by_others_stays_above_its_floors(cli: CliRunner, name: str) -> None:
    from bot.cli import app

    folder = SETS / name
    top1, clarify, harmful = FLOORS[name]
    assert cli.invoke(app, ["units", "import", str(folder / "units.csv")]).exit_code == 0
    if cli.invoke(app, ["catalogue", "import", "--dry-run", str(folder / "catalogue.csv")]).exit_code:
        # the operator's step a refused import asks for: each unknown wording mapped as suggested
        for wording, (known, _rows) in guidance_eval.unknown_mode_wordings(folder / "catalogue.csv").items():
            assert cli.invoke(app, ["catalogue", "modes", "add", wording, known]).exit_code == 0
    assert cli.invoke(app, ["catalogue", "import", str(folder / "catalogue.csv")]).exit_code == 0
    questions = list(csv.DictReader((folder / "questions.csv").open(encoding="utf-8-sig")))
    asked = cli.invoke(app, ["ask", "-", "--json"], input="\n".join(q["question"] for q in questions) + "\n")
    misses: list[str] = []
    rows = guidance_eval.score_questions(questions, _lines(asked.stdout), misses)["ALL"]
    assert rows["top1"] / rows["n"] >= top1, misses
    assert rows["clarify"] / rows["n"] <= clarify
    assert rows["harmful"] / rows["n"] <= harmful, [m for m in misses if m.startswith("HARMFUL")]


@pytest.mark.parametrize("name", sorted(SCREENING_FLOORS))
def test_the_complaints_of_an_evaluation_set_are_screened_above_its_floors(cli: CliRunner, name: str) -> None:
    from bot.cli import app

    folder = SETS / name
    assert cli.invoke(app, ["units", "import", str(folder / "units.csv")]).exit_code == 0
    complaints = [
        json.loads(line)
        for line in (folder / "complaints.jsonl").read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    fields = ("agency", "demand", "reasons", "facts")
    lines = "\n".join(json.dumps({k: c.get(k, "") for k in fields}, ensure_ascii=False) for c in complaints)
    screened = cli.invoke(app, ["complaints", "screen", "--json"], input=lines + "\n")
    misses: list[str] = []
    scores = guidance_eval.score_complaints(complaints, _lines(screened.stdout), misses)["ALL"]
    # an admissible complaint advised not admissible: none, except a held-out set's unread misses
    assert scores["harmful"] <= SCREENING_HARMFUL_UNREAD.get(name, 0), misses
    for key, floor in zip(
        ("admissible", "grounds", "category", "routing"), SCREENING_FLOORS[name], strict=True
    ):
        assert scores[key] / scores["n"] >= floor, (key, misses)


def test_the_eval_script_can_screen_the_complaints_without_asking_the_questions() -> None:
    report = guidance_eval.evaluate_set(SETS / "jining", complaints_only=True)
    assert report["questions"] == {}
    assert report["complaints"]["ALL"]["n"] == 50


def test_the_eval_script_names_the_wordings_the_importer_would_refuse_with_its_suggestion(
    tmp_path: Path,
) -> None:
    catalogue = tmp_path / "catalogue.csv"
    catalogue.write_text(
        "service_code,service,unit,certificate,mode,basis,notes\n"
        "1-A-001,甲事项,甲单位,居民户口簿,扫码调证,,\n"
        "1-A-001,甲事项,甲单位,结婚证,扫码调证,,\n"
        "1-A-002,乙事项,甲单位,居民户口簿,告知承诺,,\n",
        encoding="utf-8",
    )
    refused = guidance_eval.unknown_mode_wordings(catalogue)
    assert set(refused) == {"扫码调证"}  # 告知承诺 is known
    suggestion, rows = refused["扫码调证"]
    assert rows == 2
    assert suggestion  # a known wording `nocert catalogue modes add` accepts
