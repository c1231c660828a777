"""Names in a text: the substrings that name a certificate or a service (lexicon and catalogue names, longest
first) and the lexicon's descriptions of a proof, for the guidance index (index.py). See docs/guidance.md.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import TYPE_CHECKING

from nocert_core.guidance.search.certificates import CatalogueNames
from nocert_core.guidance.search.lexicon import DESCRIPTION_MARK, Lexicon, description_pattern, is_description
from nocert_core.guidance.search.text import bigrams, normalise

if TYPE_CHECKING:
    from nocert_core.guidance.search.index import ServiceDoc

CUT_SHORT = ("明", "书")  # what goes on after 证 in a longer proof's name (证明, 证书)


@dataclass
class Span:
    start: int
    end: int
    kind: str  # certificate | service
    value: str  # official certificate name, or official service words
    text: str  # what the person wrote


class NameSpans:
    """The name finding of GuidanceIndex (a base class of it): built from what the index has read."""

    lexicon: Lexicon
    services: list[ServiceDoc]
    certificate_names: dict[str, str]

    def _build_patterns(self) -> None:
        """Substrings that name a certificate or a service, by their normalised text."""
        self.patterns: dict[str, tuple[str, str]] = {}
        # "打疫苗…本" → 预防接种证, with the words a text must hold for the description to be in it
        self.descriptions: list[tuple[re.Pattern[str], str, tuple[str, ...]]] = []
        for colloquial, official in self.lexicon.services.items():
            self.patterns[normalise(colloquial)] = ("service", official)
        for name in self.lexicon.certificates.values():
            self.patterns[normalise(name)] = ("certificate", name)
        for colloquial, official in self.lexicon.certificates.items():
            if is_description(colloquial):
                parts = DESCRIPTION_MARK.join(normalise(part) for part in colloquial.split(DESCRIPTION_MARK))
                needed = tuple(part for part in parts.split(DESCRIPTION_MARK) if part)
                self.descriptions.append((re.compile(description_pattern(parts)), official, needed))
            else:
                self.patterns[normalise(colloquial)] = ("certificate", official)
        # A name the catalogue itself lists stays that name (a city may list 退休证 where the lexicon says
        # 职工退休审批表).
        for name in self.certificate_names.values():
            self.patterns[normalise(name)] = ("certificate", name)
        # …and so does a service's: a lexicon phrase that is a listed service's whole name (失业登记, which
        # the lexicon sends to 就业创业证申领 for lists without it) names that service.
        for doc in self.services:
            known = self.patterns.get(doc.key)
            if known is not None and known[0] == "service" and normalise(known[1]) != doc.key:
                self.patterns[doc.key] = ("service", doc.name)
        self.patterns.pop("", None)
        self._pattern_lengths = sorted({len(key) for key in self.patterns}, reverse=True)
        starts: dict[str, set[int]] = defaultdict(set)  # first character → the lengths of names starting so
        for key in self.patterns:
            starts[key[0]].add(len(key))
        self._lengths_from = {ch: sorted(lengths, reverse=True) for ch, lengths in starts.items()}
        catalogue_keys = list(self.certificate_names)
        self.names = CatalogueNames(catalogue_keys)  # a name → the catalogue's keys it stands for
        # Certificate names by bigram, for a proof named in words no list knows (Dice similarity).
        self._certificate_grams: dict[str, set[str]] = defaultdict(set)
        for key in catalogue_keys:
            for gram in set(bigrams(normalise(self.certificate_names[key]))):
                self._certificate_grams[gram].add(key)

    def name_spans(self, doc_index: int) -> list[Span]:
        """`find_spans` of a service's (normalised) name: the same every time, found once per service."""
        doc = self.services[doc_index]
        if doc._spans is None:
            doc._spans = tuple(self.find_spans(doc.key))
        return list(doc._spans)

    def find_spans(
        self, text: str, inner: list[str] | None = None, licences: list[Span] | None = None
    ) -> list[Span]:
        """Lexicon/catalogue names in the text, longest first, not overlapping (a certificate wins a tie)."""
        found: list[Span] = []
        for position in range(len(text)):
            for length in self._lengths_from.get(text[position], ()):
                if position + length <= len(text):
                    hit = self.patterns.get(text[position : position + length])
                    if hit is not None:
                        found.append(
                            Span(
                                position,
                                position + length,
                                hit[0],
                                hit[1],
                                text[position : position + length],
                            )
                        )
        # A service phrase whose tail begins a certificate's name that goes on past it (出生登记结婚证:
        # 登记结婚 + 结婚证) is not read: the name the words end with is the proof.
        tails = [(s.start, s.end) for s in found if s.kind == "certificate"]
        if tails:
            found = [
                s for s in found if s.kind != "service" or not any(s.start < a < s.end < b for a, b in tails)
            ]
        found.sort(key=lambda s: (s.start - s.end, s.kind != "certificate", s.start))
        taken = [False] * len(text)
        spans: list[Span] = []
        for span in found:
            if not any(taken[span.start : span.end]):
                taken[span.start : span.end] = [True] * (span.end - span.start)
                spans.append(span)
        if inner is not None:  # "买房" inside "买房提公积金": its words tell siblings apart
            outer = [span for span in spans if span.kind == "service"]
            inner.extend(
                # (the official words sharing two characters with it, if any: 丧葬费 → 丧葬补助金, not the
                # 抚恤金 the lexicon names beside it — its guess among siblings, not the person's word)
                " ".join(part for part in span.value.split() if len(set(part) & set(span.text)) >= 2)
                or span.value
                for span in found
                if span.kind == "service"
                and span not in spans
                and any(o.start <= span.start and span.end <= o.end for o in outer)
            )
        if licences is not None:  # 驾照 of 补驾照: the licence a service phrase is about (never 行驶证)
            outer = [span for span in spans if span.kind == "service"]
            licences.extend(
                span
                for span in found
                if span.kind == "certificate"
                and any(o.start <= span.start and span.end <= o.end for o in outer)
            )
        # A description ("打疫苗的那个小本") names a proof unless a name the lists know is inside it.
        for pattern, official, needed in self.descriptions:
            if needed and needed[0] not in text:
                continue  # (its words are not all there: no match, for most descriptions in most texts)
            for described in pattern.finditer(text):
                first, last = described.start(), described.end()
                inside = [s for s in spans if s.start < last and first < s.end]
                # (not a name cut short inside the description's words: 房子证 of 没有房子证明)
                if any(s.kind == "certificate" and not text.startswith(CUT_SHORT, s.end) for s in inside):
                    continue
                spans = [s for s in spans if s not in inside]
                spans.append(Span(first, last, "certificate", official, described.group()))
        return sorted(spans, key=lambda s: s.start)

    def named_longer(self, official: str, text: str) -> list[str]:
        return self.names.named_longer(official, text)

    def official_keys(self, official: str) -> list[str]:
        return self.names.keys(official)

    def similar_certificate(self, words: str, threshold: float = 0.6) -> str | None:
        """The catalogue certificate sharing most character bigrams with `words` (Dice ≥ threshold)."""
        grams = set(bigrams(normalise(words)))
        if not grams:
            return None
        shared: Counter[str] = Counter()
        for gram in grams:
            shared.update(self._certificate_grams.get(gram, ()))
        best, best_score = None, 0.0
        for key, overlap in shared.items():
            size = len(set(bigrams(normalise(self.certificate_names[key]))))
            score = 2 * overlap / (len(grams) + size)
            if score > best_score:
                best, best_score = key, score
        return best if best_score >= threshold else None
