"""Whom a service is for, when services differ only in that: who is insured (urban and rural residents,
employees, civil servants) or which kind of entity is registered (a limited company, a sole trader …).

A question that names one of them is never answered with a service named for another of the same group
(城镇职工医保 is not 城乡居民基本医疗保险参保登记, 民办学校设立 is not 有限责任公司设立登记): when the list
lacks the person's, the answer is "the catalogue has no entry", never the other's rule. A service named for
none of them (企业设立登记, 基本医疗保险参保登记) fits all. Domain-wide groups, not any catalogue's names.
"""

from __future__ import annotations

from functools import lru_cache

# group → {member: the words that name it, in a question or in a service name}
GROUPS: tuple[dict[str, tuple[str, ...]], ...] = (
    {
        "residents": ("城乡居民", "居民医保", "居民养老"),
        "employees": ("职工", "上班族", "在职人员"),
        "public": ("机关事业单位", "机关单位", "事业单位", "公务员"),
    },
    {  # whom a benefit or a card is for (老年人优待证 is not 退役军人优待证)
        "elderly": ("老年人", "老年", "老人", "高龄"),
        "veterans": ("退役军人", "退伍军人", "军人", "优抚对象", "烈士"),
        "disabled": ("残疾",),
    },
    {
        "company": ("有限责任公司", "有限公司", "股份有限公司"),
        "sole_trader": ("个体工商户", "个体户"),
        "sole_proprietor": ("个人独资企业", "独资企业"),
        "partnership": ("合伙企业",),
        "cooperative": ("农民专业合作社", "合作社"),
        "private_school": ("民办学校", "培训学校", "民办幼儿园"),
        "association": ("社会团体", "社团"),
        "non_profit": ("民办非企业单位", "民办非企业", "社会服务机构"),
        "foundation": ("基金会",),
    },
)


@lru_cache(maxsize=8192)
def _members(text: str) -> tuple[frozenset[str], ...]:
    """Per group, the members the text names (remembered: every candidate service of every question is
    checked, and at 50k rows the same names come back again and again)."""
    return tuple(
        frozenset(member for member, words in group.items() if any(word in text for word in words))
        for group in GROUPS
    )


def for_someone_else(said: str, service_name: str) -> bool:
    """The service is named for another member of a group than the one the person names."""
    return any(
        mine and theirs and not mine & theirs
        for mine, theirs in zip(_members(said), _members(service_name), strict=True)
    )


def _contracts(short: str, full: str) -> bool:
    """The short word is the full one with characters left out, in order (个体户 of 个体工商户)."""
    rest = iter(full)
    return len(short) < len(full) and all(ch in rest for ch in short)


@lru_cache(maxsize=8192)
def full_names(text: str) -> tuple[str, ...]:
    """The full name of each kind of entity the text names only by a short form of it (个体户 → 个体工商户,
    社团 → 社会团体): registrations are named in full, so the full name's words are the person's words too.
    (Not people: 老人 is not always 老年人's service — 老人免票 of a park's ticket.)"""
    return tuple(
        words[0]
        for words in GROUPS[-1].values()
        if words[0] not in text and any(w in text and _contracts(w, words[0]) for w in words[1:])
    )


__all__ = ["GROUPS", "for_someone_else", "full_names"]
