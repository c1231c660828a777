"""The guidance index: services ranked with BM25F, certificates found by name, built once and reused.

Services (distinct service codes) are documents with three fields — the service name, the implementing
unit and the name's character bigrams (the fallback for words jieba does not know) — weighted BM25F-style.
Term weights are precomputed into an inverted index whose postings are sorted by weight; a query walks
the postings of its rarest terms and only re-scores those candidates for very common terms, so no query
scans every row. Certificates and colloquial phrases are found as substrings (longest first) against the
catalogue's official names and the lexicon. See docs/guidance.md.
"""

from __future__ import annotations

import math
import re
import threading
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from nocert_core.domain.catalogue import certificate_key
from nocert_core.guidance.answer import IndexedEntry, ServiceRef
from nocert_core.guidance.certificates import CatalogueNames, CertificateResolver
from nocert_core.guidance.english import place_terms
from nocert_core.guidance.fuzzy import TypoCorrector
from nocert_core.guidance.kinds import ACTION_CLASSES, CLASS_MARK, CLASS_WEIGHT, classes_of
from nocert_core.guidance.lexicon import DESCRIPTION_MARK, Lexicon, description_pattern, is_description
from nocert_core.guidance.places import PlaceScope, RegisterUnit, gazetteer, unit_terms
from nocert_core.guidance.text import STOPWORDS, Segmenter, bigrams, normalise

if TYPE_CHECKING:  # numpy is imported with the first index (docs/startup.md), not with this module
    import numpy as np
    from numpy.typing import NDArray

K1 = 1.2
FIELDS = {"name": (1.0, 0.6), "unit": (0.3, 0.3), "grams": (0.25, 0.75)}  # weight, length normalisation b
COMMON_POSTINGS = 400  # a term with more postings only re-scores candidates found through rarer terms
CANDIDATES = 200  # candidates kept (by their score so far) before the common terms re-score them
GRAM_QUERY_WEIGHT = 0.5
COMMON_WORD = 20  # jieba frequency above which a window is a real word, never a typo
PROOF_WORDS = {"证明", "证书", "执照", "合同", "报告", "发票", "凭证"}  # so 正明 → 证明 (a typo)
UNKNOWN_WEIGHT = 1.0  # a word no service name knows weighs like the rarest known word
SIBLINGS = 8  # services told apart by the person's own words…
SIBLING_WINDOW = 0.3  # …when they score within this share of the best…
SIBLING_NAMES = 0.5  # …and their names share this much (Dice of character bigrams) with the best one's
UNSEEN = 2**62  # a service no posting of a ranking has reached (yet)
TERMS_MEMO = 4096  # texts whose terms an index remembers (cleared when full)
CUT_SHORT = ("明", "书")  # what goes on after 证 in a longer proof's name (证明, 证书)


@dataclass
class ServiceDoc:
    code: str
    name: str
    unit: str
    unit_code: str | None
    key: str  # normalised name, for exact-phrase boosts
    entries: list[int] = field(default_factory=list)  # indexes into GuidanceIndex.entries
    certificates: dict[str, int] = field(default_factory=dict)  # certificate key → entry index
    _grams: frozenset[str] | None = field(default=None, repr=False, compare=False)
    _spans: tuple[Span, ...] | None = field(default=None, repr=False, compare=False)

    def ref(self) -> ServiceRef:
        return ServiceRef(self.code, self.name, self.unit, self.unit_code)

    @property
    def grams(self) -> frozenset[str]:
        """The character bigrams of the name (how alike two names are), computed when first needed."""
        if self._grams is None:
            self._grams = frozenset(bigrams(self.key))
        return self._grams


@dataclass
class Span:
    start: int
    end: int
    kind: str  # certificate | service
    value: str  # official certificate name, or official service words
    text: str  # what the person wrote


class GuidanceIndex:
    def __init__(
        self, entries: Iterable[IndexedEntry], lexicon: Lexicon, units: Sequence[RegisterUnit] = ()
    ) -> None:
        self.entries: list[IndexedEntry] = list(entries)
        self.lexicon = lexicon
        self.services: list[ServiceDoc] = []
        self.service_by_code: dict[str, int] = {}
        self.certificates: dict[str, list[int]] = defaultdict(list)  # certificate key → entry indexes
        self.certificate_names: dict[str, str] = {}  # certificate key → display name
        for position, entry in enumerate(self.entries):
            doc_index = self.service_by_code.get(entry.service_code)
            if doc_index is None:
                doc_index = self.service_by_code[entry.service_code] = len(self.services)
                self.services.append(
                    ServiceDoc(
                        entry.service_code,
                        entry.service,
                        entry.unit,
                        entry.unit_code,
                        normalise(entry.service),
                    )
                )
            doc = self.services[doc_index]
            doc.entries.append(position)
            key = certificate_key(entry.certificate)
            doc.certificates.setdefault(key, position)
            self.certificates[key].append(position)
            self.certificate_names.setdefault(key, entry.certificate)
        self.segmenter = Segmenter(self._user_words())
        self._build_patterns()
        self._build_service_index()
        self.resolver = CertificateResolver(self.certificate_names, lexicon)
        vocabulary = set(self.patterns) | {term for term in self.idf if not term.startswith("#")}
        vocabulary |= PROOF_WORDS
        vocabulary |= {word for words in ACTION_CLASSES.values() for word in words.split()}  # 新半 → 新办
        self.typos = TypoCorrector(
            vocabulary,
            lambda word: (self.segmenter.frequency(word) or 0) > COMMON_WORD,
            self.segmenter.cut,
        )
        if not units:  # no register: the units the catalogue names are the register
            units = [RegisterUnit(doc.unit_code or doc.unit, doc.unit) for doc in self.services]
        self.places = PlaceScope.build(
            units, [*self.certificate_names.values(), *(d.name for d in self.services)]
        )
        # The register's places first: of two places alike in pinyin (兰山区 / 岚山区) the covered one.
        covered = [form for form in self.places.forms if form in self.places.covered]
        self.place_pinyin = place_terms([*covered, *self.places.forms], gazetteer().values())

    # ---- building -------------------------------------------------------------------------------------
    def _user_words(self) -> set[str]:
        words = {word for word in self.lexicon.certificates if not is_description(word)}
        words |= set(self.lexicon.certificates.values())
        words |= set(self.lexicon.services)
        for official in self.lexicon.services.values():
            words.update(official.split())
        words.update(self.certificate_names.values())
        return words

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

    def _build_service_index(self) -> None:
        field_terms: list[dict[str, Counter[str]]] = []
        lengths: dict[str, float] = defaultdict(float)
        for doc in self.services:
            fields = {
                "name": Counter(self.segmenter.terms(doc.name)),
                "unit": unit_terms(self.segmenter, doc.unit),
                "grams": Counter("#" + gram for gram in bigrams(doc.key)),
            }
            field_terms.append(fields)
            for name, counts in fields.items():
                lengths[name] += sum(counts.values())
        count = max(len(self.services), 1)
        average = {name: max(total / count, 1.0) for name, total in lengths.items()}
        document_frequency: Counter[str] = Counter()
        for fields in field_terms:
            document_frequency.update({term for counts in fields.values() for term in counts})
        self.idf = {
            term: math.log(1 + (count - df + 0.5) / (df + 0.5)) for term, df in document_frequency.items()
        }
        postings: dict[str, list[tuple[float, int]]] = defaultdict(list)
        self.forward: list[dict[str, float]] = []
        for doc_index, fields in enumerate(field_terms):
            pseudo_tf: dict[str, float] = defaultdict(float)
            for name, counts in fields.items():
                weight, b = FIELDS[name]
                norm = 1 - b + b * sum(counts.values()) / average[name]
                for term, tf in counts.items():
                    pseudo_tf[term] += weight * tf / norm
            weights = {term: self.idf[term] * (K1 + 1) * tf / (K1 + tf) for term, tf in pseudo_tf.items()}
            for term, value in weights.items():
                postings[term].append((value, doc_index))
            for kind in classes_of(
                self.services[doc_index].key
            ):  # what is done: 补证, 换证, 首次 (no posting)
                weights[CLASS_MARK + kind] = CLASS_WEIGHT
            self.forward.append(weights)
        # Per term: how many services have it, and its best COMMON_POSTINGS postings as {service: weight}
        # (what a query adds up — a term with more only re-scores candidates found through rarer terms).
        self.posting_counts = {term: len(items) for term, items in postings.items()}
        # (as two arrays per term, services and weights best first: a query adds them with one vector
        # operation per term instead of a Python step per posting — the walk that grew with the catalogue)
        self._top_postings: dict[str, tuple[NDArray[np.intp], NDArray[np.float64]]] = {}
        # and a common term's every posting by service number, to re-score candidates by lookup
        self._all_postings: dict[str, tuple[NDArray[np.intp], NDArray[np.float64]]] = {}
        for term, items in postings.items():
            best = sorted(items, reverse=True)[:COMMON_POSTINGS]
            self._top_postings[term] = _arrays([(doc, value) for value, doc in best])
            if (
                len(items) > COMMON_POSTINGS
            ):  # (a last posting of no service: every lookup lands in the arrays)
                ordered = sorted((doc, value) for value, doc in items)
                self._all_postings[term] = _arrays([*ordered, (len(self.services), 0.0)])
        self.max_idf = math.log(1 + (count - 0.5) / 1.5)  # a word only one service has
        self._scratch_arrays = threading.local()
        self._terms_of: dict[str, tuple[tuple[str, bool], ...]] = {}

    # ---- querying -------------------------------------------------------------------------------------
    def name_spans(self, doc_index: int) -> list[Span]:
        """`find_spans` of a service's (normalised) name: the same every time, found once per service."""
        doc = self.services[doc_index]
        if doc._spans is None:
            doc._spans = tuple(self.find_spans(doc.key))
        return list(doc._spans)

    def _scratch(self) -> tuple[NDArray[np.float64], NDArray[np.intp]]:
        """Per thread, a score and a first-posting array over every service, all zero / UNSEEN between
        rankings: a ranking touches only its postings' services, never a whole catalogue-sized array."""
        import numpy as np

        scratch = self._scratch_arrays
        if not hasattr(scratch, "scores"):
            scratch.scores = np.zeros(len(self.services))
            scratch.first = np.full(len(self.services), UNSEEN, dtype=np.intp)
        return scratch.scores, scratch.first

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

    def query_terms(self, texts: Sequence[tuple[str, float]]) -> dict[str, float]:
        """Terms of weighted texts; a word the index does not know adds its character bigrams instead."""
        terms: dict[str, float] = {}
        for text, weight in texts:
            for term, gram in self._text_terms(text):
                terms[term] = max(terms.get(term, 0.0), weight * GRAM_QUERY_WEIGHT if gram else weight)
        return terms

    def _text_terms(self, text: str) -> tuple[tuple[str, bool], ...]:
        """The index's terms of a text in order, each with whether it is a character pair standing in for a
        word (weighing GRAM_QUERY_WEIGHT); remembered per text (the steps of an answer ask again)."""
        found = self._terms_of.get(text)
        if found is None:
            pairs: list[tuple[str, bool]] = []
            for term in self.segmenter.terms(text):
                if term in self.idf:
                    pairs.append((term, False))
                elif not term.startswith("#"):
                    pairs.extend(("#" + gram, True) for gram in bigrams(term) if "#" + gram in self.idf)
                else:
                    pairs.append((term, True))  # (a pair no service name has: no term)
            found = tuple((term, gram) for term, gram in pairs if term in self.idf)
            if len(self._terms_of) >= TERMS_MEMO:
                self._terms_of.clear()
            self._terms_of[text] = found
        return found

    def is_unknown(self, word: str) -> bool:
        """A word no service name knows, not even by its character pairs (渔船, 乘车, 港澳)."""
        if len(word) < 2 or word in STOPWORDS or word.isdigit() or word in self.idf or word in self.patterns:
            return False  # (a lexicon word — 租房, 买房 — is mapped to the catalogue's words)
        if any("#" + gram in self.idf for gram in bigrams(word)):
            return False
        return not any(part in self.idf for part in self.segmenter.terms(word))

    def unknown_mass(self, words: Iterable[str]) -> float:
        """The weight of the words that name the service asked about but no service name knows: counted in
        a match's confidence, so a service found through the other words alone (登记, 老年人) is not
        answered for ("渔船登记" is not 不动产登记)."""
        return len({word for word in words if self.is_unknown(word)}) * self.max_idf * UNKNOWN_WEIGHT

    def rank_services(
        self,
        terms: dict[str, float],
        phrases: Sequence[str] = (),
        limit: int = 10,
        groups: Sequence[set[str]] = (),
        aside: set[str] | None = None,
    ) -> tuple[list[tuple[int, float]], float]:
        """Best services first with scores, and the query's own weight (for a match's confidence; terms
        `aside` score but are not part of it)."""
        if not terms:
            return [], 0.0
        import numpy as np

        # The rarest term and every term with few postings are added up, all at once: their postings joined
        # and summed per service in the order of the terms (as a term-by-term walk adds them); each service
        # is numbered by where its first posting is, so ties keep the order a dict filled term by term would
        # give (same answers). The other common terms only re-score candidates, below.
        rarest = sorted(terms, key=self.posting_counts.__getitem__)
        walked = rarest[:1] + [term for term in rarest[1:] if self.posting_counts[term] <= COMMON_POSTINGS]
        deferred = [term for term in rarest[1:] if self.posting_counts[term] > COMMON_POSTINGS]
        postings = [self._top_postings[term] for term in walked]
        docs = np.concatenate([docs for docs, _values in postings])
        values = np.concatenate([values for _docs, values in postings])
        values *= np.repeat([terms[term] for term in walked], [len(docs) for docs, _values in postings])
        positions = np.arange(len(docs))
        scores, first = self._scratch()  # (all zero / unseen: only the postings' services are touched)
        try:
            np.add.at(scores, docs, values)  # (in the order of the postings, as a term-by-term walk adds)
            np.minimum.at(first, docs, positions)
            found = docs[first[docs] == positions]  # each service at its first posting: the order reached
            found_scores = scores[found]
        finally:
            scores[docs], first[docs] = 0.0, UNSEEN
        order = np.arange(len(found))  # ties go by this order
        if deferred and len(found) > CANDIDATES:  # the best so far, ties by when they were reached
            chosen = _best(found_scores, order, CANDIDATES)
            found, found_scores, order = found[chosen], found_scores[chosen], order[: len(chosen)]
        for term in deferred:  # only the candidates: each one's weight looked up in the term's postings
            docs, values = self._all_postings[term]  # (by service, ending in a service number none has)
            where = np.searchsorted(docs, found)
            found_scores += values[where] * (docs[where] == found) * terms[term]
        chosen = _best(found_scores, order, max(limit * 3, 30))
        top = list(zip(found[chosen].tolist(), found_scores[chosen].tolist(), strict=True))
        if phrases:
            boosted = []
            for doc_index, score in top:
                key, hits = self.services[doc_index].key, 0
                for phrase in phrases:
                    if phrase in key:
                        hits += 1
                boosted.append((doc_index, score * (1 + 0.3 * min(hits, 2))))
            top = sorted(boosted, key=lambda item: item[1], reverse=True)

        def weigh(term: str) -> float:
            return terms[term] * self.idf[term] * (FIELDS["grams"][0] if term.startswith("#") else 1.0)

        # Word synonyms (补贴 津贴 补助) are one word of the question: a service has one of them, so the group
        # counts once (its heaviest) in the question's weight, not once per synonym.
        grouped = {term for group in groups for term in group} | (aside or set())
        mass = sum(weigh(term) for term in terms if term not in grouped)
        mass += sum(max(weigh(term) for term in group) for group in groups if group)
        return top[:limit], mass

    def prefer_distinguishing(
        self, ranked: list[tuple[int, float]], own: dict[str, float], placed: bool = False
    ) -> list[tuple[int, float]]:
        """Among sibling services, the one the person's own distinguishing words point to comes first.

        Siblings are plausible services whose names mostly agree with the best one's (住房公积金提取 for
        buying / renting / retiring). Words all of them share say nothing; IDF over the siblings themselves
        weighs the rest (购房, 租赁, 职工, 城乡居民). Only the person's own words (and word synonyms) count:
        a lexicon phrase mapped to one sibling's full name is the lexicon's guess, not evidence. With a place
        named (`placed`), another unit's listing of the same service is not put first by words.
        """
        if len(ranked) < 2 or not own:
            return ranked
        best_doc, best = ranked[0]
        top_grams = self.services[best_doc].grams
        siblings = []
        for doc_index, score in ranked[:SIBLINGS]:
            grams = self.services[doc_index].grams
            alike = 2 * len(grams & top_grams) / max(len(grams) + len(top_grams), 1)
            if score >= best * SIBLING_WINDOW and alike >= SIBLING_NAMES:
                siblings.append(doc_index)
        if len(siblings) < 2:
            return ranked
        size = len(siblings)
        frequency: Counter[str] = Counter()
        for doc_index in siblings:
            frequency.update(term for term in own if term in self.forward[doc_index])

        # (each word's IDF over the siblings once; a word all of them have is left out)
        rarity = {term: math.log(size / count) for term, count in frequency.items() if count < size}

        def distinguishing(doc_index: int) -> float:
            forward = self.forward[doc_index]
            return sum(
                weight * forward[term] * rarity[term]
                for term, weight in own.items()
                if term in forward and term in rarity
            )

        chosen = max(siblings, key=lambda doc_index: (distinguishing(doc_index), doc_index == best_doc))
        twin = placed and self.services[chosen].name == self.services[best_doc].name
        if chosen == best_doc or twin:
            return ranked  # (the same service listed by another unit: the place named decides, not words)
        return [(chosen, best)] + [item for item in ranked if item[0] != chosen]


def _best(scores: NDArray[np.float64], ties: NDArray[np.intp], count: int) -> NDArray[np.intp]:
    """Where the `count` best scores are, best first, equal scores by `ties` (only the scores at least the
    count-th best are sorted)."""
    import numpy as np

    if len(scores) > count:
        kth = np.partition(-scores, count - 1)[count - 1]
        within = np.flatnonzero(-scores <= kth)
    else:
        within = np.arange(len(scores))
    chosen: NDArray[np.intp] = within[np.lexsort((ties[within], -scores[within]))][:count]
    return chosen


def _arrays(pairs: list[tuple[int, float]]) -> tuple[NDArray[np.intp], NDArray[np.float64]]:
    """(services, weights) of postings as two arrays, in the given order."""
    import numpy as np

    return (
        np.fromiter((doc for doc, _value in pairs), dtype=np.intp, count=len(pairs)),
        np.fromiter((value for _doc, value in pairs), dtype=np.float64, count=len(pairs)),
    )
