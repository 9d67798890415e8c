"""How the PDF summaries lay out: the signature block shares its page with the last table, long
section names wrap in the charts instead of being cut, and demo figures are marked on every page."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from pypdf import PdfReader
from reportlab.platypus import Paragraph, Spacer, Table

from db import queries
from db.audit import OpInfo
from db.ops import update_action
from exports.pdf_charts import wrap_text
from exports.pdf_fonts import register_fonts
from exports.pdf_layout import PageFrame, signature_block, styles, with_signature, write_pdf
from exports.pdf_national import build_national_report
from exports.pdf_report import build_region_report
from resources.words import LANGS, tr
from tests.conftest import REGION, TODAY
from tests.national_helpers import center_fixture, center_template_fixture  # noqa: F401
from tests.test_report import PERIOD, demo  # noqa: F401

MARK = "ДЕМО / DEMO"


def pages_of(path: Path) -> list[str]:
    return [page.extract_text() for page in PdfReader(path).pages]


def assert_signature_with_last_rows(pages: list[str], lang: str, last_code: str) -> None:
    last = pages[-1]
    assert tr("report.sign.signature", lang) in last
    assert last_code in last  # at least the table's last row goes on with the signature


@pytest.mark.parametrize("lang", LANGS)
def test_regional_summary_layout(demo: sqlite3.Connection, tmp_path: Path,  # noqa: F811
                                 lang: str) -> None:
    path = build_region_report(demo, REGION, PERIOD, lang, tmp_path / "r.pdf", today=TODAY)
    pages = pages_of(path)
    assert all(MARK in page for page in pages)
    last_code = queries.indicator_rows(demo, REGION, PERIOD, lang)[-1].code
    assert_signature_with_last_rows(pages, lang, last_code)
    for no in (2, 7):  # the two longest section names, cut with "…" before
        name = demo.execute(f"SELECT name_{lang} FROM section WHERE no = ?", (no,)).fetchone()[0]
        assert name.split()[-1] in pages[0].replace("\n", " ")
    assert "…" not in pages[0]


def test_real_figures_carry_no_demo_mark(region_db: sqlite3.Connection, tmp_path: Path) -> None:
    update_action(region_db, REGION, PERIOD, 1, OpInfo(user="u"), status="completed")
    path = build_region_report(region_db, REGION, PERIOD, "ru", tmp_path / "r.pdf", today=TODAY)
    assert not any("ДЕМО" in page for page in pages_of(path))


def test_national_summary_layout(center: sqlite3.Connection, tmp_path: Path) -> None:
    path = build_national_report(center, PERIOD, "kk", tmp_path / "n.pdf", today=TODAY)
    pages = pages_of(path)
    assert all(MARK in page for page in pages)
    assert tr("report.sign.signature", "kk") in pages[-1]
    assert len([line for line in pages[-1].splitlines() if line.strip()]) > 4


@pytest.mark.parametrize("rows", range(38, 52))
def test_signature_never_alone_on_a_page(tmp_path: Path, rows: int) -> None:
    """A table ending anywhere near the foot of a page: the signature keeps some of its rows."""
    cell = styles().cell
    table = Table([["Code", "Name"]] + [[f"R{n:03d}", Paragraph(f"row {n}", cell)]
                                        for n in range(rows)], repeatRows=1)
    story = [Spacer(1, 40), table]
    path = write_pdf(tmp_path / "t.pdf", with_signature(story, signature_block("en", "X")),
                     PageFrame("head", "0" * 12, "en"), "t")
    pages = pages_of(path)
    assert tr("report.sign.signature", "en") in pages[-1]
    assert f"R{rows - 1:03d}" in pages[-1]


def test_wrap_text_breaks_at_spaces_and_keeps_every_word() -> None:
    font, _ = register_fonts()
    text = "VII бөлім. Адам саудасы құрбандарының, мигранттардың, азаматтығы жоқ адамдар"
    lines = wrap_text(text, 150, font, 7)
    assert len(lines) >= 2 and " ".join(lines) == text
    assert wrap_text("short", 150, font, 7) == ["short"]
    many = wrap_text("word " * 200, 60, font, 7)
    assert len(many) == 3 and many[-1].endswith("…")
