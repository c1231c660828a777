"""What a guidance answer is (shared by the chat, the CLI and the JSON output)."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from nocert_core.domain.catalogue import ExemptionMode


class Intent(StrEnum):
    PAIR = "pair"  # does service X still need certificate Y?
    SERVICE = "service"  # what can I skip for X?
    CERTIFICATE = "certificate"  # where is Y no longer needed?
    CLARIFY = "clarify"  # several sibling services fit equally well: which one? (`candidates`)
    OUT_OF_AREA = "out_of_area"  # a place the catalogue's unit register does not cover (`place`)
    UNKNOWN = "unknown"  # greetings, unrelated questions


@dataclass(frozen=True)
class IndexedEntry:
    """One catalogue row as the index keeps it."""

    service_code: str
    service: str
    unit: str
    unit_code: str | None
    certificate: str
    mode: ExemptionMode
    basis: str
    notes: str = ""


@dataclass(frozen=True)
class Match:
    entry: IndexedEntry
    score: float

    def as_json(self) -> dict[str, Any]:
        entry = self.entry
        return {
            "service_code": entry.service_code,
            "service": entry.service,
            "unit": entry.unit,
            "certificate": entry.certificate,
            "mode": entry.mode.value,
            "basis": entry.basis,
            "score": round(self.score, 4),
        }


@dataclass(frozen=True)
class ServiceRef:
    code: str
    name: str
    unit: str
    unit_code: str | None


@dataclass
class Answer:
    question: str
    intent: Intent
    service: ServiceRef | None = None
    certificate: str | None = None  # the official name (or the words used, when nobody knows the proof)
    certificate_in_catalogue: bool = False  # the catalogue lists this proof for at least one service
    exempt: bool | None = None  # pair intent only
    matches: list[Match] = field(default_factory=list)
    alternatives: list[ServiceRef] = field(default_factory=list)  # other plausible services
    total_matches: int = 0  # before the list was cut
    candidates: list[ServiceRef] = field(default_factory=list)  # clarify: the services to choose from
    place: str | None = None  # out_of_area: the place as the person wrote it
    language: str = "zh"  # "en" for a question asked in English (the reply is rendered in English)
    confidence: float = 0.0  # the best service's share of the question's known words (not shown)
    certificate_official: bool = True  # False: `certificate` is the person's own words, not an official name
    service_not_listed: bool = False  # unknown: a service was asked about that the catalogue has no entry for
    # The district (county, town) whose unit's rule this is, when the person named no place and the city
    # itself lists no such service: the answer says whose rule it is, not that it holds everywhere.
    local_place: str | None = None

    @property
    def pair_entry(self) -> IndexedEntry | None:
        """The catalogue row that answers a pair question with yes."""
        if self.intent == Intent.PAIR and self.exempt and self.matches:
            return self.matches[0].entry
        return None

    def as_json(self) -> dict[str, Any]:
        return {
            "question": self.question,
            "intent": self.intent.value,
            "service": {"code": self.service.code, "name": self.service.name} if self.service else None,
            "certificate": self.certificate,
            "exempt": self.exempt if self.intent == Intent.PAIR else None,
            "matches": [match.as_json() for match in self.matches],
            "candidates": [{"code": c.code, "name": c.name, "unit": c.unit} for c in self.candidates],
            "place": self.place,
            "language": self.language,
            "service_not_listed": self.service_not_listed,
            "local_place": self.local_place,
        }
