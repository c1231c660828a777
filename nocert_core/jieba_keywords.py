"""TF-IDF keywords of the nouns in a text — jieba.analyse's `extract_tags(text, topK, allowPOS=NOUNS)`,
the same words in the same order, without loading what only that call's other options need.

`import jieba.analyse` loads jieba's part-of-speech table (a second copy of every one of the dictionary's
349 046 words with its tag, ≈40 MB of Python objects) and its IDF table (270 131 more copies of words, each
with its own float, ≈34 MB). Here:

* the part-of-speech table holds only the words whose tag is a noun tag (the only question the extraction
  asks of a tag is "is it one of NOUNS?"), in a MARISA trie (≈1 MB);
* the IDF table is a MARISA trie of its words and an array of their values by key id (≈3 MB);
* both are built from jieba's files once, by a worker process, and cached (nocert_core/table_cache.py);
* words the dictionary does not know are still tagged by jieba's part-of-speech HMM (jieba.posseg), on
  jieba's global tokenizer (nocert_core/jieba_dictionary.py: loaded once per process).

jieba.posseg is imported with its module-level tokenizer (`jieba.posseg.dt`) given an empty tag table: in
this process, use `keywords()` (or a `jieba.posseg.POSTokenizer` of your own), not `jieba.posseg.cut`.

tests/unit/text/test_jieba_keywords.py compares the result with jieba.analyse's own on complaint texts.
"""

from __future__ import annotations

import io
import sys
import threading
from array import array
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import marisa_trie

from nocert_core.jieba_dictionary import base_tokenizer
from nocert_core.table_cache import load_table

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

    def __init__(self, nouns: marisa_trie.Trie) -> None:
        self.nouns = nouns

    def get(self, word: str, default: str) -> str:
        return "n" if word in self.nouns else default

    def update(self, other: dict[str, str]) -> None:  # jieba: words added to the global tokenizer
        raise RuntimeError("no words are added to jieba's global tokenizer")


class _Idf:
    """jieba.analyse's IDF table (`.get(word, default)`): its words in a trie, their values by key id."""

    def __init__(self, words: marisa_trie.Trie, values: array[float]) -> None:
        self.words = words
        self.values = values

    def get(self, word: str, default: float) -> float:
        index = self.words.get(word)
        return default if index is None else self.values[index]


def _lines(source: Path) -> Iterator[list[str]]:
    with source.open(encoding="utf-8") as file:
        for line in file:
            yield line.strip().split(" ")


def tables_bytes(idf_source: Path) -> bytes:
    """The noun and IDF tables from jieba's idf.txt and dict.txt (run by a worker: table_cache.py). Stored
    as: the median IDF (float64), the IDF word count and the IDF trie's length (two uint64), the IDF values
    by key id (float64 each), the IDF trie, the noun trie."""
    tags: dict[str, str] = {}
    for word, _, tag in _lines(idf_source.parent.parent / "dict.txt"):
        tags[word] = tag  # as jieba.posseg reads it: a word listed twice has its last tag
    nouns = marisa_trie.Trie(word for word, tag in tags.items() if tag in NOUNS)
    table = {word: float(value) for word, value in _lines(idf_source)}  # as jieba.analyse reads it
    words = marisa_trie.Trie(table)
    values = array("d", bytes(8 * len(words)))
    for word, value in table.items():
        values[words.key_id(word)] = value
    median = sorted(table.values())[len(table) // 2]
    idf_trie = words.tobytes()
    header = array("d", [median]).tobytes() + array("Q", [len(words), len(idf_trie)]).tobytes()
    return bytes(header + values.tobytes() + idf_trie + nouns.tobytes())


def read_tables(data: bytes) -> tuple[_NounTags, _Idf, float]:
    (median,) = array("d", data[:8])
    count, trie_length = array("Q", data[8:24])
    values = array("d", data[24 : 24 + 8 * count])
    start = 24 + 8 * count
    words, nouns = marisa_trie.Trie(), marisa_trie.Trie()
    words.frombytes(data[start : start + trie_length])
    nouns.frombytes(data[start + trie_length :])
    if len(values) != count or len(words) != count or not len(nouns):
        raise ValueError("damaged keyword tables")
    return _NounTags(nouns), _Idf(words, values), median


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
        idf_source = Path(posseg.__file__).parent.parent / "analyse" / "idf.txt"
        self.pos.word_tag_tab, self.idf, self.median_idf = load_table(
            "jieba-keywords", idf_source, tables_bytes, read_tables
        )

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
