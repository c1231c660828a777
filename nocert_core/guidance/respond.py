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
from nocert_core.guidance.answering.ask import answer_chinese
from nocert_core.guidance.geo.abroad import english_place_abroad
from nocert_core.guidance.geo.place_typos import place_typo
from nocert_core.guidance.reading.english import is_english, to_chinese
from nocert_core.guidance.reading.focus import PAIR_SHAPE
from nocert_core.guidance.search.index import GuidanceIndex
from nocert_core.guidance.search.text import normalise, normalise_parts

MAX_CANDIDATES = 4
LONG = 60  # characters: a story, whose last sentence is checked on its own
BELOW_DISTRICT = ("街道", "镇", "乡")
REFERS_BACK = re.compile(r"这个|这项|这种|这笔|这类|该项|上述|此项")  # a sentence naming the story's service
# Words every kind of a service has (补助 of 助学补助, 生活补助 …): they say a service is asked, not which.
HEADS = frozenset(
    [
        *("申请", "申领", "办理", "补助", "补贴", "津贴", "救助"),
        *("登记", "认定", "备案", "许可", "提取", "待遇", "确认", "审核"),
    ]
)
SURE = 0.55  # the share of the question's known words the service must explain before it is answered for
# …in a story whose question refers back to it ("…现在提取这个钱还要公证书吗"): a story's other words are its
# background, and the question says the story's service is the one asked about
STORY_SURE = 0.4


def answer(index: GuidanceIndex, question: str) -> Answer:
    if is_english(question):
        abroad = english_place_abroad(question)
        if abroad:  # "I live in Austin, Texas": no pinyin, a place abroad — never the city's rule
            return Answer(question, Intent.OUT_OF_AREA, place=abroad, language="en")
        chinese = to_chinese(question, places=index.place_pinyin)
        if chinese is None:
            return Answer(question, Intent.UNKNOWN, language="en")
        result = _answer(index, chinese)
        result.question, result.language = question, "en"
        return result
    return _answer(index, question)


def _answer(index: GuidanceIndex, question: str) -> Answer:
    places = index.places
    # (the person's punctuation kept: "…领点补助，镇上让我们…" names no town 领点补助镇)
    named = places.named(normalise_parts(question))
    typo = None if named else place_typo(index, normalise(question))
    if typo is not None:  # "茬平办特困…": 茌平, not the city's listing for it
        named = places.named(normalise_parts(question).replace(*typo, 1))
        question = question.replace(*typo, 1)
    outside = [place for place, covered in named if not covered]
    if outside and any(covered for _place, covered in named):
        # a hometown told beside a place the catalogue covers is the story's background
        outside = places.not_only_origin(question, outside)
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
        text = _without_place(text, place)
    last = _Last(index, question, named, scope)  # a story's question, asked on its own (once, if needed)
    result = _story_question(last) or answer_chinese(index, text, scope)
    result.question = question
    unit = result.service.unit_code or result.service.unit if result.service else None
    if scope is not None and unit is not None and unit in index.places.local_units:
        districts = [(place, index.places.district_of(place)) for place, _covered in named]
        if not any(unit in district for _place, district in districts):
            # The place is covered, but the only fitting service is another district's: not this place's rule.
            return Answer(question, Intent.OUT_OF_AREA, place=next(p for p, d in districts if d))
    if (
        result.intent in (Intent.SERVICE, Intent.PAIR)
        and result.confidence < (STORY_SURE if _refers_back(last) else SURE)
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
    if scope is None and unit is not None and result.intent in (Intent.PAIR, Intent.SERVICE):
        # No place named, and the service found is a district's own (the city lists none like it): the
        # rule is that district's; say so rather than let it pass for the whole city's.
        result.local_place = index.places.place_of(unit) if unit in index.places.local_units else None
    return result


class _Last:
    """A story's (over LONG characters, two sentences or more) last sentence, answered on its own when first
    needed: a question asked once, a short question never (the cost stays with the stories that need it)."""

    def __init__(
        self, index: GuidanceIndex, question: str, named: list[tuple[str, bool]], scope: set[str] | None
    ) -> None:
        # (a trailing remark after the question — "…还要拿低保证吗？低保证放在老家了" — is not the question;
        # an ellipsis ends a sentence too: "…得先补退伍证……申请优待证还要交退伍证吗")
        parts = [s for s in re.split(r"(?<=[？?])|[。！!；;\n…]", question) if s.strip()]
        asking = [s for s in parts if s.rstrip().endswith(("？", "?"))]
        self.sentence = (asking or parts)[-1] if len(question) > LONG and len(parts) >= 2 else None
        self._args = (index, named, scope)
        self.index = index
        self._answer: Answer | None = None

    def answer(self) -> Answer | None:
        if self.sentence is None:
            return None
        if self._answer is None:
            index, named, scope = self._args
            text = normalise_parts(self.sentence)
            for place, _covered in named:
                text = _without_place(text, place)
            self._answer = answer_chinese(index, text, scope)
        return self._answer


# A verb of where one lives or goes, right before a place (住台儿庄, 住在…): it goes with the place, or its
# character is left to run into the next word (85岁住 → 岁住, read as a word naming the service).
_WHERE_VERB = "(?:住在|家住|住|在|到|去|回)?"


def _without_place(text: str, place: str) -> str:
    return re.sub(_WHERE_VERB + re.escape(place), " ", text)


def _story_question(last: _Last) -> Answer | None:
    """A story whose last sentence asks a whole question on its own — a service and a proof, confidently,
    with no sibling to ask about — is answered by that sentence: the story's other services (the flat bought
    last year, the loan, the hometown) are context, not what is asked; unless the sentence refers back to
    the story ("申请这个资助时…": the service is the one the story named). Only a pair-shaped sentence is
    asked (还要…吗, 要不要 …)."""
    if (
        last.sentence is None
        or REFERS_BACK.search(last.sentence)
        or not PAIR_SHAPE.search(normalise(last.sentence))
    ):
        return None
    answered = last.answer()
    if (
        answered
        and answered.intent == Intent.PAIR
        and not answered.candidates
        and answered.confidence >= SURE
        and not _only_heads(last, answered)
    ):
        return answered
    return None


def _only_heads(last: _Last, answered: Answer) -> bool:
    """The sentence names its service only by a word every kind of it has ("申请补助的时候…": 补助 of 残疾人
    大学生助学补助, told earlier in the story), or by the proof's own words — not a whole question on its
    own."""
    index = last.index
    service = index.service_by_code.get(answered.service.code) if answered.service else None
    if service is None or last.sentence is None:
        return False
    terms = index.query_terms([(normalise(last.sentence), 1.0)])
    said = [t for t in terms if not t.startswith("#") and len(t) >= 2 and t in index.forward[service]]
    # (…nor by the proof's own words: "申请的时候还得交居住证吗" names the proof, not 居住证申领)
    # (…nor by the proof's own words when it names no service phrase: "申请的时候还得交居住证吗" names the
    # proof asked about, not 居住证申领; "补驾照要先登个遗失声明" names 补驾照)
    named = any(span.kind == "service" for span in index.find_spans(normalise(last.sentence)))
    proof = "" if named else normalise(answered.certificate or "")
    return bool(said) and all(term in HEADS or term in proof for term in said)


def _refers_back(last: _Last) -> bool:
    return last.sentence is not None and REFERS_BACK.search(last.sentence) is not None


def _asked_last(last: _Last, result: Answer) -> bool:
    """A long story whose last sentence asks about the same service, confidently on its own ("…申请残疾儿童
    康复救助还要交居住证吗"): the story's other words do not make the service less sure."""
    answered = last.answer() if result.service is not None else None
    return (
        answered is not None
        and result.service is not None
        and answered.service is not None
        and answered.service.code == result.service.code
        and answered.intent == result.intent
        and answered.confidence >= SURE
    )


__all__ = ["answer"]
