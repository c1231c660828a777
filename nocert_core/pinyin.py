"""pypinyin, with its phrase table held compactly.

Two parts of guidance read pinyin: typo correction (the sound of one character:
nocert_core/guidance/search/fuzzy.py) and English place names (a place name's pinyin, where phrases decide the
reading: 重庆 is "chongqing", not "zhongqing": nocert_core/guidance/reading/english.py). pypinyin keeps its
47 111 phrases as the lists and strings `json.load` made of them
(≈35 MB of Python objects, ≈38 MB of RSS once parsed) and a copy of its tables.
Here pypinyin is imported with no phrase table and no copies (its own switches PYPINYIN_NO_PHRASES and
PYPINYIN_NO_DICT_COPY), then given the same phrases as a `PhraseTable`: a MARISA trie of the phrases and
their prefixes with each phrase's readings (≈2 MB), built from pypinyin's JSON once by a worker process
and cached on disk (nocert_core/table_cache.py), handed to pypinyin as the fresh list it expects; its
segmenter's prefix set is the same trie. The readings are the same, so every result is
(tests/unit/text/test_pinyin.py).

Import pypinyin through `pypinyin()` here, never directly.
"""

from __future__ import annotations

import json
import os
import sys
import threading
from array import array
from collections.abc import Mapping
from pathlib import Path
from types import ModuleType
from typing import Any

import marisa_trie

from nocert_core.table_cache import load_table

_lock = threading.Lock()
_SWITCHES = ("PYPINYIN_NO_PHRASES", "PYPINYIN_NO_DICT_COPY")


class PhraseTable:
    """phrase → readings per character, read as pypinyin reads its own table (`in`, `[]` giving a fresh
    list of lists it may change, `len`); its trie is also the prefix set of pypinyin's segmenter. A MARISA
    trie of the phrases and their prefixes, and each phrase's readings ("chóng qìng", a character's
    options joined by ",") as UTF-8 in one block, by key id."""

    def __init__(self, trie: marisa_trie.Trie, offsets: array[int], readings: bytes, phrases: int) -> None:
        self.trie = trie
        self.offsets = offsets  # key id i: readings[offsets[i] : offsets[i + 1]], empty for a prefix
        self.readings = readings
        self.phrases = phrases

    def _span(self, phrase: str) -> tuple[int, int] | None:
        index = self.trie.get(phrase)
        if index is None or self.offsets[index] == self.offsets[index + 1]:
            return None
        return self.offsets[index], self.offsets[index + 1]

    def __contains__(self, phrase: object) -> bool:
        return isinstance(phrase, str) and self._span(phrase) is not None

    def __getitem__(self, phrase: str) -> list[list[str]]:
        span = self._span(phrase)
        if span is None:
            raise KeyError(phrase)
        text = self.readings[span[0] : span[1]].decode()
        return [options.split(",") for options in text.split(" ")]

    def get(self, phrase: str, default: Any = None) -> Any:
        try:
            return self[phrase]
        except KeyError:
            return default

    def __len__(self) -> int:
        return self.phrases


class PrefixSet:
    """pypinyin's segmenter's prefix set (`in`: is it the start of some phrase?), from the phrase trie."""

    def __init__(self, trie: marisa_trie.Trie) -> None:
        self.trie = trie

    def __contains__(self, key: object) -> bool:
        return key in self.trie

    def train(self, words: Any) -> None:  # pypinyin: phrases added at run time (load_phrases_dict)
        raise RuntimeError("no phrases are added to pypinyin here")


def phrase_table_bytes(phrases: dict[str, list[list[str]]]) -> bytes:
    """The table's bytes: the key count and the phrase count (two uint64), the readings' offsets by key id
    (count + 1 uint32), the readings, the trie."""
    trie = marisa_trie.Trie(phrase[:end] for phrase in phrases for end in range(1, len(phrase) + 1))
    encoded = [b""] * len(trie)
    for phrase, readings in phrases.items():
        encoded[trie.key_id(phrase)] = " ".join(",".join(options) for options in readings).encode()
    offsets = array("I", [0])
    for text in encoded:
        offsets.append(offsets[-1] + len(text))
    header = array("Q", [len(trie), len(phrases)])
    return bytes(header.tobytes() + offsets.tobytes() + b"".join(encoded) + trie.tobytes())


def phrases_bytes(source: Path) -> bytes:
    """pypinyin's phrases_dict.json as a table's bytes (run by a worker: nocert_core/table_cache.py)."""
    with source.open(encoding="utf-8") as file:
        phrases: dict[str, list[list[str]]] = json.load(file)
    return phrase_table_bytes(phrases)


def read_phrases(data: bytes) -> PhraseTable:
    header = array("Q")
    header.frombytes(data[:16])
    count, phrases = header
    offsets = array("I")
    end = 16 + 4 * (count + 1)
    offsets.frombytes(data[16:end])
    if len(offsets) != count + 1 or len(data) < end + offsets[-1]:
        raise ValueError("a damaged pinyin phrase table")
    readings = data[end : end + offsets[-1]]
    trie = marisa_trie.Trie()
    trie.frombytes(data[end + offsets[-1] :])
    if len(trie) != count:
        raise ValueError("a damaged pinyin phrase table")
    return PhraseTable(trie, offsets, readings, phrases)


def snapshot(modules: Mapping[str, ModuleType]) -> list[tuple[str, ModuleType]]:
    """The (name, module) pairs of `modules` (sys.modules): another thread may import meanwhile (the bot's
    warm-up runs in one while the web console's modules load), which makes copying raise — copy again."""
    while True:
        try:
            return list(modules.items())
        except RuntimeError:  # dictionary changed size during iteration
            continue


def _import_compact() -> ModuleType:
    saved = {name: os.environ.get(name) for name in _SWITCHES}
    os.environ.update(dict.fromkeys(_SWITCHES, "1"))
    try:
        import pypinyin
        from pypinyin import constants
        from pypinyin.seg import mmseg
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
    empty = constants.PHRASES_DICT
    if empty:  # pypinyin was imported before with its own table: use it as it is
        return pypinyin
    source = Path(pypinyin.__file__).parent / "phrases_dict.json"
    table = load_table("pinyin-phrases", source, phrases_bytes, read_phrases)
    for name, module in snapshot(sys.modules):
        if name.startswith("pypinyin") and getattr(module, "PHRASES_DICT", None) is empty:
            module.PHRASES_DICT = table  # type: ignore[attr-defined]
    prefixes: Any = PrefixSet(table.trie)
    mmseg.seg._prefix_set = mmseg.p_set = prefixes  # what mmseg.retrain would have filled
    return pypinyin


_ready: list[ModuleType] = []


def pypinyin() -> ModuleType:
    """The pypinyin module (imported on first use, a second or two)."""
    if not _ready:
        with _lock:
            if not _ready:
                _ready.append(_import_compact())
    return _ready[0]
