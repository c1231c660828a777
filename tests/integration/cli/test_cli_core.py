"""The foundation's CLI as an administrator uses it, on a fresh SQLite file: init --demo, units,
complaints list/show/export/screen, calendar import."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bot.cli import app
from nocert_core.settings import get_settings

DATA = Path(__file__).resolve().parents[2] / "data"
runner = CliRunner()


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    url = f"sqlite+aiosqlite:///{tmp_path_factory.mktemp('cli') / 'demo.db'}"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("NOCERT_DATABASE_URL", url)
        get_settings.cache_clear()
        result = runner.invoke(app, ["init", "--demo"])
        assert result.exit_code == 0, result.output
        yield url
    get_settings.cache_clear()


@pytest.fixture
def cli(demo_db: str, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.setenv("NOCERT_DATABASE_URL", demo_db)
    get_settings.cache_clear()
    return runner


def test_init_demo_is_idempotent(cli: CliRunner) -> None:
    result = cli.invoke(app, ["init", "--demo"])
    assert result.exit_code == 0, result.output
    assert "units: 0 created, 0 updated" in result.output
    assert "complaints: 0 created" in result.output


def test_units_list_shows_the_demo_tree_and_json(cli: CliRunner) -> None:
    units = json.loads(cli.invoke(app, ["units", "list", "--json"]).output)
    codes = {unit["code"] for unit in units}
    assert len(units) >= 40 and {"KW-SPJ", "WF-BDC", "WF-GAJ-CGS", "GX-SBZX"} <= codes
    text = cli.invoke(app, ["units", "list"]).output
    assert "  KW-SPJ" in text and "奎文区审批局" in text


def test_complaints_list_filters_by_status_and_masks_phones(cli: CliRunner) -> None:
    rows = [
        json.loads(line) for line in cli.invoke(app, ["complaints", "list", "--json"]).output.splitlines()
    ]
    assert len(rows) >= 8 and {row["status"] for row in rows} >= {
        "registered",
        "accepted",
        "resolved",
        "rejected",
    }
    assert all("****" in row["phone"] for row in rows)
    accepted = cli.invoke(app, ["complaints", "list", "--json", "--status", "accepted"]).output.splitlines()
    assert accepted and all(json.loads(line)["status"] == "accepted" for line in accepted)
    table = cli.invoke(app, ["complaints", "list"]).output
    assert "TS-" in table and "13805361234" not in table


def test_complaints_show_prints_the_audit_timeline(cli: CliRunner) -> None:
    rows = [
        json.loads(line) for line in cli.invoke(app, ["complaints", "list", "--json"]).output.splitlines()
    ]
    resolved = next(row for row in rows if row["status"] == "resolved")
    output = cli.invoke(app, ["complaints", "show", resolved["number"].lower()]).output
    assert resolved["number"] in output and "处理记录：" in output
    assert "已受理，办理中 → 已办结" in output and "评价：" in output  # states by their labels
    missing = cli.invoke(app, ["complaints", "show", "TS-2026-999999"])
    assert missing.exit_code == 1 and "No complaint TS-2026-999999" in missing.output


def test_complaints_export_writes_a_usable_register_book(cli: CliRunner, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    target = tmp_path / "register.xlsx"
    result = cli.invoke(app, ["complaints", "export", str(target)])
    assert result.exit_code == 0, result.output
    sheet = load_workbook(target).active
    assert sheet is not None
    headers = [cell.value for cell in sheet[1]]
    assert headers[:5] == ["投诉编号", "接收时间", "渠道", "投诉人", "联系电话（脱敏）"]
    assert sheet.freeze_panes == "B2" and sheet.max_row >= 9
    phones = [row[4] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert all("****" in str(phone) for phone in phones)
    refused = cli.invoke(app, ["complaints", "export", str(tmp_path / "register.csv")])
    assert refused.exit_code == 1


def test_complaints_screen_reads_json_lines_and_writes_one_line_each(cli: CliRunner) -> None:
    lines = [
        {
            "agency": "奎文区审批局",
            "demand": "不要无犯罪记录证明",
            "reasons": "可核验",
            "facts": "11月20日办理许可被要求开无犯罪记录证明",
        },
        {"agency": "车管所", "demand": "撤销", "reasons": "不合理", "facts": "我已经向法院起诉了"},
        "not json",
    ]
    stdin = "\n".join(
        json.dumps(item, ensure_ascii=False) if isinstance(item, dict) else item for item in lines
    )
    result = cli.invoke(app, ["complaints", "screen", "--json"], input=stdin + "\n\n")
    assert result.exit_code == 0, result.output
    first, second, third = (json.loads(line) for line in result.output.splitlines())
    assert first["admissible"] is True and first["unit"] == {"code": "KW-SPJ", "name": "奎文区行政审批服务局"}
    assert first["category"] == "demanded_proof" and first["grounds"] == []
    assert second["admissible"] is False and "litigation" in second["grounds"] and second["unit"] is None
    assert {c["code"] for c in second["unit_candidates"]} >= {"QZ-CGS", "SG-CGS"}
    assert set(second["unit_candidates"][0]) == {"code", "name", "score"}
    assert "line 3" in third["error"]


def test_a_malformed_units_file_is_refused_with_its_line_number(cli: CliRunner, tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("单位编码,单位名称,上级单位编码,别名\nX1,某单位,NOPE,\nX2,,,\n", encoding="utf-8")
    result = cli.invoke(app, ["units", "import", str(bad)])
    assert result.exit_code == 1 and "第 3 行：单位名称为空" in result.output
    codes = {u["code"] for u in json.loads(cli.invoke(app, ["units", "list", "--json"]).output)}
    assert "X1" not in codes


def test_calendar_import_adds_2027_and_years_lists_it(cli: CliRunner) -> None:
    result = cli.invoke(app, ["calendar", "import", str(DATA / "calendar-2027-test-fixture.csv")])
    assert result.exit_code == 0, result.output
    assert "2027 年：共 24 个调整日（新增 24 个，变更 0 个，删除 0 个）" in result.output
    years = cli.invoke(app, ["calendar", "years"]).output
    assert "2026\tchinese-calendar" in years and "2027\timport:calendar-2027-test-fixture.csv" in years


def test_the_cli_shows_states_categories_and_channels_by_their_labels_in_the_chosen_language(
    cli: CliRunner,
) -> None:
    chinese = cli.invoke(app, ["complaints", "list"]).output
    assert "已受理，办理中" in chinese and "已办结" in chinese
    rows_text = [line.split() for line in chinese.splitlines() if line.startswith("TS-")]
    assert len(rows_text) >= 8 and not {"accepted", "resolved", "registered"} & {row[1] for row in rows_text}
    assert "编号" in chinese and "办理期限" in chinese and "number" not in chinese  # headers too
    english = cli.invoke(app, ["complaints", "list"], env={"NOCERT_LOCALE": "en"}).output
    assert "Accepted, being handled" in english and "已受理" not in english
    listed = cli.invoke(app, ["complaints", "list", "--json"]).output
    rows = [json.loads(line) for line in listed.splitlines()]
    extended = next(row["number"] for row in rows if row["status"] == "extended")  # --json keeps values
    shown = cli.invoke(app, ["complaints", "show", extended]).output
    assert "[办理中（已延期）]" in shown and "延期： 延期已批准, 7 个工作日" in shown
    assert "诉求：" in shown and "demand:" not in shown
    assert "延期获批  已受理，办理中 → 办理中（已延期）" in shown  # the timeline: action, from → to
    shown_en = cli.invoke(app, ["complaints", "show", extended], env={"NOCERT_LOCALE": "en"}).output
    assert "[Being handled (deadline extended)]" in shown_en and "extension approved" in shown_en
    assert "extension:   Extension approved, 7 working days" in shown_en
