"""The intake's follow-up questions and the screening's `missing` come from the same rules."""

from __future__ import annotations

import pytest

from nocert_core.services.complaints.intake import missing_specifics
from nocert_core.services.screening.advice import screen_text

FOLLOW_UP = {"time": "when", "service": "service", "document": "document"}


@pytest.mark.parametrize(
    "facts",
    [
        "11月20日在政务服务中心办理落户，被要求开各种证明",  # a generic "证明" is no concrete document
        "在政务服务中心办理营业执照时被要求交房产证复印件",
        "昨天上午在3号窗口，工作人员让我回去开无犯罪记录证明",
        "2026年11月20日上午在奎文区政务服务中心3号窗口办理食品经营许可，被要求开无犯罪记录证明",
    ],
)
def test_the_intake_asks_for_exactly_what_the_screening_notes_as_missing(facts: str) -> None:
    judged = screen_text([], "某单位", "", "", facts).missing
    asked = [question for question in missing_specifics(facts) if question != "where"]
    assert asked == [FOLLOW_UP[item] for item in judged]


def test_a_generic_proof_gets_the_question_which_document() -> None:
    assert missing_specifics("11月20日在政务服务中心办理落户，被要求开各种证明") == ["document"]


def test_facts_written_in_english_are_understood_too() -> None:
    facts = "Yesterday at the counter of the tax office I applied for a permit; they wanted a copy of my card"
    assert missing_specifics(facts) == []
    assert missing_specifics("They asked me for a paper at some point") == [
        "when",
        "where",
        "service",
        "document",
    ]
