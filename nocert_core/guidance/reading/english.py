"""English questions over a Chinese catalogue: the shipped bilingual glossary turns them into the Chinese
a citizen would type, which the ordinary pipeline then answers (the reply is rendered in English).

"Do I need my hukou booklet to replace my driving licence?" → glossary hits in order: 户口本 (certificate),
补领 (action), 驾驶证 (certificate). A certificate right after an action ("replace my driving licence") or
right before one ("driving licence replacement") is what is applied for, so it joins the service words:
"补领驾驶证还要带户口本吗". Only certificates → "where is X no longer needed"; only service words → "what
can I skip for X". Place names written in pinyin ("Shouguang", "Licheng District") become the Chinese place.
Nothing mapped → None: the channel answers in English that it could not understand and how to ask in Chinese.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

from nocert_core.guidance.geo.place_names import strip_suffix
from nocert_core.guidance.reading.english_names import compose
from nocert_core.guidance.reading.english_words import (
    DOING,
    HEADS,
    LIGHT_VERBS,
    NEED_VERBS,
    NOT_PROOFS,
    PRONOUNS,
    Hit,
    Marks,
    Term,
    as_events,
    marks_of,
    senses,
    stem,
    words_of,
)
from nocert_core.pinyin import pypinyin

GLOSSARY_PATH = Path(__file__).resolve().parents[1] / "data" / "glossary.csv"
MAX_GAP = 1  # other words allowed between an action and the certificate it applies to
_CHINESE = re.compile(r"[\u4e00-\u9fff]{2,}")
PLACE_WORDS = {"district": "区", "county": "县", "city": "市", "town": "镇", "street": "街道"}


NEED_WINDOW = 4  # words after a need verb that name what is asked about
LIST_CUES = (
    "which documents",
    "what documents",
    "what can i skip",
    "which papers",
    "what papers",
    "what do i not",
    "what proofs",
    "which proofs",
    "what certificates",
    "which certificates",
)


_HAN = re.compile("[\u4e00-\u9fff]")  # (one character: counted, not a run of words)
_LATIN = re.compile("[A-Za-z]")  # (what `ch.isascii() and ch.isalpha()` is)


def is_english(text: str) -> bool:
    """Mostly Latin letters: few Chinese characters, if any ("… a residence permit (居住证) in Zibo?")."""
    chinese = len(_HAN.findall(text))
    latin = len(_LATIN.findall(text))
    return latin >= 6 and (chinese <= 2 or latin >= 4 * chinese)


@lru_cache(maxsize=1)
def glossary() -> dict[tuple[str, ...], Term]:
    terms: dict[tuple[str, ...], Term] = {}
    lines = [
        line for line in GLOSSARY_PATH.read_text(encoding="utf-8").splitlines() if not line.startswith("#")
    ]
    for row in csv.DictReader(lines):
        terms[tuple(words_of(row["english"]))] = Term(row["chinese"], row["kind"])
    return terms


PINYIN_MEMO = 32768  # place names (the gazetteer's are the same for every index built)


@lru_cache(maxsize=PINYIN_MEMO)
def pinyin_key(chinese: str) -> str:
    p = pypinyin()
    return "".join(p.lazy_pinyin(chinese, style=p.Style.NORMAL))


def place_terms(place_forms: Iterable[str], full_names: Iterable[str] = ()) -> dict[tuple[str, ...], Term]:
    """{("shouguang",): 寿光} for place names (their pinyin, one word). `full_names` (开封市) are also
    known by their bare name's pinyin (Kaifeng), even where the bare Chinese form is an everyday word
    (开封 "unseal"): written in pinyin it can only be the place."""
    terms: dict[tuple[str, ...], Term] = {}
    named = [(form, form) for form in place_forms if _all_chinese(form) and len(form) >= 2]
    named += [
        (strip_suffix(name), name) for name in full_names if _all_chinese(name) and strip_suffix(name) != name
    ]
    for written, place in named:
        terms.setdefault((stem(pinyin_key(written)),), Term(place, "place"))  # stemmed like the words
    # A place name's character read another way than pypinyin's first guess (宜都 is Yidu, not "Yidou";
    # 长阳 Changyang, not "Zhangyang"): its other readings too — after every first reading, which keeps
    # its place.
    for written, place in named:
        for key in other_readings(written):
            terms.setdefault((stem(key),), Term(place, "place"))
    return terms


# Characters whose reading in place names is not pypinyin's first guess for them (宜都 Yidu, not "Yidou"; 长阳
# Changyang, 长治 Changzhi; 朝阳 Chaoyang; 单县 Shanxian; 蚌山 Bengshan …): a reviewed table of the reading
# place names give them (the national gazetteer's spellings), not a catalogue's names. Only these characters
# are read again, and only those whose other reading holds in every name they start or end (not 六: 六安
# Lu'an but 六盘水 Liupanshui): every reading pypinyin knows would also turn names into English words (甘德
# "hande").
PLACE_READINGS = {
    "都": "du",
    "长": "chang",
    "朝": "chao",
    "单": "shan",
    "重": "chong",
    "蚌": "beng",
    "厦": "xia",
}


@lru_cache(maxsize=PINYIN_MEMO)
def other_readings(chinese: str) -> tuple[str, ...]:
    """The pinyin of a name with its place-name readings (`PLACE_READINGS`), when that differs from the
    first guess (pypinyin's phrases decide where they know the name: 长沙 is "changsha" either way)."""
    if not any(ch in PLACE_READINGS for ch in chinese):
        return ()
    p = pypinyin()
    first = p.lazy_pinyin(chinese, style=p.Style.NORMAL)
    reading = "".join(PLACE_READINGS.get(ch, said) for ch, said in zip(chinese, first, strict=True))
    return () if reading == "".join(first) else (reading,)


def _all_chinese(text: str) -> bool:
    return all("\u4e00" <= ch <= "\u9fff" for ch in text)


def _asked(hits: list[Hit], needs: list[int]) -> set[int]:
    """The first proof named within NEED_WINDOW words after a need verb (or before a passive one)."""
    asked_here = set()
    documents = ("certificate", "unmapped")
    for need in needs:
        if need < 0:  # "is the X still required": the proof named before it
            need = -need - 1
            before = [i for i, (start, _e, t) in enumerate(hits) if t.kind in documents and start < need]
            if before and hits[before[-1]][1] >= need - NEED_WINDOW:
                asked_here.add(before[-1])
            continue
        following = [i for i, (start, _e, t) in enumerate(hits) if t.kind in documents and start > need]
        if following and hits[following[0]][0] <= need + NEED_WINDOW:
            asked_here.add(following[0])
    return asked_here


def _unnamed(hits: list[Hit], words: list[str], needs: list[int]) -> bool:
    """A proof asked about in words the glossary does not know ("do I need my payslip", "is the payslip
    still needed"): no document named beside the need verb, and a content word no entry knows is there."""
    covered = {i for start, end, _t in hits for i in range(start, end)}
    documents = ("certificate", "unmapped")
    for need in needs:
        if need < 0:
            need = -need - 1
            if any(t.kind in documents and need - NEED_WINDOW <= e <= need for _s, e, t in hits):
                continue
            at = need - 1
            while at >= 0 and words[at] in NOT_PROOFS:
                at -= 1
        else:
            if any(t.kind in documents and need < s <= need + NEED_WINDOW for s, _e, t in hits):
                continue
            at = need + 1
        word = words[at] if 0 <= at < len(words) and at not in covered else ""
        if word and word not in NOT_PROOFS and word not in NEED_VERBS and not word.isdigit():
            return True
    return False


def _unknown_object(
    hits: list[Hit], words: list[str], marks: Marks, known: set[int], covered: set[int]
) -> bool:
    """What is applied for is named only in words no entry knows: after "for" ("for the free pre-pregnancy
    check", "apply for the low-income housing"), after "to" ("to adopt a cat"), or before a word that only
    says what kind of thing it is ("a dog licence", "the childcare subsidy")."""
    unknown = [
        i < len(words) and i not in known and words[i] not in NOT_PROOFS | PRONOUNS | NEED_VERBS
        for i in range(len(words) + 1)
    ]
    doing = {term.kind for _s, _e, term in hits} & set(DOING)
    acted = {e for _s, e, term in hits if term.kind == "action"}  # ("apply for" + what is applied for)
    after_for = any(
        i < len(words)
        and i not in covered
        and words[i] not in NOT_PROOFS | PRONOUNS
        and (not doing or i in acted)
        for i in marks.after_for
    )
    after_to = not doing and any(unknown[i] and words[i] not in LIGHT_VERBS for i in marks.after_to)
    kind_of = any(
        term.kind == "service"
        and term.chinese in HEADS
        and s > 0
        and unknown[s - 1]
        and s not in marks.breaks
        for s, _e, term in hits
    )
    return after_for or after_to or kind_of


def to_chinese(
    question: str,
    extra: dict[tuple[str, ...], Term] | None = None,
    places: dict[tuple[str, ...], Term] | None = None,
) -> str | None:
    """The Chinese question an English one asks, or None when the glossary maps nothing in it."""
    marks = marks_of(question)
    words, after_for, needs = marks.words, marks.after_for, marks.needs
    listing = any(cue in question.lower() for cue in LIST_CUES)
    table = {**glossary(), **(extra or {})}
    longest = max((len(key) for key in table), default=1)
    hits: list[Hit] = []
    position = 0
    while position < len(words):
        for length in range(min(longest, len(words) - position), 0, -1):
            key = tuple(words[position : position + length])
            term = table.get(key)
            if term is None and length == 1 and places:
                term = places.get(key)
                following = words[position + 1] if position + 1 < len(words) else ""
                if term is not None and following in PLACE_WORDS:
                    suffix = PLACE_WORDS[following]  # ("Kaifeng City": 开封市 already has it)
                    bare = strip_suffix(term.chinese)
                    term = Term(term.chinese if term.chinese.endswith(suffix) else bare + suffix, "place")
                elif following in PLACE_WORDS:  # "Ju County": 莒县, whose bare name is one syllable
                    term = places.get((stem(key[0] + pinyin_key(PLACE_WORDS[following])),))
            if term is not None:
                hits.append((position, position + length, term))
                position += length
                break
        else:
            position += 1
    known = {i for start, end, _t in hits for i in range(start, end)}  # (a document's words too)
    hits = compose(hits, marks)
    unnamed = not listing and _unnamed(hits, words, needs)
    if any(hits[i][2].kind == "unmapped" for i in _asked(hits, needs)) or unnamed:
        return None  # the proof asked about is one the glossary cannot name: say so, never guess
    hits = [hit for hit in hits if hit[2].kind != "unmapped"]
    if not any(term.kind in ("certificate", "service", "action") for _, _, term in hits):
        return None
    covered = {i for start, end, _t in hits for i in range(start, end)}
    if _unknown_object(hits, words, marks, known, covered):
        return None
    hits = senses(as_events(hits, marks))
    # (a place, what happened or whom it is for between an action and its licence is no gap: "cancel my late
    # father's hukou")
    in_place = {
        i for start, end, term in hits if term.kind in ("place", "event", "whom") for i in range(start, end)
    }
    # ("which documents can I skip when applying for X": the documents are the need verb's object, X is
    # applied for, and what follows X says which kind of it — "for the first time")
    asked_here = set() if listing else _asked(hits, needs)
    core = [i for i, (_s, _e, term) in enumerate(hits) if term.kind not in ("place", "event", "whom")]
    partner: dict[int, int] = {}  # action → the certificate it applies to ("replace my driving licence")
    for position, index in enumerate(core):
        start, end, term = hits[index]
        if term.kind != "action":
            continue
        for near in (position + 1, position - 1):
            if not 0 <= near < len(core):
                continue
            other = core[near]
            if hits[other][2].kind != "certificate" or other in partner.values() or other in asked_here:
                continue  # (a proof after "need"/"bring" is asked about, never what is applied for)
            low, high = (end, hits[other][0]) if other > index else (hits[other][1], start)
            if sum(1 for i in range(low, high) if i not in in_place) <= MAX_GAP:
                partner[index] = other
                break
    applied = set(partner.values())
    for index, (start, _end, term) in enumerate(hits):  # "for the food business licence": applied for
        if term.kind == "certificate" and start in after_for and index not in asked_here:
            applied.add(index)
        # "veteran preferential treatment card": a licence right after whom it is for is its name
        before = hits[index - 1] if index else None
        joined = before is not None and before[2].kind == "service" and before[1] == start
        if term.kind == "certificate" and index not in asked_here and joined and start not in marks.breaks:
            applied.add(index)
    if listing:  # "which documents can I skip when …": every certificate named is what is applied for
        applied |= {index for index, (_s, _e, term) in enumerate(hits) if term.kind == "certificate"}
    place = "".join(term.chinese for _, _, term in hits if term.kind == "place")
    service = ""
    said_in = -1  # the sentence of the last service word: another sentence's is another clause
    # "…without getting a no-property certificate first": an action ending the sentence after the proof
    # asked, applied to nothing, says when (an adverb), not what is applied for
    sentence_of = [marks.sentences[start] for start, _e, _t in hits]
    after_asked = {
        index
        for index, (start, _e, term) in enumerate(hits)
        if term.kind == "action"
        and index not in partner
        and any(hits[i][1] <= start and sentence_of[i] == sentence_of[index] for i in asked_here)
        and not any(sentence_of[later] == sentence_of[index] for later in range(index + 1, len(hits)))
    }
    for index, (start, _end, term) in enumerate(hits):
        if index in after_asked:
            continue
        if term.kind in ("service", "action") or (index in applied and index not in partner.values()):
            if service and term.chinese not in service and marks.sentences[start] != said_in:
                service += "，"  # ("…primary school. We rent our flat.": the rent is context, 小学入学，租房)
            said_in = marks.sentences[start]
        if term.kind in ("service", "action"):
            if term.chinese not in service:  # (lost … replace: once)
                service += term.chinese
            if index in partner:
                service += hits[partner[index]][2].chinese
        elif index in applied and index not in partner.values():
            service += term.chinese
    asked = [
        term.chinese
        for index, (_, _, term) in enumerate(hits)
        if term.kind == "certificate" and index not in applied
    ]
    named = [hits[i][2].chinese for i in sorted(asked_here) if i not in applied]
    if named:  # the proof right after "need"/"bring" is the one asked about
        asked = [c for c in asked if c != named[0]] + [named[0]]
    if not service and len(asked) >= 2:  # "my property certificate for the residence permit"
        service = next(c for c in reversed(asked[:-1] if named else asked))
        asked = [c for c in asked if c != service]
    chinese = [run for run in _CHINESE.findall(question) if run not in service and run not in asked]
    if chinese and (
        service or asked
    ):  # "Doctor practice registration (医师执业注册)": the person's own words
        service += "".join(chinese)
    # What happened ("my father passed away"): a clause before the question, as a citizen would say it.
    events = "".join(f"{term.chinese}，" for _s, _e, term in hits if term.kind == "event")
    where = events + (f"在{place}" if place else "")
    # Whom it is for ("for my baby"): before the service, as people say it (给宝宝办…), not a service word.
    whom = "".join(dict.fromkeys(term.chinese for _s, _e, term in hits if term.kind == "whom"))
    where += f"给{whom}" if whom else ""
    if not service and after_asked:
        return None  # "do I need my old ID card to replace it?": something is done, to what is not mapped
    if service and asked:
        return f"{where}办{service}还要带{asked[-1]}吗"
    if service and not any(t.kind == "service" for _s, _e, t in hits) and not applied and not chinese:
        return None  # "what can I skip when I register a …?": only what is done, of a thing no entry knows
    if service:
        return f"{where}办{service}，哪些材料不用带"
    return f"{where}{asked[-1]}在哪些地方可以不用带"


__all__ = ["Term", "glossary", "is_english", "place_terms", "to_chinese"]
