"""The lexicon: how people say certificates and services (户口本, 过户, 开饭店) → the official names.

The built-in part is a reviewable data file (`data/lexicon.csv`, kind,colloquial,official); administrators
add to it (kept in the database, `nocert lexicon add|import`) — an addition with the same kind and
colloquial word overrides the built-in mapping.
"""

from __future__ import annotations

import csv
import io
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from nocert_core.domain.lexicon import KINDS as KINDS
from nocert_core.errors import ImportFailed, Problem

DESCRIPTION_MARK = "…"  # "打疫苗…本": the words in this order, a few characters apart (a description)
DESCRIPTION_GAP = 5

BUILTIN_PATH = Path(__file__).resolve().parents[1] / "data" / "lexicon.csv"
FAMILIES_PATH = Path(__file__).resolve().parents[1] / "data" / "certificate_families.csv"


@dataclass(frozen=True)
class LexiconEntry:
    kind: str  # certificate | service
    colloquial: str
    official: str  # a certificate's official name, or the words that name the service officially


@dataclass
class Lexicon:
    certificates: dict[str, str] = field(default_factory=dict)  # colloquial → official certificate name
    services: dict[str, str] = field(default_factory=dict)  # colloquial → official service words
    families: list[tuple[str, ...]] = field(
        default_factory=list
    )  # names of one proof (first: the plain name)

    def add(self, entry: LexiconEntry) -> None:
        target = self.certificates if entry.kind == "certificate" else self.services
        target[entry.colloquial] = entry.official

    def extended(self, entries: Iterable[LexiconEntry]) -> Lexicon:
        merged = Lexicon(dict(self.certificates), dict(self.services), list(self.families))
        for entry in entries:
            merged.add(entry)
        return merged

    def __len__(self) -> int:
        return len(self.certificates) + len(self.services)


def is_description(colloquial: str) -> bool:
    return DESCRIPTION_MARK in colloquial


def description_pattern(colloquial: str) -> str:
    """The regular expression of a description: its parts in order, at most DESCRIPTION_GAP apart."""
    parts = [re.escape(part) for part in colloquial.split(DESCRIPTION_MARK) if part]
    return f".{{0,{DESCRIPTION_GAP}}}?".join(parts)


def parse_lexicon(text: str) -> list[LexiconEntry]:
    """CSV `kind,colloquial,official` (a header line and `#` comment lines are allowed); all or nothing."""
    rows = csv.reader(io.StringIO(text.removeprefix("\ufeff")))
    return parse_lexicon_rows(list(enumerate(rows, start=1)))


def parse_lexicon_rows(rows: list[tuple[int, list[str]]]) -> list[LexiconEntry]:
    """Rows of the shared reader (`nocert_core.adapters.files.tabular`) → entries; all or nothing."""
    entries: list[LexiconEntry] = []
    problems: list[tuple[int, str]] = []
    for line_number, row in rows:
        if not row or not "".join(row).strip() or row[0].lstrip().startswith("#"):
            continue
        cells = [cell.strip() for cell in row]
        if cells[0].lower() in ("kind", "类型"):
            continue
        if len(cells) < 3 or not cells[1] or not cells[2]:
            problems.append((line_number, Problem("expected three columns: kind,colloquial,official")))
            continue
        kind = {"证照": "certificate", "证明": "certificate", "事项": "service"}.get(
            cells[0], cells[0].lower()
        )
        if kind not in KINDS:
            problems.append(
                (line_number, Problem("kind must be certificate or service, not {value}", value=cells[0]))
            )
            continue
        if len(cells[1]) > 100 or len(cells[2]) > 200:
            problems.append((line_number, Problem("the word is too long")))
            continue
        entries.append(LexiconEntry(kind, cells[1], cells[2]))
    if problems:
        raise ImportFailed(problems)
    return entries


def parse_families(text: str) -> list[tuple[str, ...]]:
    """CSV `domain,names` (names `;`-separated, the first is the proof's plain name); `#` lines: comments."""
    lines = [line for line in text.lstrip("\ufeff").splitlines() if line.strip() and not line.startswith("#")]
    return [
        tuple(name.strip() for name in row["names"].split(";") if name.strip())
        for row in csv.DictReader(lines)
    ]


@lru_cache(maxsize=1)
def builtin_lexicon() -> Lexicon:
    """lexicon.csv, plus every certificate family's names (a name the lexicon does not map goes to its
    family's plain name — unless it is in several families: 房屋租赁合同 can serve as 住所使用证明 and
    beside 房屋租赁登记备案证明, a document of its own, not another name of either; the families still match
    it in a service's list)."""
    lexicon = Lexicon()
    for entry in parse_lexicon(BUILTIN_PATH.read_text(encoding="utf-8")):
        lexicon.add(entry)
    lexicon.families = parse_families(FAMILIES_PATH.read_text(encoding="utf-8"))
    families_of = Counter(name for family in lexicon.families for name in set(family))
    for family in lexicon.families:
        for name in family:
            if name == family[0] or families_of[name] == 1:
                lexicon.certificates.setdefault(name, family[0])
    return lexicon
