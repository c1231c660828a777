"""Checks answer_chinese (ask.py) makes on the way: services the person's typed words leave unsure,
another licence's service, words the lexicon added, a proof asked in a later clause, words left beside a
proof that name a service, and a harder look for a pair-shaped question's service."""

from __future__ import annotations

from nocert_core.guidance.answer import Answer, ServiceRef
from nocert_core.guidance.answering.safeguard import overruled, overruled_asking
from nocert_core.guidance.reading.focus import PAIR_SHAPE
from nocert_core.guidance.reading.focus import is_stop as _is_stop
from nocert_core.guidance.search.index import GuidanceIndex
from nocert_core.guidance.search.spans import Span
from nocert_core.guidance.search.text import bigrams, normalise

LOOSE_SERVICE_SCORE = 1.0  # a pair-shaped question looks harder for its service (bigrams of every word)
LOOSE_CONFIDENCE = 0.2
GRAM_WEIGHT = 0.5


FOCUS_TAIL = 8  # characters after a proof that hold the pair verb ("还要交原件吗"): that proof is asked


def _unsure(
    index: GuidanceIndex,
    result: Answer,
    placed: list[tuple[int, float]],
    text: str,
    own: dict[str, float],
    which: list[str],
) -> list[ServiceRef]:
    """The chosen service and those the ranking put at least as high that have a word the person typed
    (`text`: the proofs asked about blanked) which the chosen one lacks (safeguard.overruled; in a story,
    its asking clauses: overruled_asking): to ask between, not to answer for one. Never when
    the person said which one they mean (`which`: "我申请的是农村的", "不是城市的")."""
    chosen = index.service_by_code.get(result.service.code) if result.service and not which else None
    others = overruled(index, placed, chosen, text, own) if chosen is not None else []
    others = others or (overruled_asking(index, placed, chosen, text, own) if chosen is not None else [])
    return [index.services[doc].ref() for doc in [chosen, *others]] if others and chosen is not None else []


def _another_licence(index: GuidanceIndex, doc: int, licences: list[Span]) -> bool:
    """The service's name is about another licence than the one applied for: it names a certificate, and
    none of the licences the person applies for (by their words or the lexicon's official name)."""
    name = index.services[doc].key  # (normalised once, when the index is built)
    named = [span for span in index.name_spans(doc) if span.kind == "certificate"]
    if not named:
        return False
    for licence in licences:
        forms = {normalise(licence.text), normalise(licence.value)}
        if any(form in name for form in forms) or any(
            normalise(span.value) in forms or normalise(span.text) in forms for span in named
        ):
            return False
    return True


def _added_words(index: GuidanceIndex, official: str, typed: str) -> list[str]:
    """The words of an official wording the person did not type, when they typed some of its words (护照 of
    内地居民普通护照签发): the lexicon's full name around their word, which another city words otherwise
    (普通护照首次申领) — they rank, but a service lacking them is not less sure of what was said."""
    words = [word for word in index.segmenter.words(official) if len(word) >= 2]
    typed_words = [word for word in words if word in typed]
    if not typed_words or len(typed_words) == len(words):
        return []
    return [word for word in words if not set(word) & set(typed)]


def _asked_later(text: str, span: Span, spans: list[Span]) -> bool:
    """The same proof is named again in a later clause, right before the pair verb (the one asked about)."""
    for other in spans:
        tail = text[other.end :]
        if (
            other.kind == "certificate"
            and other.start > span.end
            and other.value == span.value
            and " " in text[span.end : other.start]
            and len(tail) <= FOCUS_TAIL
            and PAIR_SHAPE.search(tail)
        ):
            return True
    return False


def _has_content(index: GuidanceIndex, words: list[str]) -> bool:
    """Whether words left beside the proof name something (a service the catalogue has not)."""
    terms = index.segmenter.terms("".join(words))  # (狗 证 → #狗证: words jieba does not know count too)
    return any(len(term.lstrip("#")) >= 2 and not _is_stop(term.lstrip("#")) for term in terms)


def _look_harder(
    index: GuidanceIndex,
    service_text: str,
    terms: dict[str, float],
    own: dict[str, float],
    phrases: list[str],
) -> list[tuple[int, float]]:
    """A pair-shaped question whose service phrase nobody wrote down: all bigrams, then characters."""
    words = [w for w in index.segmenter.words(service_text) if not _is_stop(w)]
    grams = {"#" + gram: GRAM_WEIGHT for word in words for gram in bigrams(word)}
    merged = {term: weight for term, weight in grams.items() if term in index.idf}
    for term, weight in terms.items():
        merged[term] = max(weight, merged.get(term, 0.0))
    ranked, mass = index.rank_services(merged, phrases)
    ranked = index.prefer_distinguishing(ranked, {**grams, **own})
    if ranked and ranked[0][1] >= LOOSE_SERVICE_SCORE and ranked[0][1] / mass >= LOOSE_CONFIDENCE:
        return ranked
    # No fallback on single characters: a service that shares only characters with the question (养犬登记
    # vs 不动产登记) is another service, and its rule would be a confident wrong answer.
    return []
