"""Who is acting: every service that touches protected data takes an Actor and checks it."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Role(StrEnum):
    CITIZEN = "citizen"
    STAFF = "staff"  # staff of one unit
    SUPERVISOR = "supervisor"  # the task force (专班)
    ADMIN = "admin"  # operators at the CLI
    SYSTEM = "system"  # the scheduler and other automatic actors


@dataclass(frozen=True)
class Actor:
    ref: str  # a stable identity: "telegram:12345", "console:alice", "cli:root", "system:scheduler"
    role: Role
    unit_code: str | None = None
    name: str | None = None

    @property
    def is_supervisor(self) -> bool:
        return self.role in (Role.SUPERVISOR, Role.ADMIN, Role.SYSTEM)

    def acts_for_unit(self, unit_code: str | None) -> bool:
        """Staff act for their own unit only; supervisors and admins for every unit."""
        if self.is_supervisor:
            return True
        return self.role == Role.STAFF and unit_code is not None and self.unit_code == unit_code


SYSTEM_ACTOR = Actor(ref="system:nocert", role=Role.SYSTEM, name="nocert")
CLI_ADMIN = Actor(ref="cli:admin", role=Role.ADMIN, name="CLI")
