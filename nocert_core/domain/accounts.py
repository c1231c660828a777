"""Accounts: a chat identity (Telegram user, console user) and what it may do."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from nocert_core.domain.actors import Actor, Role


@dataclass(eq=False)
class Account:
    ref: str  # "telegram:12345" / "console:alice"
    channel: str  # "telegram" / "console"
    chat_id: str  # where to deliver messages on that channel
    display_name: str
    role: Role = Role.CITIZEN
    unit_code: str | None = None
    locale: str = "zh_Hans"
    reachable: bool = True
    unreachable_reason: str | None = None
    created_at: datetime | None = None
    id: int | None = None

    def as_actor(self) -> Actor:
        return Actor(ref=self.ref, role=self.role, unit_code=self.unit_code, name=self.display_name)
