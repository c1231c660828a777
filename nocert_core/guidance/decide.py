"""Decisions on a ranked list of services: the place the person named, and whether to ask instead of guess.

- `place_bias`: the units of a named, covered place first (a district branch's service over the city
  bureau's twin); with no place named, the city-level unit before a district branch.
- `sibling_tie`: sibling services (names mostly alike, not the same name) within CLARIFY_CLOSE of the best
  that the person's own words do not tell apart — 住房公积金提取（购房）/（租房）/（退休） for "公积金提取":
  the bot asks which one rather than guess (a wrong guess can say "not needed" for the wrong service).
"""

from __future__ import annotations

import re

from nocert_core.guidance.index import GuidanceIndex
from nocert_core.guidance.text import bigrams

CLARIFY_CLOSE = 0.8  # siblings this close to the best, not told apart by the person's words: ask
CLARIFY_NAMES = 0.5
PLACE_BOOST = 1.5  # services of the place the person named
LOCAL_PENALTY = 0.85  # a district branch's service when no place is named (the city-level one first)
SIBLINGS = 8


def place_bias(
    index: GuidanceIndex, ranked: list[tuple[int, float]], scope: set[str] | None
) -> list[tuple[int, float]]:
    """A named (covered) place's units first; with no place named, the city-level unit before a
    district branch offering the same service."""
    if not ranked:
        return ranked
    biased = []
    for doc_index, score in ranked:
        unit = index.services[doc_index].unit_code or index.services[doc_index].unit
        if scope is not None:
            score *= PLACE_BOOST if unit in scope else 1.0
        elif unit in index.places.local_units:
            score *= LOCAL_PENALTY
        biased.append((doc_index, score))
    return sorted(biased, key=lambda item: -item[1])


def _base(name: str) -> str:
    """A service name without its bracketed qualifier (住房公积金提取（购房） → 住房公积金提取)."""
    return re.sub(r"[（(［\[].*?[）)］\]]", "", name).strip()


def sibling_tie(index: GuidanceIndex, ranked: list[tuple[int, float]], own: dict[str, float]) -> list[int]:
    """Sibling services (names mostly alike, not the same name) scoring within CLARIFY_CLOSE of the best
    that the person's own words do not tell apart: the bot should ask which one (best first)."""
    if len(ranked) < 2:
        return []
    best_doc, best = ranked[0]
    top = index.services[best_doc]
    top_grams = set(bigrams(top.key))
    tied = [best_doc]
    local = index.places.local_units
    for doc_index, score in ranked[1:SIBLINGS]:
        doc = index.services[doc_index]
        if doc.key == top.key or ((doc.unit_code or doc.unit) in local) != (
            (top.unit_code or top.unit) in local
        ):
            continue  # the same service elsewhere, or another level's twin: the place decides, not a question
        grams = set(bigrams(doc.key))
        alike = 2 * len(grams & top_grams) / max(len(grams) + len(top_grams), 1)
        same_base = _base(doc.name) == _base(top.name)  # 食品经营许可（新办） / （延续）
        if score >= best * CLARIFY_CLOSE and (alike >= CLARIFY_NAMES or same_base):
            tied.append(doc_index)
    if len(tied) < 2:
        return []
    weights = {
        doc_index: sum(w for term, w in own.items() if term in index.forward[doc_index]) for doc_index in tied
    }
    best_weight = weights[best_doc]
    return [d for d in tied if abs(weights[d] - best_weight) < 1e-9 and weights[d] >= max(weights.values())]
