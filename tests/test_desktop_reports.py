"""The Reports page makes real PDFs in a worker thread: the regional summary in the chosen
language with the chosen sections, the national summary in the center, and a page preview."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest
from pypdf import PdfReader

from db import ops, queries
from db.audit import OpInfo
from desktop.context import AppContext, Selection
from desktop.pages.reports import NATIONAL, ReportsPage
from resources.words import tr
from tests.conftest import PERIOD, REGION

WAIT_MS = 60_000


def pdf_text(path: Path) -> str:
    return "\n".join(page.extract_text() or "" for page in PdfReader(path).pages)


def squeeze(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture
def ctx(region_db: sqlite3.Connection, db_path: Path) -> AppContext:
    body = queries.gender_rows(region_db, REGION, PERIOD, "ru")[0].body_code
    ops.update_gender(region_db, REGION, PERIOD, body, OpInfo("t"), women=7, total=20)
    return AppContext(region_db, db_path, Selection(REGION, PERIOD))


def make_page(qtbot, ctx: AppContext) -> ReportsPage:
    page = ReportsPage(ctx)
    qtbot.addWidget(page)
    return page


def test_make_a_pdf_in_kazakh_with_chosen_sections(qtbot, ctx: AppContext,
                                                   tmp_path: Path) -> None:
    page = make_page(qtbot, ctx)
    page.language.setCurrentIndex(page.language.findData("kk"))
    page.set_sections({"gender"})
    target = tmp_path / "summary.pdf"

    job = page.save_to(target)
    qtbot.waitUntil(lambda: job.done, timeout=WAIT_MS)

    assert job.error is None, job.error
    text = squeeze(pdf_text(target))
    assert squeeze(queries.region_name(ctx.conn, REGION, "kk")) in text
    assert tr("report.gender.title", "kk") in text
    assert tr("report.indicators.title", "kk") not in text, "an unchosen section is left out"
    assert str(target) in page.message.text()
    assert page.open_button.isEnabled()


def test_region_office_offers_only_its_own_region(qtbot, ctx: AppContext) -> None:
    page = make_page(qtbot, ctx)
    assert [page.region.itemData(i) for i in range(page.region.count())] == [REGION]
    assert page.period.currentData() == PERIOD
    assert set(page.section_boxes) == {"actions", "overdue_only", "gender", "indicators"}


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="poppler's pdftoppm not installed")
def test_preview_shows_the_first_pages(qtbot, ctx: AppContext) -> None:
    page = make_page(qtbot, ctx)
    job = page.make_preview()
    qtbot.waitUntil(lambda: job.done, timeout=WAIT_MS)
    assert job.error is None, job.error
    assert page.preview is not None and page.preview.pdf.is_file()
    assert 1 <= len(page.preview.images) <= 3
    shown = [page.pages_layout.itemAt(i).widget() for i in range(page.pages_layout.count())]
    assert shown and all(not label.pixmap().isNull() for label in shown)
    assert shown[0].pixmap().width() > 300, "an A4 page at 60 dpi is about 500 pixels wide"


def test_center_makes_the_national_summary(qtbot, center_db: sqlite3.Connection,
                                          tmp_path: Path) -> None:
    ctx = AppContext(center_db, tmp_path / "center" / "center.sqlite3", Selection("", PERIOD))
    page = make_page(qtbot, ctx)
    assert page.region.currentData() == NATIONAL
    assert page.region.count() == 1 + len(queries.regions(center_db, "ru"))
    target = tmp_path / "national.pdf"
    job = page.save_to(target)
    qtbot.waitUntil(lambda: job.done, timeout=WAIT_MS)
    assert job.error is None, job.error
    assert squeeze(tr("report.national_name", "ru")) in squeeze(pdf_text(target))


def test_page_retranslates_without_losing_choices(qtbot, ctx: AppContext) -> None:
    page = make_page(qtbot, ctx)
    page.set_sections({"indicators"})
    ctx.set_language("kk")
    assert len(page.section_boxes) == 4
    assert page.section_boxes["indicators"].text() == tr("uib.reports.section.indicators", "kk")
    assert page.choice().sections == {"indicators"}
    assert page.preview_button.text() == tr("uib.reports.preview", "kk")


def test_report_language_follows_the_ui_until_chosen(qtbot, ctx: AppContext) -> None:
    page = make_page(qtbot, ctx)
    ctx.set_language("kk")
    assert page.choice().lang == "kk"
    page.language.setCurrentIndex(page.language.findData("en"))
    page.language.activated.emit(page.language.currentIndex())  # the user's own pick
    ctx.set_language("ru")
    assert page.choice().lang == "en"
