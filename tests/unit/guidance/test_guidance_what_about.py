""" "那X呢" — what about X (issue 8, session 8): the person asks about X, which replaces a thing named before
it; the rule said for that thing is context, never the answer. A made-up city (海宁湾市)."""

from __future__ import annotations

import pytest

from nocert_core.guidance import GuidanceIndex
from nocert_core.guidance.geo.places import RegisterUnit
from tests.unit.guidance.made_up import register_index, verdict_naming_proof

UNITS = [RegisterUnit("H", "海宁湾市人民政府"), RegisterUnit("H-CR", "海宁湾市公安局出入境管理处", "H")]


@pytest.fixture(scope="module")
def index() -> GuidanceIndex:
    return register_index(
        [
            ("CR-1", "普通护照补发", "H-CR", "居民户口簿"),
            ("CR-1", "普通护照补发", "H-CR", "居民身份证复印件"),
            ("CR-2", "往来港澳通行证补发", "H-CR", "数码照片回执"),
        ],
        UNITS,
    )


@pytest.mark.parametrize(
    "question",
    [
        "补办护照听说不用户口本了，那补办港澳通行证呢，户口本还要吗",
        "护照补发不用户口本了，那么港澳通行证补发呢？户口本要不要",
        "补办护照要户口本吗？那么港澳通行证补办呢",  # (the question asked again, about the other licence)
    ],
)
def test_what_about_another_licence_is_asked_of_that_licence(index: GuidanceIndex, question: str) -> None:
    # the passport's "not needed" is what the person compares with: the permit's list lacks the booklet
    assert verdict_naming_proof(index, question) == ("pair", "CR-2", "居民户口簿", False)


def test_what_about_another_proof_is_asked_of_the_same_service(index: GuidanceIndex) -> None:
    assert verdict_naming_proof(index, "补办港澳通行证要户口本吗？那照片回执呢") == (
        "pair",
        "CR-2",
        "数码照片回执",
        True,
    )
