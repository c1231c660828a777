"""A complaint's agency written in English, turned into the Chinese words the unit register uses, so it is
routed like any other (`Exit-Entry Administration, Jinan Public Security Bureau` → 济南 公安局 出入境管理).

The agency glossary is a reviewable data file (`domain/data/agency_glossary.csv`); place names come in pinyin
("Lixia District" → 历下区) from the register's own unit names and the shipped place list.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

from nocert_core.domain.units import Unit
from nocert_core.guidance.geo.place_names import gazetteer, strip_suffix
from nocert_core.guidance.geo.places import RegisterUnit, places_of
from nocert_core.guidance.reading.english import is_english, pinyin_key

GLOSSARY_PATH = Path(__file__).resolve().parents[2] / "domain" / "data" / "agency_glossary.csv"
_WORD = re.compile(r"[a-z0-9']+(?:-[a-z0-9']+)*")
_OF_ORDER = re.compile(
    r"\b(bureau|centre|center|office|department|administration|commission|station)\s+(?:of|for)\s+"
    r"((?:(?!in\b|at\b|of\b)[a-z'-]+\s*)+)"
)


@lru_cache(maxsize=1)
def agency_glossary() -> dict[tuple[str, ...], str]:
    lines = [
        line for line in GLOSSARY_PATH.read_text(encoding="utf-8").splitlines() if not line.startswith("#")
    ]
    return {tuple(_WORD.findall(row["english"].lower())): row["chinese"] for row in csv.DictReader(lines)}


def _place_pinyin(units: Sequence[Unit]) -> dict[str, str]:
    """{pinyin: place}. Several places share a pinyin ("linyi": 临沂, 临邑, 临猗): the register's own place
    first (in the register's order), then the shipped list's, in its fixed order, never a set's."""
    register = (
        place
        for unit in units
        for place in places_of(
            RegisterUnit(unit.code, unit.name, unit.parent_code, tuple(unit.aliases or ()))
        )
    )
    found: dict[str, str] = {}
    for place in dict.fromkeys((*register, *gazetteer())):  # (each place once)
        bare = strip_suffix(place)
        if len(bare) >= 2:
            found.setdefault(pinyin_key(bare), bare)
    return found


def agency_in_chinese(agency: str, units: Sequence[Unit]) -> str:
    """The agency name in Chinese words when it is written in English; otherwise unchanged."""
    if not is_english(agency):
        return agency
    # "Bureau of Education and Sports" is the glossary's "education and sports bureau": the head noun last
    spelled = _OF_ORDER.sub(r"\2 \1", agency.lower().replace("’", "'"))
    words = _WORD.findall(spelled)
    glossary = agency_glossary()
    places = _place_pinyin(units)
    longest = max(len(key) for key in glossary)
    parts: list[str] = []
    position = 0
    while position < len(words):
        for length in range(min(longest, len(words) - position), 0, -1):
            chinese = glossary.get(tuple(words[position : position + length]))
            if chinese is not None:
                parts.append(chinese)
                position += length
                break
        else:
            if words[position] in places:
                parts.append(places[words[position]])
            position += 1
    return "".join(parts) or agency
