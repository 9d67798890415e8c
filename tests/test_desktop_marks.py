"""Marks follow the value (issue 22, point 4): a cell refused in a grid (140 into a percentage)
keeps its red mark and reason only while it still holds the value it was refused over. An
import that sets 45,5, an undo, or an edit made elsewhere takes the mark away at once, with no
restart; an unrelated change leaves it."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from PySide6.QtCore import QModelIndex, Qt

from db import ops
from desktop.context import AppContext, Selection
from desktop.dialogs import import_wizard as iw
from desktop.models import gender as g
from desktop.models import indicators as ind
from desktop.models.editing import REFUSED_BACKGROUND
from desktop.pages.gender import GenderPage
from desktop.pages.indicators import IndicatorsPage
from exports.xlsx_export import export_return
from tests.conftest import PERIOD, REGION
from tests.exchange_editing import edit
from tests.test_desktop_grids import first_body, indicator_cell, type_into_cell

WAIT_MS = 30_000


@pytest.fixture
def ctx(region_db: sqlite3.Connection, db_path: Path) -> AppContext:
    return AppContext(region_db, db_path, Selection(REGION, PERIOD))


def marked(model, index: QModelIndex) -> bool:
    return model.data(index, Qt.ItemDataRole.BackgroundRole) == REFUSED_BACKGROUND


def refused_percent(qtbot, ctx: AppContext) -> tuple[IndicatorsPage, QModelIndex]:
    page = IndicatorsPage(ctx)
    qtbot.addWidget(page)
    page.show()
    cell = indicator_cell(page.model, "percent", ind.VALUE)
    type_into_cell(qtbot, page.view, cell, "140")
    assert marked(page.model, cell)
    assert "140" in page.model.data(cell, Qt.ItemDataRole.ToolTipRole)
    return page, cell


def import_through_wizard(qtbot, ctx: AppContext, path: Path) -> None:
    wizard = iw.ImportWizard(ctx, path)
    qtbot.addWidget(wizard)
    wizard.show()
    wizard.next()
    qtbot.waitUntil(lambda: wizard.preview_page.job.done, timeout=WAIT_MS)
    assert wizard.plan is not None and wizard.plan.ok, wizard.preview_page.verdict.text()
    wizard.next()
    qtbot.waitUntil(lambda: wizard.summary_page.job.done, timeout=WAIT_MS)
    assert wizard.summary_page.applied, wizard.summary_page.text.text()
    wizard.accept()


def test_an_import_that_replaces_the_value_takes_the_mark_away(qtbot, ctx: AppContext,
                                                               tmp_path: Path) -> None:
    page, cell = refused_percent(qtbot, ctx)
    row = page.model.row_at(cell.row())
    path = export_return(ctx.conn, REGION, PERIOD, "ru", tmp_path / "return.xlsx")
    edit(path, "ru", {"indicators": [((row.code, row.disaggregation_code), "value", 45.5)]})
    import_through_wizard(qtbot, ctx, path)
    assert page.model.data(cell) == "45,5"
    assert not marked(page.model, cell)
    assert "140" not in (page.model.data(cell, Qt.ItemDataRole.ToolTipRole) or "")


def test_an_undo_that_replaces_the_value_takes_the_mark_away(qtbot, ctx: AppContext) -> None:
    page = IndicatorsPage(ctx)
    qtbot.addWidget(page)
    page.show()
    cell = indicator_cell(page.model, "percent", ind.VALUE)
    type_into_cell(qtbot, page.view, cell, "42,5")
    type_into_cell(qtbot, page.view, cell, "140")
    assert marked(page.model, cell)
    ctx.undo()  # 42,5 taken back: the cell is empty again, and 140 was never about that
    assert page.model.data(cell) == ""
    assert not marked(page.model, cell)


def test_a_mark_stays_while_its_value_does(qtbot, ctx: AppContext) -> None:
    page, cell = refused_percent(qtbot, ctx)
    other = page.model.row_at(0 if cell.row() else 1)
    ctx.run_op(ops.update_indicator, REGION, PERIOD, other.code, other.disaggregation_code,
               ctx.op_info(), value=1)
    assert marked(page.model, cell), "another row's edit does not answer this refusal"


def test_an_edit_made_elsewhere_takes_the_gender_mark_away(qtbot, ctx: AppContext) -> None:
    page = GenderPage(ctx)
    qtbot.addWidget(page)
    page.show()
    body = first_body(ctx.conn)
    ctx.run_op(ops.update_gender, REGION, PERIOD, body, ctx.op_info(), women=5, total=20)
    cell = page.model.index(0, g.WOMEN)
    type_into_cell(qtbot, page.view, cell, "25")  # more women than members: refused
    assert marked(page.model, cell)
    ctx.run_op(ops.update_gender, REGION, PERIOD, body, ctx.op_info(), total=30)
    assert marked(page.model, cell), "the total changed, not the refused women"
    ctx.run_op(ops.update_gender, REGION, PERIOD, body, ctx.op_info(), women=7)
    assert not marked(page.model, cell)
