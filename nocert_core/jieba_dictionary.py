"""jieba's dictionary, loaded once per process.

Loading jieba's bundled dictionary costs about 56 MB of Python objects (≈500 000 words and prefixes) and
seconds of CPU. Three parts of the core segment Chinese text: the complaint segmenter
(adapters/text.py), the guidance index (guidance/text.py) and hot-spot keywords (jieba.analyse, which
uses jieba's global tokenizer). Each adds its own words that must not change how the others segment,
so each keeps a tokenizer of its own — but only the global one loads the dictionary; the private ones
start from a copy of its word table (`private_tokenizer`), which shares every word string and count
with it (≈15 MB for the table itself, a few milliseconds) instead of loading the file again.
This is a plain core module (no layer of its own), so both adapters and guidance may import it.
"""

from __future__ import annotations

import logging
import threading
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import jieba

_lock = threading.Lock()


def base_tokenizer() -> jieba.Tokenizer:
    """jieba's global tokenizer (the one jieba.analyse uses), initialised once and quietly; we add no
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
    """A tokenizer of its own for the words a feature adds, built from the loaded dictionary (not a second
    load): its word table is a copy of the base's, sharing the strings and counts."""
    import jieba

    base = base_tokenizer()
    tokenizer = jieba.Tokenizer()
    with _lock:
        tokenizer.FREQ = dict(base.FREQ)
        tokenizer.total = base.total
        tokenizer.initialized = True
    return tokenizer
