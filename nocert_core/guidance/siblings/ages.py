"""Services for different ages (八十至八十九周岁 / 九十周岁以上…高龄津贴): the ages a service's name
is for, and the age the person says, which picks among such siblings and takes out services for other ages."""

from __future__ import annotations

import re

from nocert_core.guidance.search.index import GuidanceIndex

_NUMBER = r"[零〇一二三四五六七八九十百\d]+"
_AGE_RANGE = re.compile(rf"({_NUMBER})(?:至|到|-|—|~)({_NUMBER})周?岁")
_AGE_FROM = re.compile(rf"({_NUMBER})周?岁(?:及|或)?以上")
_AGE_SAID = re.compile(r"(\d{1,3})周?岁")  # (the question is normalised: 九十二歲 → 92岁)
MAX_AGE = 200


def _count(numeral: str) -> int | None:
    if numeral.isdigit():
        return int(numeral)
    import cn2an  # (as the normaliser does: only when a numeral is met)

    try:
        return int(cn2an.cn2an(numeral, "smart"))
    except (ValueError, KeyError):
        return None


def _ages(name: str) -> tuple[int, int] | None:
    """The ages a service's name is for: 八十至八十九周岁 → (80, 89), 90周岁以上 → (90, MAX_AGE)."""
    found = _AGE_RANGE.search(name)
    if found:
        low, high = _count(found.group(1)), _count(found.group(2))
        return (low, high) if low is not None and high is not None else None
    found = _AGE_FROM.search(name)
    low = _count(found.group(1)) if found else None
    return (low, MAX_AGE) if low is not None else None


def of_age(index: GuidanceIndex, tied: list[int], text: str) -> list[int]:
    """Siblings for different ages (八十至八十九周岁 / 九十至九十九周岁…高龄津贴): the age the person says
    (家母92岁) picks the one whose ages hold it; otherwise they stay to be asked about."""
    said = [int(found.group(1)) for found in _AGE_SAID.finditer(text)]
    if len(tied) < 2 or not said:
        return tied
    ranges = {doc: _ages(index.services[doc].name) for doc in tied}
    fits = [doc for doc, ages in ranges.items() if ages and any(ages[0] <= age <= ages[1] for age in said)]
    return fits if len(fits) == 1 else tied


def for_age(index: GuidanceIndex, text: str, ranked: list[tuple[int, float]]) -> list[tuple[int, float]]:
    """The person says an age (85岁) and the best service is for other ages (九十至九十九周岁): services for
    other ages are taken out — neither the ranking nor a listed proof answers with another age's rule (the
    80–89 one comes first; when it is not listed, the answer is not that service's)."""
    said = [int(found.group(1)) for found in _AGE_SAID.finditer(text)] if ranked else []
    if not said:
        return ranked
    kept = [
        (doc, score)
        for doc, score in ranked
        if (ages := _ages(index.services[doc].name)) is None or any(ages[0] <= age <= ages[1] for age in said)
    ]
    if len(kept) == len(ranked) or not kept:
        return ranked
    return [(kept[0][0], max(kept[0][1], ranked[0][1])), *kept[1:]]
