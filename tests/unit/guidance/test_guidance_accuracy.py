"""Top-1 accuracy per intent on the evaluation set over the demo catalogue (floors; the measured figures:
docs/guidance-history.md)."""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

import pytest

from nocert_core.adapters.files.catalogue_files import parse_catalogue
from nocert_core.domain.catalogue import certificate_key
from nocert_core.guidance import GuidanceIndex, answer, builtin_lexicon
from nocert_core.services.catalogue.demo import DEMO_CATALOGUE
from nocert_core.services.catalogue.guidance import indexed

DATA = Path(__file__).resolve().parents[2] / "data"
FLOORS = {"pair": 0.95, "service": 0.95, "certificate": 0.95, "unknown": 0.95}


@pytest.fixture(scope="module")
def index() -> GuidanceIndex:
    return GuidanceIndex([indexed(row.entry) for row in parse_catalogue(DEMO_CATALOGUE)], builtin_lexicon())


def test_the_evaluation_set_has_at_least_a_hundred_questions_over_every_intent() -> None:
    questions = list(csv.DictReader((DATA / "guidance_questions.csv").open(encoding="utf-8")))
    assert len(questions) >= 100
    assert {q["intent"] for q in questions} == set(FLOORS)


def test_top1_accuracy_per_intent_stays_above_the_floor(index: GuidanceIndex) -> None:
    right: Counter[str] = Counter()
    total: Counter[str] = Counter()
    wrong = []
    for question in csv.DictReader((DATA / "guidance_questions.csv").open(encoding="utf-8")):
        result = answer(index, question["question"])
        ok = result.intent.value == question["intent"]
        if question["service_code"]:
            ok = ok and result.service is not None and result.service.code == question["service_code"]
        if question["certificate"]:
            ok = (
                ok
                and result.certificate is not None
                and (certificate_key(result.certificate) == certificate_key(question["certificate"]))
            )
        if question["intent"] == "pair":
            ok = ok and result.exempt == (question["exempt"] == "true")
        total[question["intent"]] += 1
        right[question["intent"]] += ok
        if not ok:
            wrong.append(question["question"])
    for intent, floor in FLOORS.items():
        assert right[intent] / total[intent] >= floor, wrong
