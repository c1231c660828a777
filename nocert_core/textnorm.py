"""The one text normaliser every input goes through before it is compared with anything.

Guidance questions, dialog answers, complaint screening, unit resolution and catalogue imports all compare
a COPY of what was written after `canonical()`; what a citizen wrote is stored exactly as written.

`canonical(text)`:
1. NFKC — full-width digits, letters and punctuation become their ordinary forms (２０２４ → 2024);
2. traditional → simplified Chinese with OpenCC's `t2s` dictionaries (shipped inside the `opencc` wheel,
   nothing is downloaded): 戶口簿 → 户口簿, 駕駛證 → 驾驶证; and the particle 著 → 着 (活著 → 活着), which
   OpenCC keeps because 著 is also a simplified character (著名, 显著 stay);
3. Chinese numerals where a number is expected — before a unit of time, a count or an ordinal marker —
   become Arabic digits with `cn2an` (三个月 → 3个月, 十五号 → 15号, 第二次 → 第2次); other characters that
   happen to be numerals (一下, 统一, 一些) are left alone.

`compact(text)` is `canonical` lower-cased without spaces and punctuation (the form names are compared in).
The near-homophone repair (社宝卡 → 社保卡) needs a vocabulary, so it runs after this, inside each index
(`nocert_core.guidance.fuzzy.TypoCorrector`).
"""

from __future__ import annotations

import re
import threading
import unicodedata
from functools import lru_cache
from typing import Any

_converter: Any = None  # opencc.OpenCC, imported with the first text (not with this module)
_lock = threading.Lock()

_NUMERAL = "零〇一二两三四五六七八九十百千万"
# A numeral run followed by what makes it a number (a unit of time, a count), or preceded by 第 (an ordinal).
_NUMBER = re.compile(
    rf"(?<=第)[{_NUMERAL}]+|[{_NUMERAL}]+(?=个?(?:工作日|年|月|日|号|天|周|星期|礼拜|小时|分钟|次|遍|岁|个月|趟|份|张|本|元|块))"
)
_SPACES_AND_PUNCTUATION = re.compile(r"[\s\W_]+", re.UNICODE)
# 著 is also a simplified character (著名, 显著), so OpenCC keeps it where traditional text writes the
# particle 着 (活著, 帶著 → 带著): after t2s, 著 is 着 except in these words, where it is zhù.
_ZHU = re.compile(r"著(?=[作名称录述者书])|(?<=[显土卓昭编原名论专巨遗拙合译大])著")
# Runs that are words, not numbers, even before a unit (一天到晚, 一月份 stays a number): kept as written.
_NOT_NUMBERS = ("一一", "万一", "千万")


def _t2s(text: str) -> str:
    global _converter
    if _converter is None:
        with _lock:
            if _converter is None:
                import opencc

                _converter = opencc.OpenCC("t2s")
    return str(_converter.convert(text))


def _number(match: re.Match[str]) -> str:
    numeral = match.group(0)
    if numeral in _NOT_NUMBERS:
        return numeral
    if set(numeral) <= set("零〇一二三四五六七八九") and len(numeral) > 1:  # 二〇二四 → 2024 (digit by digit)
        return "".join(str("零一二三四五六七八九".index(ch) if ch != "〇" else 0) for ch in numeral)
    import cn2an  # only when a numeral is met

    try:
        return str(cn2an.cn2an(numeral, "smart"))
    except (ValueError, KeyError):
        return numeral


@lru_cache(maxsize=8192)
def canonical(text: str) -> str:
    """NFKC, simplified characters, Arabic numbers where a number is meant (spaces and punctuation kept)."""
    if not text:
        return ""
    text = _t2s(unicodedata.normalize("NFKC", text))
    if "著" in text:  # (\x00 marks the zhù ones while the others are replaced)
        text = _ZHU.sub("\x00", text).replace("著", "着").replace("\x00", "著")
    return _NUMBER.sub(_number, text) if any(ch in _NUMERAL for ch in text) else text


def compact(text: str) -> str:
    """`canonical`, lower case, without spaces and punctuation: the form in which names are compared."""
    return _SPACES_AND_PUNCTUATION.sub("", canonical(text or "")).lower()


__all__ = ["canonical", "compact"]
