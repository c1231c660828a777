"""Resolving a certificate the person named against the catalogue's OWN certificate vocabulary.

The lexicon maps a colloquial name to one official wording, but another city's catalogue may word the proof
differently (学历证书 for 毕业证书, 转诊转院证明 for 转诊证明). A mention is therefore compared with the names
the catalogue lists — first those of the service asked about, then all — through every name it could go by:
what the person wrote, the lexicon's official name, and the lexicon's other names for that official name
(its alternatives). The score is `NameSimilarity` (rare characters weigh more); an alternative counts a
little less than the person's own words and the official name.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from nocert_core.domain.catalogue import certificate_key
from nocert_core.guidance.search.fuzzy import NameSimilarity
from nocert_core.guidance.search.lexicon import Lexicon, is_description
from nocert_core.guidance.search.text import bigrams, normalise

RELATED_CACHE = 50_000
PROOF_ENDINGS = ("证明", "证", "书", "执照", "卡", "簿", "本", "合同", "声明", "报告")  # a proof's name
IN_SERVICE = 0.72  # similarity that makes a certificate listed for the service the one asked about
GLOBAL = 0.84  # similarity needed to name a catalogue certificate when no service decides
ALTERNATIVE_WEIGHT = 0.95
COMMON_SHARE = 0.2  # characters in more than this share of names do not find candidates


class CertificateResolver:
    def __init__(self, certificate_names: dict[str, str], lexicon: Lexicon) -> None:
        self.display = certificate_names  # catalogue key → display name
        self.normal = {key: normalise(name) for key, name in certificate_names.items()}
        self.by_normal = {name: key for key, name in self.normal.items()}
        self.groups: dict[str, set[str]] = defaultdict(set)  # official → all its names
        self.official_of: dict[str, str] = {}
        for colloquial, official in lexicon.certificates.items():
            if is_description(colloquial):
                continue
            self.groups[official].update({normalise(colloquial), normalise(official)})
            self.official_of[normalise(colloquial)] = official
        self.officials = {normalise(official) for official in self.groups}  # the lexicon's documents
        self.family_of: dict[str, frozenset[str]] = {}
        for family in lexicon.families:
            names = frozenset(normalise(name) for name in family)
            for name in names:
                self.family_of[name] = self.family_of.get(name, frozenset()) | names
        vocabulary = set(self.normal.values()) | {n for names in self.groups.values() for n in names}
        self.similarity = NameSimilarity(vocabulary)
        by_char: dict[str, set[str]] = defaultdict(set)
        for key, name in self.normal.items():
            for ch in set(name):
                by_char[ch].add(key)
        limit = max(3, int(len(self.normal) * COMMON_SHARE))
        self.by_char = {ch: keys for ch, keys in by_char.items() if len(keys) <= limit}

    def names_for(self, said: str, official: str) -> list[tuple[str, float]]:
        """Every name the mention could go by, with its weight."""
        names: dict[str, float] = {}
        for name in (said, official):
            if normalise(name):
                names[normalise(name)] = 1.0
        for name in (said, official):
            also = self.official_of.get(normalise(name), "")
            for group in (self.groups.get(official, ()), self.groups.get(also, ())):
                for alternative in group:
                    names.setdefault(alternative, ALTERNATIVE_WEIGHT)
        return sorted(names.items(), key=lambda item: -item[1])

    def other_family(self, names: list[tuple[str, float]], key: str) -> bool:
        """The listed proof belongs to a family the mention is not in (驾驶证 vs 机动车行驶证): alike names
        of different proofs, never the same one."""
        listed = self.family_of.get(self.normal.get(key, ""))
        if not listed:
            return False
        # A family of the person's words or the lexicon's official name decides; one of the lexicon's other
        # names for it may sit in the listed proof's family (失业证明 for 离职证明) without being that proof.
        own = [name for name, weight in names if weight >= 1.0 and name in self.family_of]
        if own:
            return not any(name in listed for name in own)
        return not any(name in listed for name, _weight in names)

    def in_family(self, names: list[tuple[str, float]], keys: Iterable[str]) -> str | None:
        """The first of `keys` (a service's list) whose name is, exactly, another name of the same proof in a
        certificate family (住所（经营场所）使用证明 for 租房合同). Families match exactly, never fuzzily."""
        family: set[str] = set()
        for name, weight in names:
            if weight >= 1.0:  # the person's words and the lexicon's official name, not its other names
                family |= self.family_of.get(name, frozenset())
        return next((key for key in keys if self.normal.get(key) in family), None)

    def score(self, names: list[tuple[str, float]], key: str) -> float:
        listed = self.normal.get(key, "")
        return max((weight * self.similarity(name, listed) for name, weight in names), default=0.0)

    def best(
        self, names: list[tuple[str, float]], keys: Iterable[str], scores: dict[str, float] | None = None
    ) -> tuple[str | None, float]:
        """The most similar of `keys` (ties: the one closest to the first, most literal name). `scores`:
        the keys' scores for these names so far (sibling services list the same proofs), filled in."""
        best, best_score = None, 0.0
        for key in keys:
            if scores is None:
                value = self.score(names, key)
            else:
                value = scores.get(key, -1.0)
                if value < 0:
                    value = scores[key] = self.score(names, key)
            if value > best_score or (
                value == best_score
                and best is not None
                and self.similarity(names[0][0], self.normal[key])
                > self.similarity(names[0][0], self.normal[best])
            ):
                best, best_score = key, value
        return best, best_score

    def candidates(self, names: list[tuple[str, float]]) -> set[str]:
        """Catalogue certificates sharing a distinctive character with any of the names."""
        found: set[str] = set()
        for name, _weight in names:
            for ch in set(name):
                found.update(self.by_char.get(ch, ()))
        return found

    def resolve(self, names: list[tuple[str, float]], threshold: float = GLOBAL) -> tuple[str | None, float]:
        """The catalogue certificate the names stand for anywhere in the catalogue, if one is close enough."""
        exact = [name for name, weight in names if name in self.by_normal and weight >= 1.0]
        if exact:
            return self.by_normal[exact[0]], 1.0
        key, value = self.best(names, sorted(self.candidates(names)))  # (ties: the same answer every run)
        return (key, value) if value >= threshold else (None, value)


class CatalogueNames:
    """The catalogue's certificate keys a name stands for: the same, or one ends with the other and the rest
    names no proof (身份证 / 居民身份证 — never 劳动合同 for 解除劳动合同证明, nor 出生医学证明遗失声明 for
    遗失声明: other proofs around the same words). A longer name that starts with it (遗失声明登报证明) is
    kept apart: the question's own words must name the rest (`named_longer`). Computed on demand, cached."""

    def __init__(self, catalogue_keys: list[str]) -> None:
        self.catalogue_keys = catalogue_keys
        self.known = set(catalogue_keys)
        self._same: dict[str, list[str]] = {}
        self._longer: dict[str, list[tuple[str, str]]] = {}

    def keys(self, official: str) -> list[str]:
        found = self._same.get(official)
        return found if found is not None else self._relate(official)

    def _relate(self, official: str) -> list[str]:
        key = certificate_key(official)
        same, longer = ([key], []) if key in self.known else ([], [])
        for c in self.catalogue_keys if len(key) >= 3 and not same else ():
            if len(c) < 3 or c == key:
                continue
            if (c.endswith(key) and not c[: -len(key)].endswith(PROOF_ENDINGS)) or (
                key.endswith(c) and not key[: -len(c)].endswith(PROOF_ENDINGS)
            ):
                same.append(c)
            elif key in c:
                longer.append((c, c.replace(key, " ", 1)))
        if len(self._same) > RELATED_CACHE:
            self._same.clear()
            self._longer.clear()
        self._same[official], self._longer[official] = same, longer
        return same

    def named_longer(self, official: str, text: str) -> list[str]:
        """Catalogue certificates whose longer name holds `official` and whose other words the question
        says too ("登报的遗失声明" → 遗失声明登报证明)."""
        if official not in self._longer:
            self._relate(official)
        return [
            key
            for key, rest in self._longer.get(official, ())
            if any(gram in text for part in rest.split() for gram in bigrams(part))
        ]
