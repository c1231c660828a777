"""The rule every import follows before it writes: removing or replacing more than a small share of what
exists needs the operator's explicit flag. A header-only catalogue, a one-row catalogue or a one-line
calendar is far more often a careless file than an intended wipe."""

from __future__ import annotations

from nocert_core.adapters.files.tabular import Limits
from nocert_core.errors import ImportNeedsConfirmation
from nocert_core.settings import Settings


def limits(settings: Settings) -> Limits:
    return Limits(max_rows=settings.import_max_rows, max_bytes=settings.import_max_bytes)


def allowed_without_flag(existing: int, share: float) -> int:
    """How many existing items an import may remove or replace without the flag: a small share, at least 1."""
    return max(1, int(existing * share))


def require_flag_for_large_changes(
    affected: int, existing: int, *, settings: Settings, confirmed: bool, what: str, flag: str = "--replace"
) -> None:
    """Raise `ImportNeedsConfirmation` (before anything is written) unless the change is small or confirmed.
    `what` is a msgid naming the items, e.g. N_("catalogue entries")."""
    if confirmed or affected <= allowed_without_flag(existing, settings.import_replace_share):
        return
    raise ImportNeedsConfirmation(affected=affected, existing=existing, what=what, flag=flag)
