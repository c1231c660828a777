"""Answering a question: find what it names (certificate, service), decide the intent, look it up.

Nothing is invented: every match is a catalogue row; a question that names neither a service nor a
certificate gets the `unknown` intent (the channel then says what the bot can help with).
"""

from __future__ import annotations

import re
from functools import lru_cache

from nocert_core.domain.catalogue import certificate_key
from nocert_core.guidance.answer import Answer, Intent, Match, ServiceRef
from nocert_core.guidance.index import GuidanceIndex, Span
from nocert_core.guidance.text import STOPWORDS, normalise

MAX_QUESTION = 300
MIN_SERVICE_SCORE = 1.5  # at least one reasonably specific word must match
MIN_CONFIDENCE = 0.3  # share of the question's (known) words the best service explains
CLOSE = 0.85  # services this close to the best are alternatives
RELATED = 0.5  # services this close are listed after the answer
MAX_MATCHES = 20
# A certificate right after one of these is what the service produces ("办身份证", "考驾照"), not a proof
# asked about.
ACTION_PREFIXES = (
    "补办",
    "补领",
    "换领",
    "申领",
    "办理",
    "申请",
    "注销",
    "挂失",
    "更换",
    "领取",
    "办",
    "补",
    "换",
    "领",
    "考",
    "申",
    "转",
    "迁",
    "销",
    "做",
    "查",
)  # not 开/开具: "开单身证明" asks about the proof itself
CERTIFICATE_SUFFIXES = (
    "证明",
    "证书",
    "执照",
    "证",
    "簿",
    "卡",
    "合同",
    "报告",
    "书",
    "凭证",
    "发票",
    "审批表",
)
GENERIC = {"证明", "证件", "材料", "证书", "什么证", "哪些证", "啥证", "证照", "身份证明材料"}
WHERE = re.compile(
    r"(哪些|哪里|哪儿|哪个|什么|啥)(地方|部门|单位|事项|业务|事|窗口|场合|情况|服务)|哪里|哪儿|哪些地方|在哪"
)


@lru_cache(maxsize=4096)
def _is_stop(word: str) -> bool:
    """A word made up entirely of stopwords ("哪些地方", "还需要") says nothing about a service."""
    if word in STOPWORDS or not word:
        return True
    return any(word[:cut] in STOPWORDS and _is_stop(word[cut:]) for cut in range(len(word) - 1, 0, -1))


def _is_action(text: str, start: int) -> bool:
    before = text[max(0, start - 2) : start]
    return any(before.endswith(prefix) for prefix in ACTION_PREFIXES)


def _unknown_certificate_words(index: GuidanceIndex, text: str) -> list[str]:
    """Phrases that look like a proof's name ("xx鉴定报告", "xx证明") but no list knows."""
    found = []
    words = index.segmenter.tokenizer.lcut(text, HMM=True)
    for position, word in enumerate(words):
        if not word.endswith(CERTIFICATE_SUFFIXES):
            continue
        start = position
        while start > 0 and not _is_stop(words[start - 1]):
            start -= 1
        phrase = "".join(words[start : position + 1])
        if len(phrase) >= 3 and phrase not in GENERIC and not _is_stop(phrase):
            found.append(phrase)
    return found


def answer(index: GuidanceIndex, question: str) -> Answer:
    text = normalise(question)[:MAX_QUESTION]
    if not text:
        return Answer(question, Intent.UNKNOWN)
    spans = index.find_spans(text)
    asked: list[Span] = []
    service_texts: list[tuple[str, float]] = []
    phrases: list[str] = []
    for span in spans:
        if span.kind == "certificate" and not _is_action(text, span.start):
            asked.append(span)
            continue
        # A service phrase, or a certificate being applied for: search the official words (and what was said).
        service_texts.append((span.value, 1.0))
        service_texts.append((span.text, 0.5))
        phrases.extend(normalise(part) for part in span.value.split() if len(normalise(part)) >= 3)
    rest = text
    for span in sorted(spans, key=lambda s: s.start, reverse=True):
        rest = rest[: span.start] + " " + rest[span.end :]
    rest_words = [word for word in rest.split() if word]
    certificate_name: str | None = None
    certificate_keys: list[str] = []
    if asked:
        chosen = asked[-1]  # the proof asked about is usually named last ("办X要带Y吗")
        for span in asked:
            if index.official_keys(span.value):
                chosen = span
        certificate_name, certificate_keys = chosen.value, index.official_keys(chosen.value)
    else:
        for position, word in enumerate(rest_words):
            candidates = _unknown_certificate_words(index, word)
            if candidates:
                similar = index.similar_certificate(candidates[-1])
                certificate_name = index.certificate_names[similar] if similar else candidates[-1]
                certificate_keys = [similar] if similar else []
                rest_words[position] = word.replace(candidates[-1], " ")
    service_texts.extend((word, 1.0) for word in rest_words if word.strip())
    if certificate_keys:
        certificate_name = (
            index.certificate_names[certificate_keys[0]] if len(certificate_keys) == 1 else (certificate_name)
        )
    terms = index.query_terms(service_texts)
    ranked, mass = index.rank_services(terms, phrases)
    service_found = (
        bool(ranked)
        and ranked[0][1] >= MIN_SERVICE_SCORE
        and mass > 0
        and (ranked[0][1] / mass >= MIN_CONFIDENCE)
    )
    if certificate_name and service_found:
        return _pair(index, question, ranked, certificate_name, certificate_keys)
    if certificate_name:
        return _certificate(
            index, question, certificate_name, certificate_keys, ranked if WHERE.search(text) is None else []
        )
    if service_found:
        return _service(index, question, ranked)
    return Answer(question, Intent.UNKNOWN)


def _close(ranked: list[tuple[int, float]]) -> list[tuple[int, float]]:
    best = ranked[0][1]
    return [(doc, score) for doc, score in ranked if score >= best * CLOSE]


def _pair(
    index: GuidanceIndex, question: str, ranked: list[tuple[int, float]], name: str, keys: list[str]
) -> Answer:
    close = _close(ranked)
    # Among equally plausible services, answer for the one whose list names the proof.
    having = [
        (doc, score) for doc, score in close if any(key in index.services[doc].certificates for key in keys)
    ]
    chosen_doc = (having or close)[0][0]
    doc = index.services[chosen_doc]
    top = ranked[0][1]
    matches = []
    related = [item for item in ranked if item[0] != chosen_doc and item[1] >= top * RELATED]
    for doc_index, score in [(chosen_doc, top), *related]:
        for key in keys:
            position = index.services[doc_index].certificates.get(key)
            if position is not None:
                matches.append(Match(index.entries[position], score / top))
    exempt = bool(matches) and matches[0].entry.service_code == doc.code
    return Answer(
        question,
        Intent.PAIR,
        service=doc.ref(),
        certificate=name,
        certificate_in_catalogue=bool(keys),
        exempt=exempt,
        matches=matches[:MAX_MATCHES],
        total_matches=len(matches),
        alternatives=[index.services[d].ref() for d, _ in close if d != chosen_doc][:4],
    )


def _certificate(
    index: GuidanceIndex, question: str, name: str, keys: list[str], ranked: list[tuple[int, float]]
) -> Answer:
    total = sum(len(index.certificates.get(key, ())) for key in keys)
    chosen: list[int] = []
    for doc_index, _score in ranked:  # words about a kind of service put those first ("买房的时候")
        for key in keys:
            position = index.services[doc_index].certificates.get(key)
            if position is not None and len(chosen) < MAX_MATCHES:
                chosen.append(position)
    seen = set(chosen)
    for key in keys:
        for position in index.certificates.get(key, ()):
            if len(chosen) >= MAX_MATCHES:
                break
            if position not in seen:
                chosen.append(position)
    matches = [Match(index.entries[p], 1.0) for p in chosen]
    return Answer(
        question,
        Intent.CERTIFICATE,
        certificate=name,
        certificate_in_catalogue=bool(keys),
        matches=matches,
        total_matches=total,
    )


def _service(index: GuidanceIndex, question: str, ranked: list[tuple[int, float]]) -> Answer:
    top_doc = ranked[0][0]
    doc = index.services[top_doc]
    matches = [Match(index.entries[p], 1.0) for p in doc.entries[:MAX_MATCHES]]
    close = _close(ranked)
    return Answer(
        question,
        Intent.SERVICE,
        service=doc.ref(),
        matches=matches[:MAX_MATCHES],
        total_matches=len(matches),
        alternatives=[index.services[d].ref() for d, _ in close[1:5]],
    )


def service_entries(index: GuidanceIndex, service_code: str) -> Answer | None:
    """All rows of one service (the chat's "other documents for this service")."""
    doc_index = index.service_by_code.get(service_code)
    if doc_index is None:
        return None
    doc = index.services[doc_index]
    matches = [Match(index.entries[p], 1.0) for p in doc.entries]
    return Answer(doc.name, Intent.SERVICE, service=doc.ref(), matches=matches, total_matches=len(matches))


def pair_for(index: GuidanceIndex, service_code: str, certificate: str) -> Answer | None:
    """The pair answer for a chosen service (the chat's "did you mean" buttons)."""
    doc_index = index.service_by_code.get(service_code)
    if doc_index is None:
        return None
    return _pair(index, certificate, [(doc_index, 1.0)], certificate, index.official_keys(certificate))


def certificate_entries(index: GuidanceIndex, certificate: str) -> Answer:
    """All services where one proof is exempt (the chat's "other services accepting this certificate")."""
    keys = index.official_keys(certificate) or [certificate_key(certificate)]
    return _certificate(index, certificate, certificate, [k for k in keys if k in index.certificates], [])


__all__ = ["ServiceRef", "answer", "certificate_entries", "pair_for", "service_entries"]
