"""The exemption catalogue (电子证照证明"用证"事项清单, R1) and its dynamic adjustments (R3).

A catalogue entry is one (government service, certificate or proof) pair the applicant need not submit,
with how the proof is obtained instead (the exemption mode). The catalogue is versioned: an entry
version is valid from the instant an adjustment recorded it until the instant a later adjustment replaced
or cancelled it, so "what did the catalogue say on date D" is answered from the versions alone. The
adjustments that record those versions are in `domain/adjustments.py`.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import datetime
from enum import StrEnum
from functools import lru_cache
from pathlib import Path

from nocert_core.domain.fields import checked_length
from nocert_core.errors import ValidationFailed
from nocert_core.i18n import N_
from nocert_core.textnorm import canonical, compact


class ExemptionMode(StrEnum):
    """免提交方式: how the unit gets the proof instead of the applicant bringing it."""

    ASSOCIATION = "电子证照关联"  # R1 Art.4–5: fetched by association on the government service site
    DOWNLOAD_UPLOAD = (
        "证明直通车下载上传"  # R1 Art.6: the applicant downloads it from 证明直通车 and uploads it
    )
    VERIFICATION = "部门核验"  # R2: the unit asks the issuing department directly
    COMMITMENT = "告知承诺"  # the applicant signs an informed commitment
    ABOLISHED = "直接取消"  # the proof was abolished outright
    DATA_SHARING = "数据共享"  # R1/R2 practice: the unit reads the data from another department's system

    @classmethod
    def parse(cls, text: str, extra: Mapping[str, ExemptionMode] | None = None) -> ExemptionMode:
        """The mode a catalogue wording names (the shipped synonym table plus `extra`, an administrator's
        wordings); an unknown wording raises ValidationFailed naming the closest known wording."""
        key = mode_key(text)
        mode = (extra or {}).get(key) or mode_wordings().get(key) or _mode_by_core_words(key)
        if mode is None:
            closest = closest_mode_wording(text, extra)
            raise ValidationFailed(
                "Unknown exemption mode {mode}; the closest known wording is {closest}.",
                mode=text.strip(),
                closest=closest,
            )
        return mode

    @property
    def short(self) -> str:
        return _MODE_SHORT[self]


_MODE_SHORT = {
    ExemptionMode.ASSOCIATION: "关联",
    ExemptionMode.DOWNLOAD_UPLOAD: "下载上传",
    ExemptionMode.VERIFICATION: "核验",
    ExemptionMode.COMMITMENT: "承诺",
    ExemptionMode.ABOLISHED: "取消",
    ExemptionMode.DATA_SHARING: "共享",
}
MODE_WORDINGS_PATH = Path(__file__).resolve().parent / "data" / "exemption_modes.csv"


def mode_key(text: str) -> str:
    """How a mode wording is compared: the shared normaliser, without spaces, brackets or punctuation;
    免予 and 免于 are the same word (lists use both)."""
    return compact(text).replace("免予", "免于")


def parse_mode_wordings(text: str) -> dict[str, ExemptionMode]:
    """CSV `wording,mode` (a header and `#` comment lines allowed) → {compared wording: mode}."""
    found: dict[str, ExemptionMode] = {}
    for row in csv.reader(io.StringIO(text.lstrip("\ufeff"))):
        if len(row) < 2 or not row[0].strip() or row[0].lstrip().startswith("#") or row[0] == "wording":
            continue
        found[mode_key(row[0])] = ExemptionMode(row[1].strip())
    return found


@lru_cache(maxsize=1)
def mode_wordings() -> dict[str, ExemptionMode]:
    """The shipped, reviewable synonym table (`domain/data/exemption_modes.csv`) with every mode's names."""
    table = parse_mode_wordings(MODE_WORDINGS_PATH.read_text(encoding="utf-8"))
    for mode in ExemptionMode:
        for alias in (mode.value, _MODE_SHORT[mode], mode.name.lower()):
            table.setdefault(mode_key(alias), mode)
    return table


# The words that carry each mode inside a compound wording (部门协查核验, 电子证照库关联调取, 个人书面承诺制):
# a wording not in the table whose core words all belong to ONE mode is that mode.
MODE_CORE_WORDS: dict[ExemptionMode, tuple[str, ...]] = {
    ExemptionMode.ASSOCIATION: ("电子证照", "关联", "亮证"),
    ExemptionMode.DOWNLOAD_UPLOAD: ("直通车", "下载", "上传", "开具"),
    ExemptionMode.VERIFICATION: ("核验", "核查", "协查", "核实", "查验", "代查"),
    ExemptionMode.COMMITMENT: ("承诺", "容缺"),
    ExemptionMode.DATA_SHARING: ("共享", "数据查询", "信息查询", "比对", "数据交换"),
}
# Verbs that say the unit fetches a proof but not from where: beside a source word (共享库调取, 证照调用)
# the source names the way; alone they mean an e-licence fetched (调取, 调用).
FETCH_WORDS = ("调取", "调用")
# Words that only say "the applicant no longer submits it": lists add them to every way (…共享免提交,
# 承诺制免于提交), so they name "abolished outright" only when no way of getting the proof is named.
EXEMPTION_WORDS = (
    "取消",
    "免除",
    "免交",
    *(
        f"{no}{give}"
        for no in ("免于", "免", "不再", "无需", "不需", "无须", "不用")
        for give in ("提交", "提供", "出具")
    ),
)


def _mode_by_core_words(key: str) -> ExemptionMode | None:
    found = {mode for mode, words in MODE_CORE_WORDS.items() if any(word in key for word in words)}
    if not found and any(word in key for word in FETCH_WORDS):
        found = {ExemptionMode.ASSOCIATION}
    if len(found) == 1:
        return found.pop()
    if not found and any(word in key for word in EXEMPTION_WORDS):
        return ExemptionMode.ABOLISHED
    return None


# What single words of an unknown wording hint at, for the suggestion only (never to accept a wording):
# a city's coinage (证明销号, 联办单位把关) shares generic characters (证, 明, 办) with wordings of other
# ways, so likeness of characters alone suggested the wrong way for them.
MODE_HINTS: dict[ExemptionMode, tuple[str, ...]] = {
    ExemptionMode.ABOLISHED: ("销", "废", "免", "停", "撤", "不再", "取消", "无需"),
    ExemptionMode.COMMITMENT: ("诺", "守信", "信用", "容缺"),
    ExemptionMode.VERIFICATION: ("核", "查", "验", "审", "把关", "代", "协"),
    ExemptionMode.ASSOCIATION: ("照", "亮证", "扫码", "关联"),
    ExemptionMode.DATA_SHARING: ("享", "数据", "互通", "推送", "比对", "交换", "对接", "平台"),
    ExemptionMode.DOWNLOAD_UPLOAD: ("下载", "上传", "直通车", "打印"),
}
# Characters nearly every wording has, whatever its way: they say nothing about which way is meant.
GENERIC_MODE_CHARACTERS = frozenset("证明办即制式方理单位")


def closest_mode_wording(text: str, extra: Mapping[str, ExemptionMode] | None = None) -> str:
    """The known wording most like `text`, with its mode: the way its words hint at when they hint at one
    way only; otherwise the wording sharing most meaningful characters (then the shorter)."""
    key = mode_key(text)
    votes = {mode: sum(hint in key for hint in hints) for mode, hints in MODE_HINTS.items()}
    most = max(votes.values())
    hinted = [mode for mode, count in votes.items() if count == most] if most else []
    if len(hinted) == 1:
        return hinted[0].value
    table = {**mode_wordings(), **(extra or {})}
    meaningful = set(key) - GENERIC_MODE_CHARACTERS

    def likeness(wording: str) -> tuple[float, int]:
        chars = set(wording) - GENERIC_MODE_CHARACTERS
        shared = len(chars & meaningful)
        return (2 * shared / (len(chars) + len(meaningful) or 1), -len(wording))

    best = max(table, key=likeness)
    return best if best == table[best].value else f"{best} ({table[best].value})"


_SPACES = re.compile(r"\s+")


def normalise_text(text: str) -> str:
    """Full-width to half-width (NFKC), trimmed, inner whitespace collapsed."""
    return _SPACES.sub(" ", unicodedata.normalize("NFKC", text or "")).strip()


def certificate_key(name: str) -> str:
    """Comparison key of a certificate name: no spaces, no brackets' decoration, case-folded."""
    return re.sub(r"[\s《》“”\"']", "", canonical(normalise_text(name))).casefold()


@dataclass(frozen=True)
class EntryKey:
    service_code: str
    certificate: str  # certificate_key()


@dataclass(eq=False)
class CatalogueEntry:
    """One version of one (service, certificate) pair. `valid_to` None: it is in the current catalogue."""

    service_code: str
    service: str
    unit_name: str  # 实施主体 as written in the list
    certificate: str
    mode: ExemptionMode
    basis: str = ""
    notes: str = ""
    unit_code: str | None = None  # the unit in the register, when the name resolves to one
    valid_from: datetime | None = None
    valid_to: datetime | None = None
    adjustment_id: int | None = None
    id: int | None = None

    @property
    def key(self) -> EntryKey:
        return EntryKey(self.service_code, certificate_key(self.certificate))

    def content(self) -> tuple[str, str, str, str, str, str, str]:
        """What an import compares: everything a list row says."""
        return (
            self.service_code,
            self.service,
            self.unit_name,
            self.certificate,
            self.mode.value,
            self.basis,
            self.notes,
        )

    def differs_from(self, other: CatalogueEntry) -> list[str]:
        names = ("service_code", "service", "unit", "certificate", "mode", "basis", "notes")
        return [name for name, a, b in zip(names, self.content(), other.content(), strict=True) if a != b]

    def copy(self, **changes: object) -> CatalogueEntry:
        fresh = replace(self, id=None, valid_from=None, valid_to=None, adjustment_id=None)
        return replace(fresh, **changes)  # type: ignore[arg-type]


ENTRY_FIELD_LABELS = {  # msgids naming a row's fields in validation messages
    "service_code": N_("Service code"),
    "service": N_("Service"),
    "unit": N_("Implementing unit"),
    "certificate": N_("Certificate"),
}


def make_entry(
    service_code: str,
    service: str,
    unit_name: str,
    certificate: str,
    mode: str | ExemptionMode,
    basis: str = "",
    notes: str = "",
    unit_code: str | None = None,
    modes: Mapping[str, ExemptionMode] | None = None,
) -> CatalogueEntry:
    """Validate and normalise one row; raises ValidationFailed with a message naming the field."""
    values = {
        "service_code": normalise_text(service_code).upper(),  # `x-1` and `X-1` are one service
        "service": normalise_text(service),
        "unit": normalise_text(unit_name),
        "certificate": normalise_text(certificate),
    }
    limits = {"service_code": 64, "service": 300, "unit": 200, "certificate": 200}
    for name, limit in limits.items():
        checked_length(values[name], ENTRY_FIELD_LABELS[name], limit)
    parsed_mode = mode if isinstance(mode, ExemptionMode) else ExemptionMode.parse(mode, modes)
    return CatalogueEntry(
        service_code=values["service_code"],
        service=values["service"],
        unit_name=values["unit"],
        certificate=values["certificate"],
        mode=parsed_mode,
        basis=normalise_text(basis)[:1000],
        notes=normalise_text(notes)[:1000],
        unit_code=unit_code,
    )


def entry_as_dict(entry: CatalogueEntry) -> dict[str, str]:
    return {
        "service_code": entry.service_code,
        "service": entry.service,
        "unit": entry.unit_name,
        "certificate": entry.certificate,
        "mode": entry.mode.value,
        "basis": entry.basis,
        "notes": entry.notes,
    }
