"""The guidance entry point: language, place and ambiguity around the catalogue lookup (`ask.answer_chinese`).

1. An English question is turned into the Chinese a citizen would type with the shipped glossary
   (`english.to_chinese`); the answer is marked `language="en"` (rendered in English). Nothing mapped →
   `unknown` in English.
2. A place the unit register does not cover → `out_of_area` with the place: the catalogue has no entry for
   it, never another district's rule. A covered place below the city → its units' services first.
3. Sibling services the person's words do not tell apart → `clarify` with the candidates (at most
   MAX_CANDIDATES; the chat adds "none of these").
"""

from __future__ import annotations

import re

from nocert_core.guidance.answer import Answer, Intent
from nocert_core.guidance.ask import answer_chinese
from nocert_core.guidance.english import is_english, to_chinese
from nocert_core.guidance.index import GuidanceIndex
from nocert_core.guidance.text import normalise, normalise_parts

MAX_CANDIDATES = 4
LONG = 60  # characters: a story, whose last sentence is checked on its own
BELOW_DISTRICT = ("街道", "镇", "乡")
REFERS_BACK = re.compile(r"这个|这项|这种|这笔|这类|该项|上述|此项")  # a sentence naming the story's service
SURE = 0.55  # the share of the question's known words the service must explain before it is answered for


def answer(index: GuidanceIndex, question: str) -> Answer:
    if is_english(question):
        chinese = to_chinese(question, places=index.place_pinyin)
        if chinese is None:
            return Answer(question, Intent.UNKNOWN, language="en")
        result = _answer(index, chinese)
        result.question, result.language = question, "en"
        return result
    return _answer(index, question)


def _answer(index: GuidanceIndex, question: str) -> Answer:
    named = index.places.named(normalise(question))
    outside = [place for place, covered in named if not covered]
    if outside:
        return Answer(question, Intent.OUT_OF_AREA, place=outside[0])
    scope: set[str] | None = None
    for place, _covered in named:
        # (a street's or town's own units rarely offer a service: its district's do — 九曲街道 → 河东区's)
        units = index.places.scope_of(place)
        if index.places.covered.get(place, place).endswith(BELOW_DISTRICT):
            units = units | index.places.district_of(place)
        if units and index.places.covered.get(place) != index.places.city:
            scope = (scope or set()) | units
    text = normalise_parts(question)
    for place, _covered in named:  # a place says where, not what: its words do not find a service
        text = text.replace(place, " ")
    last = _last_sentence(index, question, named, scope)  # a story's question, asked on its own (once)
    result = _story_question(question, last) or answer_chinese(index, text, scope)
    result.question = question
    unit = result.service.unit_code or result.service.unit if result.service else None
    if scope is not None and unit is not None and unit in index.places.local_units:
        districts = [(place, index.places.district_of(place)) for place, _covered in named]
        if not any(unit in district for _place, district in districts):
            # The place is covered, but the only fitting service is another district's: not this place's rule.
            return Answer(question, Intent.OUT_OF_AREA, place=next(p for p, d in districts if d))
    if (
        result.intent in (Intent.SERVICE, Intent.PAIR)
        and result.confidence < SURE
        and not _asked_last(last, result)
    ):
        # The service explains too little of the question to answer for it (养老金资格认证 is not 养老保险关系
        # 转移接续): say we do not know rather than give another service's rule.
        return Answer(
            question,
            Intent.UNKNOWN,
            certificate=result.certificate,
            certificate_in_catalogue=result.certificate_in_catalogue,
            certificate_official=result.certificate_official,
            service_not_listed=True,
        )
    if len(result.candidates) >= 2 and result.intent in (Intent.PAIR, Intent.SERVICE):
        return Answer(
            question,
            Intent.CLARIFY,
            certificate=result.certificate if result.intent == Intent.PAIR else None,
            certificate_in_catalogue=result.certificate_in_catalogue,
            candidates=result.candidates[:MAX_CANDIDATES],
            certificate_official=result.certificate_official,
        )
    result.candidates = []
    return result


def _last_sentence(
    index: GuidanceIndex, question: str, named: list[tuple[str, bool]], scope: set[str] | None
) -> Answer | None:
    """A story's (over LONG characters, two sentences or more) last sentence, answered on its own."""
    sentences = [s for s in re.split(r"[。！？!?；;\n]", question) if s.strip()]
    if len(question) <= LONG or len(sentences) < 2:
        return None
    text = normalise_parts(sentences[-1])
    for place, _covered in named:
        text = text.replace(place, " ")
    last = answer_chinese(index, text, scope)
    last.question = sentences[-1]
    return last


def _story_question(question: str, last: Answer | None) -> Answer | None:
    """A story whose last sentence asks a whole question on its own — a service and a proof, confidently,
    with no sibling to ask about — is answered by that sentence: the story's other services (the flat bought
    last year, the loan, the hometown) are context, not what is asked; unless the sentence refers back to
    the story ("申请这个资助时…": the service is the one the story named)."""
    if last is None or REFERS_BACK.search(last.question):
        return None
    if last.intent == Intent.PAIR and not last.candidates and last.confidence >= SURE:
        return last
    return None


def _asked_last(last: Answer | None, result: Answer) -> bool:
    """A long story whose last sentence asks about the same service, confidently on its own ("…申请残疾儿童
    康复救助还要交居住证吗"): the story's other words do not make the service less sure."""
    return (
        last is not None
        and result.service is not None
        and last.service is not None
        and last.service.code == result.service.code
        and last.intent == result.intent
        and last.confidence >= SURE
    )


__all__ = ["answer"]
