"""Word tables' headers break between words, never inside one (issue 22: «Медиан/а»,
«Регион/ов»): the national report, converted by LibreOffice, read back word by word."""

from __future__ import annotations

import re
import shutil
import sqlite3
import subprocess
from pathlib import Path

import pytest
from docx import Document

from exports.docx_layout import column_widths
from exports.docx_report import build_national_docx
from tests.conftest import PERIOD, TODAY
from tests.national_helpers import center_fixture, center_template_fixture  # noqa: F401

WORD = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)"[^>]*>([^<]*)</word>')


def bare(word: str) -> str:
    return word.strip(".,:;()%«»").lower()


def header_band(pages: list[list[tuple[float, float, str]]], header: list[str],
                body: str) -> set[str] | None:
    """The words printed from a table's header line (its first two headers' first words side
    by side) down to its first body cell."""
    first, second = header[0].split()[0], header[1].split()[0]
    for words in pages:
        tops = [y for _, y, text in words if text == first
                and any(t == second and abs(y2 - y) < 1 for _, y2, t in words)]
        for top in tops:
            below = [y for _, y, text in words if text == body and y > top + 1]
            if below:
                return {bare(t) for _, y, t in words if top - 1 <= y < min(below) - 1} - {""}
    return None


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
@pytest.mark.parametrize("lang", ["ru", "kk"])
def test_table_headers_break_between_words(center: sqlite3.Connection, tmp_path: Path,
                                           lang: str) -> None:
    docx = build_national_docx(center, PERIOD, lang, tmp_path / f"n-{lang}.docx", today=TODAY)
    subprocess.run(["soffice", f"-env:UserInstallation=file://{tmp_path}/lo", "--headless",
                    "--convert-to", "pdf", "--outdir", str(tmp_path), str(docx)],
                   check=True, capture_output=True, timeout=240)
    xml = subprocess.run(["pdftotext", "-bbox-layout", str(tmp_path / f"n-{lang}.pdf"), "-"],
                         check=True, capture_output=True, text=True).stdout
    pages = [[(float(x), float(y), text) for x, y, text in WORD.findall(page)]
             for page in xml.split("<page ")[1:]]
    checked = 0
    for grid in Document(str(docx)).tables:
        header = [cell.text for cell in grid.rows[0].cells]
        if len(header) < 6:
            continue
        band = header_band(pages, header, grid.rows[1].cells[0].text.split()[0])
        assert band is not None, header
        assert band == {bare(w) for text in header for w in text.split()} - {""}, header
        checked += 1
    assert checked >= 2


def test_widths_keep_their_total_and_give_each_word_room() -> None:
    header = ["Код", "Индикатор", "Регионов", "Медиана"]
    rows = [["IND-01", "Уголовные правонарушения", "20", "17,6"]]
    widths = column_widths(header, rows, (15, 100, 10, 10))
    assert round(sum(widths), 6) == 135 and widths[2] > 10 and widths[3] > 10
    assert widths[1] < 100
