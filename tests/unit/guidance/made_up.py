"""What the guidance tests on made-up cities share: a catalogue built from plain rows over a unit register,
and the verdict a test compares (intent, service code, [proof named,] exempt)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from nocert_core.domain.catalogue import ExemptionMode
from nocert_core.guidance import GuidanceIndex, IndexedEntry, answer, builtin_lexicon
from nocert_core.guidance.geo.places import RegisterUnit


def register_index(
    rows: Iterable[tuple[str, str, str, str]],
    units: Sequence[RegisterUnit],
    mode: ExemptionMode = ExemptionMode.ASSOCIATION,
) -> GuidanceIndex:
    """An index of (service code, service, unit code, certificate) rows, units named as the register says."""
    names = {unit.code: unit.name for unit in units}
    entries = [
        IndexedEntry(code, service, names[unit], unit, certificate, mode, "依据")
        for code, service, unit, certificate in rows
    ]
    return GuidanceIndex(entries, builtin_lexicon(), list(units))


def verdict(index: GuidanceIndex, question: str) -> tuple[str, str | None, bool | None]:
    result = answer(index, question)
    return result.intent.value, result.service and result.service.code, result.exempt


def verdict_naming_proof(
    index: GuidanceIndex, question: str
) -> tuple[str, str | None, str | None, bool | None]:
    result = answer(index, question)
    return result.intent.value, result.service and result.service.code, result.certificate, result.exempt
