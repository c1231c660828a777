"""A service the catalogue has not, or a proof it does not list, is never answered with a near one's rule.

One made-up catalogue (another city's wording); each test is a failure category seen on catalogues the
system had never seen, not one evaluation question.
"""

from __future__ import annotations

import pytest

from nocert_core.domain.catalogue import ExemptionMode
from nocert_core.guidance import GuidanceIndex, IndexedEntry, Intent, answer, builtin_lexicon

A = ExemptionMode.ASSOCIATION

ROWS = [
    ("MZ-1", "特困人员救助供养认定", "收入证明"),
    ("MZ-1", "特困人员救助供养认定", "居民户口簿"),
    ("WJ-1", "医师执业注册", "健康体检证明"),
    ("WJ-1", "医师执业注册", "居民身份证"),
    ("BDC-1", "继承不动产转移登记", "营业执照"),
    ("BDC-1", "继承不动产转移登记", "亲属关系证明"),
    ("BDC-2", "新建商品房转移登记", "营业执照"),
    ("JY-1", "义务教育小学入学报名", "出生医学证明"),
]


@pytest.fixture(scope="module")
def index() -> GuidanceIndex:
    entries = [IndexedEntry(code, service, "某市某局", None, cert, A, "依据") for code, service, cert in ROWS]
    return GuidanceIndex(entries, builtin_lexicon())


def test_a_service_word_the_person_typed_that_no_service_has_means_the_catalogue_lacks_it(
    index: GuidanceIndex,
) -> None:
    # 临时 (临时救助), 护士 (护士执业注册), 抵押 (抵押登记): no service of this list has the word
    for question in ("申请临时救助要收入证明吗", "护士执业注册要体检证明吗", "办抵押登记要营业执照吗"):
        result = answer(index, question)
        assert (result.intent, result.service, result.exempt) == (Intent.UNKNOWN, None, None), question


def test_a_piece_across_two_typed_words_is_not_taken_for_an_unknown_word(index: GuidanceIndex) -> None:
    # 小学报名 holds 学报 across 小学 + 报名: not a word the person typed
    result = answer(index, "孩子上小学报名，出生证明还要交吗")
    assert (result.intent, result.service and result.service.code, result.exempt) == (
        Intent.PAIR,
        "JY-1",
        True,
    )
