"""Outbox messages: what the system sends on its own, written in the same transaction as the change
that causes it and delivered later by a worker (see issue "reliable notifications")."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any


class OutboxStatus(StrEnum):
    PENDING = "pending"
    SENT = "sent"
    UNDELIVERABLE = "undeliverable"  # the recipient blocked the bot or the chat does not exist
    SUPERSEDED = "superseded"  # a reminder or card whose complaint moved on before it went out: not sent


@dataclass(eq=False)
class OutboxMessage:
    dedup_key: str  # unique: the same cause never produces two messages
    recipient_ref: str  # an Account.ref
    kind: str  # which template renders it (handlers/dispatch/notifications.py)
    payload: dict[str, Any]
    created_at: datetime
    available_at: datetime
    status: OutboxStatus = OutboxStatus.PENDING
    attempts: int = 0
    sent_at: datetime | None = None
    last_error: str | None = None
    id: int | None = None
    extra: dict[str, Any] = field(default_factory=dict)
