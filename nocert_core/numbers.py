"""Reading a whole number a person typed where a number is asked: 5, ５, 五, 十, 二十 天, "5个工作日".

What was typed is kept as written elsewhere; this only reads the number out of a copy. (The shared text
normaliser `nocert_core.textnorm`, when present, does the same inside longer texts.)
"""

from __future__ import annotations

import re
import unicodedata

_UNITS = re.compile(r"(个)?(工作日|working days?|days?|天|日|个|颗星|星|分|stars?)$", re.IGNORECASE)
_NUMERALS = set("零〇一二两三四五六七八九十百千")


def whole_number(text: str) -> int | None:
    """The whole number in `text` when the text is just a number (optionally with its unit), else None."""
    value = unicodedata.normalize("NFKC", text or "").strip().rstrip("。.!！")
    value = _UNITS.sub("", value).strip()
    if value.isascii() and value.isdigit():
        return int(value)
    if value and set(value) <= _NUMERALS:
        import cn2an  # its import compiles patterns (~0.2 s): paid by the first Chinese numeral, not at start

        try:
            number = cn2an.cn2an(value, "smart")
        except (ValueError, KeyError):
            return None
        return int(number) if float(number).is_integer() else None
    return None


_COMPLAINT_NUMBER = re.compile(r"^(?:TS-?)?(?:(\d{4})-)?0*(\d{1,6})$", re.IGNORECASE)
_FULL_NUMBER = re.compile(r"TS-\d{4}-\d{6}", re.IGNORECASE)


def complaint_number(text: str, year: int) -> str | None:
    """A complaint number as people type it: TS-2026-000011, ts-2026-11, 2026-000011, 2026-11 or just 11
    (this year's); None when the text is not one."""
    value = unicodedata.normalize("NFKC", text or "").strip()
    found = _FULL_NUMBER.search(value)
    if found:
        return found.group(0).upper()
    match = _COMPLAINT_NUMBER.match(value)
    if match is None or int(match.group(2)) == 0:
        return None
    return f"TS-{match.group(1) or year}-{int(match.group(2)):06d}"


__all__ = ["complaint_number", "whole_number"]
