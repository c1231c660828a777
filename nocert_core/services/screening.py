"""Screening advice for staff (never a silent rejection): does a complaint look admissible, which R5 Art.8
grounds may apply, its Art.4 category and the unit it is routed to. Staff decide; this only advises.

The rules, in order (word lists are in `nocert_core.domain.screening_rules`, readable on their own):
- litigation (Art.8(3)): the text mentions suing, a court, arbitration or administrative reconsideration
  (起诉, 诉讼, 仲裁, 行政复议 …) and the mention is not negated ("不想打官司" does not count);
- out_of_scope (Art.8(4)): nothing in it is about certificates, proofs, materials, the catalogue or
  verification — it is not a no-proof complaint at all;
- vague (Art.8(1)): at least two of {a date or time, the service applied for, the document demanded} are
  missing (each missing item is listed in `missing`; the intake asks for the same items, plus the place,
  through `missing_details`, so the dialog and the screening never disagree on what is concrete);
- repeat (Art.8(2)): the same phone has an OPEN complaint about the same unit with near-identical text
  (character-bigram Jaccard ≥ 0.8) → flagged and linked through `repeat_of`; staff judge whether it is
  malicious;
- category (Art.4), most specific first: `verification_late` (verification/审核/核验 named together with
  a delay), `list_not_followed` (the catalogue / exemption list named, and it is the matter: the list not
  applied at all, its commitment refused, or no proof named), `demanded_proof` (a certificate, proof, form
  or copy named — also when the list is cited as the reason it should not have been — or an e-licence
  refused), else `other`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from typing import Any

from nocert_core.adapters.text import normalise, segmenter
from nocert_core.domain import screening_rules as rules
from nocert_core.domain.complaints import Category, RejectionGround
from nocert_core.domain.units import Unit
from nocert_core.guidance.lexicon import FAMILIES_PATH, parse_families
from nocert_core.i18n import N_
from nocert_core.services.resolver import UnitCandidate, resolve_agency
from nocert_core.services.screening_english import agency_in_chinese
from nocert_core.services.uow import AbstractUnitOfWork
from nocert_core.textnorm import canonical

__all__ = ["ScreeningResult", "UnitCandidate", "missing_details", "screen_draft", "screen_text"]

REPEAT_SIMILARITY = 0.8

NOTE_LITIGATION = N_("Litigation, arbitration or administrative reconsideration is mentioned (R5 Art.8(3)).")
NOTE_OUT_OF_SCOPE = N_(
    "The text does not mention any certificate, proof, material or the catalogue (R5 Art.8(4))."
)
NOTE_VAGUE = N_(
    "Too little concrete content to verify (R5 Art.8(1)): ask the complainant for the missing facts."
)
NOTE_NO_TIME = N_("No date or time is given.")
NOTE_NO_SERVICE = N_("The service applied for is not named.")
NOTE_NO_DOCUMENT = N_("The certificate or proof that was demanded is not named.")
NOTE_REPEAT = N_(
    "The same phone number has an open complaint about this unit with nearly the same text (R5 Art.8(2))."
)
NOTE_REPEAT_SAID = N_(
    "The complainant says the same complaint was already filed and is being handled (R5 Art.8(2))."
)
NOTE_AMBIGUOUS_UNIT = N_("The agency name matches several units: choose one.")
NOTE_NO_UNIT = N_("No unit matches the agency name: the task force routes it.")
MISSING_NOTES = {"time": NOTE_NO_TIME, "service": NOTE_NO_SERVICE, "document": NOTE_NO_DOCUMENT}
JUDGED_DETAILS = ("time", "service", "document")  # two or more missing → the vague ground
ALL_DETAILS = ("time", "place", "service", "document")  # what the intake asks for when missing


@dataclass
class ScreeningResult:
    admissible: bool
    grounds: list[str]
    category: str
    unit: UnitCandidate | None
    unit_candidates: list[UnitCandidate] = field(default_factory=list)
    repeat_of: str | None = None  # number of the open complaint this one repeats
    notes: list[str] = field(default_factory=list)  # reviewer-readable explanations (msgids, no parameters)
    missing: list[str] = field(default_factory=list)  # "time", "service", "document": what to ask for
    cues: dict[str, list[str]] = field(default_factory=dict)  # rule → the words that triggered it

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class _Findings:
    litigation: list[str]
    proof_related: list[str]
    documents: list[str]
    services: list[str]
    times: list[str]
    places: list[str]
    catalogue: list[str]
    verification: list[str]
    delay: list[str]
    e_licence_refused: list[str]
    repeat: list[str] = field(default_factory=list)
    nothing_demanded: list[str] = field(default_factory=list)  # "没有要求提交证明", "材料都齐了"
    runaround: list[str] = field(default_factory=list)  # "跑了好几趟", "刁难"
    list_ignored: list[str] = field(default_factory=list)  # "不执行清单", "按清单办理", "旧规定"
    commitment: list[str] = field(default_factory=list)  # "告知承诺", "签了承诺书"


@lru_cache(maxsize=1)
def _family_names() -> frozenset[str]:
    """Every name of the shipped certificate families (the ones guidance resolves): a proof by any of its
    names is a document demanded."""
    families = parse_families(FAMILIES_PATH.read_text(encoding="utf-8"))
    return frozenset(normalise(name) for family in families for name in family if len(name) >= 3)


def _find(text: str, words: Sequence[str]) -> list[str]:
    return [word for word in words if word in text]


@lru_cache(maxsize=512)
def _word_start(cue: str) -> re.Pattern[str]:
    """A one-word English cue at the start of a word, spaces allowed inside it ("idcard" in "ID card",
    "certificate" in "certificates"), never inside another word ("form" in "platform")."""
    return re.compile(r"(?<![a-z])" + r"\s?".join(re.escape(char) for char in cue))


def _find_english(spaced: str, words: Sequence[str]) -> list[str]:
    """English cues: a cue with spaces ("paper copy", "sue ") as whole words, a one-word cue at a word's
    start, both in the text with its spaces."""
    found = []
    for word in words:
        if not word.isascii():
            continue
        if " " in word:
            if re.search(rf"\b{re.escape(word.strip())}\b", spaced):
                found.append(word)
        elif _word_start(word).search(spaced):
            found.append(word)
    return found


def _not_negated(text: str, cues: Sequence[str], window: int = rules.NEGATION_WINDOW) -> list[str]:
    """Cues that appear at least once without a negation just before them ("不想起诉", "没有仲裁")."""
    found = []
    for cue in cues:
        for match in re.finditer(re.escape(cue), text):
            before = text[max(0, match.start() - window) : match.start()]
            if not any(negation in before for negation in rules.NEGATIONS):
                found.append(cue)
                break
    return found


def _nothing_demanded(raw: str) -> tuple[str, list[str]]:
    """The text without its statements that no proof was demanded (and without the programme's name and
    materials thrown about: manners), and those statements: they say what the complaint is NOT about."""
    kept: list[str] = []
    removed: list[str] = []
    position = 0
    for match in rules.NOTHING_DEMANDED_PATTERN.finditer(raw):
        sentence_rest = re.split(r"[。.!?！？;；]", raw[match.end() :], maxsplit=1)[0].lower()
        turns = [sentence_rest.find(turn) for turn in rules.TURN_WORDS if turn in sentence_rest]
        if turns and any(word in sentence_rest[min(turns) :] for word in rules.TURN_DEMAND_WORDS):
            continue  # "没有要求提交证明，结果还是要": a demand after all
        kept.append(raw[position : match.start()])
        kept.append("。")
        position = match.end()
        if not match.group(0).startswith("无证明"):
            removed.append(match.group(0))
    kept.append(raw[position:])
    rough = [m.group(0) for m in rules.ROUGH_HANDLING_PATTERN.finditer(raw)]
    return rules.ROUGH_HANDLING_PATTERN.sub("。", "".join(kept)), removed + rough


def _documents(text: str, spaced: str) -> list[str]:
    tokens = set(segmenter().cut_for_search(text))
    named = {
        match.group(0)
        for match in rules.DOCUMENT_PATTERN.finditer(text)
        if _not_negated(text, [match.group(0)], rules.PROOF_NEGATION_WINDOW)
    }
    found = (
        {w for w in rules.DOCUMENT_WORDS if not w.isascii() and w in text}
        | set(_find_english(spaced, rules.DOCUMENT_WORDS))
        | (tokens & set(rules.DOCUMENT_WORDS))
        | named
        | {name for name in _family_names() if name in text}  # 生存证明, 解除劳动关系证明 … (as guidance)
    )
    # a document that was penalised (营业执照被吊销) is what the complaint is about, not a proof demanded
    return sorted(
        word
        for word in found
        if word.isascii()
        or any(
            not rules.PENALISED_PATTERN.match(text[m.end() :])
            and not rules.PENALISED_BEFORE_PATTERN.search(text[: m.start()])
            for m in re.finditer(re.escape(word), text)
        )
        or word not in text
    )


def analyse(demand: str, reasons: str, facts: str) -> _Findings:
    raw = canonical(" ".join((demand, reasons, facts)))  # a copy: the stored texts stay as written
    full = normalise(raw)
    # proofs are looked for in the text without "no proof was demanded" statements …
    cleared, nothing_demanded = _nothing_demanded(raw)
    cleared = rules.APPLIED_FOR_PATTERN.sub(" application ", cleared)
    text = normalise(cleared)
    spaced = cleared.lower()  # English cues keep their spaces ("paper copy", "no result")
    full_spaced = raw.lower()
    e_licence = _find(text, rules.E_LICENCE_WORDS)
    refused = _find(text, rules.REFUSAL_WORDS) if e_licence else []
    proof_phrases = [m.group(0) for m in rules.PROOF_RELATED_PATTERN.finditer(text)]
    return _Findings(
        # … while times, services, litigation and waiting are read from all of it
        litigation=_not_negated(full, [w for w in rules.LITIGATION_CUES if not w.isascii()])
        + _find_english(full_spaced, rules.LITIGATION_CUES),
        proof_related=_not_negated(
            text, [w for w in rules.PROOF_RELATED_WORDS if not w.isascii()], rules.PROOF_NEGATION_WINDOW
        )
        + _find_english(spaced, rules.PROOF_RELATED_WORDS)
        + proof_phrases,
        documents=_documents(text, spaced),
        services=_find(full, rules.SERVICE_WORDS),
        times=[match.group(0) for match in rules.TIME_PATTERN.finditer(raw)],
        places=[match.group(0) for match in rules.PLACE_PATTERN.finditer(raw)],
        catalogue=_find(text, rules.CATALOGUE_WORDS)
        + _find(spaced, [w for w in rules.CATALOGUE_WORDS if " " in w]),
        verification=_find(full, rules.VERIFICATION_WORDS)
        + _find(full_spaced, [w for w in rules.VERIFICATION_WORDS if " " in w]),
        delay=_find(full, rules.DELAY_WORDS)
        + _find(full_spaced, [w for w in rules.DELAY_WORDS if " " in w])
        + [m.group(0) for m in rules.DELAY_PATTERN.finditer(full)],
        repeat=_find(full, rules.REPEAT_CUES)
        + _find(full_spaced, [w for w in rules.REPEAT_CUES if " " in w]),
        e_licence_refused=[*e_licence, *refused] if refused else [],
        nothing_demanded=nothing_demanded,
        runaround=_find(full, rules.RUNAROUND_WORDS)
        + _find(full_spaced, [w for w in rules.RUNAROUND_WORDS if " " in w or w.isascii()]),
        list_ignored=[m.group(0) for m in rules.LIST_IGNORED_PATTERN.finditer(full_spaced)],
        commitment=_find(full, rules.COMMITMENT_WORDS),
    )


def _missing(found: _Findings, details: Sequence[str]) -> list[str]:
    present = {
        "time": found.times,
        "place": found.places,
        "service": found.services,
        "document": found.documents or (found.list_ignored if found.catalogue else []),  # the list itself
    }
    return [detail for detail in details if not present[detail]]


def missing_details(facts: str, details: Sequence[str] = ALL_DETAILS) -> list[str]:
    """Which of `details` ("time", "place", "service", "document") the facts do not tell, by the same
    rules the screening applies."""
    return _missing(analyse("", "", facts), details)


def _category(found: _Findings) -> tuple[Category, list[str]]:
    if found.verification and found.delay:
        return Category.VERIFICATION_LATE, [*found.verification, *found.delay]
    concrete = found.e_licence_refused or found.documents
    if found.catalogue and (found.list_ignored or found.commitment or not concrete):
        # the list itself not applied, its commitment refused, or no proof named: R5 Art.4(2)
        return Category.LIST_NOT_FOLLOWED, [*found.catalogue, *found.list_ignored, *found.commitment]
    # a proof named with the list cited only as the reason it should not have been demanded: Art.4(1)
    if found.e_licence_refused:
        return Category.DEMANDED_PROOF, found.e_licence_refused
    if found.documents:
        return Category.DEMANDED_PROOF, found.documents
    hints = [word for word in found.proof_related if word in rules.DEMAND_HINTS]
    if hints:  # "到处要证明": proofs demanded, nothing concrete named
        return Category.DEMANDED_PROOF, hints
    return Category.OTHER, []


def screen_text(
    units: Sequence[Unit], agency: str, demand: str, reasons: str, facts: str, *, unit_code: str | None = None
) -> ScreeningResult:
    """The rules without the database: grounds, category and routing (repeat needs `screen_draft`)."""
    found = analyse(demand, reasons, facts)
    grounds: list[str] = []
    notes: list[str] = []
    cues: dict[str, list[str]] = {}
    if found.litigation:
        grounds.append(RejectionGround.LITIGATION.value)
        notes.append(NOTE_LITIGATION)
        cues["litigation"] = found.litigation
    waiting = bool(found.verification and found.delay)  # a department's check that is late (R5 Art.4(3))
    in_scope = bool(
        found.proof_related or found.documents or found.catalogue or found.e_licence_refused or waiting
    )
    missing = _missing(found, JUDGED_DETAILS)
    if found.repeat:  # the complainant says it was filed before and is being handled
        grounds.append(RejectionGround.REPEAT.value)
        notes.append(NOTE_REPEAT_SAID)
        cues["repeat"] = found.repeat
    vague = False
    if not in_scope and found.litigation:
        pass  # litigation is the specific ground; a court matter is not judged for scope too
    elif not in_scope and found.runaround and not (found.times or found.services):
        # nothing concrete (no when, no what) but a runaround: may be about proofs — ask, Art.8(1), not (4)
        vague = True
    elif not in_scope:
        grounds.append(RejectionGround.OUT_OF_SCOPE.value)
        notes.append(NOTE_OUT_OF_SCOPE)
        cues["out_of_scope"] = found.nothing_demanded
    elif len(missing) >= 2:
        vague = True
    if vague:
        grounds.append(RejectionGround.VAGUE.value)
        notes.append(NOTE_VAGUE)
        cues["vague"] = [*found.runaround, *(f"-{item}" for item in missing)]
    notes += [MISSING_NOTES[item] for item in missing]
    # A vague complaint says too little to tell which Art.4 matter it is: `other` (the rules' catch-all),
    # whatever generic proof words it uses ("到处要证明").
    category, category_cues = _category(found) if in_scope and not vague else (Category.OTHER, [])
    if category_cues:
        cues[category.value] = category_cues
    cues.update({"time": found.times, "service": found.services, "document": found.documents})
    cues = {key: value for key, value in cues.items() if value}

    chosen: UnitCandidate | None = None
    candidates: list[UnitCandidate] = []
    if unit_code is not None:
        unit = next((u for u in units if u.code == unit_code), None)
        chosen = UnitCandidate(unit.code, unit.name, 1.0) if unit else None
    else:
        resolution = resolve_agency(units, agency_in_chinese(agency, units))
        chosen, candidates = resolution.unit, resolution.candidates
        if chosen is None:
            notes.append(NOTE_AMBIGUOUS_UNIT if candidates else NOTE_NO_UNIT)
    return ScreeningResult(
        admissible=not grounds,
        grounds=grounds,
        category=category.value,
        unit=chosen,
        unit_candidates=candidates,
        notes=notes,
        missing=missing,
        cues=cues,
    )


def text_similarity(a: str, b: str) -> float:
    """Jaccard similarity of character bigrams: robust to small edits, cheap, no model."""

    def bigrams(text: str) -> set[str]:
        text = normalise(text)
        return {text[i : i + 2] for i in range(len(text) - 1)} or {text}

    first, second = bigrams(a), bigrams(b)
    return len(first & second) / len(first | second) if first | second else 0.0


async def screen_draft(
    uow: AbstractUnitOfWork,
    agency: str,
    demand: str,
    reasons: str,
    facts: str,
    *,
    phone: str | None = None,
    unit_code: str | None = None,
) -> ScreeningResult:
    """Screen inside an open unit of work: the rules, routing against the stored units, repeat detection."""
    units: list[Unit] = list(await uow.units.register())
    result = screen_text(units, agency, demand, reasons, facts, unit_code=unit_code)
    if phone:
        unit = result.unit.code if result.unit else None
        text = " ".join((demand, reasons, facts))
        for earlier in await uow.complaints.open_from_phone(phone, unit):
            same_agency = unit is not None or normalise(earlier.agency_text) == normalise(agency)
            earlier_text = " ".join((earlier.demand, earlier.reasons, earlier.facts))
            if same_agency and text_similarity(text, earlier_text) >= REPEAT_SIMILARITY:
                result.repeat_of = earlier.number
                result.grounds.append(RejectionGround.REPEAT.value)
                result.notes.append(NOTE_REPEAT)
                result.admissible = False
                break
    return result
