"""Service ranking over a large catalogue: the posting arrays (one vector operation per term) rank exactly as
the term-by-term walk over the postings does — same services, same scores, same order of ties — including
the common terms that only re-score the candidates found through rarer ones."""

from __future__ import annotations

import csv
import heapq
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path

import pytest

from nocert_core.guidance import GuidanceIndex, builtin_lexicon
from nocert_core.guidance.search import ranking as ranking_module
from tests.guidance_catalogues import demo_repeated_for

QUESTIONS = Path(__file__).resolve().parents[2] / "data" / "guidance_questions.csv"
PLACES = (
    "东城区",
    "西城区",
    "南湖县",
    "北山县",
    "河口镇",
    "青石镇",
    "柳林街道",
    "高台县",
    "临江区",
    "枫桥镇",
)
# Smaller than shipped, so that a catalogue of a few thousand rows has many common terms to re-score with.
COMMON_POSTINGS, CANDIDATES = 15, 8


@pytest.fixture(scope="module")
def large_index() -> Iterator[GuidanceIndex]:
    """The demo list repeated for ten made-up places (their own codes): common terms get more than
    COMMON_POSTINGS services."""
    entries = demo_repeated_for(PLACES[copy % len(PLACES)] + str(copy) for copy in range(1, 11))
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(ranking_module, "COMMON_POSTINGS", COMMON_POSTINGS)
        patch.setattr(ranking_module, "CANDIDATES", CANDIDATES)
        yield GuidanceIndex(entries, builtin_lexicon())


def walk_postings(index: GuidanceIndex, terms: dict[str, float], limit: int) -> list[tuple[int, float]]:
    """The term-by-term walk (the ranking before the arrays), from the forward maps alone."""
    postings: dict[str, list[tuple[float, int]]] = defaultdict(list)
    for doc, weights in enumerate(index.forward):
        for term in terms:
            if term in weights and term in index.posting_counts:
                postings[term].append((weights[term], doc))
    scores: dict[int, float] = {}
    deferred = []
    for term in sorted(terms, key=index.posting_counts.__getitem__):
        if scores and index.posting_counts[term] > COMMON_POSTINGS:
            deferred.append(term)
            continue
        best = {doc: value for value, doc in sorted(postings[term], reverse=True)[:COMMON_POSTINGS]}
        if not scores:
            scores = {doc: value * terms[term] for doc, value in best.items()}
            continue
        for doc, value in best.items():
            scores[doc] = scores.get(doc, 0.0) + value * terms[term]
    if deferred and len(scores) > CANDIDATES:
        scores = dict(heapq.nlargest(CANDIDATES, scores.items(), key=lambda item: item[1]))
    for term in deferred:
        for doc in scores:
            scores[doc] += index.forward[doc].get(term, 0.0) * terms[term]
    return heapq.nlargest(max(limit * 3, 30), scores.items(), key=lambda item: item[1])[:limit]


def test_the_posting_arrays_rank_like_the_term_by_term_walk(large_index: GuidanceIndex) -> None:
    questions = [row["question"] for row in csv.DictReader(QUESTIONS.open(encoding="utf-8"))]
    deferred = 0
    for question in questions:
        terms = large_index.query_terms([(question, 1.0)])
        deferred += any(large_index.posting_counts[term] > COMMON_POSTINGS for term in terms)
        ranked, _mass = large_index.rank_services(terms, limit=10)
        assert ranked == walk_postings(large_index, terms, 10), question
    assert deferred >= len(questions) // 4  # the common terms' re-scoring was exercised


def test_a_segmenter_cuts_a_text_the_same_from_its_memo(large_index: GuidanceIndex) -> None:
    segmenter = large_index.segmenter
    first = segmenter.words("办理营业执照需要房产证吗")
    first.append("changed by the caller")
    assert segmenter.words("办理营业执照需要房产证吗") == first[:-1]
