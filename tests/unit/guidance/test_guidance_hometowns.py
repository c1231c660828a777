"""Hometowns told in a story beside a place the catalogue covers, and towns written after a place outside."""

from __future__ import annotations

import pytest

from nocert_core.domain.catalogue import ExemptionMode
from nocert_core.guidance import GuidanceIndex, IndexedEntry, Intent, answer, builtin_lexicon
from nocert_core.guidance.geo.places import PlaceScope, RegisterUnit

A = ExemptionMode.ASSOCIATION
UNITS = [
    RegisterUnit("C", "滨州市人民政府"),
    RegisterUnit("C-MZ", "滨州市民政局", "C"),
    RegisterUnit("C-GA", "滨州市公安局", "C"),
    RegisterUnit("D", "滨城区人民政府", "C"),
    RegisterUnit("D-MZ", "滨城区民政局", "D"),
    RegisterUnit("H", "惠民县人民政府", "C"),
    RegisterUnit("H-MZ", "惠民县民政局", "H"),
]


def entry(code: str, service: str, unit: str, unit_code: str, certificate: str) -> IndexedEntry:
    return IndexedEntry(code, service, unit, unit_code, certificate, A, "依据")


@pytest.fixture(scope="module")
def index() -> GuidanceIndex:
    return GuidanceIndex(
        [
            entry("M-1", "最低生活保障审核确认", "滨州市民政局", "C-MZ", "居民户口簿"),
            entry("M-1", "最低生活保障审核确认", "滨州市民政局", "C-MZ", "收入证明"),
            entry("M-2", "最低生活保障审核确认", "滨城区民政局", "D-MZ", "收入证明"),
            entry("M-3", "最低生活保障审核确认", "惠民县民政局", "H-MZ", "居民户口簿"),
            entry("P-1", "普通护照签发", "滨州市公安局", "C-GA", "居民户口簿"),
        ],
        builtin_lexicon(),
        UNITS,
    )


@pytest.mark.parametrize(
    "question",
    [
        "我是河南周口人，嫁到滨城区十年了，现在想申请低保，还要收入证明吗？",
        "我老家是河北沧州的，现在住滨城区，申请低保还要收入证明吗",
        "我在青岛打了八年工，去年回滨城区了，申请低保还要收入证明吗",
        "我户口还在太原，人在滨城区住，申请低保还要收入证明吗",
        "我是山西太原人，前年嫁到滨城区来的，申请低保还要收入证明吗",  # (嫁到X来的: where one went)
    ],
)
def test_a_hometown_told_beside_a_covered_place_is_the_storys_background(
    index: GuidanceIndex, question: str
) -> None:
    result = answer(index, question)
    assert (result.intent, result.service and result.service.code) == (Intent.PAIR, "M-2")  # 滨城区's


@pytest.mark.parametrize(
    "question",
    [
        "我女儿在深圳出生的，现在回滨城区申请低保，收入证明还要交吗",  # (born there)
        "我媳妇是江西人，我们在滨城区申请低保，还要收入证明吗",  # (whoever is from there)
        "五一去云南自驾玩了一趟，回来在滨城区申请低保，还要收入证明吗",  # (a trip)
        "收入证明放在济南租的房子里了，在滨城区申请低保还要交吗",  # (where a paper is kept)
    ],
)
def test_a_place_outside_where_nothing_is_done_is_background_to_the_covered_place_of_the_matter(
    index: GuidanceIndex, question: str
) -> None:
    result = answer(index, question)
    assert (result.intent, result.service and result.service.code) == (Intent.PAIR, "M-2")


def test_a_place_outside_where_the_matter_is_done_still_stops_the_answer(index: GuidanceIndex) -> None:
    result = answer(index, "我在滨城区上班，想在济南申请低保，还要收入证明吗")
    assert (result.intent, result.place) == (Intent.OUT_OF_AREA, "济南")


def test_a_hometown_alone_or_a_place_outside_named_plainly_still_stops_the_answer(
    index: GuidanceIndex,
) -> None:
    stayed = answer(index, "我老家在周口，孩子在周口上学，低保还要户口本吗")
    assert (stayed.intent, stayed.place) == (Intent.OUT_OF_AREA, "周口")  # (no covered place named)
    elsewhere = answer(index, "我是滨城区人，在周口办护照要户口本吗")
    assert (elsewhere.intent, elsewhere.place) == (Intent.OUT_OF_AREA, "周口")


def test_a_town_written_right_after_a_place_outside_is_that_places_town_not_a_covered_one() -> None:
    scope = PlaceScope.build(UNITS)
    assert scope.named("在惠民办低保要户口本吗") == [("惠民", True)]
    assert scope.named("俺户口在商河县惠民镇，办护照要带户口本不") == [("商河县惠民", False)]


def test_a_covered_place_written_with_a_look_alike_character_is_still_that_place(
    index: GuidanceIndex,
) -> None:
    # (惠民 written 画民: 画 huà and 惠 huì share the initial, and no other covered place fits)
    result = answer(index, "画民办低保要收入证明吗")
    assert (result.intent, result.service and result.service.code, result.exempt) == (
        Intent.PAIR,
        "M-3",
        False,
    )
    assert answer(index, "低保办理要收入证明吗").intent == Intent.PAIR  # (a word, not a place: no change)
