"""Screening advice for staff (never a silent rejection): does a complaint look admissible, which R5 Art.8
grounds may apply, its Art.4 category and the unit it is routed to. Staff decide; this only advises.

The rules, in order (word lists are in `nocert_core.domain.screening_rules`, readable on their own; the cue
words are found by `screening_findings.analyse`):
- litigation (Art.8(3)): the text mentions suing, a court, arbitration or administrative reconsideration
  (起诉, 诉讼, 仲裁, 行政复议 …) and the mention is not negated ("不想打官司" does not count);
- out_of_scope (Art.8(4)): nothing in it is about certificates, proofs, materials, the catalogue or
  verification — it is not a no-proof complaint at all; or its only proof word is the certificate applied
  for and it names a grievance of another kind (a fee, a queue, manners) with nothing demanded;
- vague (Art.8(1)): nothing concrete but a runaround or the programme's name; or at least two of {a date or
  time, the service applied for, the document demanded (or the list ignored, or the check that is late)} are
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

from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from nocert_core.adapters.sql.register_checks import RepeatCandidate
from nocert_core.adapters.text import normalise
from nocert_core.domain import screening_rules as rules
from nocert_core.domain.complaint_lifecycle import RejectionGround
from nocert_core.domain.complaints import Category
from nocert_core.domain.units import Unit
from nocert_core.i18n import N_
from nocert_core.services.platform.uow import AbstractUnitOfWork
from nocert_core.services.screening.english import agency_in_chinese
from nocert_core.services.screening.findings import Findings, analyse
from nocert_core.services.units.resolver import UnitCandidate, names_a_unit, resolve_agency

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


def _missing(found: Findings, details: Sequence[str]) -> list[str]:
    present = {
        "time": found.times,
        "place": found.places,
        "service": found.services,
        # what the complaint is about when no proof is named: the list itself ignored, a check that is late
        "document": found.documents
        or (found.list_ignored if found.catalogue else [])
        or (found.verification if found.delay else []),
    }
    return [detail for detail in details if not present[detail]]


def missing_details(facts: str, details: Sequence[str] = ALL_DETAILS) -> list[str]:
    """Which of `details` ("time", "place", "service", "document") the facts do not tell, by the same
    rules the screening applies."""
    return _missing(analyse("", "", facts), details)


def _another_grievance(found: Findings) -> bool:
    """A grievance of another kind (a fee, a queue, manners) whose only proof words are the certificate
    applied for, with nothing demanded of the person: not about proofs."""
    words = [*found.documents, *found.proof_related]
    return bool(found.grievance and words and not found.demands) and all(
        any(word in span for span in found.applied_for) for word in words
    )


def _category(found: Findings) -> tuple[Category, list[str]]:
    if found.verification and found.delay:
        return Category.VERIFICATION_LATE, [*found.verification, *found.delay]
    # a proof named — not the certificate applied for (办理营业执照变更): that names the service
    demanded = [word for word in found.documents if not any(word in span for span in found.applied_for)]
    if found.catalogue and (
        found.list_ignored or found.commitment or not (found.e_licence_refused or demanded)
    ):
        # the list itself not applied, its commitment refused, or no proof named: R5 Art.4(2)
        return Category.LIST_NOT_FOLLOWED, [*found.catalogue, *found.list_ignored, *found.commitment]
    # a proof named with the list cited only as the reason it should not have been demanded: Art.4(1)
    if found.e_licence_refused:
        return Category.DEMANDED_PROOF, found.e_licence_refused
    if found.documents:
        # the certificate applied for (办身份证 …) is not shown as demanded when another proof is named
        return Category.DEMANDED_PROOF, demanded or found.documents
    hints = [
        word
        for word in found.proof_related
        if word in rules.DEMAND_HINTS or rules.PROOF_RELATED_PATTERN.fullmatch(word)  # 开个单子, 盖个章
    ]
    if hints:  # "到处要证明": proofs demanded, nothing concrete named
        return Category.DEMANDED_PROOF, hints
    return Category.OTHER, []


def screen_text(
    units: Sequence[Unit], agency: str, demand: str, reasons: str, facts: str, *, unit_code: str | None = None
) -> ScreeningResult:
    """The rules without the database: grounds, category and routing (repeat needs `screen_draft`)."""
    found = analyse(demand, reasons, facts)
    chosen, candidates, named_unit, unit_note = _route(units, agency, unit_code)
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
    out_of_scope_cues = [*found.nothing_demanded, *found.grievance]  # why: what it is about instead
    if in_scope and not (found.catalogue or found.e_licence_refused or waiting) and _another_grievance(found):
        in_scope = False  # "驾驶证换证收了工本费": the certificate is the service, the fee the grievance
        out_of_scope_cues = [*found.grievance, *found.documents]
    missing = _missing(found, JUDGED_DETAILS)
    if found.repeat:  # the complainant says it was filed before and is being handled
        grounds.append(RejectionGround.REPEAT.value)
        notes.append(NOTE_REPEAT_SAID)
        cues["repeat"] = found.repeat
    vague = False
    if not in_scope and found.litigation:
        pass  # litigation is the specific ground; a court matter is not judged for scope too
    elif (
        not in_scope
        and not found.services
        and (
            # a runaround or the no-proof programme itself, with no when (a when alone, "去年的事", names
            # no matter unless it dates another grievance); something demanded with no when ("让我开个东西");
            # or a grumble naming nothing at all: may be about proofs — ask, Art.8(1), not (4)
            ((found.runaround or found.programme) and not (found.times and found.grievance))
            or (found.demands and not (found.grievance or found.nothing_demanded or found.times))
            or not (found.grievance or found.times or found.places)
        )
    ):
        vague = True
    elif not in_scope:
        grounds.append(RejectionGround.OUT_OF_SCOPE.value)
        notes.append(NOTE_OUT_OF_SCOPE)
        cues["out_of_scope"] = [*out_of_scope_cues, "-proof"]  # and no proof, form or list named
    elif len(missing) >= 2 and not (named_unit and found.documents):
        # too little to verify — but a unit named (clearly, or by a name the register gives it) and the proof
        # it demanded say who and what, whatever is missing: ask for the date, do not advise rejecting it
        vague = True
    if vague:
        grounds.append(RejectionGround.VAGUE.value)
        notes.append(NOTE_VAGUE)
        cues["vague"] = [*found.runaround, *found.programme, *(f"-{item}" for item in missing)]
    notes += [MISSING_NOTES[item] for item in missing]
    # A vague complaint says too little to tell which Art.4 matter it is: `other` (the rules' catch-all),
    # whatever generic proof words it uses ("到处要证明").
    category, category_cues = _category(found) if in_scope and not vague else (Category.OTHER, [])
    if category_cues:
        cues[category.value] = category_cues
    cues.update({"time": found.times, "service": found.services, "document": found.documents})
    cues = {key: value for key, value in cues.items() if value}
    if unit_note is not None:
        notes.append(unit_note)

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


def _route(
    units: Sequence[Unit], agency: str, unit_code: str | None
) -> tuple[UnitCandidate | None, list[UnitCandidate], bool, str | None]:
    """(the unit chosen, the candidates when none is, whether the agency names a unit at all, the note for
    staff when none was chosen). A unit code given (staff's choice) is taken as it is."""
    if unit_code is not None:
        unit = next((u for u in units if u.code == unit_code), None)
        return (UnitCandidate(unit.code, unit.name, 1.0) if unit else None), [], True, None
    in_chinese = agency_in_chinese(agency, units)
    resolution = resolve_agency(units, in_chinese)
    chosen, candidates = resolution.unit, resolution.candidates
    named_unit = chosen is not None or names_a_unit(units, in_chinese)
    unit_note = None if chosen is not None else NOTE_AMBIGUOUS_UNIT if candidates else NOTE_NO_UNIT
    return chosen, candidates, named_unit, unit_note


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
    from_phone: Sequence[RepeatCandidate] | None = None,
) -> ScreeningResult:
    """Screen inside an open unit of work: the rules, routing against the stored units, repeat detection.
    `from_phone`: the phone's open complaints of every unit, read already (registering reads them with its
    other checks in one round trip); otherwise the unit's are read here."""
    units: list[Unit] = list(await uow.units.register())
    result = screen_text(units, agency, demand, reasons, facts, unit_code=unit_code)
    if phone:
        unit = result.unit.code if result.unit else None
        text = " ".join((demand, reasons, facts))
        candidates = (
            await uow.complaints.open_from_phone(phone, unit)
            if from_phone is None
            else [earlier for earlier in from_phone if earlier.unit_code == unit]
        )
        for earlier in candidates:
            same_agency = unit is not None or normalise(earlier.agency_text) == normalise(agency)
            earlier_text = " ".join((earlier.demand, earlier.reasons, earlier.facts))
            if same_agency and text_similarity(text, earlier_text) >= REPEAT_SIMILARITY:
                result.repeat_of = earlier.number
                result.grounds.append(RejectionGround.REPEAT.value)
                result.notes.append(NOTE_REPEAT)
                result.admissible = False
                break
    return result
