"""The editable Word report: national (center) and regional, checked against the returns' values
read straight from the database, converted to PDF by LibreOffice when it is installed."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
from pathlib import Path

import pytest
from docx import Document
from pypdf import PdfReader

from db.audit import OpInfo
from db.ops import update_action, update_gender
from db.review import return_with_remarks
from exports.docx_report import build_national_docx, build_region_docx
from planmonitor.cli import main
from tests.conftest import PERIOD, REGION, TODAY
from tests.national_helpers import center_fixture, center_template_fixture  # noqa: F401

STATUS_WORDS = {"completed": "выполнено", "in_progress": "в работе", "not_started": "не начато"}


def _by_style(doc, style: str) -> list[str]:
    return [p.text for p in doc.paragraphs if p.style.name == style]


def _after(doc, heading: str) -> list[str]:
    """The paragraphs between a heading and the next one."""
    texts, inside = [], False
    for p in doc.paragraphs:
        if p.style.name.startswith("Heading"):
            inside = p.text == heading
        elif inside:
            texts.append(p.text)
    return texts


def _reported(conn: sqlite3.Connection) -> list[str]:
    return [r[0] for r in conn.execute(
        "SELECT DISTINCT region_code FROM action_report WHERE period_code = ? ORDER BY 1",
        (PERIOD,))]


@pytest.fixture
def national_docx(center: sqlite3.Connection, tmp_path: Path) -> Path:
    return_with_remarks(center, "KZ-75", PERIOD, OpInfo(user="m", source="review"),
                        remarks={("action", "3"): "Приложите протокол заседания"})
    return build_national_docx(center, PERIOD, "ru", tmp_path / "national.docx", today=TODAY)


def test_national_docx_holds_headings_statuses_and_measures(
        center: sqlite3.Connection, national_docx: Path) -> None:
    doc = Document(str(national_docx))
    sections = [r[0] for r in center.execute("SELECT code FROM section ORDER BY no")]
    actions = center.execute("SELECT no, name_ru FROM action ORDER BY no").fetchall()
    assert [h.split(".")[0] for h in _by_style(doc, "Heading 1") if h.startswith("Раздел ")] == [
        f"Раздел {code}" for code in sections]
    assert _by_style(doc, "Heading 2") == [f"{no}. {name}" for no, name in actions]
    reported = _reported(center)
    for no, name in actions[:5]:
        counts = dict(center.execute(
            "SELECT status, count(*) FROM action_report WHERE period_code = ? AND action_no = ? "
            "GROUP BY status", (PERIOD, no)).fetchall())
        text = _after(doc, f"{no}. {name}")
        status = text[0]
        assert f"по {len(reported)} регионам" in status
        for key, word in STATUS_WORDS.items():
            assert f"{word} — {counts.get(key, 0)}" in status
    region, note = center.execute(
        "SELECT g.name_ru, r.progress_note FROM action_report r JOIN region g ON g.code = "
        "r.region_code WHERE r.period_code = ? AND r.action_no = 3 AND r.progress_note <> '' "
        "ORDER BY r.region_code LIMIT 1", (PERIOD,)).fetchone()
    measures = _after(doc, f"3. {actions[2][1]}")
    assert any(line.startswith(region) and note in line for line in measures)
    assert any("Приложите протокол заседания" in line for line in measures)


def test_national_docx_gender_table_matches_the_returns(
        center: sqlite3.Connection, national_docx: Path) -> None:
    doc = Document(str(national_docx))
    gender = next(t for t in doc.tables if t.rows[0].cells[1].text == "Орган")
    expected = center.execute(
        "SELECT b.name_ru, sum(f.women), sum(f.total) FROM gender_body b JOIN gender_figure f "
        "ON f.body_code = b.code WHERE f.period_code = ? AND f.women IS NOT NULL AND f.total > 0 "
        "GROUP BY b.code ORDER BY b.ord", (PERIOD,)).fetchall()
    rows = [[c.text for c in row.cells] for row in gender.rows[1:-1]]
    assert [r[1] for r in rows] == [e[0] for e in expected]
    for row, (_name, women, total) in zip(rows, expected, strict=True):
        assert row[2].replace("\u202f", "") == str(women)
        assert row[3].replace("\u202f", "") == str(total)
    section = doc.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)  # A4
    footer = section.footer._element.xml
    assert "PAGE" in footer and "NUMPAGES" in footer
    assert 'TOC \\o "1-2"' in doc.element.xml


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_libreoffice_converts_the_national_docx_to_pdf(national_docx: Path, tmp_path: Path) -> None:
    subprocess.run(["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path),
                    str(national_docx)], check=True, capture_output=True, timeout=180)
    reader = PdfReader(tmp_path / "national.pdf")
    text = " ".join((page.extract_text() or "") for page in reader.pages)
    assert len(reader.pages) > 5
    assert "Раздел I." in text and "Республика Казахстан" in text
    assert f"из {len(reader.pages)}" in " ".join(text.split())  # the footer's NUMPAGES


def test_regional_docx_in_kazakh(region_db: sqlite3.Connection, tmp_path: Path) -> None:
    update_action(region_db, REGION, PERIOD, 2, OpInfo(user="t"), status="in_progress",
                  progress_note="Әкімдік жоспары бекітілді", evidence="Қаулы № 5")
    body, name = region_db.execute("SELECT code, name_kk FROM gender_body ORDER BY ord").fetchone()
    update_gender(region_db, REGION, PERIOD, body, OpInfo(user="t"), women=9, total=30)
    path = build_region_docx(region_db, REGION, PERIOD, "kk", tmp_path / "r.docx", today=TODAY)
    doc = Document(str(path))
    action = region_db.execute("SELECT name_kk FROM action WHERE no = 2").fetchone()[0]
    assert f"2. {action}" in _by_style(doc, "Heading 2")
    lines = _after(doc, f"2. {action}")
    assert any("Әкімдік жоспары бекітілді" in line for line in lines)
    assert any("Қаулы № 5" in line for line in lines)
    gender = next(t for t in doc.tables if t.rows[0].cells[1].text == "Орган")
    row = next(r for r in gender.rows if r.cells[1].text == name)
    assert [c.text for c in row.cells[2:5]] == ["9", "30", "30 %"]


def test_report_command_writes_docx_and_refuses_bad_input(
        region_db: sqlite3.Connection, db_path: Path, tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "out" / "summary.docx"
    assert main(["report", "--db", str(db_path), "--period", PERIOD, "--format", "docx",
                 "-o", str(target)]) == 0
    assert Document(str(target)).paragraphs
    assert main(["report", "--db", str(db_path), "--period", PERIOD, "--format", "docx",
                 "--region", "KZ-11", "-o", str(target)]) != 0
    assert "KZ-11" in capsys.readouterr().err


def test_reports_page_saves_the_national_docx(qtbot, center: sqlite3.Connection,
                                              tmp_path: Path) -> None:
    from desktop.context import AppContext, Selection
    from desktop.pages.reports import NATIONAL, ReportsPage

    ctx = AppContext(center, tmp_path / "center" / "center.sqlite3", Selection("", PERIOD))
    page = ReportsPage(ctx)
    qtbot.addWidget(page)
    assert page.region.currentData() == NATIONAL and page.docx_button.text()
    job = page.save_docx_to(tmp_path / "national.docx")
    qtbot.waitUntil(lambda: job.done, timeout=60_000)
    assert job.error is None, job.error
    assert "Республика Казахстан" in [p.text for p in Document(str(page.saved)).paragraphs]
    assert page.open_button.isEnabled()
