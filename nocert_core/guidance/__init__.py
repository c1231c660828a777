"""Certificate guidance (R1): answering plain-Chinese questions over the exemption catalogue.

`GuidanceIndex(entries, lexicon)` builds the index once; `answer(index, question)` answers one question.
"""

from __future__ import annotations

from nocert_core.guidance.answer import Answer, IndexedEntry, Intent, Match, ServiceRef
from nocert_core.guidance.answering.ask import certificate_entries, pair_for, service_entries
from nocert_core.guidance.respond import answer
from nocert_core.guidance.search.index import GuidanceIndex
from nocert_core.guidance.search.lexicon import Lexicon, LexiconEntry, builtin_lexicon, parse_lexicon

__all__ = [
    "Answer",
    "GuidanceIndex",
    "IndexedEntry",
    "Intent",
    "Lexicon",
    "LexiconEntry",
    "Match",
    "ServiceRef",
    "answer",
    "builtin_lexicon",
    "certificate_entries",
    "pair_for",
    "parse_lexicon",
    "service_entries",
]
