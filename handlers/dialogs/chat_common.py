"""Small helpers shared by the chat feature's handlers (button rows, dates, numbers)."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from datetime import datetime

from handlers.dispatch.routing import Context
from handlers.types import Button
from nocert_core.clock import local_date
from nocert_core.domain.complaints import Complaint
from nocert_core.i18n import N_, Translator
from nocert_core.numbers import complaint_number

NUMBER_PATTERN = re.compile(r"TS-\d{4}-\d{6}", re.IGNORECASE)
CASES_LISTED = 30  # a list longer than this is cut (the count above it says how many there are)


def nav_row(t: Translator, back: bool = True) -> list[Button]:
    row = [Button(t(N_("◀ Back")), "@ci:back")] if back else []
    return [*row, Button(t(N_("✖ Cancel")), "@ci:cancel")]


def menu_row(t: Translator) -> list[Button]:
    return [Button(t(N_("☰ Menu")), "menu:show")]


def case_rows(complaints: Iterable[Complaint], describe: Callable[[Complaint], str]) -> list[list[Button]]:
    """One button a complaint, opening its case card (staff and task force lists)."""
    return [[Button(describe(c), f"st:case:{c.number}")] for c in list(complaints)[:CASES_LISTED]]


def local_day(ctx: Context, instant: datetime | None) -> str:
    if instant is None:
        return "—"
    return local_date(instant, ctx.app.settings.timezone).isoformat()


def find_number(text: str, year: int | None = None) -> str | None:
    """A complaint number in free text; with `year`, also a short one typed alone (11, 2026-11)."""
    found = NUMBER_PATTERN.search(text)
    if found:
        return found.group(0).upper()
    return complaint_number(text, year) if year is not None else None
