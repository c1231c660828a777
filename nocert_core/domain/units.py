"""Units: agencies and public-service bodies, forming a tree (city → district → office)."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(eq=False)
class Unit:
    code: str
    name: str
    parent_code: str | None = None
    aliases: list[str] = field(default_factory=list)

    def names(self) -> list[str]:
        return [self.name, *self.aliases]
