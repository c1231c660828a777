"""Compiled catalogues are kept in the cache folder (nocert_core/i18n.py): a second process reads them
instead of parsing the .po files again, and a changed .po file is compiled again."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from nocert_core import i18n

LOCALES = Path(__file__).resolve().parents[3] / "locales"


@pytest.fixture
def locales(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    copy = tmp_path / "locales"
    shutil.copytree(LOCALES, copy)
    monkeypatch.setenv("NOCERT_LOCALES_DIR", str(copy))
    monkeypatch.setenv("NOCERT_CACHE_DIR", str(tmp_path / "cache"))
    return copy


def test_a_second_read_comes_from_the_cache_and_is_the_same(
    locales: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    messages, compiled = i18n._read_catalogues("zh_Hans")
    assert len(list((locales.parent / "cache").glob("catalogue-zh_Hans-*.json"))) == 1

    def no_babel(*args: object) -> object:
        raise AssertionError("compiled again")

    monkeypatch.setattr(i18n, "_compile", no_babel)
    again, recompiled = i18n._read_catalogues("zh_Hans")
    assert again == messages and again["Registered, awaiting acceptance"] == "已登记，待受理"
    one = "The import was refused: {count} problem found, nothing was imported."
    many = "The import was refused: {count} problems found, nothing was imported."
    assert recompiled.ngettext(one, many, 2) == compiled.ngettext(one, many, 2)
    assert recompiled.ngettext(one, many, 2).startswith("导入被拒绝")


def test_a_changed_catalogue_is_compiled_again(locales: Path) -> None:
    assert i18n._read_catalogues("zh_Hans", "core")[0]["Not accepted"] == "不予受理"
    po = locales / "zh_Hans" / "LC_MESSAGES" / "core.po"
    po.write_text(
        po.read_text(encoding="utf-8").replace('msgstr "不予受理"', 'msgstr "不受理（改）"'), encoding="utf-8"
    )
    assert i18n._read_catalogues("zh_Hans", "core")[0]["Not accepted"] == "不受理（改）"


def test_a_damaged_cache_file_is_compiled_again(locales: Path) -> None:
    expected = i18n._read_catalogues("en", "cli")[0]
    (cached,) = (locales.parent / "cache").glob("catalogue-en-*.json")
    cached.write_text("{not json", encoding="utf-8")
    assert i18n._read_catalogues("en", "cli")[0] == expected
