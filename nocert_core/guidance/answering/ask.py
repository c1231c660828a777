"""Answering a question: find what it names (certificate, service), decide the intent, look it up.

Nothing is invented: every match is a catalogue row; a question that names neither a service nor a
certificate gets the `unknown` intent (the channel then says what the bot can help with).

The steps: `ask_read.read_question` (what the question names and asks), `ask_services.find_services` (the
services it fits, siblings, a service the catalogue lacks), then the verdict here (`_verdict`).
"""

from __future__ import annotations

from nocert_core.guidance.answer import Answer, Intent, ServiceRef
from nocert_core.guidance.answering.ask_checks import _has_content, _unsure
from nocert_core.guidance.answering.ask_read import Reading, read_question
from nocert_core.guidance.answering.ask_services import Services, find_services
from nocert_core.guidance.answering.ask_words import ASKS_WHICH, SERVICE_CUES, WHERE, WHICH_SERVICES
from nocert_core.guidance.answering.lookup import (
    _certificate,
    _global_keys,
    _known_name,
    _listed,
    _pair,
    _service,
    certificate_entries,
    pair_for,
    service_entries,
)
from nocert_core.guidance.reading.focus import PAIR_SHAPE
from nocert_core.guidance.reading.mentions import TERSE
from nocert_core.guidance.reading.plain import trailing_short_proof
from nocert_core.guidance.search.index import GuidanceIndex
from nocert_core.guidance.siblings.kinds import classes_of


def answer_chinese(index: GuidanceIndex, question: str, scope: set[str] | None = None) -> Answer:
    """The answer in the catalogue's terms; `scope`: the units of the (covered) place the person named.
    Sibling services the person's words do not tell apart are left in `candidates` (the caller asks)."""
    reading = read_question(index, question)
    if reading is None:
        return Answer(question, Intent.UNKNOWN)
    return _verdict(index, question, reading, find_services(index, reading, scope))


def _verdict(index: GuidanceIndex, question: str, reading: Reading, found: Services) -> Answer:
    """Not listed, a pair, a proof's services, or a service's list — in that order of what was said."""
    text, spans, mention = reading.text, reading.spans, reading.mention
    mention_where = WHERE.search(text) is not None
    if found.misfit or (not found.found and any(s.kind == "service" for s in spans) and not mention_where):
        return _not_listed(index, question, reading)
    # "收入证明哪些业务不需要单位盖章了": which services, with no service named — the words after it are
    # what is asked of the proof, not a service
    which_services = WHICH_SERVICES.search(text) and not any(s.kind == "service" for s in spans)
    if mention and found.found and not which_services:
        return _pair_answer(index, question, reading, found, mention)
    if mention:
        return _certificate_answer(index, question, reading, found, mention)
    return _service_answer(index, question, reading, found)


def _not_listed(index: GuidanceIndex, question: str, reading: Reading) -> Answer:
    # A service the catalogue has not (渔船登记, 办港澳通行证): never another service's rule or list.
    mention = reading.mention
    return Answer(
        question,
        Intent.UNKNOWN,
        certificate=_known_name(index, *mention) if mention else None,
        certificate_in_catalogue=bool(mention and _global_keys(index, *mention)),
        certificate_official=reading.mention_official,
        service_not_listed=True,
    )


def _ties(index: GuidanceIndex, found: Services) -> list[ServiceRef]:
    return [index.services[doc].ref() for doc in found.tied]


def _pair_answer(
    index: GuidanceIndex, question: str, reading: Reading, found: Services, mention: tuple[str, str]
) -> Answer:
    """A service and a proof: the pair's rule; siblings listing the proof are offered first."""
    result = _pair(index, question, found.ranked, *mention, own=reading.own)
    asked_keys = set(_global_keys(index, *mention))
    result.candidates = sorted(
        _ties(index, found), key=lambda ref: not asked_keys & set(_listed(index, ref.code))
    )
    result.candidates = result.candidates or _unsure(
        index, result, found.placed, reading.unasked, reading.own, found.said_one + found.denied
    )
    result.confidence = found.confidence
    result.certificate_official = reading.mention_official or result.certificate_in_catalogue
    return result


def _certificate_answer(
    index: GuidanceIndex, question: str, reading: Reading, found: Services, mention: tuple[str, str]
) -> Answer:
    """A proof with no sure service: the services where it is exempt, or "not known"."""
    text = reading.text
    keys = index.named_longer(mention[1], text) or _global_keys(index, *mention)
    name = index.certificate_names[keys[0]] if len(keys) == 1 else mention[1]
    # "办X要Y吗", and terse "办狗证 房本?" / "社团登记 租房合同": a service is named beside the proof
    asks_for_a_service = WHERE.search(text) is None and (
        PAIR_SHAPE.search(text) or any(word in text for word in SERVICE_CUES)
    )
    if not keys or (asks_for_a_service and _has_content(index, reading.rest_words)):
        # A proof no list knows, or a service the catalogue has not: never another service's rule.
        return Answer(
            question,
            Intent.UNKNOWN,
            certificate=name if keys else mention[1],
            certificate_in_catalogue=bool(keys),
            certificate_official=reading.mention_official or bool(keys),
            service_not_listed=bool(keys),
        )
    result = _certificate(index, question, name, keys, found.ranked if WHERE.search(text) is None else [])
    result.certificate_official = reading.mention_official or bool(keys)
    return result


def _service_answer(index: GuidanceIndex, question: str, reading: Reading, found: Services) -> Answer:
    """No proof asked about: a proof said short, a terse "A B?", or the service's whole list."""
    text, rest_words = reading.text, reading.rest_words
    short_proof = trailing_short_proof(index, text, rest_words, found.ranked[0][0]) if found.found else None
    if short_proof is not None:  # "X过户 发票?": the service's own 购房发票
        result = _pair(index, question, found.ranked[:1], short_proof, short_proof, own=reading.own)
        result.confidence = found.confidence
        return result
    parts = text.split()
    last = parts[-1] if len(parts) == 2 and rest_words and rest_words[-1] == parts[-1] else ""
    terse = found.found and reading.which is None and WHERE.search(text) is None and len(text) <= TERSE
    if terse and len(last) >= 2 and not classes_of(last):
        # "退休 档案?": the last word of a terse "A B?" is the proof asked about, even one no list knows —
        # never A's whole list (which says "not needed" for other proofs)
        return Answer(question, Intent.UNKNOWN, certificate=last, certificate_official=False)
    if found.found and PAIR_SHAPE.search(text) and not ASKS_WHICH.search(text):
        # "…租房备案那个证明还要交不": one proof is asked about and no list's name for it was read — the
        # service's whole list would say "not needed" for proofs nobody asked about
        return Answer(question, Intent.UNKNOWN)
    if found.found:
        result = _service(index, question, found.ranked)
        result.candidates = _ties(index, found) or _unsure(
            index, result, found.placed, text, reading.own, found.said_one + found.denied
        )
        result.confidence = found.confidence
        return result
    return Answer(question, Intent.UNKNOWN)


__all__ = ["ServiceRef", "answer_chinese", "certificate_entries", "pair_for", "service_entries"]
