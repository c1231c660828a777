"""Staff invites: a one-time code that binds a chat account to a unit as staff or supervisor."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from nocert_core.domain.actors import Role
from nocert_core.errors import DomainError


@dataclass(eq=False)
class StaffInvite:
    code: str
    unit_code: str | None  # None for task-force supervisors that belong to no unit
    role: Role
    created_by: str
    created_at: datetime
    expires_at: datetime
    display_name: str | None = None
    used_at: datetime | None = None
    used_by_ref: str | None = None

    def redeem(self, account_ref: str, now: datetime) -> None:
        """One use only, before it expires."""
        if self.used_at is not None:
            raise DomainError("This invite code has already been used.")
        if now >= self.expires_at:
            raise DomainError("This invite code has expired. Ask for a new one.")
        self.used_at = now
        self.used_by_ref = account_ref
