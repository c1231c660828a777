"""Whether a service's name has the words that name the service (for phrase.py): the word itself, its
character pairs, its search-mode words, or a word of the same action class."""

from __future__ import annotations

import weakref
from typing import Any

from nocert_core.guidance.reading.phrase_words import SERVICE_HEADS
from nocert_core.guidance.search.index import GuidanceIndex
from nocert_core.guidance.search.text import STOPWORDS, bigrams, normalise
from nocert_core.guidance.siblings.kinds import classes_of

SEARCH_CACHE = 50_000


_SEARCH_WORDS: weakref.WeakKeyDictionary[Any, dict[str, tuple[str, ...]]] = weakref.WeakKeyDictionary()


def _search_words(index: GuidanceIndex, text: str) -> tuple[str, ...]:
    """jieba's search-mode words of a word, per segmenter (checked against many service names)."""
    # (per segmenter object, not its id: a rebuilt index may get a freed one's id and its other words)
    cache = _SEARCH_WORDS.setdefault(index.segmenter, {})
    found = cache.get(text)
    if found is None:
        if len(cache) > SEARCH_CACHE:
            cache.clear()
        found = cache[text] = tuple(index.segmenter.words(text))
    return found


_PLANS: weakref.WeakKeyDictionary[Any, dict[tuple[str, bool], _Plan]] = weakref.WeakKeyDictionary()


class _Plan:
    """What checking a word against a service's name needs that depends on the word only (computed once per
    word, not once per service checked): its action classes, the official words of the lexicon phrase it
    is, its smallest search words, its character pairs."""

    __slots__ = ("grams", "kinds", "lexicon_parts", "smallest")

    def __init__(self, index: GuidanceIndex, word: str, through_lexicon: bool) -> None:
        self.kinds = classes_of(word)
        colloquial = index.patterns.get(word) if through_lexicon else None
        self.lexicon_parts: list[list[str]] | None = None
        if colloquial is not None and normalise(colloquial[1]) != word:  # 租房 → 租赁: its official words
            # An official wording explains the phrase when at least half of its words are in the name
            # (1年级报名 → 小学入学报名: 小学, 入学) — not one word of a long wording (宅基地审批 → 农村村民
            # 住宅用地: 农村 is in 农村低保's name). A wording sharing no character with what was typed is the
            # lexicon's guess beside one that does (上小学 → 义务教育 小学入学报名), and a bare service word
            # (审批) beside other wordings names nothing.
            parts = [normalise(part) for part in colloquial[1].split() if normalise(part) != word]
            named = [part for part in parts if part not in SERVICE_HEADS] or parts
            typed = [part for part in named if set(part) & set(word)]
            self.lexicon_parts = []
            for part in typed or named:
                words = [w for w in _search_words(index, part) if len(w) >= 2 and w != part]
                smallest = [w for w in words if not any(o != w and o in w for o in words)]
                self.lexicon_parts.append(smallest or [part])
        parts = [w for w in _search_words(index, word) if len(w) >= 2 and w != word and w not in STOPWORDS]
        self.smallest = [w for w in parts if not any(o != w and o in w for o in parts)]
        self.grams = bigrams(word)


def _plan(index: GuidanceIndex, word: str, through_lexicon: bool) -> _Plan:
    plans = _PLANS.setdefault(index.segmenter, {})
    plan = plans.get((word, through_lexicon))
    if plan is None:
        if len(plans) > SEARCH_CACHE:
            plans.clear()
        plan = plans[(word, through_lexicon)] = _Plan(index, word, through_lexicon)
    return plan


def _explains(index: GuidanceIndex, doc_index: int, word: str, through_lexicon: bool = True) -> bool:
    forward = index.forward[doc_index]
    if word in forward or ("#" + word in forward and len(word) == 2):
        return True
    key = index.services[doc_index].key
    if word in key:
        return True
    plan = _plan(index, word, through_lexicon)
    if plan.kinds and plan.kinds & classes_of(key):
        return True
    if plan.lexicon_parts is not None and any(
        2 * sum(_explains(index, doc_index, w, through_lexicon=False) for w in part) >= len(part)
        for part in plan.lexicon_parts
    ):
        return True
    if (
        len(word) == 2
        and word[0] in key
        and word[1] in key[key.index(word[0]) + 1 :]
        and _opens(index, key, word)
    ):
        return True  # an abbreviation: 渔船 for 渔业船舶
    if plan.smallest:
        return all(_explains(index, doc_index, part, through_lexicon) for part in plan.smallest)
    return bool(plan.grams) and all(gram in key for gram in plan.grams)


def _opens(index: GuidanceIndex, key: str, word: str) -> bool:
    """One of the characters of a two-character abbreviation opens a word of the name (渔 of 渔业, 船 of
    船舶): 还款 is no short form of 偿还…贷款, whose 还 and 款 both end words."""
    openings = {w[0] for w in index.segmenter.cut(key) if len(w) >= 2}
    return word[0] in openings or word[1] in openings


def unexplained(index: GuidanceIndex, doc_index: int, words: list[str]) -> list[str]:
    """The words naming the service that this service's name does not have."""
    return [word for word in words if not _explains(index, doc_index, word)]
