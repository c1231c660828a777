"""Adjustments of the exemption catalogue (R3): the three kinds (add, change, cancel; Art.5–7), the cases
that trigger each (and which kinds each allows), a filed adjustment with its filing deadline (Art.8), and the
public's opinions on one (Art.10). The entries they change are in `domain/catalogue.py`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from nocert_core.errors import ValidationFailed


class AdjustmentType(StrEnum):
    ADD = "add"  # 新增 (R3 Art.5)
    CHANGE = "change"  # 变更 (R3 Art.6)
    CANCEL = "cancel"  # 取消 (R3 Art.7)

    @classmethod
    def parse(cls, text: str) -> AdjustmentType:
        key = text.strip().lower()
        found = {
            "add": cls.ADD,
            "新增": cls.ADD,
            "change": cls.CHANGE,
            "变更": cls.CHANGE,
            "cancel": cls.CANCEL,
            "取消": cls.CANCEL,
        }.get(key)
        if found is None:
            raise ValidationFailed("Unknown adjustment type {type}.", type=text.strip())
        return found


class AdjustmentTrigger(StrEnum):
    """Why an entry is adjusted: the cases of R3 Art.5–7 (and an import, whose file does not say why)."""

    LAW_ENACTED = "law_enacted"  # Art.5(1): a law or regulation issued or revised needs a new proof entry
    SERVICE_TAKEN_OVER = "service_taken_over"  # Art.5(2): newly taken-over service involving proofs
    FUNCTION_CHANGE = "function_change"  # Art.5(3), Art.7(3): the unit's functions changed
    LAW_AMENDED = "law_amended"  # Art.6(1): a law issued or revised changes the proof
    SERVICE_RENAMED = "service_renamed"  # Art.6(2)
    PROOF_RENAMED = "proof_renamed"  # Art.6(3): name or kind of the proof changed
    LAW_REPEALED = "law_repealed"  # Art.7(1)
    GOVERNMENT_DECISION = (
        "government_decision"  # Art.7(2): State Council / province / city / county cancels it
    )
    TASK_FORCE = "task_force"  # Art.9: the task force starts the adjustment itself
    OTHER = "other"  # Art.5(4), 6(4), 7(4)
    IMPORT = "import"  # a bulk import of the unit's list

    def allowed_for(self, kind: AdjustmentType) -> bool:
        return kind in _TRIGGER_TYPES[self]


_ALL = frozenset(AdjustmentType)
_TRIGGER_TYPES: dict[AdjustmentTrigger, frozenset[AdjustmentType]] = {
    AdjustmentTrigger.LAW_ENACTED: frozenset({AdjustmentType.ADD}),
    AdjustmentTrigger.SERVICE_TAKEN_OVER: frozenset({AdjustmentType.ADD}),
    AdjustmentTrigger.FUNCTION_CHANGE: frozenset({AdjustmentType.ADD, AdjustmentType.CANCEL}),
    AdjustmentTrigger.LAW_AMENDED: _ALL,
    AdjustmentTrigger.SERVICE_RENAMED: frozenset({AdjustmentType.CHANGE}),
    AdjustmentTrigger.PROOF_RENAMED: frozenset({AdjustmentType.CHANGE}),
    AdjustmentTrigger.LAW_REPEALED: frozenset({AdjustmentType.CANCEL}),
    AdjustmentTrigger.GOVERNMENT_DECISION: frozenset({AdjustmentType.CANCEL}),
    AdjustmentTrigger.TASK_FORCE: _ALL,
    AdjustmentTrigger.OTHER: _ALL,
    AdjustmentTrigger.IMPORT: _ALL,
}


@dataclass(eq=False)
class Adjustment:
    """A filed adjustment (R3 Art.8): who changed which entry, why, and whether it was filed in time."""

    kind: AdjustmentType
    trigger: AdjustmentTrigger
    service_code: str
    service: str
    certificate: str
    unit_code: str | None
    unit_name: str
    basis: str
    event_date: date
    filed_at: datetime
    filed_by: str  # actor ref
    filed_by_role: str
    due_date: date
    late: bool
    due_provisional: bool = False
    source: str = "manual"  # manual | import | chat
    batch: str | None = None  # an import's batch id: its adjustments were filed together
    before: dict[str, str] | None = None  # the entry before (change, cancel)
    after: dict[str, str] | None = None  # the entry after (add, change)
    note: str = ""
    id: int | None = None


@dataclass(eq=False)
class Opinion:
    """A public opinion on an adjustment (R3 Art.10)."""

    adjustment_id: int
    author_ref: str
    text: str
    created_at: datetime
    id: int | None = None


def adjustment_as_dict(adjustment: Adjustment) -> dict[str, Any]:
    """JSON-ready: the task force's outbox notice and `nocert catalogue adjustments --json` both use it."""
    return {
        "id": adjustment.id,
        "kind": adjustment.kind.value,
        "trigger": adjustment.trigger.value,
        "unit": adjustment.unit_name,
        "unit_code": adjustment.unit_code,
        "service_code": adjustment.service_code,
        "service": adjustment.service,
        "certificate": adjustment.certificate,
        "basis": adjustment.basis,
        "event_date": adjustment.event_date.isoformat(),
        "filed_at": adjustment.filed_at.isoformat(),
        "filed_by": adjustment.filed_by,
        "due_date": adjustment.due_date.isoformat(),
        "late": adjustment.late,
        "source": adjustment.source,
        "before": adjustment.before,
        "after": adjustment.after,
    }
