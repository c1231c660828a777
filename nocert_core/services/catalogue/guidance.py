"""Guidance use cases: answer questions over the current catalogue, manage the lexicon additions.

The index is built once per process and reused while the catalogue and the lexicon stay the same
(a cheap revision query tells); building runs in a worker thread so a chat loop is not blocked.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from nocert_core.adapters.files.tabular import NO_PROGRESS, Progress, read_table
from nocert_core.domain.actors import Actor
from nocert_core.domain.catalogue import CatalogueEntry
from nocert_core.domain.lexicon import LexiconTerm
from nocert_core.errors import ImportNeedsConfirmation, NotFound, PermissionDenied, ValidationFailed
from nocert_core.guidance import Answer, GuidanceIndex, IndexedEntry, LexiconEntry, answer, builtin_lexicon
from nocert_core.guidance.geo.places import RegisterUnit
from nocert_core.guidance.search.lexicon import KINDS, Lexicon, parse_lexicon_rows
from nocert_core.i18n import N_
from nocert_core.services.platform.import_guard import limits, require_flag_for_large_changes
from nocert_core.services.platform.reads import lexicon_additions as lexicon_additions
from nocert_core.services.platform.uow import AbstractUnitOfWork

_cache: dict[str, tuple[tuple[Any, ...], GuidanceIndex]] = {}
_locks: dict[str, asyncio.Lock] = {}


def indexed(entry: CatalogueEntry) -> IndexedEntry:
    return IndexedEntry(
        entry.service_code,
        entry.service,
        entry.unit_name,
        entry.unit_code,
        entry.certificate,
        entry.mode,
        entry.basis,
        entry.notes,
    )


def lexicon_with(terms: list[LexiconTerm]) -> Lexicon:
    return builtin_lexicon().extended(
        LexiconEntry(t.kind, t.colloquial, t.official) for t in terms if t.kind in KINDS
    )


async def load_index(uow: AbstractUnitOfWork) -> GuidanceIndex:
    key = uow.settings.database_url
    lock = _locks.setdefault(key, asyncio.Lock())
    async with lock:
        async with uow:
            units = [
                RegisterUnit(u.code, u.name, u.parent_code, tuple(u.aliases or ()))
                for u in await uow.units.list()
            ]
            revision = (*await uow.catalogue.revision(), hash(tuple(units)))
            cached = _cache.get(key)
            if cached is not None and cached[0] == revision:
                return cached[1]
            entries = [indexed(entry) for entry in await uow.catalogue.current()]
            lexicon = lexicon_with(list(await uow.catalogue.lexicon_terms()))
        index = await asyncio.to_thread(GuidanceIndex, entries, lexicon, units)
        _cache[key] = (revision, index)
        return index


async def ask(uow: AbstractUnitOfWork, question: str) -> Answer:
    index = await load_index(uow)
    return answer(index, question)


def _require_admin(actor: Actor) -> None:
    if not actor.is_supervisor:
        raise PermissionDenied()


async def add_lexicon_terms(uow: AbstractUnitOfWork, actor: Actor, entries: list[LexiconEntry]) -> int:
    """Add or replace administrator terms (same kind and colloquial word → replaced); returns how many."""
    _require_admin(actor)
    now = uow.clock.now()
    async with uow:
        for entry in entries:
            if entry.kind not in KINDS or not entry.colloquial.strip() or not entry.official.strip():
                raise ValidationFailed("The input is not valid.")
            existing = await uow.catalogue.lexicon_term(entry.kind, entry.colloquial.strip())
            if existing is not None:
                existing.official = entry.official.strip()
                existing.added_by, existing.added_at = actor.ref, now
            else:
                uow.catalogue.add_lexicon_term(
                    LexiconTerm(entry.kind, entry.colloquial.strip(), entry.official.strip(), actor.ref, now)
                )
        await uow.commit()
    return len(entries)


@dataclass
class LexiconImportReport:
    added: list[LexiconEntry] = field(default_factory=list)
    replaced: list[tuple[LexiconEntry, str]] = field(default_factory=list)  # (the new entry, official before)
    unchanged: int = 0
    existing: int = 0
    needs_flag: bool = False
    applied: bool = False


async def import_lexicon(
    uow: AbstractUnitOfWork,
    actor: Actor,
    path: Path,
    *,
    replace: bool = False,
    dry_run: bool = False,
    progress: Progress = NO_PROGRESS,
) -> LexiconImportReport:
    """Add the file's terms; replacing the meaning of more than a small share of the administrator's terms
    needs `replace=True`. All or nothing."""
    _require_admin(actor)
    entries = parse_lexicon_rows(read_table(path, limits(uow.settings), progress))
    report = LexiconImportReport()
    async with uow:
        current = {(t.kind, t.colloquial): t.official for t in await uow.catalogue.lexicon_terms()}
        report.existing = len(current)
        latest = {(entry.kind, entry.colloquial): entry for entry in entries}  # the last line wins
        for key, entry in latest.items():
            before = current.get(key)
            if before is None:
                report.added.append(entry)
            elif before != entry.official:
                report.replaced.append((entry, before))
            else:
                report.unchanged += 1
    try:
        require_flag_for_large_changes(
            len(report.replaced),
            report.existing,
            settings=uow.settings,
            confirmed=replace,
            what=N_("lexicon terms"),
        )
    except ImportNeedsConfirmation:
        if not dry_run:
            raise
        report.needs_flag = True
    if dry_run:
        return report
    changed = [*report.added, *(entry for entry, _before in report.replaced)]
    await add_lexicon_terms(uow, actor, changed)
    report.applied = True
    return report


async def remove_lexicon_term(uow: AbstractUnitOfWork, actor: Actor, kind: str, colloquial: str) -> None:
    _require_admin(actor)
    async with uow:
        term = await uow.catalogue.lexicon_term(kind, colloquial)
        if term is None:
            raise NotFound()
        await uow.catalogue.delete_lexicon_term(term)
        await uow.commit()
