"""Counties written the way people write them: without 市/县 (枝江, 长阳), an autonomous county by its own
name and 县 (长阳县), and "我是X的" (where one belongs) — each a place the catalogue does not cover, never
the city's rule."""

from __future__ import annotations

import pytest

from nocert_core.guidance import GuidanceIndex
from nocert_core.guidance.geo.places import PlaceScope, RegisterUnit
from nocert_core.guidance.reading.english import to_chinese
from tests.unit.guidance.made_up import register_index, verdict

# A made-up city: 云川市 with one district (青禾区) of its own units.
UNITS = [
    RegisterUnit("C", "云川市人民政府"),
    RegisterUnit("C-GA", "云川市公安局", "C"),
    RegisterUnit("C-GJJ", "云川市住房公积金管理中心", "C"),
    RegisterUnit("Q", "青禾区人民政府", "C"),
    RegisterUnit("Q-GA", "青禾区公安分局", "Q"),
]
ROWS = [
    ("GA-1", "居民身份证换领", "C-GA", "居民户口簿"),
    ("GJ-1", "住房公积金租房提取", "C-GJJ", "无房证明"),
    ("GA-2", "居民身份证换领", "Q-GA", "居民户口簿"),
]


@pytest.fixture(scope="module")
def index() -> GuidanceIndex:
    return register_index(ROWS, UNITS)


@pytest.mark.parametrize(
    "question",
    [
        "枝江的公积金租房提取要无房证明吗",  # (a county-level city, 市 left out)
        "长阳那边换身份证要户口本吗",  # (an autonomous county by its own name)
        "我在绵竹，换身份证要交户口本不？",
        "五峰县换身份证要户口本吗",  # (五峰土家族自治县, written with 县)
        "我是丰县的，公积金租房提取要不要无房证明？",  # (where the person belongs)
        "Do I need the household register to renew my ID card in Mianzhu?",  # (pinyin: 在绵竹办…)
    ],
)
def test_a_county_written_the_short_way_is_a_place_the_catalogue_does_not_cover(
    index: GuidanceIndex, question: str
) -> None:
    assert verdict(index, question)[0] == "out_of_area"


def test_a_county_name_without_its_suffix_is_no_place_inside_other_words() -> None:
    scope = PlaceScope.build(UNITS)
    assert scope.named("在青禾区龙泉镇买房") == [("青禾区", True), ("龙泉镇", True)]  # (a town of 青禾区)
    assert scope.named("绿色通道办理要户口本吗") == []  # (通道侗族自治县 only where a place stands)


def test_where_one_comes_from_stays_background_and_a_covered_place_is_answered(index: GuidanceIndex) -> None:
    assert verdict(index, "我是丰县人，在青禾区换身份证要户口本吗") == ("pair", "GA-2", True)
    assert verdict(index, "我是青禾区的，换身份证要户口本吗") == ("pair", "GA-2", True)


def test_a_city_in_pinyin_is_the_listed_city_before_a_county_that_sounds_the_same(
    index: GuidanceIndex,
) -> None:
    said = to_chinese("I live in Jining. Do I need a no-house proof?", places=index.place_pinyin) or ""
    assert "济宁" in said  # (济宁, a city of the place list, not 晋宁县)


@pytest.mark.parametrize(("said", "place"), [("Yidu", "宜都"), ("Changyang", "长阳"), ("Changzhi", "长治")])
def test_a_place_in_pinyin_is_read_the_way_its_name_is_read(
    index: GuidanceIndex, said: str, place: str
) -> None:
    question = f"Do I need the household register to renew my ID card in {said}?"
    said_as = to_chinese(question, places=index.place_pinyin) or ""
    assert f"在{place}" in said_as  # (not "Yidou", "Zhangyang")


def test_other_readings_of_place_names_make_no_place_of_an_english_word(index: GuidanceIndex) -> None:
    question = "Do I have to hand in the household register to renew my ID card?"
    assert "在" not in (to_chinese(question, places=index.place_pinyin) or "在")  # (甘德 is never "hande")
