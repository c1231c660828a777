"""Hotspots (R5 Art.12): where complaints are many, frequent or serious.

- A unit hotspot: a unit that received at least N complaints in the last M days.
- A topic hotspot: a keyword (above all a certificate name, e.g. 无犯罪记录证明) recurring in the demands
  and facts of at least K complaints across at least U units in a window — the same proof demanded
  again and again. Certificate names are read through the guidance lexicon and catalogue
  (`nocert_core/guidance`), so 户口本, 户口簿 and 居民户口簿 are one topic under the official name;
  names no list knows are caught by their shape (…证明/证/证书/执照/簿), other topics by jieba's TF-IDF nouns
  (nocert_core/jieba_keywords.py).

Each hotspot is an episode (table `hotspots`): opened when the condition first holds — supervisors get
one alert listing the complaints behind it — and closed when it no longer holds, so a lasting hotspot
is reported once and a new one after a quiet spell is reported again.
"""

from __future__ import annotations

import asyncio
import re
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache

from sqlalchemy import select

from nocert_core.adapters.sql import orm
from nocert_core.adapters.sql.tables_oversight import HotspotRepository
from nocert_core.clock import Clock
from nocert_core.domain import notifications as notes
from nocert_core.domain.complaint_lifecycle import ComplaintStatus
from nocert_core.domain.notifications import HotspotAlert
from nocert_core.guidance import GuidanceIndex, builtin_lexicon
from nocert_core.guidance.search.text import normalise
from nocert_core.services.catalogue import guidance
from nocert_core.services.messaging import outbox
from nocert_core.services.oversight.alerts import Recipients, SweepResult
from nocert_core.services.platform.uow import AbstractUnitOfWork, UnitOfWorkFactory

UNIT_HOTSPOT = notes.UNIT_HOTSPOT
TOPIC_HOTSPOT = notes.TOPIC_HOTSPOT
IGNORED_STATES = [ComplaintStatus.DUPLICATE]  # a duplicate is the same complaint counted once

# Certificate-like names: "…证明", "…证", "…证书", "…簿", "…执照", "…许可证", "…合同", "…报告".
_PROOF = re.compile(r"[\u4e00-\u9fff]{0,10}?(?:证明|证书|许可证|执照|户口簿|户口本|证|簿)")
_PUNCTUATION = re.compile(r"[\s，。、；：！？,.;:!?（）()“”\"'《》]+")
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


def _repo(uow: AbstractUnitOfWork) -> HotspotRepository:
    return uow.hotspots


@dataclass(frozen=True)
class Hotspot:
    kind: str  # "unit" | "topic"
    subject: str  # unit code or keyword
    numbers: list[str]  # complaints behind it, oldest first
    units: list[str]


class CertificateNames:
    """Every way the guidance index knows to name a certificate (its lexicon's colloquial and official
    names, the catalogue's names), by normalised text → one canonical name: the catalogue's name when
    the official name stands for exactly one catalogue certificate, else the lexicon's official name."""

    def __init__(self, index: GuidanceIndex) -> None:
        self.names: dict[str, str] = {}
        for key, (kind, value) in index.patterns.items():
            if kind == "certificate" and len(key) >= 2:
                catalogue_keys = index.official_keys(value)
                canonical = index.certificate_names[catalogue_keys[0]] if len(catalogue_keys) == 1 else value
                self.names[key] = canonical
        self.lengths = sorted({len(key) for key in self.names}, reverse=True)

    def find(self, text: str) -> list[tuple[int, int, str]]:
        """(start, end, canonical name) in normalised `text`, longest first, not overlapping."""
        found = [
            (start, start + length, self.names[text[start : start + length]])
            for start in range(len(text))
            for length in self.lengths
            if start + length <= len(text) and text[start : start + length] in self.names
        ]
        found.sort(key=lambda hit: (hit[0] - hit[1], hit[0]))
        taken = [False] * len(text)
        spans = []
        for start, end, name in found:
            if not any(taken[start:end]):
                taken[start:end] = [True] * (end - start)
                spans.append((start, end, name))
        return sorted(spans)


_names_cache: dict[int, tuple[GuidanceIndex, CertificateNames]] = {}


def certificate_names(index: GuidanceIndex | None = None) -> CertificateNames:
    """The names of `index` (built once per index); without one, the built-in lexicon's alone."""
    index = index or _builtin_index()
    cached = _names_cache.get(id(index))
    if cached is None or cached[0] is not index:
        _names_cache.clear()  # one index is current at a time (it is rebuilt when the catalogue changes)
        cached = _names_cache[id(index)] = (index, CertificateNames(index))
    return cached[1]


@lru_cache(maxsize=1)
def _builtin_index() -> GuidanceIndex:
    return GuidanceIndex([], builtin_lexicon())


def keywords(text: str, limit: int = 8, names: CertificateNames | None = None) -> set[str]:
    """Certificate names (through the lexicon, by their canonical name), then — in what is left —
    certificate-shaped names no list knows, plus jieba's TF-IDF keywords (nouns) for other topics."""
    from nocert_core.jieba_keywords import keywords as tfidf  # jieba.analyse's, lighter

    names = names or certificate_names()
    found: set[str] = set()
    rest: list[str] = []
    for fragment in _PUNCTUATION.split(text):
        normalised = normalise(fragment)
        end = 0
        for start, stop, name in names.find(normalised):
            found.add(name)
            rest.append(normalised[end:start])
            end = stop
        rest.append(normalised[end:])
    remainder = " ".join(part for part in rest if part)
    for fragment in _CUT.split(remainder):
        for name in _PROOF.findall(fragment):
            if len(name) >= 3 and name not in _STOPWORDS:
                found.add(name)
    for word in tfidf().extract(remainder, limit):
        if len(word) >= 2 and word not in _STOPWORDS and not word.isdigit():
            found.add(word)
    # a keyword inside a longer found name adds nothing ("户口" in "居民户口簿")
    return {word for word in found if not any(word != other and word in other for other in found)}


def _topics(
    texts: list[tuple[str, str | None, str]], index: GuidanceIndex
) -> dict[str, list[tuple[str, str | None]]]:
    names = certificate_names(index)
    by_topic: dict[str, list[tuple[str, str | None]]] = defaultdict(list)
    for number, unit_code, text in texts:
        for word in keywords(text, names=names):
            by_topic[word].append((number, unit_code))
    return by_topic


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
    index = await guidance.load_index(uow_factory())
    texts = [
        (row.number, row.unit_code, f"{row.demand}\n{row.facts}")
        for row in rows
        if row.registered_at >= topic_since
    ]
    # jieba over a month of complaints is seconds of CPU: in a worker thread, not on the event loop that
    # answers the citizens (an elected instance sweeps right after it takes over: issue 11's soak).
    by_topic = await asyncio.to_thread(_topics, texts, index)
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
                payload = HotspotAlert(
                    subject=subject if kind == "topic" else names.get(subject, subject),
                    unit_code=subject if kind == "unit" else None,
                    units=[names.get(code, code) for code in spot.units],
                    numbers=spot.numbers[:20],
                    count=len(spot.numbers),
                    window_days=(
                        uow.settings.hotspot_unit_window_days
                        if kind == "unit"
                        else uow.settings.hotspot_topic_window_days
                    ),
                )
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
