"""Hotspots (R5 Art.12): where complaints are many, frequent or serious.

- A unit hotspot: a unit that received at least N complaints in the last M days.
- A topic hotspot: a keyword (above all a certificate name, e.g. 无犯罪记录证明) recurring in the demands
  and facts of at least K complaints across at least U units in a window — the same proof demanded
  again and again.

Each hotspot is an episode (table `hotspots`): opened when the condition first holds — supervisors get
one alert listing the complaints behind it — and closed when it no longer holds, so a lasting hotspot
is reported once and a new one after a quiet spell is reported again.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache
from typing import Any

from sqlalchemy import select

from nocert_core.adapters import orm
from nocert_core.adapters.tables_oversight import HotspotRepository
from nocert_core.clock import Clock
from nocert_core.domain.complaints import ComplaintStatus
from nocert_core.services import outbox
from nocert_core.services.alerts import Recipients, SweepResult
from nocert_core.services.uow import UnitOfWorkFactory

UNIT_HOTSPOT = "hotspot.unit"
TOPIC_HOTSPOT = "hotspot.topic"
IGNORED_STATES = [ComplaintStatus.DUPLICATE]  # a duplicate is the same complaint counted once

# Certificate-like names: "…证明", "…证", "…证书", "…簿", "…执照", "…许可证", "…合同", "…报告".
_PROOF = re.compile(r"[\u4e00-\u9fff]{0,10}?(?:证明|证书|许可证|执照|户口簿|户口本|证|簿)")
# Text is first cut where a certificate name cannot continue: punctuation, verbs of demanding, pronouns.
_CUT = re.compile(
    r"[\s，。、；：！？,.;:!?（）()“”\"'《》]|要求|提交|提供|开具|出具|办理|还要|需要|仍要|必须|复印件|原件|"
    r"[我你他她的和及或让再给开带交办时在要去把被]"
)
_STOPWORDS = frozenset(
    {
        "要求",
        "提交",
        "工作人员",
        "办理",
        "窗口",
        "证明材料",
        "材料",
        "上午",
        "下午",
        "今天",
        "昨天",
        "需要",
        "没有",
        "可以",
        "已经",
        "我们",
        "他们",
        "还是",
        "不能",
        "不予",
        "服务",
        "中心",
        "政务",
        "部门",
        "单位",
        "我的",
        "一个",
        "这个",
        "那个",
        "因为",
        "所以",
        "但是",
        "要求我",
        "告知",
        "说明",
        "相关",
        "情况",
        "问题",
        "现在",
        "时候",
        "之后",
        "之前",
        "证明",
        "必须",
        "不给",
        "出具",
        "开具",
        "还要",
        "仍然",
        "仍要",
        "再次",
        "复印件",
        "原件",
        "投诉",
        "举报",
        "撤回",
        "清单",
        "免提交",
        "无证明城市",
    }
)


def _repo(uow: Any) -> HotspotRepository:
    return uow.hotspots


@dataclass(frozen=True)
class Hotspot:
    kind: str  # "unit" | "topic"
    subject: str  # unit code or keyword
    numbers: list[str]  # complaints behind it, oldest first
    units: list[str]


@lru_cache(maxsize=1)
def _jieba_ready() -> bool:
    import logging

    import jieba

    jieba.setLogLevel(logging.WARNING)
    jieba.initialize()
    return True


def keywords(text: str, limit: int = 8) -> set[str]:
    """Certificate names found literally, plus jieba's TF-IDF keywords (nouns) for other topics."""
    import jieba.analyse

    _jieba_ready()
    found: set[str] = set()
    for fragment in _CUT.split(text):
        for name in _PROOF.findall(fragment):
            if len(name) >= 3 and name not in _STOPWORDS:
                found.add(name)
    for word in jieba.analyse.extract_tags(text, topK=limit, allowPOS=("n", "nz", "vn", "nt")):
        if len(word) >= 2 and word not in _STOPWORDS and not word.isdigit():
            found.add(word)
    # a keyword inside a longer found name adds nothing ("户口" in "户口簿")
    return {word for word in found if not any(word != other and word in other for other in found)}


async def detect(uow_factory: UnitOfWorkFactory, now: datetime) -> list[Hotspot]:
    settings = uow_factory.settings
    c = orm.complaints
    window_start = now - timedelta(
        days=max(settings.hotspot_unit_window_days, settings.hotspot_topic_window_days)
    )
    async with uow_factory() as uow:
        rows = (
            await uow.session.execute(
                select(c.c.number, c.c.unit_code, c.c.registered_at, c.c.demand, c.c.facts)
                .where(c.c.registered_at >= window_start, c.c.status.notin_(IGNORED_STATES))
                .order_by(c.c.registered_at, c.c.id)
            )
        ).all()
    found: list[Hotspot] = []
    unit_since = now - timedelta(days=settings.hotspot_unit_window_days)
    by_unit: dict[str, list[str]] = defaultdict(list)
    for row in rows:
        if row.unit_code and row.registered_at >= unit_since:
            by_unit[row.unit_code].append(row.number)
    for unit_code, numbers in sorted(by_unit.items()):
        if len(numbers) >= settings.hotspot_unit_min_complaints:
            found.append(Hotspot("unit", unit_code, numbers, [unit_code]))
    topic_since = now - timedelta(days=settings.hotspot_topic_window_days)
    by_topic: dict[str, list[tuple[str, str | None]]] = defaultdict(list)
    for row in rows:
        if row.registered_at >= topic_since:
            for word in keywords(f"{row.demand}\n{row.facts}"):
                by_topic[word].append((row.number, row.unit_code))
    for word, hits in sorted(by_topic.items()):
        units = sorted({unit for _, unit in hits if unit})
        if (
            len(hits) >= settings.hotspot_topic_min_complaints
            and len(units) >= settings.hotspot_topic_min_units
        ):
            found.append(Hotspot("topic", word, [number for number, _ in hits], units))
    return found


async def sweep_hotspots(uow_factory: UnitOfWorkFactory, clock: Clock) -> SweepResult:
    now = clock.now()
    result = SweepResult()
    current = await detect(uow_factory, now)
    async with uow_factory() as uow:
        names = {unit.code: unit.name for unit in await uow.units.list()}
        recipients = Recipients(uow)
        for kind in ("unit", "topic"):
            episodes = await _repo(uow).open_episodes(kind)
            active = {spot.subject: spot for spot in current if spot.kind == kind}
            for subject, episode in episodes.items():
                if subject in active:
                    await _repo(uow).touch(episode["id"], active[subject].numbers, now)
                else:
                    await _repo(uow).close(episode["id"], now)
            for subject, spot in active.items():
                if subject in episodes:
                    continue
                first = spot.numbers[0]
                if not await _repo(uow).open_episode(kind, subject, first, spot.numbers, now):
                    continue  # another sweeper opened it
                payload = {
                    "subject": subject if kind == "topic" else names.get(subject, subject),
                    "unit_code": subject if kind == "unit" else None,
                    "units": [names.get(code, code) for code in spot.units],
                    "numbers": spot.numbers[:20],
                    "count": len(spot.numbers),
                    "window_days": (
                        uow.settings.hotspot_unit_window_days
                        if kind == "unit"
                        else uow.settings.hotspot_topic_window_days
                    ),
                }
                written = await outbox.notify(
                    uow,
                    await recipients.supervisors(),
                    UNIT_HOTSPOT if kind == "unit" else TOPIC_HOTSPOT,
                    payload,
                    f"hotspot:{kind}:{subject}:{first}",
                )
                result.add(f"hotspot_{kind}", 1, written)
        await uow.commit()
    return result
