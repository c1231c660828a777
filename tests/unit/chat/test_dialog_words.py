"""What counts as a dialog word, a number where a number is asked, and a phone number as typed."""

from __future__ import annotations

import pytest

from handlers.dialogs.dialog_words import Word, word_of
from nocert_core.domain.phones import normalise_phone
from nocert_core.errors import ValidationFailed
from nocert_core.numbers import whole_number


@pytest.mark.parametrize(
    ("typed", "word"),
    [
        ("取消", Word.CANCEL),
        (" 不投诉了！", Word.CANCEL),
        ("退出", Word.CANCEL),
        ("Cancel.", Word.CANCEL),
        ("返回", Word.BACK),
        ("上一步", Word.BACK),
        ("BACK", Word.BACK),
        ("菜单", Word.MENU),
        ("主页", Word.MENU),
        ("重新开始", Word.RESTART),
        ("start over", Word.RESTART),
        ("继续", Word.CONTINUE),
    ],
)
def test_whole_messages_are_dialog_words(typed: str, word: Word) -> None:
    assert word_of(typed) is word


@pytest.mark.parametrize("typed", ["取消了我的申请", "王芳", "返回家里", "menu item 3", ""])
def test_answers_that_contain_a_word_are_answers(typed: str) -> None:
    assert word_of(typed) is None


@pytest.mark.parametrize(
    ("typed", "number"),
    [("5", 5), ("５", 5), ("五", 5), ("十", 10), ("两天", 2), ("3个工作日", 3), ("十五", 15)],
)
def test_numbers_as_people_type_them(typed: str, number: int) -> None:
    assert whole_number(typed) == number


@pytest.mark.parametrize("typed", ["five-ish", "1.5", "", "一下"])
def test_what_is_not_a_whole_number(typed: str) -> None:
    assert whole_number(typed) is None


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("１３８０５３６１２３４", "13805361234"),
        ("138 0536 1234", "13805361234"),
        ("138\u30000536\u30001234", "13805361234"),
        ("+86 138-0536-1234", "13805361234"),
        ("０５３６－１２３４５６７", "0536-1234567"),
    ],
)
def test_phone_numbers_with_full_width_digits_and_spaces(typed: str, stored: str) -> None:
    assert normalise_phone(typed) == stored


def test_a_non_latin_digit_is_not_a_phone_number() -> None:
    with pytest.raises(ValidationFailed):
        normalise_phone("١٣٨٠٥٣٦١٢٣٤")


@pytest.mark.parametrize(
    ("typed", "number"),
    [
        ("11", "TS-2026-000011"),
        ("ts-2026-000011", "TS-2026-000011"),
        ("2025-11", "TS-2025-000011"),
        ("TS-2026-11", "TS-2026-000011"),
        ("０１１", "TS-2026-000011"),
        ("abc", None),
        ("0", None),
    ],
)
def test_complaint_numbers_as_people_type_them(typed: str, number: str | None) -> None:
    from nocert_core.numbers import complaint_number

    assert complaint_number(typed, 2026) == number


def test_relative_dates_are_read_from_the_registration_day() -> None:
    from datetime import date

    from nocert_core.domain.relative_dates import relative_dates

    wednesday = date(2026, 11, 25)
    words = "前天去了，昨天下午又去；上周三第一次去，3天前也去过。last Monday"
    found = dict(relative_dates(words, wednesday))
    assert found == {
        "前天": date(2026, 11, 23),
        "昨天下午": date(2026, 11, 24),
        "上周三": date(2026, 11, 18),
        "3天前": date(2026, 11, 22),
        "last Monday": date(2026, 11, 23),
    }
    assert relative_dates("2026年11月20日在窗口", wednesday) == []
