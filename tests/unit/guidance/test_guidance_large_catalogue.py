"""Questions over a large catalogue (the demo list repeated for the city's districts, own codes): every
question of the evaluation files is answered — none raises — and a service for someone else is never the
answer."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from nocert_core.guidance import GuidanceIndex, answer, builtin_lexicon
from tests.guidance_catalogues import demo_repeated_for

DATA = Path(__file__).resolve().parents[2] / "data"
PLACES = ("潍城区", "寒亭区", "坊子区", "高新区")  # the demo city's own places: its services' place twins


@pytest.fixture(scope="module")
def large_index() -> GuidanceIndex:
    entries = demo_repeated_for(PLACES)
    return GuidanceIndex(entries, builtin_lexicon())


def test_a_tie_between_services_for_someone_else_does_not_break_the_answer(
    large_index: GuidanceIndex,
) -> None:
    # (the veterans' card over a list with only the elderly's: the tied elderly services were dropped from
    # the ranking but not from the tie, and choosing among them raised StopIteration)
    result = answer(large_index, "退役軍人優待證申領，要交退伍證嗎？")
    assert result.service is None or "老年" not in result.service.name, result


def test_every_question_of_the_evaluation_files_is_answered(large_index: GuidanceIndex) -> None:
    questions = [
        row["question"] for row in csv.DictReader((DATA / "guidance_questions.csv").open(encoding="utf-8"))
    ]
    for path in sorted((DATA / "eval").glob("*/questions.csv")):
        questions += [row["question"] for row in csv.DictReader(path.open(encoding="utf-8-sig"))]
    for question in questions:
        answer(large_index, question)
