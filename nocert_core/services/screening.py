"""Screening advice for staff (never a silent rejection): admissibility, Art.8 grounds, Art.4 category,
the routed unit. MINIMAL PLACEHOLDER: the foundation helper replaces this with the jieba-based rules."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from nocert_core.domain.units import Unit
from nocert_core.services.uow import AbstractUnitOfWork


@dataclass
class UnitCandidate:
    code: str
    name: str
    score: float


@dataclass
class ScreeningResult:
    admissible: bool
    grounds: list[str]
    category: str
    unit: UnitCandidate | None
    unit_candidates: list[UnitCandidate] = field(default_factory=list)
    repeat_of: str | None = None  # number of the open complaint this one repeats
    notes: list[str] = field(default_factory=list)  # reviewer-readable explanations (msgids)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


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
    units: list[Unit] = list(await uow.units.list())
    chosen: UnitCandidate | None = None
    for unit in units:
        if unit_code == unit.code or agency in unit.names():
            chosen = UnitCandidate(unit.code, unit.name, 1.0)
            break
    return ScreeningResult(admissible=True, grounds=[], category="other", unit=chosen)
