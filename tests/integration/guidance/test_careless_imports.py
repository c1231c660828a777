"""The careless files staff really produce, through the real database (SQLite and PostgreSQL): each is refused
or needs an explicit flag, and after a refusal the database is exactly as it was."""

from __future__ import annotations

import codecs
import zipfile
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from nocert_core.adapters.sql.orm import metadata
from nocert_core.bootstrap import Application
from nocert_core.domain.actors import CLI_ADMIN
from nocert_core.domain.calendar import DayKind
from nocert_core.domain.units import Unit
from nocert_core.errors import ImportFailed, ImportNeedsConfirmation
from nocert_core.services.catalogue import guidance
from nocert_core.services.catalogue import imports as catalogue
from nocert_core.services.platform.calendar import SEED_SOURCE, chinese_calendar_exceptions, import_schedule
from nocert_core.services.units.tree import import_units, list_units

HEADER = "事项编码,事项名称,实施主体,证照证明名称,免提交方式,依据,备注\n"
UNITS_HEADER = "单位编码,单位名称,上级单位编码,别名\n"
ENTRIES = 30


async def snapshot(app: Application) -> dict[str, list[str]]:
    """Every row of every table, as text: "unchanged" means exactly that."""
    tables: dict[str, list[str]] = {}
    async with app.engine.connect() as connection:
        for table in metadata.sorted_tables:
            rows = (await connection.execute(select(table))).all()
            tables[table.name] = sorted(repr(tuple(row)) for row in rows)
    return tables


def write(tmp_path: Path, name: str, text: str, encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def catalogue_rows(count: int) -> str:
    return "".join(f"S-{n:03d},事项{n},潍坊市行政审批服务局,证明{n},部门核验,依据,\n" for n in range(count))


async def with_catalogue(app: Application, tmp_path: Path) -> None:
    async with app.uow() as uow:
        uow.units.add(Unit("WF-SPJ", "潍坊市行政审批服务局"))
        await uow.commit()
    path = write(tmp_path, "full.csv", HEADER + catalogue_rows(ENTRIES))
    await catalogue.import_catalogue(app.uow(), app.clock, CLI_ADMIN, path, notify=False)


async def test_a_header_only_catalogue_is_refused_and_ends_nothing_unless_replace_is_given(
    app: Application, tmp_path: Path
) -> None:
    await with_catalogue(app, tmp_path)
    before = await snapshot(app)
    header_only = write(tmp_path, "header.csv", HEADER)
    with pytest.raises(ImportNeedsConfirmation) as refused:
        await catalogue.import_catalogue(app.uow(), app.clock, CLI_ADMIN, header_only)
    assert refused.value.params["affected"] == ENTRIES and refused.value.params["flag"] == "--replace"
    assert await snapshot(app) == before
    dry = await catalogue.import_catalogue(app.uow(), app.clock, CLI_ADMIN, header_only, dry_run=True)
    assert len(dry.removed) == ENTRIES and dry.needs_flag and not dry.applied
    assert await snapshot(app) == before
    done = await catalogue.import_catalogue(app.uow(), app.clock, CLI_ADMIN, header_only, replace=True)
    assert done.applied and await catalogue.current_catalogue(app.uow()) == []


async def test_a_one_row_catalogue_does_not_end_date_the_rest(app: Application, tmp_path: Path) -> None:
    await with_catalogue(app, tmp_path)
    before = await snapshot(app)
    one_row = write(tmp_path, "one.csv", HEADER + catalogue_rows(1))
    with pytest.raises(ImportNeedsConfirmation):
        await catalogue.import_catalogue(app.uow(), app.clock, CLI_ADMIN, one_row)
    assert await snapshot(app) == before
    assert len(await catalogue.current_catalogue(app.uow())) == ENTRIES


async def test_a_small_catalogue_change_needs_no_flag(app: Application, tmp_path: Path) -> None:
    await with_catalogue(app, tmp_path)
    rows = catalogue_rows(ENTRIES).replace("S-029,事项29", "S-029,事项二十九").replace("S-028", "S-999")
    report = await catalogue.import_catalogue(
        app.uow(), app.clock, CLI_ADMIN, write(tmp_path, "small.csv", HEADER + rows), notify=False
    )
    assert report.applied and (len(report.changed), len(report.removed), len(report.added)) == (1, 1, 1)


async def test_a_one_line_calendar_merges_into_the_official_year(app: Application, tmp_path: Path) -> None:
    seeded = dict(chinese_calendar_exceptions()[2026])
    national_day = [day for day in seeded if day.month == 10 and seeded[day] == DayKind.HOLIDAY]
    assert len(seeded) >= 20 and national_day
    one_line = write(tmp_path, "2026.csv", "date,kind\n2026-12-31,holiday\n")
    try:
        report = await import_schedule(app.uow(), app.clock, one_line)
        assert [(y.year, len(y.added), len(y.removed)) for y in report.years] == [(2026, 1, 0)]
        async with app.uow() as uow:
            calendar = await uow.calendar.load()
            years = await uow.calendar.covered_years()
        assert all(day in calendar.holidays for day in national_day)  # the holiday is still there
        assert date_in(calendar.holidays, "2026-12-31") and years[2026].startswith(SEED_SOURCE + "+import:")
        before = await snapshot(app)
        undo = write(tmp_path, "undo.csv", national_undo(national_day))
        with pytest.raises(ImportNeedsConfirmation) as refused:
            await import_schedule(app.uow(), app.clock, undo)
        assert refused.value.params["flag"] == "--replace-year"
        assert await snapshot(app) == before
    finally:
        async with app.uow() as uow:
            await uow.calendar.replace_year(2026, sorted(seeded.items()), SEED_SOURCE, app.clock.now())
            await uow.commit()


def date_in(days: set[Any], iso: str) -> bool:
    return any(day.isoformat() == iso for day in days)


def national_undo(days: list[Any]) -> str:
    """A file that turns every National Day holiday into a working day: far more than a small share."""
    return "date,kind\n" + "".join(f"{day.isoformat()},workday\n" for day in days)


async def test_a_fragment_of_a_year_without_official_data_is_refused(
    app: Application, tmp_path: Path
) -> None:
    before = await snapshot(app)
    with pytest.raises(ImportNeedsConfirmation) as refused:
        await import_schedule(app.uow(), app.clock, write(tmp_path, "2027.csv", "2027-10-01,holiday\n"))
    assert refused.value.params == {"year": 2027, "count": 1, "flag": "--replace-year"}
    assert await snapshot(app) == before


@pytest.mark.parametrize(
    ("encoding", "bom", "separator"),
    [
        ("gbk", b"", ","),
        ("gb18030", b"", ","),
        ("utf-8", codecs.BOM_UTF8, ","),
        ("utf-16-le", codecs.BOM_UTF16_LE, "\t"),  # Excel on Chinese Windows: "Unicode text"
        ("utf-16-be", codecs.BOM_UTF16_BE, "\t"),
    ],
)
async def test_units_files_in_the_encodings_staff_produce_are_read(
    app: Application, tmp_path: Path, encoding: str, bom: bytes, separator: str
) -> None:
    rows = "WF,潍坊市人民政府,,市政府\nWF-SPJ,潍坊市行政审批服务局,WF,审批局；政务大厅\n"
    text = (UNITS_HEADER + rows).replace(",", separator)
    path = tmp_path / "units.csv"
    path.write_bytes(bom + text.encode(encoding))
    report = await import_units(app.uow(), path)
    assert sorted(report.created) == ["WF", "WF-SPJ"]
    names = {unit.code: (unit.name, unit.aliases) for unit in await list_units(app.uow())}
    assert names["WF-SPJ"] == ("潍坊市行政审批服务局", ["审批局", "政务大厅"])


async def test_a_gb18030_calendar_and_lexicon_are_read(app: Application, tmp_path: Path) -> None:
    lexicon = write(tmp_path, "lexicon.csv", "类型,俗称,规范名称\n证照,户口本子,居民户口簿\n", "gb18030")
    report = await guidance.import_lexicon(app.uow(), CLI_ADMIN, lexicon)
    assert [(e.colloquial, e.official) for e in report.added] == [("户口本子", "居民户口簿")]
    holidays = ["2027-01-01", "2027-02-08", "2027-02-09", "2027-02-10", "2027-02-11", "2027-02-12"]
    holidays += ["2027-10-01", "2027-10-04", "2027-10-05", "2027-10-06", "2027-10-07"]
    days = "日期,类型\n" + "".join(f"{day},休\n" for day in holidays) + "2027-02-20,班\n"
    calendar = await import_schedule(app.uow(), app.clock, write(tmp_path, "2027.csv", days, "gb18030"))
    assert calendar.years[0].year == 2027 and len(calendar.years[0].days) >= 10


async def test_a_missing_file_is_a_clear_refusal(app: Application, tmp_path: Path) -> None:
    missing = tmp_path / "nope.csv"
    for attempt in (
        import_units(app.uow(), missing),
        import_schedule(app.uow(), app.clock, missing),
        catalogue.import_catalogue(app.uow(), app.clock, CLI_ADMIN, missing),
        guidance.import_lexicon(app.uow(), CLI_ADMIN, missing),
    ):
        with pytest.raises(ImportFailed, match="no such file"):
            await attempt


async def test_a_nul_in_a_cell_is_refused_with_its_line(app: Application, tmp_path: Path) -> None:
    await import_units(app.uow(), write(tmp_path, "ok.csv", UNITS_HEADER + "WF,潍坊市人民政府,,\n"))
    before = await snapshot(app)
    damaged = write(tmp_path, "nul.csv", UNITS_HEADER + "WF,潍坊市人民政府,,\nWF-X,某\x00单位,WF,\n")
    with pytest.raises(ImportFailed) as refused:
        await import_units(app.uow(), damaged)
    assert refused.value.problems[0][0] == 3 and "U+0000" in refused.value.problems[0][1]
    assert await snapshot(app) == before


async def test_a_zip_bomb_workbook_is_refused_before_it_is_inflated(
    app: Application, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bomb = tmp_path / "units.xlsx"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"<" + b" " * (64 * 1024 * 1024))
    assert bomb.stat().st_size < 1024 * 1024

    def never(*args: object, **kwargs: object) -> None:
        raise AssertionError("openpyxl must not open a workbook over the limit")

    monkeypatch.setattr("openpyxl.load_workbook", never)
    with pytest.raises(ImportFailed, match=r"unpacks to 64\.0 MB"):
        await import_units(app.uow(), bomb)
    assert await list_units(app.uow()) == []


async def test_unit_codes_are_one_unit_whatever_their_case(app: Application, tmp_path: Path) -> None:
    await import_units(app.uow(), write(tmp_path, "a.csv", UNITS_HEADER + "x1,某单位,,\n"))
    again = await import_units(app.uow(), write(tmp_path, "b.csv", UNITS_HEADER + "X1,某单位（新名）,,\n"))
    assert again.created == [] and again.updated == ["X1"]
    assert [(u.code, u.name) for u in await list_units(app.uow())] == [("X1", "某单位（新名）")]
    with pytest.raises(ImportFailed, match="already appears on line 2"):
        await import_units(app.uow(), write(tmp_path, "c.csv", UNITS_HEADER + "X2,甲,,\nx2,乙,,\n"))


async def test_renaming_most_units_needs_replace(app: Application, tmp_path: Path) -> None:
    rows = "".join(f"U{n},单位{n},,\n" for n in range(10))
    await import_units(app.uow(), write(tmp_path, "a.csv", UNITS_HEADER + rows))
    before = await snapshot(app)
    renamed = write(tmp_path, "b.csv", UNITS_HEADER + rows.replace("单位", "部门"))
    with pytest.raises(ImportNeedsConfirmation):
        await import_units(app.uow(), renamed)
    assert await snapshot(app) == before
    dry = await import_units(app.uow(), renamed, dry_run=True)
    assert dry.needs_flag and dry.changes["U0"] == [("name", "单位0", "部门0")]
    assert len((await import_units(app.uow(), renamed, replace=True)).updated) == 10


async def test_replacing_most_lexicon_terms_needs_replace(app: Application, tmp_path: Path) -> None:
    terms = "".join(f"certificate,俗称{n},正式名称{n}\n" for n in range(5))
    await guidance.import_lexicon(app.uow(), CLI_ADMIN, write(tmp_path, "a.csv", terms))
    before = await snapshot(app)
    changed = write(tmp_path, "b.csv", terms.replace("正式名称", "新名称"))
    with pytest.raises(ImportNeedsConfirmation):
        await guidance.import_lexicon(app.uow(), CLI_ADMIN, changed)
    assert await snapshot(app) == before
    assert len((await guidance.import_lexicon(app.uow(), CLI_ADMIN, changed, replace=True)).replaced) == 5
