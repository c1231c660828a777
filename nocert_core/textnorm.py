"""The one text normaliser every input goes through before it is compared with anything.

Guidance questions, dialog answers, complaint screening, unit resolution and catalogue imports all compare
a COPY of what was written after `canonical()`; what a citizen wrote is stored exactly as written.

`canonical(text)`:
1. NFKC — full-width digits, letters and punctuation become their ordinary forms (２０２４ → 2024);
2. traditional → simplified Chinese with OpenCC's `t2s` dictionaries (shipped inside the `opencc` wheel,
   nothing is downloaded): 戶口簿 → 户口簿, 駕駛證 → 驾驶证; Taiwan and Hong Kong words for documents that
   OpenCC leaves (`REGIONAL`: 影本 → 复印件, 身分證 → 身份证, 戶口名簿 → 户口簿); and the particle 著 → 着
   (活著 → 活着), which OpenCC keeps because 著 is also a simplified character (著名, 显著 stay);
3. Chinese numerals where a number is expected — before a unit of time, a count or an ordinal marker —
   become Arabic digits with `cn2an` (三个月 → 3个月, 十五号 → 15号, 第二次 → 第2次); other characters that
   happen to be numerals (一下, 统一, 一些) are left alone.

`compact(text)` is `canonical` lower-cased without spaces and punctuation (the form names are compared in).
The near-homophone repair (社宝卡 → 社保卡) needs a vocabulary, so it runs after this, inside each index
(`nocert_core.guidance.search.fuzzy.TypoCorrector`).
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
# Taiwan and Hong Kong words for the documents and places of public services that OpenCC's character
# conversion leaves as they are (its phrase tables cover computing words, not these), with the mainland word
# a catalogue uses: 營業執照影本 → 营业执照复印件, 身分證 → 身份证, 戶口名簿 → 户口簿. Domain-wide, reviewed.
REGIONAL = {
    "影本": "复印件",
    "影印本": "复印件",
    "影印件": "复印件",
    "纸本": "原件",
    "正本": "原件",
    "身分": "身份",
    "户口名簿": "户口簿",
    "户籍誊本": "户籍证明",
    "户口誊本": "户籍证明",
    "所有权状": "产权证书",
    "权状": "产权证书",
    "建物": "房屋",
    "计程车": "出租车",
    "健保卡": "医保卡",
    "健保": "医保",
    "身心障碍手册": "残疾人证",
    "身心障碍证明": "残疾人证",
    "身障手册": "残疾人证",
    "警察刑事纪录证明": "无犯罪记录证明",
    "纪录证明": "记录证明",
    "国小": "小学",
    "国中": "初中",
    "幼稚园": "幼儿园",
    "就学": "入学",
    "租约": "租赁合同",
    "租赁契约": "租赁合同",
    "买卖契约": "买卖合同",
    "扣缴凭单": "完税证明",
    "营利事业登记证": "营业执照",
    "行照": "行驶证",
    "退伍令": "退伍证",
    "低收入户": "低保户",
    "出世纸": "出生医学证明",
    "入息证明": "收入证明",
    "户政事务所": "派出所",
    "提领": "提取",
    "请领": "申领",
    "机车": "摩托车",
    "残障手册": "残疾人证",
    "残障": "残疾",
    "营业登记证": "营业执照",
    "营业登记": "营业执照",
    "契约": "合同",
    "粮单": "工资证明",
    "楼契": "房产证",
    "屋契": "房产证",
    "按揭": "贷款",
    "税单": "完税证明",
    "差馆": "派出所",
    "综援": "低保",
    "身份证明文件": "身份证",
    "汽机车": "机动车",
    "二手楼": "二手房",
    "买楼": "买房",
    "购屋": "购房",  # (Taiwan: a home bought, rented, its owner)
    "买屋": "买房",
    "租屋": "租房",
    "屋主": "房主",
    "合约": "合同",
    "无自有住宅证明": "无房证明",  # (Taiwan: a proof of owning no home)
    "失业给付": "失业保险金",  # (Taiwan: the unemployment and old-age benefits)
    "老年给付": "养老金",
    "阿嬷": "奶奶",  # (Taiwan: grandmother, grandfather)
    "阿公": "爷爷",
    "法律扶助": "法律援助",  # (Taiwan: legal aid)
}
_REGIONAL = re.compile("|".join(sorted(REGIONAL, key=len, reverse=True)))
# Runs that are words, not numbers, even before a unit (一天到晚, 一月份 stays a number): kept as written.
_NOT_NUMBERS = ("一一", "万一", "千万")
# A numeral that is part of a word before a unit: 一次性 (one-off, as against 定期), 一次性补助 stays.
_WORD_AFTER = {"次": "性"}


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
    after = match.string[match.end() : match.end() + 2]
    if numeral in _NOT_NUMBERS or any(after == unit + word for unit, word in _WORD_AFTER.items()):
        return numeral
    if set(numeral) <= set("零〇一二三四五六七八九") and len(numeral) > 1:  # 二〇二四 → 2024 (digit by digit)
        return "".join(str("零一二三四五六七八九".index(ch) if ch != "〇" else 0) for ch in numeral)
    import cn2an  # only when a numeral is met

    try:
        return str(cn2an.cn2an(numeral, "smart"))
    except (ValueError, KeyError):
        return numeral


def _regional(found: re.Match[str]) -> str:
    """The mainland word for a regional one, never doubling what is written just before it: 完税单 is
    完税证明, not 完完税证明 (税单 → 完税证明 met after its own first character)."""
    word, mainland = found.group(0), REGIONAL[found.group(0)]
    before = found.string[max(0, found.start() - len(mainland)) : found.start()]
    for size in range(len(before), 0, -1):
        if mainland.startswith(before[-size:]) and not word.startswith(before[-size:]):
            return mainland[size:]
    return mainland


@lru_cache(maxsize=8192)
def canonical(text: str) -> str:
    """NFKC, simplified characters, Arabic numbers where a number is meant (spaces and punctuation kept)."""
    if not text:
        return ""
    text = _REGIONAL.sub(_regional, _t2s(unicodedata.normalize("NFKC", text)))
    if "著" in text:  # (\x00 marks the zhù ones while the others are replaced)
        text = _ZHU.sub("\x00", text).replace("著", "着").replace("\x00", "著")
    return _NUMBER.sub(_number, text) if any(ch in _NUMERAL for ch in text) else text


@lru_cache(maxsize=16384)
def compact(text: str) -> str:
    """`canonical`, lower case, without spaces and punctuation: the form in which names are compared
    (remembered: one question's steps compare the same names and words again and again)."""
    return _SPACES_AND_PUNCTUATION.sub("", canonical(text or "")).lower()


__all__ = ["canonical", "compact"]
