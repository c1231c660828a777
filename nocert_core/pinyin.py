"""pypinyin, with its phrase table held compactly.

Two parts of guidance read pinyin: typo correction (the sound of one character: nocert_core/guidance/fuzzy.py)
and English place names (a place name's pinyin, where phrases decide the reading: 重庆 is "chongqing", not
"zhongqing": nocert_core/guidance/english.py). pypinyin keeps its 47 111 phrases as the lists and strings
`json.load` made of them (≈35 MB of Python objects) and a copy of its tables. Here pypinyin is imported with
no phrase table and no copies (its own switches PYPINYIN_NO_PHRASES and PYPINYIN_NO_DICT_COPY), then given
the same phrases as `PhraseTable`: each phrase's readings as a tuple of interned syllables (a few thousand
distinct readings, shared), handed to pypinyin as the fresh list it expects; its segmenter learns the same
phrases. The readings are the same, so every result is (tests/unit/test_pinyin.py).

Import pypinyin through `pypinyin()` here, never directly.
"""

from __future__ import annotations

import json
import os
import sys
import threading
from types import ModuleType
from typing import Any

_lock = threading.Lock()
_SWITCHES = ("PYPINYIN_NO_PHRASES", "PYPINYIN_NO_DICT_COPY")


class PhraseTable(dict[str, tuple[tuple[str, ...], ...]]):
    """phrase → readings per character; read as pypinyin's own table (a list of lists it may change)."""

    def __getitem__(self, phrase: str) -> Any:
        return [list(readings) for readings in dict.__getitem__(self, phrase)]


def _phrase_table(path: str) -> PhraseTable:
    with open(path, encoding="utf-8") as file:
        loaded: dict[str, list[list[str]]] = json.load(file)
    syllables: dict[str, str] = {}
    readings: dict[tuple[str, ...], tuple[str, ...]] = {}
    values = []
    for value in loaded.values():
        per_char = []
        for options in value:
            key = tuple(syllables.setdefault(s, s) for s in options)
            per_char.append(readings.setdefault(key, key))
        values.append(tuple(per_char))
    # the phrases as strings of their own, made after the parse (not pinning its freed memory)
    names = "\n".join(loaded)
    del loaded
    return PhraseTable(zip(names.split("\n"), values, strict=True))


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
    table = _phrase_table(os.path.join(os.path.dirname(pypinyin.__file__), "phrases_dict.json"))
    for name, module in list(sys.modules.items()):
        if name.startswith("pypinyin") and getattr(module, "PHRASES_DICT", None) is empty:
            module.PHRASES_DICT = table  # type: ignore[attr-defined]
    mmseg.retrain(mmseg.seg)
    return pypinyin


_ready: list[ModuleType] = []


def pypinyin() -> ModuleType:
    """The pypinyin module (imported on first use, a second or two)."""
    if not _ready:
        with _lock:
            if not _ready:
                _ready.append(_import_compact())
    return _ready[0]
