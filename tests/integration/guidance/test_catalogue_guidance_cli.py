"""`nocert catalogue import` + `nocert ask - --json` over a held-back catalogue the system has never seen.

Floors on top-1 accuracy per intent (intent, service, certificate and verdict all right) — see
docs/guidance-history.md for the measured numbers.
"""

from __future__ import annotations

import csv
import json
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from nocert_core.domain.catalogue import certificate_key
from nocert_core.settings import get_settings

DATA = Path(__file__).resolve().parents[2] / "data"
# pair 0.85 → 0.80 with issue 8: a question whose service is explained too little (装自来水) is now
# answered "I do not know" instead of with a guessed service's rule (no character-only fallback).
FLOORS = {"pair": 0.80, "service": 0.9, "certificate": 0.9, "unknown": 0.9}


@pytest.fixture
def cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[CliRunner]:
    monkeypatch.setenv("NOCERT_DATABASE_URL", f"sqlite+aiosqlite:///{tmp_path / 'cli.db'}")
    get_settings.cache_clear()
    yield CliRunner()
    get_settings.cache_clear()


def score(questions: list[dict[str, str]], answers: list[dict[str, object]]) -> dict[str, float]:
    right: Counter[str] = Counter()
    total: Counter[str] = Counter()
    for question, answer in zip(questions, answers, strict=True):
        assert answer["question"] == question["question"]
        ok = answer["intent"] == question["intent"]
        service = answer["service"]
        if question["service_code"]:
            ok = ok and isinstance(service, dict) and service["code"] == question["service_code"]
        if question["certificate"]:
            got = answer["certificate"]
            ok = (
                ok
                and isinstance(got, str)
                and certificate_key(got) == certificate_key(question["certificate"])
            )
        if question["intent"] == "pair":
            ok = ok and answer["exempt"] == (question["exempt"] == "true")
        else:
            assert answer["exempt"] is None
        if question["intent"] == "unknown":
            assert answer["matches"] == []
        total[question["intent"]] += 1
        right[question["intent"]] += ok
    return {intent: right[intent] / total[intent] for intent in total}


def test_questions_over_a_held_back_catalogue_imported_through_the_cli_are_answered_right(
    cli: CliRunner,
) -> None:
    from bot.cli import app

    imported = cli.invoke(app, ["catalogue", "import", str(DATA / "heldback_catalogue.csv")])
    assert imported.exit_code == 0, imported.output
    assert "新增 60 条，变更 0 条，取消 0 条" in imported.output
    questions = list(csv.DictReader((DATA / "heldback_questions.csv").open(encoding="utf-8")))
    asked = cli.invoke(app, ["ask", "-", "--json"], input="\n".join(q["question"] for q in questions) + "\n")
    assert asked.exit_code == 0, asked.output
    answers = [json.loads(line) for line in asked.stdout.splitlines() if line.startswith("{")]
    accuracy = score(questions, answers)
    assert set(accuracy) == set(FLOORS)
    for intent, floor in FLOORS.items():
        assert accuracy[intent] >= floor, accuracy


def test_a_pair_answer_in_json_has_the_documented_shape(cli: CliRunner) -> None:
    from bot.cli import app

    cli.invoke(app, ["catalogue", "import", str(DATA / "heldback_catalogue.csv")])
    result = cli.invoke(app, ["ask", "燃气开户要租房合同吗", "--json"])
    answer = json.loads(result.stdout)
    assert set(answer) == {
        "question",
        "intent",
        "service",
        "certificate",
        "exempt",
        "matches",
        "candidates",
        "place",
        "language",
        "service_not_listed",
        "local_place",
    }
    assert answer["service"] == {"code": "3706-SG-02", "name": "居民用户燃气开户"}
    assert (answer["intent"], answer["certificate"], answer["exempt"]) == ("pair", "房屋租赁合同", True)
    assert set(answer["matches"][0]) == {
        "service_code",
        "service",
        "unit",
        "certificate",
        "mode",
        "basis",
        "score",
    }
    assert answer["matches"][0]["mode"] == "告知承诺"


def test_sibling_services_are_asked_about_and_other_places_are_not_answered(cli: CliRunner) -> None:
    from bot.cli import app

    cli.invoke(app, ["catalogue", "import", str(DATA / "heldback_catalogue.csv")])
    asked = cli.invoke(app, ["ask", "-", "--json"], input="在北京办营业执照要带身份证吗\n")
    answer = json.loads(asked.stdout)
    assert (answer["intent"], answer["place"], answer["matches"]) == ("out_of_area", "北京", [])
    english = json.loads(cli.invoke(app, ["ask", "What is the weather like?", "--json"]).stdout)
    assert (english["intent"], english["language"]) == ("unknown", "en")


def test_export_import_adjust_and_changes_work_from_the_command_line(cli: CliRunner, tmp_path: Path) -> None:
    from bot.cli import app

    cli.invoke(app, ["catalogue", "import", str(DATA / "heldback_catalogue.csv")])
    adjusted = cli.invoke(
        app,
        [
            "catalogue",
            "adjust",
            "cancel",
            "--service-code",
            "3706-SG-05",
            "--certificate",
            "居民身份证",
            "--basis",
            "运营商实名核验改为线上",
            "--event-date",
            "2026-11-20",
        ],
    )
    assert adjusted.exit_code == 0, adjusted.output
    changes = cli.invoke(app, ["catalogue", "changes", "--since", "2026-11-20", "--json"])
    rows = [json.loads(line) for line in changes.stdout.splitlines()]
    assert [(row["type"], row["certificate"]) for row in rows if row["source"] != "import"] == [
        ("cancel", "居民身份证")
    ]
    exported = tmp_path / "export.csv"
    assert cli.invoke(app, ["catalogue", "export", str(exported)]).exit_code == 0
    again = cli.invoke(app, ["catalogue", "import", str(exported), "--dry-run"])
    assert "新增 0 条，变更 0 条，取消 0 条，未变 59 条" in again.output
    bad = tmp_path / "bad.csv"
    bad.write_text("service_code,service,unit,certificate,mode\nA,B,C,D,飞鸽\n", encoding="utf-8")
    refused = cli.invoke(app, ["catalogue", "import", str(bad)])
    assert refused.exit_code == 1 and "第 2 行" in refused.output


# Catalogues and questions written independently of the system (by people who never saw its lexicon or
# code). Floors sit a little under the measured accuracy (docs/guidance-history.md) so a regression fails
# the build.
INDEPENDENT_FLOORS = {"pair": 0.78, "service": 0.85, "certificate": 0.85, "unknown": 0.85}


@pytest.mark.parametrize("name", ["independent", "independent2"])
def test_questions_over_an_independently_written_catalogue_are_answered_right(
    cli: CliRunner, name: str
) -> None:
    from bot.cli import app

    imported = cli.invoke(app, ["catalogue", "import", str(DATA / f"{name}_catalogue.csv")])
    assert imported.exit_code == 0, imported.output
    questions = list(csv.DictReader((DATA / f"{name}_questions.csv").open(encoding="utf-8")))
    asked = cli.invoke(app, ["ask", "-", "--json"], input="\n".join(q["question"] for q in questions) + "\n")
    assert asked.exit_code == 0, asked.output
    answers = [json.loads(line) for line in asked.stdout.splitlines() if line.startswith("{")]
    accuracy = score(questions, answers)
    assert set(accuracy) == set(INDEPENDENT_FLOORS)
    for intent, floor in INDEPENDENT_FLOORS.items():
        assert accuracy[intent] >= floor, accuracy


def test_administrator_mode_wordings_are_accepted_by_the_importer(tmp_path: Path, cli: CliRunner) -> None:
    from bot.cli import app

    catalogue = tmp_path / "list.csv"
    catalogue.write_text(
        "service_code,service,unit,certificate,mode,basis,notes\n"
        "A1,测试事项,某局,居民户口簿,库表对接,,\nA2,测试事项,某局,结婚证,網絡核驗,,\nA3,测试事项,某局,学位证,数据共享,,\n",
        encoding="utf-8",
    )
    refused = cli.invoke(app, ["catalogue", "import", str(catalogue)])
    assert refused.exit_code != 0
    assert "库表对接" in refused.output and (
        "closest known wording" in refused.output or "最接近" in refused.output
    )
    assert cli.invoke(app, ["catalogue", "modes", "add", "库表对接", "数据共享"]).exit_code == 0
    assert "库表对接" in cli.invoke(app, ["catalogue", "modes"]).output
    assert cli.invoke(app, ["catalogue", "import", str(catalogue)]).exit_code == 0
    exported = tmp_path / "out.csv"
    assert cli.invoke(app, ["catalogue", "export", str(exported)]).exit_code == 0
    text = exported.read_text(encoding="utf-8")
    assert text.count("数据共享") == 2 and "部门核验" in text
