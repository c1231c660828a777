"""What every lifecycle shares: look a move up in its transition table, and the audit row of a change.

Each lifecycle keeps its own explicit table, states, actions, audit class and illegal-move error in its
own module (complaints, rectification, verification); these helpers only spare them the same lines.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Self, TypeVar

from nocert_core.domain.actors import Actor
from nocert_core.errors import DomainError

State = TypeVar("State", bound=StrEnum)
Move = TypeVar("Move", bound=StrEnum)


def target_state(
    transitions: Mapping[tuple[State, Move], State],
    status: State,
    action: Move,
    illegal: type[DomainError],
) -> State:
    """The state `action` leads to from `status`; raises `illegal(status=…, action=…)` when the table
    has no such move (with the enums themselves, so a channel can name them by their labels)."""
    target = transitions.get((status, action))
    if target is None:
        raise illegal(status=status, action=action)
    return target


@dataclass(eq=False)
class AuditRow:
    """One change (or view) of a lifecycle: who, when, what, from, to, why. Each lifecycle subclasses it
    with the id of what it belongs to, and maps the subclass to its own audit table."""

    at: datetime
    actor_ref: str
    actor_role: str
    action: str
    from_status: str
    to_status: str
    note: str = ""
    id: int | None = None

    @classmethod
    def of(
        cls, actor: Actor, now: datetime, action: str, from_status: str, to_status: str, note: str = ""
    ) -> Self:
        return cls(
            at=now,
            actor_ref=actor.ref,
            actor_role=actor.role.value,
            action=action,
            from_status=from_status,
            to_status=to_status,
            note=note,
        )
