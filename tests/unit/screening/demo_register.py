"""The demo register (Weifang's units, from the demo CSV) and `screen()`, the shorthand the screening unit
tests share: a complaint screened against that register without a database."""

from __future__ import annotations

import csv

from nocert_core.demo.foundation import UNITS_FILE
from nocert_core.domain.units import Unit
from nocert_core.services.screening.advice import ScreeningResult, screen_text


def demo_units() -> list[Unit]:
    with UNITS_FILE.open(encoding="utf-8") as handle:
        rows = list(csv.reader(handle))[1:]
    return [Unit(r[0], r[1], r[2] or None, [a for a in r[3].split(";") if a]) for r in rows]


UNITS = demo_units()


def screen(demand: str, reasons: str = "", facts: str = "", agency: str = "奎文区民政局") -> ScreeningResult:
    return screen_text(UNITS, agency, demand, reasons, facts)
