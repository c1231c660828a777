"""Helpers of complaint intake that need no chat: finding the unit an agency name means, and noticing
facts too vague to check (R5 Art.8 (1) — the bot asks before anyone judges a complaint vague)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from nocert_core.services.resolver import resolve_agency
from nocert_core.services.uow import AbstractUnitOfWork

SPECIFICS = ("when", "where", "service", "document")
MIN_FACTS_LENGTH = 12  # shorter facts get every follow-up question

_PATTERNS = {
    "when": re.compile(
        r"\d{1,4}\s*[年月日号/.-]|[昨今前上本]天|上午|下午|上周|本周|星期|周[一二三四五六日天]|月初|月底|"
        r"yesterday|today|last week|monday|tuesday|wednesday|thursday|friday|saturday|sunday|"
        r"jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec|\d{1,2}[:：]\d{2}",
        re.IGNORECASE,
    ),
    "where": re.compile(
        r"窗口|中心|大厅|柜台|局|所|站|处|科|银行|医院|学校|街道|社区|村|路|街|网上|线上|app|"
        r"window|counter|office|centre|center|hall|bureau|station|branch|online|street|road",
        re.IGNORECASE,
    ),
    "service": re.compile(
        r"办理|申请|申领|登记|许可|手续|业务|开户|报销|审批|备案|入学|落户|"
        r"apply|applied|application|licen[cs]e|permit|register|registration|account|enrol",
        re.IGNORECASE,
    ),
    "document": re.compile(
        r"证明|证|材料|复印件|原件|户口|执照|文件|"
        r"certificate|proof|document|copy|copies|licen[cs]e|card|record",
        re.IGNORECASE,
    ),
}


def missing_specifics(facts: str) -> list[str]:
    """Which of when / where / which service / which document the facts do not yet tell."""
    text = facts.strip()
    if len(text) < MIN_FACTS_LENGTH:
        return list(SPECIFICS)
    return [key for key in SPECIFICS if not _PATTERNS[key].search(text)]


@dataclass(frozen=True)
class UnitMatch:
    code: str
    name: str


async def find_units(uow: AbstractUnitOfWork, text: str, limit: int = 8) -> list[UnitMatch]:
    """Units the agency text may mean, best first: the resolver's answer, else name/alias containment."""
    query = text.strip()
    if not query:
        return []
    async with uow:
        units = list(await uow.units.list())
    resolution = resolve_agency(units, query)
    if resolution.unit is not None:  # one unit is clearly meant
        return [UnitMatch(resolution.unit.code, resolution.unit.name)]
    found = [UnitMatch(c.code, c.name) for c in resolution.candidates]
    if found:
        return found[:limit]
    lowered = query.lower()
    exact = [
        u for u in units if any(lowered == name.lower() for name in u.names()) or lowered == u.code.lower()
    ]
    if exact:
        return [UnitMatch(u.code, u.name) for u in exact][:limit]
    partial = [
        u for u in units if any(lowered in name.lower() or name.lower() in lowered for name in u.names())
    ]
    return [UnitMatch(u.code, u.name) for u in partial][:limit]


async def unit_name(uow: AbstractUnitOfWork, code: str | None) -> str | None:
    if code is None:
        return None
    async with uow:
        unit = await uow.units.get(code)
        return unit.name if unit else None
