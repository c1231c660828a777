"""Services ranked with BM25F over an inverted index, for the guidance index (index.py).

Services (distinct service codes) are documents with three fields — the service name, the implementing
unit and the name's character bigrams (the fallback for words jieba does not know) — weighted BM25F-style.
Term weights are precomputed into an inverted index whose postings are sorted by weight; a query walks
the postings of its rarest terms and only re-scores those candidates for very common terms, so no query
scans every row. See docs/guidance.md.
"""

from __future__ import annotations

import math
import threading
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from nocert_core.guidance.geo.place_names import unit_terms
from nocert_core.guidance.search.text import STOPWORDS, Segmenter, bigrams, dice
from nocert_core.guidance.siblings.kinds import CLASS_MARK, CLASS_WEIGHT, classes_of

if TYPE_CHECKING:  # numpy is imported with the first index (docs/startup.md), not with this module
    import numpy as np
    from numpy.typing import NDArray

    from nocert_core.guidance.search.index import ServiceDoc

K1 = 1.2
FIELDS = {"name": (1.0, 0.6), "unit": (0.3, 0.3), "grams": (0.25, 0.75)}  # weight, length normalisation b
COMMON_POSTINGS = 400  # a term with more postings only re-scores candidates found through rarer terms
CANDIDATES = 200  # candidates kept (by their score so far) before the common terms re-score them
GRAM_QUERY_WEIGHT = 0.5
UNKNOWN_WEIGHT = 1.0  # a word no service name knows weighs like the rarest known word
SIBLINGS = 8  # services told apart by the person's own words…
SIBLING_WINDOW = 0.3  # …when they score within this share of the best…
SIBLING_NAMES = 0.5  # …and their names share this much (Dice of character bigrams) with the best one's
UNSEEN = 2**62  # a service no posting of a ranking has reached (yet)
TERMS_MEMO = 4096  # texts whose terms an index remembers (cleared when full)


class ServiceRanking:
    """The ranking of GuidanceIndex (a base class of it): built from the services the index has read."""

    services: list[ServiceDoc]
    segmenter: Segmenter
    patterns: dict[str, tuple[str, str]]

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

    def _scratch(self) -> tuple[NDArray[np.float64], NDArray[np.intp]]:
        """Per thread, a score and a first-posting array over every service, all zero / UNSEEN between
        rankings: a ranking touches only its postings' services, never a whole catalogue-sized array."""
        import numpy as np

        scratch = self._scratch_arrays
        if not hasattr(scratch, "scores"):
            scratch.scores = np.zeros(len(self.services))
            scratch.first = np.full(len(self.services), UNSEEN, dtype=np.intp)
        return scratch.scores, scratch.first

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
            alike = dice(self.services[doc_index].grams, top_grams)
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
