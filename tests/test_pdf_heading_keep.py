"""A PDF heading is never left alone at the foot of a page (issue 22: the Kazakh summary's
«Индикаторлар» at the bottom of page 3): it moves on with the start of its table."""

from __future__ import annotations

import sqlite3
import subprocess
from pathlib import Path

import pytest
from reportlab.platypus import Spacer

from db.demo import fill_demo
from db.office import load_office
from exports.pdf_layout import PageFrame, data_table, heading, para, write_pdf
from exports.pdf_report import build_region_report
from resources.words import tr
from tests.conftest import PERIOD, REGION, TODAY


def page_texts(path: Path) -> list[str]:
    out = subprocess.run(["pdftotext", "-layout", str(path), "-"], check=True,
                         capture_output=True, text=True).stdout
    return out.split("\f")[:-1]


def body_lines(page: str) -> list[str]:
    """A page's lines without its running header (first line) and footer (last line)."""
    lines = [line.strip() for line in page.splitlines() if line.strip()]
    return lines[1:-1]


@pytest.mark.parametrize("filler", [560, 600, 640, 660, 690])
def test_heading_moves_with_the_first_rows_of_its_table(tmp_path: Path, filler: int) -> None:
    """Whatever room is left under the filler, the heading shares its page with the table's
    header and first row; a four-line first row needs more than the old fixed room."""
    tall = "<br/>".join(["Бірінші жол"] * 6)
    table = data_table(["Коды", "Индикатор"], [[para(tall), "1"], ["IND-02", "2"]], [80, 400])
    story = [para("алдыңғы мәтін")]
    story += [Spacer(1, filler), *heading("Индикаторлар"), para("Түсініктеме."), table]
    path = write_pdf(tmp_path / "h.pdf", story, PageFrame("тақырып", "abc", "kk"), "t")
    for page in page_texts(path):
        lines = body_lines(page)
        if any("Индикаторлар" in line for line in lines):
            at = next(i for i, line in enumerate(lines) if "Индикаторлар" in line)
            assert any("Бірінші жол" in line for line in lines[at:]), lines


@pytest.mark.parametrize("lang", ["ru", "kk", "en"])
def test_no_summary_page_ends_with_a_heading(region_db: sqlite3.Connection, tmp_path: Path,
                                             lang: str) -> None:
    fill_demo(region_db, load_office(region_db), today=TODAY)
    titles = {tr(key, lang) for key in ("report.figures.title", "report.actions.title",
                                        "report.gender.title", "report.indicators.title")}
    path = build_region_report(region_db, REGION, PERIOD, lang, tmp_path / "r.pdf", today=TODAY)
    for page in page_texts(path):
        lines = body_lines(page)
        for title in titles:
            if lines and any(line.startswith(title) for line in lines[-3:]):
                pytest.fail(f"«{title}» at the foot of a page: {lines[-3:]}")
