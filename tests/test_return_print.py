"""The printed return (issue 22): every printed page names the region and the period, and the
baselines and targets are written with the file language's decimal mark («21,4 (2021)» in
Russian and Kazakh, as the app shows it), while the columns the exchange reads keep their values."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
from pathlib import Path

import openpyxl
import pytest

from db.audit import OpInfo
from db.office import load_office
from db.ops import update_indicator
from exports.importer import plan_import
from exports.xlsx_export import export_return
from resources.words import tr
from tests.conftest import PERIOD, REGION

INFO = OpInfo(user="test")
PERIOD_WORDS = {"ru": "3-й квартал 2026 года", "kk": "2026 жылғы 3-тоқсан", "en": "Q3 2026"}


def indicator_cells(path: Path, lang: str) -> dict[str, dict[str, object]]:
    sheet = openpyxl.load_workbook(path)[tr("xlsx.sheet.indicators", lang)]
    keys = [c.value for c in sheet[1]]
    return {f"{row[0]}|{row[keys.index('disaggregation')]}": dict(zip(keys, row, strict=True))
            for row in sheet.iter_rows(min_row=3, values_only=True)}


@pytest.mark.parametrize(("lang", "mark"), [("ru", "21,4 (2021)"), ("kk", "21,4 (2021)"),
                                            ("en", "21.4 (2021)")])
def test_baselines_use_the_languages_decimal_mark(region_db: sqlite3.Connection, tmp_path: Path,
                                                  lang: str, mark: str) -> None:
    update_indicator(region_db, REGION, PERIOD, "IND-02", "total", INFO, value=45.5)
    path = export_return(region_db, REGION, PERIOD, lang, tmp_path / f"r-{lang}.xlsx")
    rows = indicator_cells(path, lang)
    assert mark in {row["baseline"] for row in rows.values()}
    assert not any(isinstance(row["baseline"], str) and "." in row["baseline"]
                   for row in rows.values()) or lang == "en"
    assert rows["IND-02|total"]["value"] == 45.5  # the exchanged value stays a number
    assert plan_import(region_db, path, load_office(region_db)).nothing_to_change


def test_headers_of_every_sheet_name_region_and_period(region_db: sqlite3.Connection,
                                                       tmp_path: Path) -> None:
    path = export_return(region_db, REGION, PERIOD, "kk", tmp_path / "r.xlsx")
    book = openpyxl.load_workbook(path)
    for sheet in book.worksheets:
        if sheet.sheet_state == "visible":
            header = sheet.oddHeader.left.text or ""
            assert "Алматы" in header and PERIOD_WORDS["kk"] in header, sheet.title


@pytest.mark.skipif(shutil.which("soffice") is None or shutil.which("pdftotext") is None,
                    reason="LibreOffice or poppler not installed")
@pytest.mark.parametrize("lang", ["ru", "kk"])
def test_every_printed_page_names_region_and_period(region_db: sqlite3.Connection,
                                                    tmp_path: Path, lang: str) -> None:
    path = export_return(region_db, REGION, PERIOD, lang, tmp_path / "return.xlsx")
    out = tmp_path / "pdf"
    subprocess.run(["soffice", f"-env:UserInstallation={(tmp_path / 'lo').as_uri()}",
                    "--headless", "--convert-to", "pdf", "--outdir", str(out), str(path)],
                   check=True, capture_output=True, timeout=180)
    text = subprocess.run(["pdftotext", "-layout", str(out / "return.pdf"), "-"], check=True,
                          capture_output=True, text=True).stdout
    pages = [" ".join(p.split()) for p in text.split("\f") if p.strip()]
    assert len(pages) >= 3
    region = "Алматы"
    for number, page in enumerate(pages, 1):
        assert region in page and PERIOD_WORDS[lang] in page, (number, page[:200])
    assert "21,4 (2021)" in " ".join(pages)
