"""Helpers of complaint intake that need no chat: finding the unit an agency name means, and noticing
facts too vague to check (R5 Art.8 (1) — the bot asks before anyone judges a complaint vague).

What counts as a concrete time, service or document is the screening's rule (`services.screening`), so
the dialog asks for exactly what the screening would otherwise note as missing."""

from __future__ import annotations

from dataclasses import dataclass

from nocert_core.services.platform.uow import AbstractUnitOfWork
from nocert_core.services.screening.advice import ALL_DETAILS, missing_details
from nocert_core.services.screening.english import agency_in_chinese
from nocert_core.services.units.resolver import resolve_agency

# The screening's detail → the follow-up question the dialog asks for it.
FOLLOW_UP_FOR = {"time": "when", "place": "where", "service": "service", "document": "document"}
SPECIFICS = tuple(FOLLOW_UP_FOR[detail] for detail in ALL_DETAILS)
MIN_FACTS_LENGTH = 12  # shorter facts get every follow-up question


def missing_specifics(facts: str) -> list[str]:
    """Which of when / where / which service / which document the facts do not yet tell."""
    text = facts.strip()
    if len(text) < MIN_FACTS_LENGTH:
        return list(SPECIFICS)
    return [FOLLOW_UP_FOR[detail] for detail in missing_details(text)]


@dataclass(frozen=True)
class UnitMatch:
    code: str
    name: str


async def find_units(uow: AbstractUnitOfWork, text: str, limit: int = 8) -> list[UnitMatch]:
    """Units the agency text may mean, best first: the resolver's answer, else name/alias containment."""
    query = text.strip()
    if not query:
        return []
    async with uow:
        units = list(await uow.units.register())
    resolution = resolve_agency(units, agency_in_chinese(query, units))  # an English name: its Chinese words
    if resolution.unit is not None:  # one unit is clearly meant
        return [UnitMatch(resolution.unit.code, resolution.unit.name)]
    found = [UnitMatch(c.code, c.name) for c in resolution.candidates]
    if found:
        return found[:limit]
    lowered = query.lower()
    exact = [
        u for u in units if any(lowered == name.lower() for name in u.names()) or lowered == u.code.lower()
    ]
    if exact:
        return [UnitMatch(u.code, u.name) for u in exact][:limit]
    partial = [
        u for u in units if any(lowered in name.lower() or name.lower() in lowered for name in u.names())
    ]
    return [UnitMatch(u.code, u.name) for u in partial][:limit]


async def unit_name(uow: AbstractUnitOfWork, code: str | None) -> str | None:
    if code is None:
        return None
    async with uow:
        unit = await uow.units.known(code)
        return unit.name if unit else None
