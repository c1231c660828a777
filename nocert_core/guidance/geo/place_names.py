"""Place names: the shipped place list (data/places.csv: place names told from ordinary words) and the places
a unit's name opens with (济南市历下区… → 济南市, 历下区), for places.py and the index's unit terms."""

from __future__ import annotations

import csv
import re
from collections import Counter
from functools import lru_cache
from pathlib import Path

from nocert_core.guidance.search.text import Segmenter
from nocert_core.textnorm import compact

PLACES_PATH = Path(__file__).resolve().parents[1] / "data" / "places.csv"
COUNTIES_PATH = Path(__file__).resolve().parents[1] / "data" / "counties.csv"  # every county-level name, full


SUFFIXES = ("街道", "市", "区", "县", "镇", "乡")
# A leading place token of a unit name: 济南市, 历下区, 泉城路街道, 西营镇.
_LEADING = re.compile(r"^([\u4e00-\u9fff]{1,6}?(?:街道|市|区|县|镇|乡))")


# Words ending in a suffix that are not places (小区, 市区, 城区 …); and words before them that end a phrase.
NOT_PLACES = frozenset(
    [
        "小区",
        "社区",
        "市区",
        "城区",
        "郊区",
        "园区",
        "景区",
        "辖区",
        "学区",
        "片区",
        "新区",
        "老区",
        "山区",
        "街区",
        "城乡",
        "下乡",
        "老乡",
        "家乡",
        "故乡",
        "城镇",
        "乡镇",
        "村镇",
        "集镇",
        "县城",
        "县里",
        "市里",
        "区里",
        "本市",
        "全市",
        "外市",
        "本区",
        "外区",
        "本县",
        "外县",
        "该市",
        "该区",
        "我市",
        "我区",
        "我县",
        "区县",
        "市县",
    ]
)


@lru_cache(maxsize=1)
def gazetteer() -> dict[str, str]:
    """{form people write: the full place name} for the shipped place list (bare forms where safe)."""
    forms: dict[str, str] = {}
    lines = PLACES_PATH.read_text(encoding="utf-8").splitlines()
    for row in csv.DictReader(line for line in lines if not line.startswith("#")):
        name = row["name"].strip()
        forms[name] = name
        bare = strip_suffix(name)
        if row.get("bare", "1").strip() == "1" and bare != name and len(bare) >= 2:
            forms.setdefault(bare, name)
    # sorted, not the set's order: which of two places alike in pinyin comes first must not change per run
    for name in sorted(short_counties() | _county_names()):
        forms.setdefault(name, name)  # (full names only: 定州市, 满城区, 易县 — never 定州 alone)
    for form, name in autonomous_counties().items():
        forms.setdefault(form, name)
    return forms


@lru_cache(maxsize=1)
def listed_names() -> tuple[str, ...]:
    """The full names of the shipped place list (places.csv), without the nationwide county names."""
    lines = PLACES_PATH.read_text(encoding="utf-8").splitlines()
    return tuple(
        row["name"].strip() for row in csv.DictReader(line for line in lines if not line.startswith("#"))
    )


@lru_cache(maxsize=1)
def _county_names() -> frozenset[str]:
    lines = COUNTIES_PATH.read_text(encoding="utf-8").splitlines()
    rows = csv.DictReader(line for line in lines if not line.startswith("#"))
    return frozenset(row["name"].strip() for row in rows)


@lru_cache(maxsize=1)
def short_counties() -> frozenset[str]:
    """Counties whose name is one character and 县 (易县, 唐县): a place only where a place can start."""
    return frozenset(name for name in _county_names() if len(name) == 2)


# An autonomous county's own name before its peoples' names (长阳土家族自治县 → 长阳, 北川羌族自治县 → 北川).
_AUTONOMOUS = re.compile(r"^([\u4e00-\u9fff]{2,3}?)(?:[\u4e00-\u9fff]{1,4}?族)+自治[县旗]$")


@lru_cache(maxsize=1)
def autonomous_counties() -> dict[str, str]:
    """{长阳县: 长阳土家族自治县}: an autonomous county is written with its name and 县 as often as
    in full."""
    forms: dict[str, str] = {}
    for name in sorted(_county_names()):
        match = _AUTONOMOUS.match(name)
        if match is not None:
            forms.setdefault(match.group(1) + name[-1], name)
    return forms


@lru_cache(maxsize=1)
def bare_counties() -> dict[str, str]:
    """{枝江: 枝江市, 长阳: 长阳土家族自治县}: county-level cities and counties written without
    市/县 — a place only where a place stands (at a clause's start or after 在/去/到…, before 的/那边/办
    or the clause's end), as many such names are everyday words elsewhere (和平, 大方, 通道)."""
    forms: dict[str, str] = {}
    known = gazetteer()
    for name in sorted(_county_names()):
        match = _AUTONOMOUS.match(name)
        bare = match.group(1) if match is not None else name
        if match is None and name.endswith(("市", "县")):
            bare = strip_suffix(name)
        if bare != name and len(bare) >= 2 and bare not in known and bare not in NOT_PLACES:
            forms.setdefault(bare, name)
    return forms


def strip_suffix(name: str) -> str:
    for suffix in SUFFIXES:
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            return name[: -len(suffix)]
    return name


def split_places(name: str) -> tuple[list[str], str]:
    """The place tokens a unit's name opens with, each whole and bare (聊城市, 聊城), and the rest (民政局).
    A place is one word: its pieces (城市 of 聊城市, in every unit's name) would tell (城市) from (农村) by
    nothing."""
    rest, places = compact(name), list[str]()
    while True:
        match = _LEADING.match(rest)
        if match is None or match.end() == len(rest):
            return places, rest
        token = match.group(1)
        if token in NOT_PLACES or "局" in token[:-1] or "证明" in token:
            return places, rest
        if token[-2:] in NOT_PLACES and token not in gazetteer().values():
            return places, rest  # 住房和城乡建设局: an ordinary word ends in 乡
        places += [token] + ([strip_suffix(token)] if strip_suffix(token) != token else [])
        rest = rest[match.end() :]


def unit_terms(segmenter: Segmenter, unit: str) -> Counter[str]:
    """A unit name's terms; of its opening places (聊城市, 泰山区) never a piece across the name and the
    suffix (城市, 山区: ordinary words in every unit's name, which would then tell nothing apart)."""
    places, rest = split_places(unit)
    pieces = [
        term
        for place in places
        for term in segmenter.terms(place)
        if place.startswith(term) or not place.endswith(term)
    ]
    return Counter([*places, *pieces, *segmenter.terms(rest)])


@lru_cache(maxsize=1)
def _gazetteer_order() -> dict[str, int]:
    return {form: position for position, form in enumerate(gazetteer())}


@lru_cache(maxsize=1)
def _longest_form() -> int:
    return max(map(len, gazetteer()))
