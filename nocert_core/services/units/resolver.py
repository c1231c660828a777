"""Resolve what a citizen calls an agency ("奎文区审批局", "不动产中心", "车管所") to ranked units.

How a unit scores against the text (all in `UnitIndex.rank`, each step readable on its own):
1. exact: the text equals a unit's name or alias → 1.0;
2. same core: equal after removing the district and "潍坊(市)" → 0.85 ("奎文区审批局" ~ the alias
   "奎文审批局", "市审批局" ~ "潍坊市审批局");
3. otherwise overlap of features — jieba tokens (search mode) plus agency *concepts* that bridge colloquial
   and official words (社保 ~ 社会保险, 车管所 ~ 车辆管理所, 人社局 ~ 人力资源和社会保障局) — weighted by
   how rare each feature is among the units (IDF): 0.7 × the share of the text's features the unit has,
   plus 0.3 × the best Dice overlap with one of its names, scaled to at most 0.8; a unit also carries its
   parent's features ("奎文区民政局婚姻登记处" finds the 婚姻登记处 under 奎文区民政局);
4. district: when the text names a district (奎文区, 高新区, 青州 …) its units are kept, the city's units are
   damped (×0.8) and other districts' units nearly dropped (×0.4); when it names the city ("潍坊市…",
   "市社保") city units are preferred. With neither, a name found in several districts stays ambiguous.
The top unit is *clear* when it scores ≥ 0.6 and leads the next by ≥ 0.12; otherwise the caller gets the
candidates to choose from. Before that, what the register itself says: a name it gives to several units
("市民政局" for the city's and a county-level city's) is asked; a name only one unit carries, whose kind of
office (its last character: 中心, 局, 所, 部 …) no other close candidate shares, is that unit ("公积金中心"
where the county branches are 管理部). With a place named, that place's own unit goes before the city's
unit above it ("市中公安": 市中区's branch), the one unit of the place that fits at all is chosen, and the
place's units are offered first. The index is built once per unit set (cached by content), not per call.
What a name says (districts, city, core, concepts, features) is read by `services/units/agency_words.py`.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from nocert_core.adapters.text import normalise, segmenter
from nocert_core.domain.units import Unit
from nocert_core.guidance.geo.place_names import strip_suffix
from nocert_core.guidance.geo.places import PlaceScope, RegisterUnit
from nocert_core.services.units.agency_words import OFFICE_HEADS, core_of, features_of, find_districts

CLEAR_SCORE = 0.6
CLEAR_MARGIN = 0.12
MIN_CANDIDATE_SCORE = 0.3
MAX_CANDIDATES = 5
PLACELESS_SCORE = 0.5  # with no place named, candidates this good at different levels or places: ask


@dataclass
class UnitCandidate:
    code: str
    name: str
    score: float


@dataclass
class Resolution:
    unit: UnitCandidate | None  # set when one unit is clearly meant
    candidates: list[UnitCandidate] = field(default_factory=list)  # ranked, best first

    @property
    def is_ambiguous(self) -> bool:
        return self.unit is None and len(self.candidates) > 1


@dataclass
class _Entry:
    unit: Unit
    district: str | None
    exact: set[str]  # normalised name and aliases
    cores: set[str]  # the same without district and city
    form_features: list[set[str]]
    features: set[str]


class UnitIndex:
    """Everything about the unit set that does not depend on the text, computed once."""

    def __init__(self, units: Sequence[Unit]) -> None:
        by_code = {unit.code: unit for unit in units}
        # sorted: jieba sets an added word's frequency from the words added before it
        segmenter().add_words(sorted(_short_forms(units)))
        own_features: dict[str, list[set[str]]] = {}
        self.entries: list[_Entry] = []
        for unit in units:
            forms = [name for name in unit.names() if name.strip()]
            cores = [core_of(form)[2] for form in forms]
            own_features[unit.code] = [features_of(core) for core in cores if core]
            self.entries.append(
                _Entry(
                    unit=unit,
                    district=_district_of(unit, by_code),
                    exact={normalise(form) for form in forms},
                    cores={core for core in cores if core},
                    form_features=own_features[unit.code],
                    features=set(),
                )
            )
        for entry in self.entries:
            parent = entry.unit.parent_code
            inherited = own_features.get(parent, []) if parent else []
            entry.features = set().union(*entry.form_features, *inherited)
        # Where each unit is, from the register itself (any city's): a generic name ("公安局", "人社局") that
        # names no place fits the city bureau and every district's branch alike.
        self.places = PlaceScope.build(
            [RegisterUnit(u.code, u.name, u.parent_code, tuple(u.aliases or ())) for u in units]
        )
        frequency = Counter(feature for entry in self.entries for feature in entry.features)
        total = max(len(self.entries), 1)
        self.idf = {feature: math.log((total + 1) / (count + 0.5)) for feature, count in frequency.items()}

    def _weight(self, features: Iterable[str]) -> float:
        # fsum: exact whatever order the set gives, so a rounded score never differs between runs
        return math.fsum(self.idf.get(feature, 0.0) for feature in features)

    def _score(self, entry: _Entry, text: str, core: str, features: set[str]) -> float:
        if text in entry.exact:
            return 1.0
        if core and core in entry.cores:
            return 0.85
        known = {feature for feature in features if feature in self.idf}
        if not known or not entry.features:
            return 0.0
        coverage = self._weight(known & entry.features) / self._weight(known)
        best_dice = max(
            (
                2 * self._weight(known & form) / (self._weight(known) + self._weight(form))
                for form in entry.form_features
            ),
            default=0.0,
        )
        return 0.8 * (0.7 * coverage + 0.3 * best_dice)

    def rank(self, text: str) -> list[UnitCandidate]:
        normalised = normalise(text)
        if not normalised:
            return []
        districts, names_city, core = core_of(text)
        features = features_of(core) if core else set()
        ranked = []
        for entry in self.entries:
            if core or normalised in entry.exact:
                score = self._score(entry, normalised, core, features)
            else:  # only a district (or the city) is named: its government, if any, as a candidate
                named = entry.district in districts if districts else (names_city and entry.district is None)
                is_government = any("@人民政府" in form for form in entry.form_features)
                score = 0.5 if named and is_government else 0.0
            score = _by_district(score, entry.district, districts, names_city)
            if score >= MIN_CANDIDATE_SCORE:
                ranked.append(UnitCandidate(entry.unit.code, entry.unit.name, round(score, 3)))
        ranked.sort(key=lambda candidate: (-candidate.score, candidate.code))
        return ranked

    def resolve(self, text: str) -> Resolution:
        everything = self.rank(text)
        ranked = everything[:MAX_CANDIDATES]
        if not ranked:
            return Resolution(None, [])
        normalised = normalise(text)
        city_name = strip_suffix(self.places.city or "")
        # the city itself is not one of its districts: "济南行政审批服务局" (an English agency translated,
        # without 市) names the city level, like 济南市…
        named = [
            place
            for place, covered in self.places.named(normalised)
            if covered and not (city_name and strip_suffix(place) == city_name)
        ]
        # the city by its name, or "市…" ("市公积金中心"): the city-level unit, judged by the register's own
        # places (a county's branch is local even where the Weifang spellings do not know the county)
        city = bool(city_name) and city_name in normalised
        city = city or core_of(text)[1]
        shared = [entry.unit.code for entry in self.entries if normalised in entry.exact]
        if len(shared) > 1:  # the register gives this very name to several units ("市民政局"): ask
            return Resolution(None, sorted(ranked, key=lambda c: c.code not in shared))
        if not named and not city:
            only = self._one_of_its_kind(normalised, core_of(text)[2], ranked)
            if only is not None:
                return Resolution(only, ranked)
            if self._placeless(ranked):
                return Resolution(None, ranked)
        top = ranked[0]
        close = [c for c in ranked if c.score >= top.score - CLEAR_MARGIN]
        own: set[str] = set()  # the named places' own units
        scope: set[str] = set()  # … and the units serving them (the city's above them)
        for place in named:
            own |= self.places.scope_of(place)
            scope |= self.places.scope_of(place) | self.places.district_of(place)
        if named or city:  # the register's own places (any city's): a district named, or only the city
            # the named place's own unit first ("市中公安": 市中区's branch, not the city bureau above it)
            for allowed in (own, scope) if named else (None,):
                fitting = [
                    c
                    for c in close
                    if (c.code in allowed if allowed is not None else c.code not in self.places.local_units)
                ]
                if len(fitting) > 1:  # several fit: the one of the kind of office named ("…医疗保障局")
                    fitting = self._of_kind(normalised, fitting)
                if len(fitting) == 1 and fitting[0].score >= CLEAR_SCORE:
                    return Resolution(fitting[0], [fitting[0], *[c for c in ranked if c is not fitting[0]]])
            in_place = [c for c in everything if c.code in own]
            if len(in_place) == 1 and in_place[0].score >= PLACELESS_SCORE:
                return Resolution(in_place[0], [in_place[0], *[c for c in ranked if c is not in_place[0]]])
        runner_up = ranked[1].score if len(ranked) > 1 else 0.0
        if top.score >= CLEAR_SCORE and top.score - runner_up >= CLEAR_MARGIN:
            return Resolution(top, ranked)
        if named:  # to choose from: the named place's units first ("环翠区的街道办": its own streets)
            everything.sort(key=lambda c: (c.code not in own, c.code not in scope))
            return Resolution(None, everything[:MAX_CANDIDATES])
        return Resolution(None, ranked)

    def _of_kind(self, text: str, candidates: list[UnitCandidate]) -> list[UnitCandidate]:
        """The candidates with a name of the kind of office the text ends with (all of them when it names
        no kind or none has it)."""
        head = text[-1:]
        names = {entry.unit.code: entry.exact for entry in self.entries}
        kind = [c for c in candidates if any(name.endswith(head) for name in names[c.code])]
        return kind if head in OFFICE_HEADS and kind else candidates

    def _one_of_its_kind(self, text: str, core: str, ranked: list[UnitCandidate]) -> UnitCandidate | None:
        """The text is one unit's own name or alias (or that name without its place), and no other close
        candidate is an office of the kind it names ("公积金中心" where the county branches are 管理部, never
        中心): that unit. "公安局" where the districts have 公安分局 stays a question."""
        head = text[-1:]
        if head not in OFFICE_HEADS:
            return None
        city = strip_suffix(self.places.city or "")
        without_city = {f"{city}市{text}", f"{city}{text}"} if city else set()  # 住房公积金管理中心
        own = [
            entry
            for entry in self.entries
            if text in entry.exact or (core and core in entry.cores) or without_city & entry.exact
        ]
        if len(own) != 1:
            return None
        code = own[0].unit.code
        kinds = {entry.unit.code: entry.exact for entry in self.entries}
        if any(
            c.code != code and c.score >= PLACELESS_SCORE and any(n.endswith(head) for n in kinds[c.code])
            for c in ranked
        ):
            return None
        return next((c for c in ranked if c.code == code), None)

    def _placeless(self, ranked: list[UnitCandidate]) -> bool:
        """A generic agency name naming no place (no city, district or street of the register) that fits a
        city-level unit and a district's branch alike ("公安局", "人社局"): not for the resolver to guess."""
        local = self.places.local_units
        close = [c for c in ranked if c.score >= PLACELESS_SCORE]
        return (
            len({c.code in local for c in close}) > 1 or len({c.code for c in close if c.code in local}) > 1
        )


def _by_district(score: float, unit_district: str | None, named: set[str], names_city: bool) -> float:
    if score <= 0:
        return score
    if named:
        if unit_district in named:
            return min(1.0, score + 0.05)
        return score * (0.8 if unit_district is None else 0.4)
    if names_city:
        return min(1.0, score + 0.05) if unit_district is None else score * 0.8
    return score


def _district_of(unit: Unit, by_code: dict[str, Unit]) -> str | None:
    seen: set[str] = set()
    current: Unit | None = unit
    while current is not None and current.code not in seen:
        seen.add(current.code)
        districts, _ = find_districts(normalise(current.name))
        if districts:
            return sorted(districts)[0]
        current = by_code.get(current.parent_code) if current.parent_code else None
    return None


def _short_forms(units: Sequence[Unit]) -> set[str]:
    """Short names are worth teaching jieba ("车管所", "社保中心"); whole official names are not — as one
    token they would hide their parts from the overlap."""
    words = set()
    for unit in units:
        for name in unit.names():
            core = core_of(name)[2]
            if 2 <= len(core) <= 5:
                words.add(core)
    return words


def _fingerprint(units: Sequence[Unit]) -> tuple[tuple[str, str, str | None, tuple[str, ...]], ...]:
    return tuple(sorted((u.code, u.name, u.parent_code, tuple(u.aliases or ())) for u in units))


@lru_cache(maxsize=4)
def _index_for(fingerprint: tuple[tuple[str, str, str | None, tuple[str, ...]], ...]) -> UnitIndex:
    units = [
        Unit(code=code, name=name, parent_code=parent, aliases=list(aliases))
        for code, name, parent, aliases in fingerprint
    ]
    return UnitIndex(units)


def index_for(units: Sequence[Unit]) -> UnitIndex:
    """The index for this unit set; rebuilt only when a unit's code, name, parent or aliases changed."""
    return _index_for(_fingerprint(units))


def resolve_agency(units: Sequence[Unit], text: str) -> Resolution:
    return index_for(units).resolve(text)


def names_a_unit(units: Sequence[Unit], text: str) -> bool:
    """The text is a unit's own name or alias, even one the register gives to several ("区民政局")."""
    normalised = normalise(text)
    return bool(normalised) and any(normalised in entry.exact for entry in index_for(units).entries)
