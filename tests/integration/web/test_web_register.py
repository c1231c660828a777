"""The register's filters, keyset pages and export (R5 Art.7): exactly what is filtered, newest first, and
what a complainant typed stays text in the workbook."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from openpyxl import load_workbook

from nocert_core.bootstrap import Application
from nocert_core.clock import FixedClock
from nocert_core.services.complaints.register_search import RegisterFilter, export_filtered, search_register
from tests.integration.oversight_helpers import SUPERVISOR, register_at, seed, staff_actor


async def test_filters_pages_and_the_export_agree(
    app: Application, clock: FixedClock, tmp_path: Path
) -> None:
    await seed(app)
    numbers = []
    for day in range(1, 8):
        unit = "KW-SPJ" if day % 2 else "WC-BDC"
        demand = '=HYPERLINK("http://x")' if day == 3 else f"撤回证明要求{day}"
        complaint = await register_at(
            app, clock, datetime(2026, 11, day + 10, 2, tzinfo=UTC), unit, demand=demand
        )
        numbers.append(complaint.number)
    everything = await search_register(app.uow(), SUPERVISOR, RegisterFilter())
    assert [c.number for c in everything.complaints] == numbers[::-1]  # newest first
    one = await search_register(app.uow(), SUPERVISOR, RegisterFilter(number=numbers[2].lower()))
    assert [c.number for c in one.complaints] == [numbers[2]]
    days = RegisterFilter(date_from="2026-11-12", date_to="2026-11-14")
    assert len((await search_register(app.uow(), SUPERVISOR, days)).complaints) == 3
    text = await search_register(app.uow(), SUPERVISOR, RegisterFilter(text="证明要求5"))
    assert [c.number for c in text.complaints] == [numbers[4]]
    unit = RegisterFilter(unit="KW-SPJ")
    first = await search_register(app.uow(), SUPERVISOR, unit, limit=3)
    second = await search_register(app.uow(), SUPERVISOR, unit, after=first.next_after, limit=3)
    paged = [c.number for page in (first, second) for c in page.complaints]
    assert paged == [n for i, n in enumerate(numbers) if i % 2 == 0][::-1]
    assert len(first.complaints) == 3 and second.next_after is None
    staff = await search_register(app.uow(), staff_actor("WC-BDC", 2), RegisterFilter(unit="KW-SPJ"))
    assert {c.unit_code for c in staff.complaints} == {"WC-BDC"}  # staff: their own unit, whatever they ask
    path = tmp_path / "register.xlsx"
    assert await export_filtered(app.uow, SUPERVISOR, unit, path) == 4
    sheet = load_workbook(path).active
    assert sheet is not None
    cells = [row for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert [row[0] for row in cells] == [n for i, n in enumerate(numbers) if i % 2 == 0][::-1]
    formula = next(c for c in sheet.iter_rows(min_row=2) if c[0].value == numbers[2])
    demand = formula[11]
    assert demand.value == '=HYPERLINK("http://x")' and demand.data_type == "s"
