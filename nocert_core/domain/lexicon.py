"""The administrator's additions to the guidance lexicon (colloquial name → official name), as stored.

The built-in lexicon and its parsing are `nocert_core/guidance/search/lexicon.py`; this is the stored term
only, so a read-only command (`nocert lexicon list`) needs neither SQLAlchemy nor the guidance package."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

KINDS = ("certificate", "service")


@dataclass(eq=False)
class LexiconTerm:
    """An administrator's addition to the built-in lexicon (kept in the database, shared by all processes)."""

    kind: str  # certificate | service
    colloquial: str
    official: str
    added_by: str
    added_at: datetime
    id: int | None = None
