"""jieba's dictionary, loaded once per process, and word tables layered over it.

jieba's own loading of its bundled dictionary makes a dict of ≈500 000 words and prefixes: ≈60 MB of Python
objects, in every process. Here it is a `Dictionary` instead: a MARISA trie of the same keys and an array
of their frequencies (≈3 MB), which jieba reads as it reads its dict (same answers for every key); built
once from jieba's dict.txt by a worker process and cached on disk (nocert_core/table_cache.py).

Three parts of the core segment Chinese text: the complaint segmenter
(adapters/text.py), the guidance index (guidance/search/text.py) and hot-spot keywords
(nocert_core/jieba_keywords.py, on jieba's global tokenizer). Each adds its own words that must not change
how the others segment, so each keeps a tokenizer of its own — but only the global one loads the
dictionary; a private one gets a `WordTable` (`private_tokenizer`): its own added words and their prefixes
over the loaded table, which it reads through without copying it (a copy cost ≈15 MB per tokenizer).
This is a plain core module (no layer of its own), so both adapters and guidance may import it.
"""

from __future__ import annotations

import math
import threading
from array import array
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import marisa_trie

from nocert_core.table_cache import load_table

if TYPE_CHECKING:
    import jieba

_lock = threading.Lock()
_MISSING: Any = object()
BASE_MEMO = 50_000  # base-table fragments a private tokenizer remembers (a plain dict: fast lookups, ≈5 MB)


class WordTable(dict[str, int]):
    """A tokenizer's word table: the words added to it, over a base table it never changes.

    jieba reads its table with `in`, `[]` and `.get` and writes it with `[]=` (add_word, del_word): these see
    the added words first, then the base. Iterating or `len()` see the added words only."""

    __slots__ = ("base",)

    def __init__(self, base: Dictionary) -> None:
        super().__init__()
        self.base = base

    def __missing__(self, key: str) -> int:
        return self.base[key]

    def __contains__(self, key: object) -> bool:
        return dict.__contains__(self, key) or key in self.base

    def get(self, key: str, default: Any = None) -> Any:
        value = dict.get(self, key, _MISSING)
        return self.base.get(key, default) if value is _MISSING else value


class Dictionary(marisa_trie.Trie):  # type: ignore[misc, unused-ignore]  # marisa_trie: no type hints
    """jieba's word table, as jieba reads it: `in`, `[]` and `.get` give each word's frequency and 0 for a
    prefix of a word (what jieba's own dict holds), from a MARISA trie of the words and their prefixes and an
    array of frequencies by key id — ≈3 MB instead of the ≈60 MB of Python objects of jieba's dict."""

    def __init__(self, freqs: array[int], total: int) -> None:
        super().__init__()
        self.freqs = freqs
        self.total = total

    def __getitem__(self, key: str) -> int:
        return self.freqs[int(super().__getitem__(key))]

    def get(self, key: str, default: Any = None) -> Any:
        index = super().get(key)
        return default if index is None else self.freqs[index]


def load_dictionary(source: Path) -> Dictionary:
    """jieba's dictionary file as a `Dictionary` (cached, built by a worker: nocert_core/table_cache.py)."""
    return load_table("jieba-dictionary", source, dictionary_bytes, read_dictionary)


def dictionary_bytes(source: Path) -> bytes:
    """As jieba's `gen_pfdict`: every word and each of its prefixes (frequency 0 unless a word itself); a
    word listed twice has its last frequency; the total counts every line. Stored as: total and key count
    (two uint64), the frequencies by key id (uint32 each), the trie."""

    def words_and_prefixes() -> Iterator[str]:
        with source.open(encoding="utf-8") as lines:
            for line in lines:
                word = line.strip().split(" ")[0]
                for end in range(1, len(word) + 1):
                    yield word[:end]

    trie = marisa_trie.Trie(words_and_prefixes())
    freqs = array("I", bytes(4 * len(trie)))
    total = 0
    with source.open(encoding="utf-8") as lines:
        for line in lines:
            word, freq = line.strip().split(" ")[:2]
            freqs[trie.key_id(word)] = int(freq)
            total += int(freq)
    header = array("Q", [total, len(freqs)])
    return bytes(header.tobytes() + freqs.tobytes() + trie.tobytes())


def read_dictionary(data: bytes) -> Dictionary:
    header = array("Q")
    header.frombytes(data[:16])
    total, count = header
    freqs = array("I")
    freqs.frombytes(data[16 : 16 + 4 * count])
    if len(freqs) != count:
        raise ValueError("a damaged jieba dictionary table")
    dictionary = Dictionary(freqs, total)
    dictionary.frombytes(data[16 + 4 * count :])
    if len(dictionary) != count:
        raise ValueError("a damaged jieba dictionary table")
    return dictionary


def base_tokenizer() -> jieba.Tokenizer:
    """jieba's global tokenizer (the one hot-spot keywords use), its word table a `Dictionary` loaded once
    (jieba's own loading, and its dict, are never used); we add no words to it."""
    import jieba

    tokenizer = jieba.dt
    if not tokenizer.initialized:
        with _lock:
            if not tokenizer.initialized:
                dictionary = load_dictionary(Path(jieba.__file__).parent / jieba.DEFAULT_DICT_NAME)
                tokenizer.FREQ, tokenizer.total = dictionary, dictionary.total
                tokenizer.initialized = True
    return tokenizer


_private_class: Any = None


def _private_tokenizer_class() -> Any:
    """jieba.Tokenizer reading a `WordTable` with C-level dict lookups (own words, then the base) instead of
    the table's Python-level `in`/`get` — segmentation was most of the time guidance spends per question."""
    global _private_class
    if _private_class is None:
        import jieba

        class PrivateTokenizer(jieba.Tokenizer):  # type: ignore[misc, unused-ignore]
            """Base-table answers are remembered in a plain dict (`memo`, bounded): the trie answers a
            fragment once, later lookups are C-level dict lookups, like jieba's own dict."""

            memo: dict[str, Any]

            def remember(self, fragment: str) -> Any:
                if len(self.memo) > BASE_MEMO:
                    self.memo.clear()
                value = self.memo[fragment] = self.FREQ.base.get(fragment)
                return value

            def get_DAG(self, sentence: str) -> dict[int, list[int]]:
                table, own_get, memo_get = self.FREQ, dict.get, self.memo.get
                dag: dict[int, list[int]] = {}
                n = len(sentence)
                for k in range(n):
                    found = []
                    i = k
                    frag = sentence[k]
                    while i < n:
                        value = own_get(table, frag)
                        if value is None:
                            value = memo_get(frag, _MISSING)
                            if value is _MISSING:
                                value = self.remember(frag)
                            if value is None:
                                break
                        if value:
                            found.append(i)
                        i += 1
                        frag = sentence[k : i + 1]
                    dag[k] = found or [k]
                return dag

            def cut_for_search(self, sentence: str, HMM: bool = True) -> Iterator[str]:
                table, own_get, memo_get = self.FREQ, dict.get, self.memo.get
                for word in self.cut(sentence, HMM=HMM):
                    size = len(word)
                    for n in (2, 3) if size > 2 else ():
                        if size <= n:
                            continue
                        for i in range(size - n + 1):
                            gram = word[i : i + n]
                            value = own_get(table, gram)
                            if value is None:
                                value = memo_get(gram, _MISSING)
                                if value is _MISSING:
                                    value = self.remember(gram)
                            if value:
                                yield gram
                    yield word

            def calc(self, sentence: str, dag: dict[int, list[int]], route: dict[int, Any]) -> None:
                table, own_get, memo_get = self.FREQ, dict.get, self.memo.get
                n = len(sentence)
                route[n] = (0, 0)
                logtotal = math.log(self.total)
                for idx in range(n - 1, -1, -1):
                    best: Any = None
                    for x in dag[idx]:
                        word = sentence[idx : x + 1]
                        value = own_get(table, word)
                        if value is None:
                            value = memo_get(word, _MISSING)
                            if value is _MISSING:
                                value = self.remember(word)
                        candidate = (math.log(value or 1) - logtotal + route[x + 1][0], x)
                        if best is None or candidate > best:
                            best = candidate
                    route[idx] = best

        _private_class = PrivateTokenizer
    return _private_class


def private_tokenizer() -> jieba.Tokenizer:
    """A tokenizer of its own for the words a feature adds, over the loaded dictionary (not a second load,
    not a copy): the words it adds go into its `WordTable` only."""
    base = base_tokenizer()
    tokenizer = _private_tokenizer_class()()
    with _lock:
        tokenizer.FREQ = WordTable(base.FREQ)
        tokenizer.total = base.total
        tokenizer.initialized = True
        tokenizer.memo = {}
    return tokenizer
