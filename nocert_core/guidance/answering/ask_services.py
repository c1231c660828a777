"""Step 2 of answering (ask.py): the services a question's words fit, ranked; whether the best is sure
enough; the siblings left to ask about; and whether the service meant is one the catalogue lacks."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from nocert_core.guidance.answering.ask_checks import _another_licence, _look_harder
from nocert_core.guidance.answering.ask_read import Reading
from nocert_core.guidance.answering.ask_words import APPLYING, WHERE
from nocert_core.guidance.answering.decide import (
    actions_said,
    done_alike,
    is_word,
    minimal,
    more_of_own_words,
    place_bias,
    sibling_tie,
    the_one_said,
    unnamed_kind,
    unplaced,
    unsaid_done_last,
    what_is_done,
)
from nocert_core.guidance.answering.lookup import _first, _global_keys
from nocert_core.guidance.answering.typed import typed_name_first, typed_no_tie
from nocert_core.guidance.reading.focus import PAIR_SHAPE, listing
from nocert_core.guidance.reading.name_fit import unexplained
from nocert_core.guidance.reading.phrase import abbreviates, service_phrase
from nocert_core.guidance.reading.plain import in_place, named_by_proof, the_one_denied
from nocert_core.guidance.search.index import GuidanceIndex
from nocert_core.guidance.search.text import normalise
from nocert_core.guidance.siblings.ages import for_age, of_age
from nocert_core.guidance.siblings.frequency import for_frequency
from nocert_core.guidance.siblings.kinds import CLASS_MARK, classes_of
from nocert_core.guidance.siblings.kinship import joining, joins
from nocert_core.guidance.siblings.whom import for_someone_else

MIN_SERVICE_SCORE = 1.5  # at least one reasonably specific word must match
MIN_CONFIDENCE = 0.3  # share of the question's (known) words the best service explains
FIT_WINDOW = 0.4  # services this close may be the one whose name has the words that name the service
SHORT = 40  # characters: longer, a loss or a change is as often the story's (火化证明我找不到了)
NOT_THE_ISSUE = frozenset(["replace", "change", "cancel"])  # done to a licence held, never its first issue
FIRST_ISSUE = re.compile(r"核发|首次|初次|新办|初领")  # a service named as a licence's first issue
SIBLINGS = 8  # the best services checked for whom they are for
EXACT = 1e-9  # scores this close are the same sum (floats)

Ranked = list[tuple[int, float]]


@dataclass
class Services:
    """The services found for a reading, as the verdict needs them."""

    ranked: Ranked
    mass: float  # the weight of the question's words (the confidence's denominator)
    placed: Ranked  # ranked with the place's own services first, before the other preferences
    phrase: list[str]  # the words that name the service
    found: bool  # the best service is sure enough to answer for
    misfit: bool = False  # the service the person names is not one the catalogue has
    tied: list[int] = field(default_factory=list)  # siblings the words do not tell apart
    said_one: list[str] = field(default_factory=list)  # terms of the sibling the person said
    denied: list[str] = field(default_factory=list)  # terms of the sibling the person said is not meant
    confidence: float = 0.0


def find_services(index: GuidanceIndex, reading: Reading, scope: set[str] | None) -> Services:
    found = _rank(index, reading, scope)
    _tie_siblings(index, reading, found, scope)
    _misfits(index, reading, found)
    found.mass -= done_alike(index, found.ranked[0][0], reading.terms) if found.ranked else 0.0
    found.mass -= _changed_object(index, found.ranked[0][0], reading) if found.ranked else 0.0
    ranked, mass = found.ranked, found.mass
    found.confidence = ranked[0][1] / mass if ranked and mass > 0 else 0.0
    if found.phrase and found.found:
        _fit_phrase(index, reading, found)
    if found.found and not found.tied and not found.misfit and _no_word_decides(index, reading, found):
        found.misfit = True  # (公积金转到外地去…: nine fund services fit 公积金 alike; none is answered for)
    # (车过户要绿本吗: 机动车登记证书 says the transfer is a vehicle's)
    if reading.mention and len(found.tied) > 1:
        said_of = named_by_proof(index, found.tied, reading.mention[1])
        if said_of is not None:
            found.ranked, found.tied = _first(found.ranked, said_of), []
    return found


# What a change changes (个体户变更经营场所, 户口本更改姓名): the words right after the change word.
CHANGED = re.compile(r"(?:变更|更改|更换|改)([\u4e00-\u9fff]{2,6}?)(?=[，,。？?！!\s]|还|要|需|得|用|的|$)")


def _changed_object(index: GuidanceIndex, doc: int, reading: Reading) -> float:
    """The weight of the words naming what a change changes (经营场所 of 个体户变更经营场所) that a change
    service's name lacks: the content of the change the service makes, so they cost it no confidence."""
    if "change" not in classes_of(index.services[doc].key):
        return 0.0
    forward, terms = index.forward[doc], reading.terms
    said = {
        term
        for changed in CHANGED.finditer(reading.text)
        for term in index.query_terms([(changed.group(1), 1.0)])
        if term in terms and term not in forward and not term.startswith(CLASS_MARK)
    }
    return sum(terms[term] * index.idf[term] for term in said)


def _rank(index: GuidanceIndex, reading: Reading, scope: set[str] | None) -> Services:
    """Services ranked by the words, then by what the person's own words prefer; sure enough or not."""
    text, own = reading.text, reading.own
    ranked, mass = index.rank_services(
        reading.terms, reading.phrases, groups=reading.groups, aside=reading.guessed
    )
    phrase, soft = service_phrase(index, text, reading.spans, reading.asked)
    mass += index.unknown_mass(phrase + soft)
    placed = place_bias(index, ranked, scope, own)
    ranked = what_is_done(index, index.prefer_distinguishing(placed, own, placed=scope is not None), own)
    ranked = unsaid_done_last(index, more_of_own_words(index, ranked, own, reading.meant), own)
    ranked = typed_name_first(index, text, ranked)  # (新生儿参加居民医保 typed whole: that one)
    ranked = for_age(index, text, ranked)  # (95岁: not 80–89's)
    ranked, wrong_frequency = for_frequency(index, text, ranked)  # (一次性补助: not 定期生活补助)
    ranked, wrong_relative = joining(index, ranked, reading.host)
    found = (
        bool(ranked)
        and ranked[0][1] >= MIN_SERVICE_SCORE
        and mass > 0
        and (ranked[0][1] / mass >= MIN_CONFIDENCE)
    )
    services = Services(ranked, mass, placed, phrase, found, misfit=wrong_relative or wrong_frequency)
    if reading.mention and not found and PAIR_SHAPE.search(text) and WHERE.search(text) is None:
        _look_harder_for_pair(index, reading, services, scope)
    return services


def _look_harder_for_pair(
    index: GuidanceIndex, reading: Reading, services: Services, scope: set[str] | None
) -> None:
    """A pair-shaped question with a proof but no sure service: every word beside the proof, loosely."""
    service_text = "".join(
        reading.rest_words
        + [span.text for span in reading.spans if span.kind == "service" or span not in reading.asked]
    )
    harder = _look_harder(index, service_text, reading.terms, reading.own, reading.phrases)
    if harder:
        services.ranked, services.found = place_bias(index, harder, scope), True


def _tie_siblings(index: GuidanceIndex, reading: Reading, found: Services, scope: set[str] | None) -> None:
    """The siblings the person's words leave tied, less those the words name or deny."""
    # (a service named only in the lexicon's words — 办营业执照 → 企业设立登记 — is told apart by those words:
    # two registrations they fit alike are asked about, never one guessed)
    text, own, host, ranked = reading.text, reading.own, reading.host, found.ranked
    applying = APPLYING.search(text) is not None
    tied = sibling_tie(index, ranked, own or reading.terms, applying) if found.found else []
    tied = [doc for doc in tied if joins(index.services[doc].name) in (None, host)] if host else tied
    tied = typed_no_tie(index, text, ranked, tied)  # (医师执业注册 typed whole: not 医师变更执业注册)
    tied = in_place(index, tied, scope)  # (滕州…一年级报名: never another district's own service)
    tied, found.said_one = the_one_said(index, text, tied)  # "…农村低保和城市低保…我申请的是农村的"
    tied, found.denied = the_one_denied(index, text, tied)  # "农村低保（不是城市的）"
    for term in found.denied:
        own.pop(term, None)
    tied = of_age(index, tied, text)  # "家母92岁…高龄津贴": the 90–99 one, not the 80–89 one
    for term in found.said_one:  # (those words then weigh twice: no listed proof moves the answer back)
        own[term] = own.get(term, 0.0) + 1.0
    if len(tied) == 1:  # the siblings' base service (居住证申领 before 居住证签注), as listed for the place
        base = unplaced(index, index.services[tied[0]].key)  # (the place's twin came first in `ranked`)
        found.ranked = _first(
            ranked, next(d for d, _s in ranked if unplaced(index, index.services[d].key) == base)
        )
        tied = []
    found.tied = tied


def _misfits(index: GuidanceIndex, reading: Reading, found: Services) -> None:
    """Whether the best service is another licence's, kind's, person's or action's than the one said."""
    licences = reading.licences
    if licences and found.found and _another_licence(index, found.ranked[0][0], licences):
        found.misfit = True  # 行驶证补办 is not 驾驶证遗失补证
    named = licences + reading.named_licences
    if named and found.tied:  # (nor a sibling to ask about: 补驾照 is never 行驶证补领)
        tied = [doc for doc in found.tied if not _another_licence(index, doc, named)]
        found.tied = tied if len(tied) > 1 else []
    if found.found and unnamed_kind(index, found.ranked[0][0], reading.qualifiers):
        found.misfit = True  # 办临时身份证: no 居民身份证 service is the temporary card's
    if found.found:  # 城镇职工医保 is not 城乡居民医保, 民办学校设立 not 有限责任公司设立登记
        _not_for_someone_else(index, reading, found)
    if _another_action(index, reading, found.ranked):
        found.misfit = True


def _not_for_someone_else(index: GuidanceIndex, reading: Reading, found: Services) -> None:
    ranked = found.ranked
    others = {
        doc for doc, _s in ranked[:SIBLINGS] if for_someone_else(reading.unasked, index.services[doc].key)
    }
    found.misfit = found.misfit or ranked[0][0] in others
    kept = [item for item in ranked if item[0] not in others]
    if kept:  # (and a tie between services for someone else is no tie: they are no longer ranked)
        found.ranked, found.tied = kept, [doc for doc in found.tied if doc not in others]


def _another_action(index: GuidanceIndex, reading: Reading, ranked: Ranked) -> bool:
    """补办结婚证 over a list whose only marriage service is the registration, 注销 a licence only issued
    there: what the person does to it is another service, which the catalogue lacks."""
    said_done = actions_said(reading.own)
    top_key = index.services[ranked[0][0]].key if ranked else ""
    # (a renewal too, when the service says it is the first issue: 导游证核发 is not 导游证换发)
    done = said_done & (NOT_THE_ISSUE | ({"renew"} if FIRST_ISSUE.search(top_key) else set()))
    return bool(done and ranked and len(reading.text) <= SHORT and not done & classes_of(top_key))


def _fit_phrase(index: GuidanceIndex, reading: Reading, found: Services) -> None:
    """Every word naming the service must be in the service's name (生育登记 is not 生育津贴申领)."""
    ranked, phrase, tied = found.ranked, found.phrase, found.tied
    fits = {doc for doc, score in ranked if score >= ranked[0][1] * FIT_WINDOW}
    if (
        reading.mention
    ):  # the services whose lists have the proof asked about (渔船登记 … 捕捞证 → 渔业船舶登记)
        missing = unexplained(index, ranked[0][0], phrase)
        # (words the ranking could not use; never only what is done — 换发 — which any licence's
        # renewal has: 护照换发 is not 残疾人证换领 because both renew and list the proof)
        named = [word for word in missing if not classes_of(word)]
        if named and all(index.is_unknown(word) for word in missing):
            extra = listing(index, _global_keys(index, *reading.mention))
            ranked = ranked + [(doc, ranked[0][1] * FIT_WINDOW) for doc in extra if doc not in fits]
            fits |= set(extra)
    fits = {doc for doc in fits | set(tied) if not unexplained(index, doc, phrase)}
    # The best service named in full (公积金贷款 → 住房公积金个人住房贷款) with a word its name lacks
    # (提前还款): a step of that service the catalogue has not — never another service that has the word.
    if not fits or (ranked[0][0] not in fits and index.services[ranked[0][0]].key in reading.phrases):
        found.misfit = True
    elif ranked[0][0] not in fits:
        fit = next(doc for doc, _score in ranked if doc in fits)
        if _drops_own_words(index, reading, ranked[0][0], fit):
            found.misfit = True
        ranked = _first(ranked, fit)
        tied = [doc for doc in tied if doc in fits]
    else:
        tied = [doc for doc in tied if doc in fits]
    found.ranked, found.tied = ranked, tied if len(tied) >= 2 else []


def _drops_own_words(index: GuidanceIndex, reading: Reading, best: int, fit: int) -> bool:
    """The service whose name has the words naming the service lacks words the person typed that the best
    one has — typed whole, or a word of what a short form of theirs stands for that holds one of its
    characters (网约车 → 网络, 预约 of 网络预约出租汽车运输证; the fit, 出租汽车驾驶员从业资格证, has only
    驾驶员): neither is the service asked about. Only a short question (a story's words are mostly its
    background); a short form the fit's name holds as typed is explained by it."""
    if len(reading.text) > SHORT:
        return False
    key = index.services[fit].key
    shorts = [
        (set(span.text), " ".join(abbreviates(span)))
        for span in reading.spans
        if span.kind == "service" and normalise(span.text) not in key
    ]

    def typed(term: str) -> bool:
        return term in reading.text or any(set(term) & chars and term in words for chars, words in shorts)

    own = [t for t in minimal(reading.own) if is_word(t) and typed(t)]
    return any(t in index.forward[best] and t not in index.forward[fit] for t in own)


def _no_word_decides(index: GuidanceIndex, reading: Reading, found: Services) -> bool:
    """Three or more services of different names scored exactly alike by the words, each matching the same
    of the person's own words, and no step after the ranking moved another first: the words name none of
    them (公积金 alone, beside 转到外地 that no name has) — never answered for the first one listed."""
    placed = found.placed
    if len(placed) < 2 or found.ranked[0][0] != placed[0][0]:
        return False
    top, score = placed[0]
    key = unplaced(index, index.services[top].key)
    mine = {term for term in reading.own if term in index.forward[top]}
    alike = {
        unplaced(index, index.services[doc].key)
        for doc, other in placed[1:]
        if abs(other - score) < EXACT
        and unplaced(index, index.services[doc].key) != key
        and {term for term in reading.own if term in index.forward[doc]} == mine
    }
    return len(alike) >= 2
