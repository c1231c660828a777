"""Which proof a question asks about when it names several or one no list knows; who lists a proof.

- `PAIR_SHAPE`: "does X still need Y?" (还要/要不要/用不用/需不需要 … 吗).
- `unnamed_focus`: the words right before the pair verb, after the last proof named, when no list knows them
  ("…结婚证、出生证，还有押金条，押金条还要交吗" asks about 押金条, never about 出生证).
- `listing`: the first services listing a proof, without walking every row of a common one.
"""

from __future__ import annotations

import re
from functools import lru_cache

from nocert_core.guidance.search.index import GuidanceIndex
from nocert_core.guidance.search.spans import Span
from nocert_core.guidance.search.text import STOPWORDS

# "does X still need Y?": 还要/要不要/用不用/需不需要 … 吗
PAIR_SHAPE = re.compile(
    r"要不要|用不用|需不需要|得不得|还(要|用|需|得)|(要|用|需要|得|带|交|提供|出示).*(吗|么|嘛)$"
    r"|是不是(一定|必须|还)?(要|得|需要|交|带|提供)"
)
# How a proof is handed in, not which proof ("身份证复印件还要吗").
FORM_WORDS = frozenset(
    ["原件", "复印件", "复印", "纸质", "纸质版", "纸质的", "正本", "副本", "原本", "照片", "电子版", "扫描件"]
)
NOT_A_PROOF = frozenset(["到底", "究竟", "真的", "确实", "是不是", "一定", "到时候", "时候", "平时", "一般"])
LISTING_CANDIDATES = 50


@lru_cache(maxsize=4096)
def is_stop(word: str) -> bool:
    """A word made up entirely of stopwords ("哪些地方", "还需要") says nothing about a service."""
    if word in STOPWORDS or not word:
        return True
    return any(word[:cut] in STOPWORDS and is_stop(word[cut:]) for cut in range(len(word) - 1, 0, -1))


def unnamed_focus(index: GuidanceIndex, text: str, asked: list[Span], spans: list[Span]) -> str | None:
    """The words right before the pair verb when they come after the last proof named and name no known
    thing (押金条 in "…出生证，还有押金条，押金条还要交吗"): the proof asked about, which no list knows."""
    clause = len(text.rstrip()) - len(text.rstrip().split()[-1])  # where the last clause starts
    shape = PAIR_SHAPE.search(text, clause)
    if shape is None or asked[-1].end > clause or any(span.end > clause for span in spans):
        return None
    chunk = text[clause : shape.start()].strip()
    words = [w for w in index.segmenter.cut(chunk) if not is_stop(w)]
    if not words or words[-1] in NOT_A_PROOF or any(w in FORM_WORDS for w in words):
        return None  # "那我到底需不需要…": no proof named before the verb
    if len(chunk) < 3 or not any(index.is_unknown(w) for w in words):
        return None  # how it is handed in (复印件), or words services use (出生登记): not an unknown proof
    return chunk


def listing(index: GuidanceIndex, keys: list[str]) -> list[int]:
    """The first LISTING_CANDIDATES services listing one of the certificates (no walk over every row)."""
    found: dict[int, None] = {}
    for key in keys:
        for position in index.certificates.get(key, ()):
            found[index.service_by_code[index.entries[position].service_code]] = None
            if len(found) >= LISTING_CANDIDATES:
                return list(found)
    return list(found)


__all__ = ["PAIR_SHAPE", "is_stop", "listing", "unnamed_focus"]
