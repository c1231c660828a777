"""Reading an English question: its words (stemmed, without fillers) and where they stand — after "for"
or "of", need verbs ("do I need my X"), phrase and sentence boundaries (`english.to_chinese` maps them).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

FILLERS = frozenset(
    ["my", "the", "a", "an", "our", "his", "her", "their", "your", "this", "that", "of", "for", "to"]
)  # short: never stemmed
# Words; a hyphen separates (one-off = one off), a possessive is the word (parents' = parents).
_WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
_POSSESSIVE = re.compile(r"'s$")


# Between two words: punctuation, or a word that starts another phrase — a document's name never runs across.
_BREAK = re.compile(r"[,.;:!?()\[\]\"/–—]| - ")
BREAK_WORDS = frozenset(
    ["to", "for", "from", "with", "in", "at", "when", "after", "before", "if", "and", "or"]
)


@dataclass(frozen=True)
class Term:
    chinese: str
    kind: str  # certificate | service | action | place


def stem(word: str) -> str:
    """A crude, consistent stem (both the glossary and the question go through it): withdrawing → withdraw,
    licences → licenc, retired → retir."""
    if len(word) > 4 and word.endswith("ies"):  # (copies, subsidies → copy, subsidy)
        word = word[:-3] + "y"
    if len(word) > 4:
        for suffix in ("ing", "ed", "es", "s"):
            if word.endswith(suffix) and len(word) - len(suffix) >= 3:
                word = word[: -len(suffix)]
                if suffix in ("ing", "ed") and word[-1] == word[-2] and word[-1] not in "aeiouls":
                    word = word[:-1]  # (planned, getting → plan, get; cancelling: see below)
                break
        if word.endswith("ll") and len(word) > 5:  # (cancelling, cancelled → cancel; not fill, sell)
            word = word[:-1]
    if word.endswith("e") and len(word) > 3:  # (move and moving alike: mov)
        word = word[:-1]
    return word


# Verbs after which the proof named is the one asked about ("can I skip the X"; "is the X exempt").
NEED = (
    "need needs bring show provide submit hand require required present ask want skip carry prepare produce"
)
NEED_VERBS = frozenset(stem(w) for w in (NEED + " upload exempt waived without").split())


PASSIVE_NEEDS = frozenset(["needed", "required", "necessary", "exempt", "waived"])  # "is the X still …"


def _raw_words(text: str) -> list[str]:
    return [_POSSESSIVE.sub("", word) for word in _WORD.findall(text.lower().replace("’", "'"))]


def words_of(text: str) -> list[str]:
    """Stemmed lower-case words without fillers (my, the, for …), for the glossary and the question alike."""
    return [stem(word) for word in _raw_words(text) if word not in FILLERS]


@dataclass
class Marks:
    words: list[str]  # stemmed, without fillers
    after_for: set[int]  # right after "for" (what is applied for)
    needs: list[int]  # need verbs (negative -i-1: a passive one, "is X still required")
    after_of: set[int]  # right after "of"/"that" (a document's subject follows its head: proof of …)
    breaks: set[int]  # a phrase boundary lies right before this word (punctuation, to, for, from …)
    sentences: list[int]  # each word's sentence ("We rent our flat." is another one than the question)
    subordinate: set[int]  # in a clause opened by after/since/because/once (…after paying off the loan)
    after_to: set[int]  # right after "to" that is not a need's (do I need X to adopt a cat: what for)


# "a certificate proving/showing we're both single": what follows is the document's subject, as after "of"
OF_VERBS = frozenset(["proving", "showing", "stating", "confirming", "saying"])
_SENTENCE = re.compile(r"[.!?;]")
_CLAUSE_END = re.compile(r"[,.;:!?()\[\]\"/–—]| - ")
SUBORDINATORS = frozenset(
    ["after", "since", "because", "once"]
)  # (not when, before: "…before opening a shop")


# A gloss in brackets ("allowance (dibao) certificate", "registration certificate (hukou proof)") names what
# is before it again: left out, it neither cuts the name in two nor adds another proof
_GLOSS = re.compile(r"\(\s*[a-z][a-z' -]{0,30}?\s*\)")


def marks_of(question: str) -> Marks:
    """The question's words (as `words_of`) and where they stand: after "for", need verbs ("do I need my X",
    "bring a X": the next proof named is asked about), after "of", and phrase boundaries."""
    text = _GLOSS.sub(" ", question.lower().replace("’", "'"))
    marks = Marks([], set(), [], set(), set(), [], set(), set())
    sentence = 0
    words = marks.words
    pending_for = pending_of = pending_break = subordinate = pending_to = False
    last_end = 0
    for found in _WORD.finditer(text):
        word = _POSSESSIVE.sub("", found.group(0))
        pending_break = pending_break or bool(_BREAK.search(text[last_end : found.start()]))
        sentence += bool(words) and bool(_SENTENCE.search(text[last_end : found.start()]))
        subordinate = subordinate and not _CLAUSE_END.search(text[last_end : found.start()])
        last_end = found.end()
        if word in FILLERS or word in OF_VERBS:  # ("ask for my X": X is asked about, not applied for)
            asking = bool(words) and words[-1] in NEED_VERBS
            pending_for = pending_for or (word == "for" and not asking)
            pending_of = pending_of or word in ("of", "that") or word in OF_VERBS
            pending_break = pending_break or word in BREAK_WORDS
            if word == "to" and asking and marks.needs and marks.needs[-1] == len(words) - 1:
                marks.needs.pop()  # "I want to renew my X", "need to bring": the verb after "to" decides
            elif word == "to":
                pending_to = True
            continue
        if pending_to:
            marks.after_to.add(len(words))
        pending_to = False
        if pending_for:
            marks.after_for.add(len(words))
        if pending_of:
            marks.after_of.add(len(words))
        if pending_break:
            marks.breaks.add(len(words))
        pending_for = pending_of = pending_break = False
        stemmed = stem(word)
        if stemmed in NEED_VERBS or word in BREAK_WORDS:  # (ends a name and starts another)
            marks.breaks |= {len(words), len(words) + 1}
        if stemmed in NEED_VERBS:
            marks.needs.append(-len(words) - 1 if word in PASSIVE_NEEDS else len(words))
        if subordinate:
            marks.subordinate.add(len(words))
        subordinate = subordinate or word in SUBORDINATORS
        words.append(stemmed)
        marks.sentences.append(sentence)
    return marks


Hit = tuple[int, int, Term]  # (first word, last word + 1, term)


# Words after a need verb (or before a passive one) that name no particular proof.
NOT_PROOFS = (
    frozenset(
        stem(w)
        for w in (  # noqa: SIM905 - one reviewable block of words
            "any anything something nothing documents document papers paper materials proofs certificates "
            "them it these those both all other more still also really now extra additional original copies "
            "is are be being was were we i you he she they do does did so too even again else yet "
            "already anymore any longer no not never what which whose some your our their"
        ).split()
    )
    | BREAK_WORDS
)


PRONOUNS = frozenset(["me", "us", "him", "myself", "everyone", "someone", "people"])


DOING = ("service", "action")
# Service words that say what kind of thing is applied for, not which one (licence, subsidy, registration).
HEADS = frozenset(["许可", "补贴", "津贴", "补助", "登记", "审批", "备案"])
# Verbs after "to" that say nothing of what is applied for ("to get …", "to set up …": their object does).
_LIGHT = "get have make take go come use keep see start do be set put become find work live stay help let try"
LIGHT_VERBS = frozenset(stem(word) for word in _LIGHT.split())
# A word's other sense beside another service: enrol in insurance is 参保, not school 入学.
SENSES = {"入学": (("保险", "医保"), "参保")}


def as_events(hits: list[Hit], marks: Marks) -> list[Hit]:
    """What is done in a clause opened by after/since/because ("cancelling a mortgage registration after
    paying off the loan") is what happened — a clause before the question, as a citizen says it (贷款，办…),
    not a word of the service applied for; only when the rest of the question names one."""
    inside = [hit[0] in marks.subordinate and hit[2].kind in DOING for hit in hits]
    if not any(inside) or not any(
        hit[2].kind in DOING and not side for hit, side in zip(hits, inside, strict=True)
    ):
        return hits
    return [
        (s, e, Term(t.chinese, "event")) if side else (s, e, t)
        for (s, e, t), side in zip(hits, inside, strict=True)
    ]


def senses(hits: list[Hit]) -> list[Hit]:
    said = "".join(term.chinese for _s, _e, term in hits if term.kind in DOING)
    return [
        (s, e, Term(SENSES[t.chinese][1], t.kind))
        if t.kind in DOING and t.chinese in SENSES and any(w in said for w in SENSES[t.chinese][0])
        else (s, e, t)
        for s, e, t in hits
    ]


__all__ = [
    "BREAK_WORDS",
    "DOING",
    "FILLERS",
    "HEADS",
    "LIGHT_VERBS",
    "NEED_VERBS",
    "NOT_PROOFS",
    "PRONOUNS",
    "Hit",
    "Marks",
    "Term",
    "as_events",
    "marks_of",
    "senses",
    "stem",
    "words_of",
]
