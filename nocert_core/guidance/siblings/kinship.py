"""Whom a household moves to: 投靠 (joining a relative) services differ only by that relative.

Catalogues list 夫妻投靠 / 投靠配偶, 子女投靠父母 / 投靠父母 and 父母投靠子女 / 投靠子女 as separate services,
often only some of them. "父母投靠子女迁户口" and "我爸妈想投靠我" join a child; "我老婆想把户口迁到我这来"
joins a spouse. The words are domain-wide (kinship terms and the verbs of moving a hukou), not any
catalogue's. `host_of` says which relative is joined (None when the question does not say); a service's
name says it by `投靠` + the relative (or 夫妻/配偶 for a spouse).
"""

from __future__ import annotations

import re

from nocert_core.guidance.search.index import GuidanceIndex

KIN = {
    "parent": "父母 爸妈 爸爸 妈妈 老爸 老妈 父亲 母亲 老人 爹娘 公婆 岳父 岳母 爸 妈 爹 娘",
    "child": "子女 儿女 儿子 女儿 闺女 孩子 小孩 宝宝 娃 婴儿 孙子 孙女",
    "spouse": "配偶 夫妻 老婆 妻子 丈夫 老公 爱人 媳妇 对象",
}
INVERSE = {"parent": "child", "child": "parent", "spouse": "spouse"}
_WORDS = sorted(((w, kin) for kin, words in KIN.items() for w in words.split()), key=lambda p: -len(p[0]))
_KIN = "|".join(re.escape(word) for word, _kin in _WORDS)
_CLASS = dict(_WORDS)
# "X投靠Y", "把X的户口迁到Y这", "X想把户口迁到Y那"
_HOST = rf"(?:(?:我|俺)的?)?(?P<kin>{_KIN})|(?P<me>我|俺)"
_JOIN = re.compile(rf"(?:(?P<subject>{_KIN})的?)?(?:想|要|准备)?投靠(?:{_HOST})")
_MOVE_TO = re.compile(rf"(?:迁|转|落|挪)(?:到|去|来|进|入)?(?:{_HOST})(?:这|那|家|的|户|名下|处|跟前)")
_MOVER = re.compile(rf"(?:把|将)?(?:我的?|俺的?)?({_KIN})的?户口")
_MOVING = re.compile(r"投靠|户口.{0,4}(?:迁|转到|转过|落到|挪|过来|过去)|(?:迁|转|落)户口?")
_SPOUSE_CUES = ("嫁", "娶", "结婚", "老公", "老婆", "媳妇", "丈夫", "妻子")
SERVICE_FORMS = {"parent": ("投靠父母",), "child": ("投靠子女",), "spouse": ("夫妻投靠", "投靠配偶")}


def host_of(text: str) -> str | None:
    """Which relative the household joins: "parent", "child", "spouse", or None."""
    if not _MOVING.search(text):
        return None  # (户口本, 结婚登记: no household moves)
    mover_match = _MOVER.search(text)
    mover = _CLASS.get(mover_match.group(1)) if mover_match else None
    for pattern in (_JOIN, _MOVE_TO):
        match = pattern.search(text)
        if match is None:
            continue
        if match.group("kin"):
            return _CLASS.get(match.group("kin"))
        subject = match.groupdict().get("subject")
        who = _CLASS.get(subject) if subject else mover
        if who is None:
            before = [kin for word, kin in _WORDS if word in text[: match.start()]]
            who = before[0] if before else None
        if who is not None:
            return INVERSE[who]
    if any(cue in text for cue in _SPOUSE_CUES) and not any(w in text for w, k in _WORDS if k != "spouse"):
        return "spouse"
    return None


def joining(
    index: GuidanceIndex, ranked: list[tuple[int, float]], host: str | None
) -> tuple[list[tuple[int, float]], bool]:
    """The 投靠 service joining the relative the person names first; (ranked, True) when the best is a
    投靠 service joining another relative and none joins this one (the catalogue lacks the service)."""
    if host is None or not ranked:
        return ranked, False
    top = joins(index.services[ranked[0][0]].name)
    if top is None or top == host:
        return ranked, False
    for doc_index, _score in ranked:
        if joins(index.services[doc_index].name) == host:
            return [(doc_index, ranked[0][1])] + [item for item in ranked if item[0] != doc_index], False
    return ranked, True


def joins(name: str) -> str | None:
    """The relative a 投靠 service's name joins, or None when the name says none."""
    for host, forms in SERVICE_FORMS.items():
        if any(form in name for form in forms):
            return host
    return None


__all__ = ["host_of", "joining", "joins"]
