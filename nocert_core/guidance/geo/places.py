"""Which places the catalogue covers, and which place a question names (R1 scope).

The unit register says where the catalogue applies: the city of its root unit and every district, county,
town or street its units are named after (历下区行政审批服务局 → 历下区, 历下). A question that names a place
outside them — a county of the same city the register does not list, another city — gets "the catalogue has
no entry for X", never another district's rule. `data/places.csv` only tells place names from ordinary
words (寿光, 高密, 青岛); a place is covered only when the register names it.

For a covered place the units in its scope (named after it, and their sub-units) are known, so a service
offered by both a city bureau and a district branch is answered for the place the person named (and, when
no place is named, for the city-level unit).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from nocert_core.guidance.geo.abroad import country_before
from nocert_core.guidance.geo.background import ORIGIN, PROVINCES, belongs, elsewhere
from nocert_core.guidance.geo.place_names import (
    _LEADING,
    NOT_PLACES,
    _gazetteer_order,
    _longest_form,
    bare_counties,
    gazetteer,
    short_counties,
    strip_suffix,
)
from nocert_core.textnorm import compact

# Before a one-character county's name (易县, 唐县): where a place starts (elsewhere: 担任县长, not 任县).
PLACE_OPENERS = frozenset("在是去到从住回于")
# A place-looking token in a question: two to four characters and a county-level or lower suffix.
_GENERIC = re.compile(r"([\u4e00-\u9fff]{2,4}?)(县|镇|乡|街道|区)")
ZONES = ("高新区", "新区", "开发区", "保税区")  # development zones are places (a 新区 of a named city)
_CLAUSE = re.compile(r"[，,。.；;！!？?、\s]+")
# What is done where the matter is handled (办, 申请, 上户口, 登记 …), in a clause naming a place.
MATTER = re.compile(r"办|申请|申领|领取|上户口|落户|登记|备案|报销|考的|发的|认证")
_FILLER = re.compile(r"^(我在|我们在|在|去|到|从|我是|我们|俺在|人在|住在|户口在|老家在|老家|我家在)")


@dataclass(frozen=True)
class RegisterUnit:
    code: str
    name: str
    parent_code: str | None = None
    aliases: tuple[str, ...] = ()


def _from_province(text: str, start: int, end: int, placed: dict[int, bool]) -> bool:
    """A province told as where one comes from (我是安徽 …, 从山东 …) before a city of it: the city is too."""
    return text[start:end] in PROVINCES and not placed.get(start, True)


@dataclass
class PlaceScope:
    """The covered places and, for each, the units in its scope."""

    covered: dict[str, str] = field(default_factory=dict)  # form → canonical place name
    units: dict[str, set[str]] = field(default_factory=dict)  # canonical place → unit codes in scope
    city: str | None = None  # the root unit's place
    local_units: set[str] = field(default_factory=set)  # units of a place below the city (districts …)
    district: dict[str, set[str]] = field(default_factory=dict)  # place → units of its whole district
    forms: dict[str, str] = field(default_factory=dict)  # every place form to look for → canonical name
    lengths: list[int] = field(default_factory=list)
    lengths_from: dict[str, tuple[int, ...]] = field(default_factory=dict)  # first two characters → lengths
    single_forms: frozenset[str] = frozenset()  # (forms of one character, if any)
    bare_only: frozenset[str] = frozenset()  # counties without 市/县 (枝江): places only where one stands

    @classmethod
    def build(cls, units: Sequence[RegisterUnit], names_in_catalogue: Iterable[str] = ()) -> PlaceScope:
        scope = cls()
        children: dict[str | None, list[RegisterUnit]] = {}
        for unit in units:
            children.setdefault(unit.parent_code, []).append(unit)
        by_code = {unit.code: unit for unit in units}
        roots = [u for u in units if u.parent_code is None or u.parent_code not in by_code]
        for unit in units:
            for place in places_of(unit):
                canonical = scope.covered.setdefault(place, place)
                scope.covered.setdefault(strip_suffix(place), canonical)
                members = scope.units.setdefault(canonical, set())
                stack = [unit]
                while stack:  # the unit and everything under it
                    current = stack.pop()
                    members.add(current.code)
                    stack.extend(children.get(current.code, ()))
        # X区分局越河派出所: a police station is named after its area, a part of its branch's district
        district_forms = sorted((f for f in scope.covered if len(f) >= 2), key=len, reverse=True)
        for unit in units:
            name = compact(unit.name)
            station = _STATION.search(name)
            if station is None or station.group(1) in scope.covered:
                continue
            head = name[: station.start()].removesuffix("公安")
            branch = next((f for f in district_forms if head.endswith(f)), None)
            if branch is not None and scope.covered[branch] != scope.city:
                scope.covered[station.group(1)] = scope.covered[branch]
        # A branch named by a place's bare form right after the bureau's words (X市公安局东湖分局, once
        # the register has 东湖区) is that place's unit.
        branch_forms = sorted((f for f in scope.covered if len(f) >= 2), key=len, reverse=True)
        for unit in units:
            # (…公积金管理中心涿州管理部, …中心铜山分中心: a centre's branch is named the same way)
            tail = _BUREAU.split(compact(unit.name), maxsplit=1)[-1]
            form = next((f for f in branch_forms if tail.startswith(f)), None)
            if form is not None:
                stack = [unit]
                members = scope.units[scope.covered[form]]
                while stack:
                    current = stack.pop()
                    members.add(current.code)
                    stack.extend(children.get(current.code, ()))
        for root in roots:
            places = places_of(root)
            if places and scope.city is None and places[0].endswith("市"):
                scope.city = places[0]
        for place, members in scope.units.items():
            if place != scope.city:
                scope.local_units |= members
        # A place's district: the units of every covered place below the city holding all of its units
        # (东城街道 → 牡丹区, whose police branch hangs under the city bureau); failing that, everything under
        # the highest ancestor of its units below the root, so a street's question fits its district's
        # bureaus (台东 → 市北区行政审批服务局).
        root_codes = {root.code for root in roots}
        for place, members in scope.units.items():
            enclosing = [
                units
                for other, units in scope.units.items()
                if other not in (place, scope.city) and members and members < units
            ]
            if enclosing:
                scope.district[place] = set(members).union(*enclosing)
                continue
            district: set[str] = set(members)
            for code in members:
                top = by_code[code]
                while top.parent_code in by_code and top.parent_code not in root_codes:
                    top = by_code[top.parent_code]
                stack = [top]
                while stack:
                    current = stack.pop()
                    district.add(current.code)
                    stack.extend(children.get(current.code, ()))
            scope.district[place] = district
        # Place names that are part of a catalogue service or certificate name are not places asked about.
        catalogue_text = "|".join(compact(name) for name in names_in_catalogue)
        covered_forms = {form: place for form, place in scope.covered.items() if len(form) >= 2}
        forms = {**gazetteer(), **covered_forms}
        for form, name in bare_counties().items():  # (after the rest: 济宁 before 晋宁 for "Jining")
            forms.setdefault(form, name)
        scope.bare_only = frozenset(bare_counties().keys() - gazetteer().keys() - covered_forms.keys())
        scope.forms = {
            form: place
            for form, place in forms.items()
            if form not in NOT_PLACES and (form in scope.covered or form not in catalogue_text)
        }
        scope.lengths = sorted({len(form) for form in scope.forms}, reverse=True)
        starts: dict[str, set[int]] = {}
        for form in scope.forms:
            if len(form) >= 2:
                starts.setdefault(form[:2], set()).add(len(form))
        scope.lengths_from = {pair: tuple(sorted(lengths)) for pair, lengths in starts.items()}
        scope.single_forms = frozenset(form for form in scope.forms if len(form) == 1)
        return scope

    def named(self, text: str) -> list[tuple[str, bool]]:
        """The places a (normalised) question names, as written, each with whether the register covers it."""
        found: list[tuple[str, bool]] = []
        taken = [False] * len(text)
        # Where a covered place's name ends: a street or town written right after its district
        # (任城区越河街道) is inside that district, whether or not the register lists it.
        covered_ends: set[int] = set()
        # Every form the text holds, longest first, then from the left (as trying each length everywhere).
        hits = [
            (-length, start)
            for start in range(len(text))
            for length in self.lengths_from.get(text[start : start + 2], ())
            if start + length <= len(text) and text[start : start + length] in self.forms
        ]
        if self.single_forms:
            hits += [(-1, start) for start, ch in enumerate(text) if ch in self.single_forms]
        hits.sort()
        kept: list[tuple[int, str, str | None, bool]] = []
        outside_ends: dict[int, int] = {}  # where a place outside ends → where it starts
        for negative, start in hits:
            length = -negative
            form = text[start : start + length]
            if length == 2 and form in short_counties() and start and text[start - 1] not in PLACE_OPENERS:
                continue  # (落户县城, 担任县长: 户县, 任县 only where a place starts)
            if form in self.bare_only and not _stands_as_place(text, start, start + length):
                continue  # (夷陵区龙泉镇, 绿色通道: 龙泉, 通道 as no county)
            if not any(taken[start : start + length]):
                taken[start : start + length] = [True] * length
                if self.is_covered(form) and self.covered.get(form, self.forms.get(form)) != self.city:
                    covered_ends.add(start + length)  # (a town after the city's name is not vouched)
                if not self.is_covered(form):
                    outside_ends[start + length] = start
                street = text.startswith(_STREET, start + length) and not text.startswith(
                    "街道",
                    start + length,  # (湖滨街道: the place's street office, not a street)
                )
                abroad = country_before(text, start)  # 美国德州: Texas, not the city of 德州
                end = start + length
                # (a place outside one says one belongs to is the place of the matter: 我是丰县的，…)
                outside = belongs(text, start, end) and not self.is_covered(form)
                here = outside or not elsewhere(text, start, end)
                kept.append((start, form, abroad, here and not street))
        placed = {start: place for start, _form, _abroad, place in kept}
        for start, form, abroad, place in kept:
            if abroad:
                found.append((abroad + form, False))
            elif start in outside_ends and _from_province(text, outside_ends[start], start, placed):
                continue  # (我是安徽 + 宿州人: the province told as where one comes from holds its city)
            elif start in outside_ends:  # (平阴县东阿镇: a town of 平阴县, whatever else 东阿 names)
                found.append((text[outside_ends[start] : start + len(form)], False))
            elif place:
                found.append((form, self.is_covered(form)))
        free = "".join(ch if not used else " " for ch, used in zip(text, taken, strict=True))
        for segment in re.finditer(r"\S+", free):
            inside = segment.start() in covered_ends
            for match in _GENERIC.finditer(_FILLER.sub("", segment.group(0))):
                form = _name_part(match.group(1)) + match.group(2)
                zone = form.endswith(ZONES) and form not in NOT_PLACES  # 高新区, 黄渤海新区: places
                if len(form) < 3 or form in NOT_PLACES or (form[-2:] in NOT_PLACES and not zone):
                    continue
                within = inside and match.start() == 0 and form.endswith(("街道", "镇", "乡"))
                found.append((form, within or self.is_covered(form)))
        return found

    def not_only_origin(self, question: str, outside: list[str]) -> list[str]:
        """The places outside the catalogue that some clause of the (raw) question names without saying it is
        where the person comes from (ORIGIN): a hometown told beside the place of the matter is context."""
        clauses = [text for text in (compact(clause) for clause in _CLAUSE.split(question)) if text]
        # A clause that names a covered place with what is done there (回宜昌伍家岗区上户口, 在绵阳办这个备案)
        # says where the matter is: a place outside told in a clause doing nothing (在深圳出生的, 去云南自驾)
        # is the story's background.
        here = any(
            MATTER.search(text) and any(covered for _form, covered in self.named(text)) for text in clauses
        )
        kept: list[str] = []
        for text in clauses:
            if not ORIGIN.search(text) and (not here or MATTER.search(text)):
                kept += [form for form, _covered in self.named(text) if form in outside and form not in kept]
        return kept

    def is_covered(self, form: str) -> bool:
        if form in self.covered:
            return True
        full = self.forms.get(form, form)
        return full in self.covered or strip_suffix(full) in self.covered

    def district_of(self, form: str) -> set[str]:
        place = self.covered.get(form) or self.covered.get(strip_suffix(self.forms.get(form, form)))
        return self.district.get(place, set()) if place else set()

    def place_of(self, unit_code: str) -> str | None:
        """The most specific covered place below the city whose scope holds the unit (None: a city unit)."""
        holding = [
            (len(members), place)
            for place, members in self.units.items()
            if place != self.city and unit_code in members
        ]
        return min(holding)[1] if holding else None

    def scope_of(self, form: str) -> set[str]:
        place = self.covered.get(form) or self.covered.get(strip_suffix(self.forms.get(form, form)))
        return self.units.get(place, set()) if place else set()


# A place name followed by these names a street or a building (辽宁路, 南京路, 北京大厦) or a travel
# document (往来台湾通行证), not the place.
_STREET = (
    "路",
    "街",
    "大街",
    "大道",
    "巷",
    "胡同",
    "广场",
    "小区",
    "花园",
    "大厦",
    "商场",
    "通行证",
    "的通行证",  # (去台湾的通行证: a travel document's destination)
    "居民来往",
)

# Characters a place name does not hold but ordinary words around a place do ("我想这周去镇上给她办",
# "睡不着觉在乡下"): a generic X镇/X乡 token is cut after the last of them.
_NOT_IN_NAMES = frozenset(
    "我你他她们的了在去到回来从想要是这那给和跟与被把让就都也还又很再个些啥吗呢吧啊说看找办问"
)


# Around a county's name written without 市/县 where it stands as a place (枝江的…, 长阳那边…, 我在绵竹，…,
# 在绵竹办…).
_BARE_AFTER = ("的", "那边", "这边", "那里", "这里", "办", "申请", " ")


def _stands_as_place(text: str, start: int, end: int) -> bool:
    opens = start == 0 or text[start - 1] in PLACE_OPENERS or text[start - 1] == " "
    return opens and (end == len(text) or text.startswith(_BARE_AFTER, end))


def _name_part(before: str) -> str:
    """The characters before a place suffix that can be its own name (after the last ordinary word)."""
    cut = max((i + 1 for i, ch in enumerate(before) if ch in _NOT_IN_NAMES), default=0)
    return before[cut:]


# What a place's own office is called after its name (X镇人民政府, X街道办事处).
SEATS = ("人民政府", "政府", "办事处", "街道办", "便民服务中心", "为民服务中心")
_STATION = re.compile(r"分局([\u4e00-\u9fff]{2,4})派出所$")
_BUREAU = re.compile(r"局|中心")  # the words a bureau's or a centre's own name ends with


def places_of(unit: RegisterUnit) -> list[str]:
    """Leading place tokens of a unit's name and aliases (济南市历下区… → 济南市, 历下区), and known place
    names anywhere in them (章丘便民服务中心 → 章丘区)."""
    places: list[str] = []
    for name in (unit.name, *unit.aliases):
        rest = compact(name)
        while True:
            match = _LEADING.match(rest)
            if match is None or match.group(1) in NOT_PLACES:
                break
            token = match.group(1)
            if "局" in token[:-1]:  # 公安局历下区分局: the bureau's words are not the place's
                rest = rest[token.index("局") + 1 :]
                continue
            known = token in gazetteer().values()  # (兰山区 is a place, though 山区 is a word)
            # (陈集镇人民政府, alias 齐村镇: a town's own office is named after it, though 集镇 is a word)
            seat = rest[match.end() :].startswith(SEATS) or match.end() == len(rest)
            known = known or (seat and len(token) >= 3)
            word_goes_on = rest[match.end() :].startswith(("场", "域", "划"))  # 人才市场, 区域: no 人才市
            if (token[-2:] in NOT_PLACES and not known) or "证明" in token or (word_goes_on and not known):
                break  # 住房和城乡建设局, “无证明城市”专班: an ordinary word ends in 乡/市, no place
            if len(token) >= 3 or token.endswith("街道"):
                places.append(token)
            rest = rest[match.end() :]
        # (every substring of the name looked up, in the list's order, rather than every name of the list
        # searched for: the list holds every county of China)
        text, order = compact(name), _gazetteer_order()
        longest = _longest_form()
        inside = {
            text[start:end]
            for start in range(len(text))
            for end in range(start + 2, min(len(text), start + longest) + 1)
            if text[start:end] in order
        }
        for form in sorted(inside, key=order.__getitem__):
            place = gazetteer()[form]
            if place not in places:
                places.append(place)
    return places


__all__ = [
    "PlaceScope",
    "RegisterUnit",
    "places_of",
]
