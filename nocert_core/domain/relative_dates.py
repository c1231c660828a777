"""Relative dates in what a citizen wrote ("前天", "上周三", "昨天下午", "3天前", "last Wednesday"), read as
calendar dates counted from the day the complaint was registered. The citizen's words are never changed:
staff see them with the date next to them.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, timedelta

_WEEKDAY = {"一": 0, "二": 1, "三": 2, "四": 3, "五": 4, "六": 5, "日": 6, "天": 6, "末": 5}
_EN_WEEKDAY = {
    name: index
    for index, name in enumerate(
        ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
    )
}
_CN_NUMBER = {
    "一": 1,
    "两": 2,
    "二": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
    "十": 10,
}
_PART_OF_DAY = r"(?:上午|下午|中午|晚上|早上|傍晚|凌晨)?"
_PATTERN = re.compile(
    rf"(?P<day>大前天|前天|昨天|昨日|今天|今日){_PART_OF_DAY}"
    rf"|(?P<which>上上|上|本|这)个?(?:周|星期|礼拜)(?P<wd>[一二三四五六日天末]){_PART_OF_DAY}"
    rf"|(?:周|星期|礼拜)(?P<lone>[一二三四五六日天]){_PART_OF_DAY}"
    rf"|(?P<n>\d{{1,2}}|[一两二三四五六七八九十])天(?:以)?前{_PART_OF_DAY}"
    r"|(?P<en_day>the day before yesterday|yesterday|today)(?: (?:morning|afternoon|evening))?"
    r"|last (?P<en_wd>monday|tuesday|wednesday|thursday|friday|saturday|sunday)"
    r"|(?P<en_n>\d{1,2}) days ago",
    re.IGNORECASE,
)


def _monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def relative_dates(text: str, registered: date) -> list[tuple[str, date]]:
    """(the words as written, the date they mean) for each relative date in `text`, in order."""
    found: list[tuple[str, date]] = []
    for match in _PATTERN.finditer(unicodedata.normalize("NFKC", text or "")):
        day = _resolve(match, registered)
        if day is not None and (match.group(0), day) not in found:
            found.append((match.group(0), day))
    return found


def _resolve(match: re.Match[str], today: date) -> date | None:
    groups = match.groupdict()
    if groups["day"]:
        back = {"大前天": 3, "前天": 2, "昨天": 1, "昨日": 1, "今天": 0, "今日": 0}[groups["day"]]
        return today - timedelta(days=back)
    if groups["which"]:
        weeks_back = {"上上": 2, "上": 1, "本": 0, "这": 0}[groups["which"]]
        return _monday(today) - timedelta(weeks=weeks_back) + timedelta(days=_WEEKDAY[groups["wd"]])
    if groups["lone"]:  # "周三" alone: the most recent such day (this week's, or last week's if still ahead)
        day = _monday(today) + timedelta(days=_WEEKDAY[groups["lone"]])
        return day if day <= today else day - timedelta(weeks=1)
    if groups["n"]:
        number = int(groups["n"]) if groups["n"].isdigit() else _CN_NUMBER[groups["n"]]
        return today - timedelta(days=number)
    if groups["en_day"]:
        back = {"the day before yesterday": 2, "yesterday": 1, "today": 0}[groups["en_day"].lower()]
        return today - timedelta(days=back)
    if groups["en_wd"]:
        day = _monday(today) + timedelta(days=_EN_WEEKDAY[groups["en_wd"].lower()])
        return day - timedelta(weeks=1) if day >= today else day
    if groups["en_n"]:
        return today - timedelta(days=int(groups["en_n"]))
    return None


__all__ = ["relative_dates"]
