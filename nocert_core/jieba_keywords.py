"""TF-IDF keywords of the nouns in a text — jieba.analyse's `extract_tags(text, topK, allowPOS=NOUNS)`,
the same words in the same order, without loading what only that call's other options need.

`import jieba.analyse` loads jieba's part-of-speech table (a second copy of every one of the dictionary's
349 046 words with its tag, ≈40 MB of Python objects) and its IDF table (270 131 more copies of words, each
with its own float, ≈34 MB). Here:

* the part-of-speech table holds only the words whose tag is a noun tag (the only question the extraction
  asks of a tag is "is it one of NOUNS?"), and those words are the loaded dictionary's own strings;
* the IDF table's words are the dictionary's own strings where the dictionary has them, and its 3 328
  distinct values are one float each;
* words the dictionary does not know are still tagged by jieba's part-of-speech HMM (jieba.posseg), on
  jieba's global tokenizer (nocert_core/jieba_dictionary.py: loaded once per process).

jieba.posseg is imported with its module-level tokenizer (`jieba.posseg.dt`) given an empty tag table: in
this process, use `keywords()` (or a `jieba.posseg.POSTokenizer` of your own), not `jieba.posseg.cut`.

tests/unit/test_jieba_keywords.py compares the result with jieba.analyse's own on complaint texts.
"""

from __future__ import annotations

import io
import os
import sys
import threading
from typing import TYPE_CHECKING, Any

from nocert_core.jieba_dictionary import base_tokenizer

if TYPE_CHECKING:
    import jieba.posseg

NOUNS = frozenset({"n", "nz", "vn", "nt"})
# jieba.analyse's own stop words (KeywordExtractor.STOP_WORDS)
STOP_WORDS = frozenset(
    {
        "the",
        "of",
        "is",
        "and",
        "to",
        "in",
        "that",
        "we",
        "for",
        "an",
        "are",
        "by",
        "be",
        "as",
        "on",
        "with",
        "can",
        "if",
        "from",
        "which",
        "you",
        "it",
        "this",
        "then",
        "at",
        "have",
        "all",
        "not",
        "one",
        "has",
        "or",
    }
)
_lock = threading.Lock()


class _NounTags:
    """The part-of-speech table as jieba.posseg reads it (`.get(word, "x")`), for the noun words only."""

    def __init__(self, nouns: frozenset[str]) -> None:
        self.nouns = nouns

    def get(self, word: str, default: str) -> str:
        return "n" if word in self.nouns else default

    def update(self, other: dict[str, str]) -> None:  # jieba: words added to the global tokenizer
        raise RuntimeError("no words are added to jieba's global tokenizer")


def _data(*parts: str) -> str:
    import jieba

    with open(os.path.join(os.path.dirname(jieba.__file__), *parts), encoding="utf-8") as file:
        return file.read()


def _nouns(freq: dict[str, int]) -> frozenset[str]:
    tags: dict[str, str] = {}
    for line in _data("dict.txt").splitlines():
        word, _, tag = line.strip().split(" ")
        tags[word] = tag  # as jieba.posseg reads it: a word listed twice has its last tag
    # keep the dictionary's own strings (every word of dict.txt is a key of the loaded table)
    return frozenset(word for word in freq if tags.get(word) in NOUNS)


def _idf(freq: dict[str, int]) -> tuple[dict[str, float], float]:
    table: dict[str, str] = dict(line.strip().split(" ") for line in _data("analyse", "idf.txt").splitlines())
    values = {text: float(text) for text in set(table.values())}
    median = sorted(values[text] for text in table.values())[len(table) // 2]
    idf = {word: values[table[word]] for word in freq if word in table}
    # the few words of the IDF table the dictionary lacks, copied into one compact run of strings
    lacking = [word for word in table if word not in idf]
    copies = "\n".join(lacking).split("\n") if lacking else []
    for word, copy in zip(lacking, copies, strict=True):
        idf[copy] = values[table[word]]
    return idf, median


def _posseg_module() -> Any:
    """jieba.posseg, imported without its module-level tokenizer reading the whole part-of-speech table."""
    if "jieba.posseg" in sys.modules:
        return sys.modules["jieba.posseg"]
    tokenizer = base_tokenizer()
    with _lock:
        tokenizer.get_dict_file = lambda: io.BytesIO(b"")  # what posseg's own `dt` reads its tags from
        try:
            import jieba.posseg
        finally:
            del tokenizer.get_dict_file
    return jieba.posseg


class Keywords:
    def __init__(self) -> None:
        tokenizer = base_tokenizer()
        posseg = _posseg_module()
        self.pos: jieba.posseg.POSTokenizer = posseg.POSTokenizer.__new__(posseg.POSTokenizer)
        self.pos.tokenizer = tokenizer
        self.pos.word_tag_tab = _NounTags(_nouns(tokenizer.FREQ))
        self.idf, self.median_idf = _idf(tokenizer.FREQ)

    def extract(self, text: str, limit: int) -> list[str]:
        """The `limit` nouns of `text` with the highest TF-IDF weight, highest first (ties in text order)."""
        freq: dict[str, float] = {}
        for pair in self.pos.cut(text):
            word = pair.word
            if pair.flag not in NOUNS or len(word.strip()) < 2 or word.lower() in STOP_WORDS:
                continue
            freq[word] = freq.get(word, 0.0) + 1.0
        total = sum(freq.values())
        for word in freq:
            freq[word] *= self.idf.get(word, self.median_idf) / total
        return sorted(freq, key=freq.__getitem__, reverse=True)[:limit]


_built: list[Keywords] = []
_build_lock = threading.Lock()


def keywords() -> Keywords:
    """The process's keyword extractor (built on first use: a second or two after jieba's dictionary)."""
    if not _built:
        with _build_lock:
            if not _built:
                _built.append(Keywords())
    return _built[0]
