"""A covered place written with a look-alike character where the place is said (茬平 for 茌平, "茬平办特困…").

Near-homophone typos are repaired by `fuzzy.TypoCorrector`; a look-alike character often sounds only nearly
the same (茬 chá, 茌 chí). Unread, the place is lost and the city's listing answers for the county's — a
"not needed" for the wrong unit. So a two-character non-word opening the question (or after 在), right
before what is done there (办, 申请 …), that differs from exactly one of the register's two-character place
names in one character of the same initial sound, is read as that place.
"""

from __future__ import annotations

import re

from nocert_core.guidance.search.fuzzy import exact_sound
from nocert_core.guidance.search.index import GuidanceIndex

_OPENING = re.compile(
    r"^(?:在|我在|俺在|我家在)?([\u4e00-\u9fff]{2})(?=办|申请|申领|这边|那边|这里|区|县|市)"
)


def _initial(syllable: str) -> str:
    return syllable[:2] if syllable[:2] in ("zh", "ch", "sh") else syllable[:1]


def place_typo(index: GuidanceIndex, text: str) -> tuple[str, str] | None:
    """(what was written, the covered place it stands for), or None."""
    found = _OPENING.match(text)
    if found is None:
        return None
    token = found.group(1)
    if token in index.places.forms or (index.segmenter.frequency(token) or 0) > 0:
        return None  # (a place or a word: 外地, 低保)
    alike = set()
    for form in index.places.covered:
        if len(form) != 2:
            continue
        differ = [i for i in (0, 1) if form[i] != token[i]]
        if len(differ) == 1:
            mine, theirs = exact_sound(token[differ[0]]), exact_sound(form[differ[0]])
            if mine and theirs and _initial(mine) == _initial(theirs):
                alike.add(form)
    return (token, alike.pop()) if len(alike) == 1 else None


__all__ = ["place_typo"]
