"""投靠 services differ only by the relative joined: answered for that one, or "I do not know"."""

from __future__ import annotations

import pytest

from nocert_core.domain.catalogue import ExemptionMode
from nocert_core.guidance import GuidanceIndex, IndexedEntry, Intent, answer, builtin_lexicon
from nocert_core.guidance.siblings.kinship import host_of

A = ExemptionMode.ASSOCIATION
ROWS = [
    ("GA-2", "夫妻投靠户口迁入", "结婚证"),
    ("GA-3", "子女投靠父母户口迁入", "亲属关系证明"),
    ("GA-9", "死亡人员户口注销", "居民死亡医学证明"),
]


@pytest.fixture(scope="module")
def index() -> GuidanceIndex:
    entries = [
        IndexedEntry(code, service, "某市公安局", None, cert, A, "依据") for code, service, cert in ROWS
    ]
    return GuidanceIndex(entries, builtin_lexicon())


@pytest.mark.parametrize(
    ("question", "host"),
    [
        ("父母投靠子女迁户口要亲属关系证明吗", "child"),
        ("我爸妈想投靠我把户口迁到烟台", "child"),
        ("想把我妈的户口迁到我这来", "child"),
        ("我老婆想把户口迁到我这来", "spouse"),
        ("我想把户口迁到我爸妈那", "parent"),
        ("办结婚登记要带户口本吗", None),  # no household moves
        ("孩子出生上户口要结婚证吗", None),
    ],
)
def test_the_relative_joined_is_read_from_the_question(question: str, host: str | None) -> None:
    assert host_of(question) == host


def test_a_move_to_a_relative_the_catalogue_has_no_service_for_is_unknown(index: GuidanceIndex) -> None:
    # the list has 子女投靠父母 only: 父母投靠子女 is another service, never its rule
    result = answer(index, "父母投靠子女迁户口要亲属关系证明吗")
    assert (result.intent, result.service, result.exempt) == (Intent.UNKNOWN, None, None)


def test_a_move_described_in_words_finds_the_joining_service(index: GuidanceIndex) -> None:
    result = answer(index, "我老婆想把户口迁到我这来，要交结婚证吗")
    assert (result.intent, result.service and result.service.code, result.exempt) == (
        Intent.PAIR,
        "GA-2",
        True,
    )
