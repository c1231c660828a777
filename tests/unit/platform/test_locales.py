"""Every user-facing string in the code has a translation in both catalogues (zh_Hans default, en)."""

from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir

from nocert_core.i18n import Translator, translator

ROOT = Path(__file__).resolve().parents[3]
# Functions whose first argument is a msgid: gettext helpers and the domain errors that carry one.
KEYWORDS = {
    name: None
    for name in (
        "t",
        "gettext",
        "N_",
        "reply",
        "DomainError",
        "IllegalTransition",
        "NotFound",
        "PermissionDenied",
        "ValidationFailed",
        "ImportNeedsConfirmation",
        "Problem",
        "refuse",
    )
} | {"ngettext": (1, 2)}


def extracted_msgids() -> dict[str, str]:
    found: dict[str, str] = {}
    for package in ("nocert_core", "handlers", "bot"):
        method_map = [("**.py", "python")]
        for filename, lineno, message, _comments, _context in extract_from_dir(
            ROOT / package, method_map=method_map, keywords=KEYWORDS
        ):
            msgid = message[0] if isinstance(message, tuple) else message
            if msgid:
                found.setdefault(msgid, f"{package}/{filename}:{lineno}")
    return found


MSGIDS = extracted_msgids()


def test_the_code_has_user_facing_strings_to_check() -> None:
    assert len(MSGIDS) > 20


@pytest.mark.parametrize("locale", ["zh_Hans", "en"])
def test_every_msgid_in_the_code_is_translated(locale: str) -> None:
    catalogue: Translator = translator(locale)
    missing = {msgid: where for msgid, where in MSGIDS.items() if not catalogue.has(msgid)}
    assert not missing, f"{len(missing)} untranslated msgid(s) in {locale}: " + "; ".join(
        f"{where}: {msgid!r}" for msgid, where in list(missing.items())[:15]
    )


def test_chinese_translations_keep_the_placeholders_of_the_english_text() -> None:
    import re

    placeholder = re.compile(r"\{(\w+)\}")
    zh = translator("zh_Hans")
    broken = []
    for msgid in MSGIDS:
        if zh.has(msgid):
            translated = zh._messages[msgid]
            if set(placeholder.findall(msgid)) != set(placeholder.findall(translated)):
                broken.append(msgid)
    assert not broken, broken[:10]


def conflicting_definitions(folder: Path) -> dict[str, dict[str, str]]:
    """msgid → {catalogue file: translation} for msgids that two .po files of one locale translate
    differently (the merged lookup would silently keep whichever file sorts last)."""
    from babel.messages.pofile import read_po

    definitions: dict[str, dict[str, str]] = {}
    for po_path in sorted(folder.glob("*.po")):
        with po_path.open("rb") as handle:
            for message in read_po(handle):
                if message.id and isinstance(message.id, str) and isinstance(message.string, str):
                    definitions.setdefault(message.id, {})[po_path.name] = message.string
    return {msgid: files for msgid, files in definitions.items() if len(set(files.values())) > 1}


@pytest.mark.parametrize("locale", ["zh_Hans", "en"])
def test_no_msgid_is_translated_differently_in_two_catalogues_of_a_locale(locale: str) -> None:
    conflicts = conflicting_definitions(ROOT / "locales" / locale / "LC_MESSAGES")
    assert not conflicts, f"{len(conflicts)} msgid(s) defined differently: " + "; ".join(
        f"{msgid!r} in {files}" for msgid, files in list(conflicts.items())[:10]
    )


def test_a_msgid_translated_differently_in_two_catalogues_is_caught(tmp_path: Path) -> None:
    (tmp_path / "core.po").write_text('msgid "Status"\nmsgstr "状态"\n', encoding="utf-8")
    (tmp_path / "chat.po").write_text(
        'msgid "Status"\nmsgstr "状况"\n\nmsgid "Name"\nmsgstr "姓名"\n', encoding="utf-8"
    )
    (tmp_path / "guidance.po").write_text('msgid "Name"\nmsgstr "姓名"\n', encoding="utf-8")
    assert conflicting_definitions(tmp_path) == {"Status": {"chat.po": "状况", "core.po": "状态"}}


@pytest.mark.parametrize(
    ("locale", "count", "expected"),
    [
        ("en", 1, "The import was refused: 1 problem found, nothing was imported."),
        ("en", 3, "The import was refused: 3 problems found, nothing was imported."),
        ("zh_Hans", 1, "导入被拒绝：发现 1 处问题，未导入任何数据。"),
        ("zh_Hans", 3, "导入被拒绝：发现 3 处问题，未导入任何数据。"),
    ],
)
def test_plurals_follow_each_language_rule(locale: str, count: int, expected: str) -> None:
    from nocert_core.errors import ImportFailed

    error = ImportFailed([(line, "bad") for line in range(count)])
    assert error.msgid_plural is not None
    assert translator(locale).ngettext(error.msgid, error.msgid_plural, count, **error.params) == expected


def test_the_english_text_of_a_plural_error_agrees_with_its_number() -> None:
    from nocert_core.errors import ImportFailed

    assert str(ImportFailed([(1, "x")])).startswith("The import was refused: 1 problem found")
    assert str(ImportFailed([(1, "x"), (2, "y")])).startswith("The import was refused: 2 problems found")
