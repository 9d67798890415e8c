"""The exported return prints and reads well: A4 landscape one page wide, header rows on every
page, row heights for wrapped text, machine codes hidden; demo returns say so everywhere."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
from pathlib import Path

import openpyxl
import pytest

from db.demo import fill_demo
from db.office import load_office
from exports.xlsx_common import RETURN_SHEET_BY_KEY
from exports.xlsx_export import export_return
from exports.xlsx_print import RowHeights, text_lines
from resources.words import tr
from tests.conftest import REGION, TODAY
from tests.test_exchange_export import read_meta

DEMO_PERIOD = "2026-Q4"


@pytest.fixture
def demo_return(region_db: sqlite3.Connection, tmp_path: Path) -> Path:
    fill_demo(region_db, load_office(region_db), TODAY)
    return export_return(region_db, REGION, DEMO_PERIOD, "ru", tmp_path / "demo.xlsx")


def _keys(sheet) -> list[str]:
    return [c.value for c in sheet[1]]


def test_every_sheet_is_set_up_for_printing(demo_return: Path) -> None:
    book = openpyxl.load_workbook(demo_return)
    for sheet in book.worksheets[:-1]:  # all but the hidden _meta
        setup = sheet.page_setup
        assert setup.orientation == "landscape" and str(setup.paperSize) == "9", sheet.title
        assert sheet.sheet_properties.pageSetUpPr.fitToPage
        assert (setup.fitToWidth in (None, 1)) and setup.fitToHeight == 0, sheet.title
    for key in ("actions", "gender", "indicators"):
        sheet = book[tr(f"xlsx.sheet.{key}", "ru")]
        assert sheet.print_title_rows == "$1:$2"


def test_machine_codes_hidden_names_shown(demo_return: Path) -> None:
    book = openpyxl.load_workbook(demo_return)
    hidden = {"gender": {"body", "revision"},
              "indicators": {"indicator", "disaggregation", "revision"},
              "actions": {"revision"}}
    for key, expected in hidden.items():
        sheet = book[tr(f"xlsx.sheet.{key}", "ru")]
        keys = _keys(sheet)
        shown_hidden = {k for i, k in enumerate(keys)
                        if sheet.column_dimensions[openpyxl.utils.get_column_letter(i + 1)].hidden}
        assert shown_hidden == expected, key
        assert sheet.row_dimensions[1].hidden  # row 1: the machine keys


def test_rows_with_wrapped_text_are_tall_enough(demo_return: Path) -> None:
    sheet = openpyxl.load_workbook(demo_return)[tr("xlsx.sheet.actions", "ru")]
    keys = _keys(sheet)
    spec = RETURN_SHEET_BY_KEY["actions"]
    for row in sheet.iter_rows(min_row=3):
        longest = max(text_lines(str(c.value or ""), spec.columns[i].width)
                      for i, c in enumerate(row) if spec.columns[i].parse == "text"
                      and spec.columns[i].role in ("info", "input"))
        height = sheet.row_dimensions[row[0].row].height
        if longest > 1:
            assert height and height >= longest * 12, (row[keys.index("action_no")].value, height)


def test_row_height_estimate() -> None:
    heights = RowHeights(RETURN_SHEET_BY_KEY["gender"].columns)
    assert heights.for_row(["b", "Акимы", 1, 2, None, "", 1]) is None
    tall = heights.for_row(["b", "Слово " * 40, 1, 2, None, "", 1])
    assert tall and tall > 12.75 * 4


def test_demo_return_says_so(demo_return: Path) -> None:
    assert read_meta(demo_return)["demo"] == "1"
    book = openpyxl.load_workbook(demo_return)
    instructions = book[tr("xlsx.sheet.instructions", "ru")]
    texts = [c.value for c in instructions["A"] if c.value]
    assert any("ДЕМО / DEMO" in t for t in texts[:3])
    for sheet in book.worksheets[:-1]:
        assert "ДЕМО / DEMO" in (sheet.oddHeader.center.text or ""), sheet.title


def test_real_return_and_template_carry_no_demo_mark(region_db: sqlite3.Connection,
                                                     tmp_path: Path) -> None:
    path = export_return(region_db, REGION, DEMO_PERIOD, "ru", tmp_path / "r.xlsx")
    assert "demo" not in read_meta(path)
    fill_demo(region_db, load_office(region_db), TODAY)
    path = export_return(region_db, REGION, DEMO_PERIOD, "ru", tmp_path / "t.xlsx",
                         template=True)
    assert "demo" not in read_meta(path)
    book = openpyxl.load_workbook(path)
    assert not (book.worksheets[1].oddHeader.center.text or "")


@pytest.mark.skipif(shutil.which("soffice") is None or shutil.which("pdftotext") is None,
                    reason="LibreOffice or poppler not installed")
def test_printed_through_libreoffice(demo_return: Path, tmp_path: Path) -> None:
    """Every printed page is marked as demo; the return fits a handful of pages (one wide)."""
    out = tmp_path / "pdf"
    subprocess.run(["soffice", f"-env:UserInstallation={(tmp_path / 'lo').as_uri()}",
                    "--headless", "--convert-to", "pdf", "--outdir", str(out), str(demo_return)],
                   check=True, capture_output=True, timeout=180)
    text = subprocess.run(["pdftotext", "-layout", str(out / "demo.pdf"), "-"], check=True,
                          capture_output=True, text=True).stdout
    pages = [p for p in text.split("\f") if p.strip()]
    assert 4 <= len(pages) <= 9
    assert all("ДЕМО / DEMO" in page for page in pages)
    assert "akim_deputies" not in text and "IND-01" not in text


def test_consolidated_workbook_of_demo_figures_says_so(center_db: sqlite3.Connection,
                                                       tmp_path: Path) -> None:
    from exports.xlsx_consolidated import export_consolidated

    path = export_consolidated(center_db, DEMO_PERIOD, "en", tmp_path / "empty.xlsx")
    assert "demo" not in read_meta(path)
    fill_demo(center_db, load_office(center_db), TODAY)
    path = export_consolidated(center_db, DEMO_PERIOD, "en", tmp_path / "national.xlsx")
    assert read_meta(path)["demo"] == "1"
