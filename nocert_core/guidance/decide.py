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
from nocert_core.guidance.text import bigrams, normalise

CLARIFY_CLOSE = 0.8  # siblings this close to the best, not told apart by the person's words: ask
CLARIFY_NAMES = 0.5
PLACE_BOOST = 1.5  # services of the place the person named
LOCAL_PENALTY = 0.85  # a district branch's service when no place is named (the city-level one first)
SIBLINGS = 8
SAME_WORDS_NAMES = 0.25
TIE_WINDOW = (
    0.6  # siblings the person's own words match alike (夫妻投靠落户 / 父母投靠子女落户) this close: ask
)
# What is done with a licence or certificate, in the words of service names and of citizens (domain-wide,
# not any catalogue's): a question's word of one class counts as every word of it, so 补办 tells
# 驾驶证遗失补证 from 驾驶证有效期满换证, and 第一次 picks 首次申领.
ACTION_CLASSES = {
    "new": "首次 初次 第一次 头一次 新办 新申领 初领 新领 首办 初办 新申请",
    "renew": "换领 换证 换发 到期 期满 有效期满 延续 续期 换新 签注 破损 损坏 换本",
    "replace": "补领 补办 补证 补发 补换 遗失 丢失 丢了 弄丢 掉了 找不到 补卡",
    "change": "变更 更改",
    "cancel": "注销",
}
AGAIN = ("重新", "再办")  # renew or replace, never the first one


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


def _same_words(index: GuidanceIndex, doc: int, top: int, own: dict[str, float]) -> bool:
    """Both services match the same (non-empty) set of the person's own words, and share some of the name."""
    mine = {term for term in own if term in index.forward[doc]}
    theirs = {term for term in own if term in index.forward[top]}
    if not mine or mine != theirs:
        return False
    grams, top_grams = set(bigrams(index.services[doc].key)), set(bigrams(index.services[top].key))
    return 2 * len(grams & top_grams) / max(len(grams) + len(top_grams), 1) >= SAME_WORDS_NAMES


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
        elif score >= best * TIE_WINDOW and (
            alike >= CLARIFY_NAMES or same_base or _same_words(index, doc_index, best_doc, own)
        ):
            tied.append(
                doc_index
            )  # the lexicon's guess or a shorter name put one ahead, not the person's words
    if len(tied) < 2:
        return []
    weights = {
        doc_index: sum(w for term, w in own.items() if term in index.forward[doc_index]) for doc_index in tied
    }
    best_weight = weights[best_doc]
    return [d for d in tied if abs(weights[d] - best_weight) < 1e-9 and weights[d] >= max(weights.values())]


def classes_of(text: str) -> set[str]:
    """The action classes whose words are in the (normalised) text."""
    found = {
        name for name, words in ACTION_CLASSES.items() if any(normalise(w) in text for w in words.split())
    }
    if any(normalise(word) in text for word in AGAIN) and not found:
        found = {"renew", "replace"}
    return found


def action_words(index: GuidanceIndex, text: str) -> dict[str, float]:
    """The person's action words as every index term of their class (补办 → 补领 补证 遗失 …): own words
    that tell sibling services apart."""
    own: dict[str, float] = {}
    for name in classes_of(text):
        for word in ACTION_CLASSES[name].split():
            for term in (word, *("#" + gram for gram in bigrams(normalise(word)))):
                if term in index.idf:
                    own[term] = 1.0
                    break
    return own
