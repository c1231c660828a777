"""Administrators' own wordings of the exemption modes (`nocert catalogue modes`), kept without code.

The shipped synonym table is `nocert_core/domain/data/exemption_modes.csv`; an administrator's wording is
stored as a lexicon term of kind `mode` (colloquial = the wording, official = the mode's value) and wins
over the shipped table. The importer reads both before it parses a file.
"""

from __future__ import annotations

from dataclasses import dataclass

from nocert_core.domain.actors import Actor
from nocert_core.domain.catalogue import ExemptionMode, mode_key, mode_wordings
from nocert_core.domain.lexicon import LexiconTerm
from nocert_core.errors import NotFound, PermissionDenied, ValidationFailed
from nocert_core.services.platform.uow import AbstractUnitOfWork

MODE_KIND = "mode"


@dataclass(frozen=True)
class ModeWording:
    wording: str
    mode: ExemptionMode
    source: str  # "shipped" | "added"


async def added_modes(uow: AbstractUnitOfWork) -> dict[str, ExemptionMode]:
    """{compared wording: mode} of the administrators' additions (read inside its own unit of work)."""
    async with uow:
        terms = await uow.catalogue.lexicon_terms()
    return {mode_key(t.colloquial): ExemptionMode(t.official) for t in terms if t.kind == MODE_KIND}


async def list_modes(uow: AbstractUnitOfWork) -> list[ModeWording]:
    async with uow:
        terms = await uow.catalogue.lexicon_terms()
    added = [
        ModeWording(t.colloquial, ExemptionMode(t.official), "added") for t in terms if t.kind == MODE_KIND
    ]
    shipped = [ModeWording(wording, mode, "shipped") for wording, mode in mode_wordings().items()]
    return sorted(added + shipped, key=lambda w: (list(ExemptionMode).index(w.mode), w.source, w.wording))


async def add_mode(uow: AbstractUnitOfWork, actor: Actor, wording: str, mode_text: str) -> ExemptionMode:
    """Map `wording` to the mode `mode_text` names (a mode's value, short name or any known wording)."""
    if not actor.is_supervisor:
        raise PermissionDenied()
    wording = wording.strip()
    if not mode_key(wording) or len(wording) > 100:
        raise ValidationFailed("The input is not valid.")
    mode = ExemptionMode.parse(mode_text)
    async with uow:
        repository = uow.catalogue
        existing = await repository.lexicon_term(MODE_KIND, wording)
        if existing is not None:
            existing.official, existing.added_by, existing.added_at = mode.value, actor.ref, uow.clock.now()
        else:
            repository.add_lexicon_term(
                LexiconTerm(MODE_KIND, wording, mode.value, actor.ref, uow.clock.now())
            )
        await uow.commit()
    return mode


async def remove_mode(uow: AbstractUnitOfWork, actor: Actor, wording: str) -> None:
    if not actor.is_supervisor:
        raise PermissionDenied()
    async with uow:
        term = await uow.catalogue.lexicon_term(MODE_KIND, wording.strip())
        if term is None:
            raise NotFound()
        await uow.catalogue.delete_lexicon_term(term)
        await uow.commit()
