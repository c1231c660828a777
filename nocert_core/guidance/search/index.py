"""The guidance index: services ranked with BM25F, certificates found by name, built once and reused.

The ranking is ranking.py (BM25F over an inverted index of the service names, units and character bigrams);
the names found in a text are spans.py (lexicon and catalogue names, longest first). This module reads the
catalogue's entries into services and builds both, the certificate resolver, the typo corrector and the
places. See docs/guidance.md.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from nocert_core.domain.catalogue import certificate_key
from nocert_core.guidance.answer import IndexedEntry, ServiceRef
from nocert_core.guidance.geo.place_names import listed_names
from nocert_core.guidance.geo.places import PlaceScope, RegisterUnit
from nocert_core.guidance.reading.english import place_terms
from nocert_core.guidance.search.certificates import CertificateResolver
from nocert_core.guidance.search.fuzzy import TypoCorrector
from nocert_core.guidance.search.lexicon import Lexicon, is_description
from nocert_core.guidance.search.ranking import ServiceRanking
from nocert_core.guidance.search.spans import NameSpans, Span
from nocert_core.guidance.search.text import Segmenter, bigrams, normalise
from nocert_core.guidance.siblings.kinds import ACTION_CLASSES

COMMON_WORD = 20  # jieba frequency above which a window is a real word, never a typo
PLACE_ENDS = ("省", "市", "县", "区", "旗", "镇", "乡", "街道")  # a place's name written in full
RARE_WORD = 5  # jieba frequency at or below which an index term is a fragment, not a word a typo can mean
PROOF_WORDS = {"证明", "证书", "执照", "合同", "报告", "发票", "凭证"}  # so 正明 → 证明 (a typo)


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


class GuidanceIndex(NameSpans, ServiceRanking):
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
        # (an index term jieba's table holds only as a rare fragment — 明补 of 证明补发, 不动 of 不动产 — is
        # no word a typo is a slip of: "开无房证明不？" stays, "要不懂" stays)
        vocabulary = set(self.patterns) | {
            term
            for term in self.idf
            if not term.startswith("#")
            and (term in self.segmenter.user_words or (self.segmenter.frequency(term) or 0) > RARE_WORD)
        }
        vocabulary |= PROOF_WORDS
        vocabulary |= {word for words in ACTION_CLASSES.values() for word in words.split()}  # 新半 → 新办
        if not units:  # no register: the units the catalogue names are the register
            units = [RegisterUnit(doc.unit_code or doc.unit, doc.unit) for doc in self.services]
        self.places = PlaceScope.build(
            units, [*self.certificate_names.values(), *(d.name for d in self.services)]
        )
        self.typos = TypoCorrector(
            vocabulary,
            lambda word: (self.segmenter.frequency(word) or 0) > COMMON_WORD,
            self.segmenter.cut,
            # a place written in full is written as meant (临邑县 is no slip of 临沂县, 海阳市 of 海洋)
            written_right=[form for form in self.places.forms if form.endswith(PLACE_ENDS)],
        )
        # The register's places first: of two places alike in pinyin (兰山区 / 岚山区) the covered one.
        covered = [form for form in self.places.forms if form in self.places.covered]
        self.place_pinyin = place_terms([*covered, *self.places.forms], listed_names())

    # ---- building -------------------------------------------------------------------------------------
    def _user_words(self) -> set[str]:
        words = {word for word in self.lexicon.certificates if not is_description(word)}
        words |= set(self.lexicon.certificates.values())
        words |= set(self.lexicon.services)
        for official in self.lexicon.services.values():
            words.update(official.split())
        words.update(self.certificate_names.values())
        return words
