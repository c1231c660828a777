"""jieba's dictionary, loaded once per process, and word tables layered over it.

Loading jieba's bundled dictionary costs about 56 MB of Python objects (≈500 000 words and prefixes) and
seconds of CPU. Three parts of the core segment Chinese text: the complaint segmenter
(adapters/text.py), the guidance index (guidance/text.py) and hot-spot keywords
(nocert_core/jieba_keywords.py, on jieba's global tokenizer). Each adds its own words that must not change
how the others segment, so each keeps a tokenizer of its own — but only the global one loads the
dictionary; a private one gets a `WordTable` (`private_tokenizer`): its own added words and their prefixes
over the loaded table, which it reads through without copying it (a copy cost ≈15 MB per tokenizer).
This is a plain core module (no layer of its own), so both adapters and guidance may import it.
"""

from __future__ import annotations

import logging
import threading
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import jieba

_lock = threading.Lock()
_MISSING: Any = object()


class WordTable(dict[str, int]):
    """A tokenizer's word table: the words added to it, over a base table it never changes.

    jieba reads its table with `in`, `[]` and `.get` and writes it with `[]=` (add_word, del_word): these see
    the added words first, then the base. Iterating or `len()` see the added words only."""

    __slots__ = ("base",)

    def __init__(self, base: dict[str, int]) -> None:
        super().__init__()
        self.base = base

    def __missing__(self, key: str) -> int:
        return self.base[key]

    def __contains__(self, key: object) -> bool:
        return dict.__contains__(self, key) or key in self.base

    def get(self, key: str, default: Any = None) -> Any:
        value = dict.get(self, key, _MISSING)
        return self.base.get(key, default) if value is _MISSING else value


def base_tokenizer() -> jieba.Tokenizer:
    """jieba's global tokenizer (the one hot-spot keywords use), initialised once and quietly; we add no
    words to it."""
    import jieba

    tokenizer = jieba.dt
    if not tokenizer.initialized:
        with _lock:
            if not tokenizer.initialized:
                jieba.setLogLevel(logging.WARNING)  # no "Building prefix dict" chatter on stderr
                tokenizer.initialize()
    return tokenizer


def private_tokenizer() -> jieba.Tokenizer:
    """A tokenizer of its own for the words a feature adds, over the loaded dictionary (not a second load,
    not a copy): the words it adds go into its `WordTable` only."""
    import jieba

    base = base_tokenizer()
    tokenizer = jieba.Tokenizer()
    with _lock:
        tokenizer.FREQ = WordTable(base.FREQ)
        tokenizer.total = base.total
        tokenizer.initialized = True
    return tokenizer
