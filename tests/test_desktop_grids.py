"""The gender and indicators grids over a real workbook: edits are saved and audited, a wrong
value is refused in its cell (red, with the reason), rows load as the view scrolls."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import QAbstractItemView, QLineEdit

from bench.bench_grids import add_synthetic_indicators
from db import ops, queries
from db.history import audit_entries
from db.office import load_office
from desktop.context import AppContext, Selection
from desktop.models import gender as g
from desktop.models import indicators as ind
from desktop.models.editing import REFUSED_BACKGROUND, parse_typed_number
from desktop.pages.gender import GenderPage
from desktop.pages.indicators import IndicatorsPage
from resources.words import tr
from tests.conftest import PERIOD, REGION, dump

PREVIOUS = "2026-Q2"


@pytest.fixture
def ctx(region_db: sqlite3.Connection, db_path: Path) -> AppContext:
    return AppContext(region_db, db_path, Selection(REGION, PERIOD))


def first_body(conn: sqlite3.Connection) -> str:
    return queries.gender_rows(conn, REGION, PERIOD, "ru")[0].body_code


def stored_gender(conn: sqlite3.Connection, body: str) -> tuple:
    row = conn.execute("SELECT women, total FROM gender_figure WHERE region_code = ? AND "
                       "period_code = ? AND body_code = ?", (REGION, PERIOD, body)).fetchone()
    return tuple(row) if row else (None, None)


def type_into_cell(qtbot, view, index: QModelIndex, text: str) -> None:
    """Edit a cell the way a person does: open the editor, type, press Enter."""
    view.setCurrentIndex(index)
    view.edit(index)
    editors = [e for e in view.findChildren(QLineEdit) if e.isVisible()]
    assert len(editors) == 1, "the cell opened no editor"
    editor = editors[0]
    editor.selectAll()
    qtbot.keyClicks(editor, text)
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: view.state() != QAbstractItemView.State.EditingState)  # queued commit


def test_parse_typed_number_reads_local_forms() -> None:
    assert parse_typed_number("1 234") == 1234
    assert parse_typed_number("12,5") == 12.5
    assert parse_typed_number("\u00a07\u00a0") == 7
    assert parse_typed_number("") is None
    assert parse_typed_number("двенадцать") == "двенадцать"


def test_gender_model_passes_modeltester(qtmodeltester, ctx: AppContext) -> None:
    ops.update_gender(ctx.conn, REGION, PERIOD, first_body(ctx.conn), ctx.op_info(),
                      women=3, total=10)
    qtmodeltester.check(g.GenderModel(ctx))


def test_gender_edit_in_the_grid_is_saved_and_audited(qtbot, ctx: AppContext) -> None:
    page = GenderPage(ctx)
    qtbot.addWidget(page)
    page.show()
    body = page.model.data(page.model.index(0, g.BODY), Qt.ItemDataRole.UserRole)
    type_into_cell(qtbot, page.view, page.model.index(0, g.TOTAL), "40")
    type_into_cell(qtbot, page.view, page.model.index(0, g.WOMEN), "14")
    assert stored_gender(ctx.conn, body) == (14, 40)
    assert page.model.data(page.model.index(0, g.SHARE)) == "35"
    assert "+5" in page.model.data(page.model.index(0, g.GAP))
    audited = audit_entries(ctx.conn, table="gender_figure")
    assert {(a.field, a.new_value) for a in audited} >= {("women", "14"), ("total", "40")}
    assert "35" in page.summary.text()


def test_invalid_gender_figure_is_refused_in_the_cell(qtbot, ctx: AppContext) -> None:
    body = first_body(ctx.conn)
    ops.update_gender(ctx.conn, REGION, PERIOD, body, ctx.op_info(), women=12, total=40)
    page = GenderPage(ctx)
    qtbot.addWidget(page)
    page.show()
    before = dump(ctx.conn)
    messages: list[str] = []
    ctx.status_message.connect(messages.append)
    cell = page.model.index(0, g.WOMEN)

    type_into_cell(qtbot, page.view, cell, "55")

    assert dump(ctx.conn) == before, "a refused value must change nothing"
    assert stored_gender(ctx.conn, body) == (12, 40)
    expected = tr("validation.women_over_total", "ru", women="55", total="40")
    assert page.model.data(cell, Qt.ItemDataRole.ToolTipRole) == expected
    assert page.model.data(cell, Qt.ItemDataRole.BackgroundRole) == REFUSED_BACKGROUND
    assert page.model.data(cell) == "12", "the cell keeps the stored value"
    assert messages == [expected]

    type_into_cell(qtbot, page.view, cell, "13")
    assert stored_gender(ctx.conn, body) == (13, 40)
    assert page.model.data(cell, Qt.ItemDataRole.BackgroundRole) is None


def test_text_that_is_not_a_number_is_refused(qtbot, ctx: AppContext) -> None:
    model = g.GenderModel(ctx)
    before = dump(ctx.conn)
    cell = model.index(1, g.TOTAL)
    assert model.setData(cell, "много") is False
    assert dump(ctx.conn) == before
    assert model.data(cell, Qt.ItemDataRole.ToolTipRole) == tr(
        "validation.not_a_number", "ru", value="много")


def test_focus_item_goes_to_the_body(qtbot, ctx: AppContext) -> None:
    page = GenderPage(ctx)
    qtbot.addWidget(page)
    body = queries.gender_rows(ctx.conn, REGION, PERIOD, "ru")[3].body_code
    page.focus_item(body)
    assert (page.view.currentIndex().row(), page.view.currentIndex().column()) == (3, g.WOMEN)


def test_gender_grid_shows_the_previous_period(ctx: AppContext) -> None:
    body = first_body(ctx.conn)
    ops.update_gender(ctx.conn, REGION, PREVIOUS, body, ctx.op_info(), women=5, total=20)
    model = g.GenderModel(ctx)
    assert model.data(model.index(0, g.PREVIOUS)) == tr("uib.gender.previous_value", "ru",
                                                        women="5", total="20", share="25")


def test_center_sees_figures_read_only(center_db: sqlite3.Connection, tmp_path: Path) -> None:
    ctx = AppContext(center_db, tmp_path / "center" / "center.sqlite3", Selection(REGION, PERIOD))
    assert load_office(center_db).is_center
    model = g.GenderModel(ctx)
    assert model.rowCount() > 0
    assert not model.flags(model.index(0, g.WOMEN)) & Qt.ItemFlag.ItemIsEditable
    assert model.setData(model.index(0, g.WOMEN), "3") is False


def test_indicator_model_passes_modeltester(qtmodeltester, ctx: AppContext) -> None:
    qtmodeltester.check(ind.IndicatorModel(ctx))


def indicator_cell(model: ind.IndicatorModel, unit: str, column: int) -> QModelIndex:
    for row in range(model.rowCount()):
        if model.row_at(row).unit == unit:
            return model.index(row, column)
    raise AssertionError(f"no {unit} indicator in the catalog")


def test_indicator_edit_saved_and_percent_over_100_refused(qtbot, ctx: AppContext) -> None:
    page = IndicatorsPage(ctx)
    qtbot.addWidget(page)
    page.show()
    cell = indicator_cell(page.model, "percent", ind.VALUE)
    row = page.model.row_at(cell.row())
    type_into_cell(qtbot, page.view, cell, "42,5")
    stored = ctx.conn.execute(
        "SELECT value FROM indicator_value WHERE region_code = ? AND period_code = ? AND "
        "indicator_code = ? AND disaggregation_code = ?",
        (REGION, PERIOD, row.code, row.disaggregation_code)).fetchone()
    assert stored[0] == 42.5
    assert page.model.data(cell) == "42,5"

    before = dump(ctx.conn)
    type_into_cell(qtbot, page.view, cell, "140")
    assert dump(ctx.conn) == before
    assert page.model.data(cell, Qt.ItemDataRole.ToolTipRole) == tr(
        "validation.percent_range", "ru", value="140")


def test_indicator_grid_shows_previous_value_and_trend(ctx: AppContext) -> None:
    model = ind.IndicatorModel(ctx)
    first = model.row_at(0)
    ops.update_indicator(ctx.conn, REGION, PREVIOUS, first.code, first.disaggregation_code,
                         ctx.op_info(), value=1)
    ctx.run_op(ops.update_indicator, REGION, PERIOD, first.code, first.disaggregation_code,
               ctx.op_info(), value=0 if first.unit == "yes_no" else 2)
    assert model.data(model.index(0, ind.PREVIOUS)) == "1"
    expected_arrow = "↓" if first.unit == "yes_no" else "↑"
    assert model.data(model.index(0, ind.TREND)) == expected_arrow


def test_large_catalog_loads_as_it_scrolls(qtbot, ctx: AppContext) -> None:
    add_synthetic_indicators(ctx.conn, 20_000)
    total = queries.indicator_count(ctx.conn)
    assert total > 100_000
    page = IndicatorsPage(ctx)
    qtbot.addWidget(page)
    page.resize(1000, 600)
    page.show()
    first = page.model.rowCount()
    assert 0 < first < 2_000, "only the first page is loaded up front"
    page.view.scrollToBottom()
    qtbot.waitUntil(lambda: page.model.rowCount() > first)
    page.focus_item("S019999|total")  # as the dashboard's "missing" list does
    current = page.view.currentIndex()
    assert (page.model.row_at(current.row()).code, current.column()) == ("S019999", ind.VALUE)
    while page.model.canFetchMore(QModelIndex()):
        page.model.fetchMore(QModelIndex())
    assert page.model.rowCount() == total
    last = page.model.row_at(total - 1)
    assert (last.code, last.value) == ("S019999", 19_999 % 997)


def test_grids_retranslate(ctx: AppContext) -> None:
    model = ind.IndicatorModel(ctx)
    ctx.set_language("kk")
    assert model.headerData(ind.VALUE, Qt.Orientation.Horizontal) == tr("field.value", "kk")
    assert model.data(model.index(0, ind.NAME)) == queries.indicator_rows(
        ctx.conn, REGION, PERIOD, "kk")[0].name


def test_grid_edit_can_be_undone(ctx: AppContext) -> None:
    model = g.GenderModel(ctx)
    cell = model.index(0, g.TOTAL)
    assert model.setData(cell, "25") is True
    assert model.data(cell) == "25"
    ctx.undo_stack.undo()
    assert model.data(cell) == ""
    assert stored_gender(ctx.conn, first_body(ctx.conn)) == (None, None)
