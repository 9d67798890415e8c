"""One rule for incomplete gender figures (issue 22, point 3): a body enters the share only with
both women and total; a body with one of the two is shown as incomplete on the Gender page, the
dashboard, the PDF and Word reports and the consolidated workbook, never as 0 %."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import openpyxl
import pytest
from docx import Document
from pypdf import PdfReader

from db import queries
from db.audit import OpInfo
from db.ops import update_gender
from desktop.models import gender as g
from exports.docx_report import build_region_docx
from exports.pdf_report import build_region_report
from exports.xlsx_consolidated import export_consolidated
from resources.words import tr
from tests.conftest import PERIOD, REGION, TODAY

INCOMPLETE = "неполные данные"
NOTE = "не учтены в доле: 2."


@pytest.fixture
def bodies(region_db: sqlite3.Connection) -> list[str]:
    """Three bodies: only «Всего» = 20; only women = 5; both, 3 of 10."""
    codes = [r.body_code for r in queries.gender_rows(region_db, REGION, PERIOD, "ru")][:3]
    info = OpInfo("u", "ui")
    update_gender(region_db, REGION, PERIOD, codes[0], info, total=20)
    update_gender(region_db, REGION, PERIOD, codes[1], info, women=5)
    update_gender(region_db, REGION, PERIOD, codes[2], info, women=3, total=10)
    return codes


def test_only_complete_bodies_enter_the_totals(region_db: sqlite3.Connection,
                                               bodies: list[str]) -> None:
    rows = queries.gender_rows(region_db, REGION, PERIOD, "ru")
    assert queries.gender_totals(rows) == (3, 10)
    assert queries.incomplete_bodies(rows) == 2
    assert [r.incomplete for r in rows[:3]] == [True, True, False]
    assert [r.share for r in rows[:3]] == [None, None, 30.0]


def test_the_gender_page_and_the_dashboard_say_incomplete(qtbot, bodies: list[str],
                                                          window) -> None:
    window.show_page("gender")
    page = window.page("gender")
    shares = [page.model.index(row, g.SHARE).data() for row in range(3)]
    assert shares == [INCOMPLETE, INCOMPLETE, "30"]
    summary = page.summary.text()
    assert NOTE in summary and "3" in summary and "10" in summary
    assert "из 20" not in summary and "0 %" not in summary
    window.show_page("dashboard")
    facts = window.page("dashboard").women_text.text()
    assert NOTE in facts and "30" in facts and "0 %" not in facts


def test_reports_and_the_consolidated_workbook_say_incomplete(
        region_db: sqlite3.Connection, bodies: list[str], tmp_path: Path) -> None:
    pdf = build_region_report(region_db, REGION, PERIOD, "ru", tmp_path / "r.pdf", today=TODAY)
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(pdf).pages).split())
    assert text.count(INCOMPLETE) == 2 and NOTE in text

    doc = Document(str(build_region_docx(region_db, REGION, PERIOD, "ru", tmp_path / "r.docx",
                                         today=TODAY)))
    cells = [c.text for t in doc.tables for row in t.rows for c in row.cells]
    assert cells.count(INCOMPLETE) == 2
    assert any(NOTE in p.text for p in doc.paragraphs)

    book = openpyxl.load_workbook(export_consolidated(region_db, PERIOD, "ru",
                                                      tmp_path / "all.xlsx"))
    sheet = book[tr("center.xlsx.sheet.gender", "ru")[:31]]
    values = [[c for c in row] for row in sheet.iter_rows(values_only=True)]
    shares = {row[2]: row[6] for row in values if row and row[2] in bodies}
    assert shares == {bodies[0]: INCOMPLETE, bodies[1]: INCOMPLETE, bodies[2]: 30.0}
