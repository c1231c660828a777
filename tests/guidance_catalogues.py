"""Catalogues for guidance tests: the demo list repeated for made-up places, each copy with its own codes."""

from __future__ import annotations

from collections.abc import Iterable

from nocert_core.adapters.files.catalogue_files import parse_catalogue
from nocert_core.guidance import IndexedEntry
from nocert_core.services.catalogue.demo import DEMO_CATALOGUE
from nocert_core.services.catalogue.guidance import indexed


def demo_repeated_for(places: Iterable[str]) -> list[IndexedEntry]:
    """The demo entries, then one copy per place: codes `<code>-<n>` (n from 1), service and unit named
    with the place in front (a province-wide list's county copies)."""
    demo = [indexed(row.entry) for row in parse_catalogue(DEMO_CATALOGUE)]
    entries = list(demo)
    for copy, place in enumerate(places, start=1):
        entries += [
            IndexedEntry(
                f"{e.service_code}-{copy}",
                place + e.service,
                place + e.unit,
                None,
                e.certificate,
                e.mode,
                e.basis,
            )
            for e in demo
        ]
    return entries
