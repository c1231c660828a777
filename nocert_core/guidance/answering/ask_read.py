"""Step 1 of answering (ask.py): reading the question — what it names, which proof it asks about, and the
words that name the service it means, weighed as the ranking will use them."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from nocert_core.guidance.answering.ask_checks import FOCUS_TAIL, _added_words, _asked_later
from nocert_core.guidance.answering.ask_words import (
    APPLYING,
    DEATH,
    ISSUER,
    LEADING_VERBS,
    PASSED_AWAY,
    PLACEHOLDER,
    STILL_GET,
    VENUE,
    WHICH_KIND,
)
from nocert_core.guidance.answering.decide import action_words
from nocert_core.guidance.answering.lookup import _global_keys
from nocert_core.guidance.reading.contrast import contrasted
from nocert_core.guidance.reading.focus import PAIR_SHAPE, unnamed_focus
from nocert_core.guidance.reading.mentions import (
    APPLY_SUFFIXES,
    acts_on_words_before,
    applied_for_name,
    as_proof,
    inside_proof_word,
    is_action,
    joined_proof,
    later_unknown_proof,
    licence_qualifier,
    negated,
    opening_qualifier,
    proof_of_a_proof,
    qualified_action,
    same_proof_once,
    trailing_proof,
    unknown_certificate_words,
)
from nocert_core.guidance.reading.phrase import abbreviates
from nocert_core.guidance.reading.plain import lost_then_replaced, without_owners
from nocert_core.guidance.search.index import GuidanceIndex
from nocert_core.guidance.search.spans import Span
from nocert_core.guidance.search.text import normalise, normalise_parts
from nocert_core.guidance.siblings.kinds import classes_of
from nocert_core.guidance.siblings.kinship import SERVICE_FORMS, host_of
from nocert_core.guidance.siblings.whom import full_names

MAX_QUESTION = 300
WHICH_GAP = 3  # characters between a licence and "哪些证明" asked about it ("…优待证 免哪些证明")
SYNONYM_LENGTH = 4  # a lexicon service entry whose official words are all this short is a word synonym

Weighted = list[tuple[str, float]]


@dataclass
class Reading:
    """What the question says, as the later steps (services, verdict) need it."""

    text: str
    which: re.Match[str] | None  # "啥证明", "哪些材料": the question asks which proofs
    spans: list[Span]
    named_licences: list[Span]  # licences inside service phrases (驾照 of 补驾照)
    service_texts: Weighted
    # The person's own words (and word-for-word synonyms) tell sibling services apart; a lexicon phrase's
    # full official service name is the lexicon's guess among them, not evidence.
    own_texts: Weighted
    asked: list[Span] = field(default_factory=list)  # the proofs asked about
    phrases: list[str] = field(default_factory=list)
    licences: list[Span] = field(default_factory=list)  # certificates applied for (补办行驶证)
    qualifiers: list[str] = field(default_factory=list)  # which kind of licence is applied for (临时 身份证)
    guesses: list[str] = field(default_factory=list)  # the lexicon's guess beside a phrase typed short
    added: list[str] = field(default_factory=list)  # official words around what was typed (办护照 → …签发)
    meant: list[str] = field(default_factory=list)  # an idiom's one official phrase (上户口 → 出生登记)
    rest_words: list[str] = field(default_factory=list)  # the words no span took
    mention: tuple[str, str] | None = None  # (what was said, the lexicon's official name)
    mention_official: bool = True  # False: no list knows the proof; its name is the person's own words
    host: str | None = None  # whom the household joins (父母投靠子女 is not 子女投靠父母)
    died: Weighted = field(default_factory=list)
    terms: dict[str, float] = field(default_factory=dict)
    own: dict[str, float] = field(default_factory=dict)
    unasked: str = ""  # the text with the proofs asked about blanked
    groups: list[set[str]] = field(default_factory=list)  # word synonyms of one thing said
    guessed: set[str] = field(default_factory=set)


def read_question(index: GuidanceIndex, question: str) -> Reading | None:
    """None: nothing is left of the question once normalised."""
    text = normalise_parts(question)[:MAX_QUESTION]
    if not text:
        return None
    text, which = _plain_text(index, text)
    text = contrasted(index, text)  # "…补领结婚证…，那补领离婚证呢": the divorce certificate's
    inner: list[str] = []
    named_licences: list[Span] = []
    spans = [
        as_proof(text, span)
        for span in index.find_spans(text, inner, named_licences)
        if not negated(text, span) and not inside_proof_word(text, span) and not _business_closed(text, span)
    ]
    spans = proof_of_a_proof(text, same_proof_once(text, trailing_proof(index, text, spans)))
    reading = Reading(
        text,
        which,
        spans,
        named_licences,
        service_texts=[(value, 0.5) for value in inner],
        own_texts=[(value, 1.0) for value in inner],
    )
    for position, span in enumerate(spans):
        _read_span(index, reading, position, span)
    # An idiom the lexicon gives one official phrase for (上户口 → 出生登记) means that phrase; one given
    # several (抚恤金 → 丧葬补助金 抚恤金) is the lexicon's list of guesses.
    reading.meant = [
        normalise(span.value)
        for span in spans
        if span.kind == "service" and " " not in span.value.strip() and len(normalise(span.value)) >= 3
    ]
    reading.rest_words = _rest_words(text, spans, reading.asked)
    _choose_mention(index, reading)
    _add_context_words(reading)
    _weigh_terms(index, reading)
    return reading


# A business or licence given up (个体户不干了, 许可证不干了要注销): closing it, not quitting a job.
BUSINESS = ("个体户", "个体", "店", "馆", "公司", "厂", "铺", "摊", "证", "执照", "许可")
QUIT = ("不干", "不做", "不开")


def _business_closed(text: str, span: Span) -> bool:
    """不干了 (quit) right after a business or licence named: the business closed, whose service is its
    cancellation — not a job ended (终止劳动关系, the lexicon's reading of 不干了 alone)."""
    return span.kind == "service" and span.text.startswith(QUIT) and text[: span.start].endswith(BUSINESS)


def _plain_text(index: GuidanceIndex, text: str) -> tuple[str, re.Match[str] | None]:
    """The text with typos fixed and the words that ask (not name) taken out; the "which proofs" match."""
    text = index.typos.correct(text)  # 社宝卡 → 社保卡, 到其 → 到期
    text = joined_proof(index, text)  # 亲属关系的证明 → 亲属关系证明
    which = PLACEHOLDER.search(text)
    text = PLACEHOLDER.sub(" ", text)  # "啥证明", "哪些材料" ask what; they name no proof
    text = WHICH_KIND.sub("哪些事项", text)  # "哪些许可": which services, naming none
    text = STILL_GET.sub(r"\1开", text)  # "还要去公证处办公证书吗": getting the proof, not applying
    text = ISSUER.sub(r"\1 \3", text)  # "跑税务局开": where a proof is got, not the service asked about
    text = VENUE.sub(" ", text)  # "学校那边发了一长串清单": who said so, not what is applied for
    return text, which


def _is_applied_for(reading: Reading, position: int, span: Span) -> bool:
    """A certificate span names what is applied for (a licence), not a proof asked about."""
    text, spans, which = reading.text, reading.spans, reading.which
    # "居住证 房本?": a leading certificate followed by another names what is applied for.
    leading = (
        position == 0
        and text[: span.start] in LEADING_VERBS
        and any(s.kind == "certificate" for s in spans[1:])
    )  # (also "开无犯罪记录证明要单位介绍信吗": the first proof is what is applied for)
    # "X从业资格证哪些证明能免": a licence right before "which proofs" is what the proofs are for
    for_which = which is not None and 0 <= which.start() - span.end <= WHICH_GAP
    acted = is_action(text, span.start) and not acts_on_words_before(text, span.start)
    applied_for = acted or text.startswith(APPLY_SUFFIXES, span.end) or leading
    applied_for = applied_for or lost_then_replaced(text, span.end)  # (光荣证丢了，补领)
    applied_for = applied_for or for_which or qualified_action(text, span, spans)
    # "员工都得先办健康证交上去，…健康证还要交吗": a proof got (办) in an earlier clause and asked
    # about at the pair verb is that proof, not what the service issues
    return applied_for and not _asked_later(text, span, spans)


def _read_span(index: GuidanceIndex, reading: Reading, position: int, span: Span) -> None:
    """A proof asked about is set aside; a service phrase or a licence applied for adds its words."""
    text = reading.text
    if span.kind == "certificate" and not _is_applied_for(reading, position, span):
        reading.asked.append(span)
        return
    if span.kind == "certificate":
        reading.licences.append(span)
        kind_of = licence_qualifier(text, span, reading.spans) if not is_action(text, span.start) else None
        kind_of = kind_of or opening_qualifier(text, span, reading.spans)
        reading.qualifiers.extend([kind_of] if kind_of else [])
    _add_service_words(index, reading, span)


def _add_service_words(index: GuidanceIndex, reading: Reading, span: Span) -> None:
    # A service phrase, or a certificate being applied for: search the official words (and what was said).
    # One right before another service phrase says what that one is about (新房 + 提取公积金): half.
    about = span.kind == "service" and any(s.kind == "service" and s.start == span.end for s in reading.spans)
    weight = 0.5 if about else 1.0
    short = abbreviates(span)
    parts = span.value.split()
    said = short or [p for p in parts if len(set(p) & set(span.text)) >= 2 and len(p) > SYNONYM_LENGTH]
    # A part holding all the person typed (护理补贴 → 重度残疾人护理补贴) is what was said; the phrase's
    # other services (困难残疾人生活补贴) are the lexicon's alternatives, guesses like the parts below.
    whole = [p for p in parts if len(p) > len(span.text) and normalise(span.text) in normalise(p)]
    said = whole if whole and len(whole) < len(parts) else said
    for part in parts:
        # A part sharing no character with what was typed, beside one the typed words are a short form
        # of or share a word with (小学报名, 上小学 → 义务教育 小学入学报名): the lexicon's guess, half
        # weight and not in the confidence (never a kind of service: 首次登记 is what is done).
        unsaid = (part not in whole if whole else not set(part) & set(span.text)) and not classes_of(part)
        guess = bool(said) and part not in said and unsaid
        reading.service_texts.append((part, weight / 2 if guess else weight))
        reading.guesses.extend([part] if guess else [])
        if not guess:
            reading.added.extend(_added_words(index, part, span.text))
    reading.service_texts.append((span.text, 0.5))
    reading.own_texts.append((span.text, 1.0))
    if all(len(word) <= SYNONYM_LENGTH for word in span.value.split()):
        reading.own_texts.append((span.value, 1.0))
    # (网约车: 网络预约出租汽车 said short)
    reading.own_texts.extend((word, 1.0) for word in abbreviates(span))
    reading.phrases.extend(normalise(part) for part in span.value.split() if len(normalise(part)) >= 3)


def _rest_words(text: str, spans: list[Span], asked: list[Span]) -> list[str]:
    """The words no span took; whose a proof is (经营场所的 房产证) is taken out: not which service."""
    rest = without_owners(text, spans, asked, APPLYING)
    for span in sorted(spans, key=lambda s: s.start, reverse=True):
        rest = rest[: span.start] + " " + rest[span.end :]
    return [word for word in rest.split() if word]


def _choose_mention(index: GuidanceIndex, reading: Reading) -> None:
    """The one proof the question asks about, if any."""
    text, which, asked = reading.text, reading.which, reading.asked
    if which and asked and " " in text[asked[-1].end : which.start()]:
        # "一直办着残疾人证，…现在去申请，哪些证明不用准备": a proof in an earlier clause is context; the
        # question asks which proofs a service no longer needs.
        asked = reading.asked = []
    focus = unnamed_focus(index, text, asked, reading.spans) if asked and not which else None
    if focus:
        # "…出生证，还有押金条，押金条还要交吗": a proof no list knows right before the pair verb is the one
        # asked about; the proofs named earlier are context (never their rule for it).
        reading.mention, reading.mention_official, reading.asked = (focus, focus), False, []
    elif asked:
        _mention_asked(index, reading, asked)
    else:
        _mention_unknown(index, reading)


def _mention_asked(index: GuidanceIndex, reading: Reading, asked: list[Span]) -> None:
    text = reading.text
    chosen = asked[-1]  # the proof asked about is usually named last ("办X要带Y吗")
    tail = text[chosen.end :]
    if not (len(tail) <= FOCUS_TAIL and PAIR_SHAPE.search(tail)):
        for span in asked:
            if _global_keys(index, span.text, span.value):
                chosen = span
    # (…"出生证，还有出院小结，出院小结还要交吗": the proof right before the pair verb is the one asked,
    # even when no list knows it — never an earlier one the list has.)
    reading.mention = (chosen.text, chosen.value)
    later = later_unknown_proof(index, text, chosen.end)
    if later:  # "…行驶证、从业资格证等等。司机的从业资格证…还要不要交": the proof of the question
        reading.mention, reading.mention_official = (later, later), False


def _mention_unknown(index: GuidanceIndex, reading: Reading) -> None:
    """No span is a proof asked about: a word naming a proof no list knows may be."""
    rest_words = reading.rest_words
    for position, word in enumerate(rest_words):
        candidates = unknown_certificate_words(index, word)
        if candidates and applied_for_name(word, candidates[-1]):
            continue  # "优待证申领", "办捕捞许可证": what the service issues, its words name the service
        if candidates:
            reading.mention = (candidates[-1], candidates[-1])
            reading.mention_official = False
            rest_words[position] = word.replace(candidates[-1], " ")


def _add_context_words(reading: Reading) -> None:
    """The rest of the words, whom a household joins and a death, as words naming the service."""
    reading.service_texts.extend((word, 1.0) for word in reading.rest_words if word.strip())
    reading.own_texts.extend((word, 1.0) for word in reading.rest_words if word.strip())
    host = reading.host = host_of(reading.text)
    if host:  # "想把我妈的户口迁到我这来": the person means a 投靠 service, joining that relative
        reading.service_texts.append((SERVICE_FORMS[host][0], 1.0))
        reading.own_texts.append((SERVICE_FORMS[host][0], 1.0))
    # "我爸去年冬天突然走了": a death, not a departure — the person's word for the death's services, but
    # context: no confidence is lost when the service is another (the inheritance after it)
    reading.died = [(DEATH, 1.0)] if PASSED_AWAY.search(reading.text) else []
    reading.service_texts += reading.died
    reading.own_texts += reading.died


# What is said not to be done (是换发不是补发, 并非补办): never a word of what the person does.
NOT_DONE = re.compile(r"(?:不是|并非|而不是|不属于)([\u4e00-\u9fff]{2,4}?)(?=[，,。？?！!\s]|$|的)")


def _weigh_terms(index: GuidanceIndex, reading: Reading) -> None:
    """The index terms: all the words (`terms`), the person's own (`own`), synonym groups and guesses."""
    text, asked = reading.text, reading.asked
    terms = reading.terms = index.query_terms(reading.service_texts)
    own = reading.own = index.query_terms(reading.own_texts)
    reading.unasked = "".join(
        " " if any(a.start <= i < a.end for a in asked) else ch for i, ch in enumerate(text)
    )
    done_text = reading.unasked
    for denied in NOT_DONE.finditer(done_text):  # "是换发不是补发": no replacement is done
        word = denied.group(1)
        if classes_of(word):
            done_text = done_text.replace(denied.group(0), " ")
            for term in index.query_terms([(word, 1.0)]):
                own.pop(term, None)
    for term, weight in action_words(index, done_text).items():  # (not 遗失 of 遗失声明, the proof asked)
        own[term] = max(own.get(term, 0.0), weight)
    for term, weight in index.query_terms([(full, 1.0) for full in full_names(reading.unasked)]).items():
        terms[term] = max(terms.get(term, 0.0), weight)  # (个体户: 个体工商户, as services name it)
        own[term] = max(own.get(term, 0.0), weight)
    for span in reading.spans:  # word synonyms of one thing the person said (补贴 → 补贴 津贴 补助)
        words = span.value.split()
        if span.kind == "service" and len(words) > 1 and all(len(w) <= SYNONYM_LENGTH for w in words):
            group = {term for word in words for term in index.query_terms([(word, 1.0)]) if term in terms}
            if len(group) > 1:
                reading.groups.append(group)
    guessed = set(index.query_terms([(part, 1.0) for part in reading.guesses])) - set(own)
    guessed |= set(index.query_terms(reading.died))
    guessed |= set(index.query_terms([(word, 1.0) for word in reading.added])) - set(own)
    reading.guessed = guessed
