"""Screens that fit a 1366x768 laptop (issue 22, point 5): the center window keeps its size
(and its status bar on screen) after an import of 20 files and a review with 10 remarks, the
heat map shows all 20 regions, the conflict screen shows its four values side by side, the
first start fits its words in ru, kk and en."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

pytest.importorskip("PySide6")

from PySide6.QtCore import QRect, Qt  # noqa: E402
from PySide6.QtWidgets import QApplication, QWidget  # noqa: E402

from db import review  # noqa: E402
from db.audit import OpInfo  # noqa: E402
from db.ops import update_action  # noqa: E402
from db.workbook import init_database, open_workbook  # noqa: E402
from desktop.app import create_main_window  # noqa: E402
from desktop.pages.center_review import item_id  # noqa: E402
from desktop.widgets.screen_fit import FRAME, fit_to_screen  # noqa: E402
from exports.xlsx_export import export_return  # noqa: E402
from tests.conftest import PERIOD  # noqa: E402
from tests.visible_texts import foreign_bits, widget_texts  # noqa: E402

SCREEN = QRect(0, 0, 1366, 728)  # a 1366x768 screen less a 40-pixel taskbar
REGIONS = ("KZ-11", "KZ-15", "KZ-19", "KZ-23", "KZ-27")
PERIODS = ("2025-Q4", "2026-Q1", "2026-Q2", PERIOD)
USER = OpInfo(user="Айгерім", source="ui")


def returns(folder: Path) -> list[Path]:
    """Twenty real return files: five regions, four periods each."""
    files = []
    for code in REGIONS:
        path = folder / code / "w.sqlite3"
        init_database(path, mode="region", region_code=code, user_name="Офицер", language="ru")
        conn = open_workbook(path)
        try:
            for period in PERIODS:
                update_action(conn, code, period, 1, USER, status="in_progress",
                              progress_note="Начато: " + "подробно " * 12)
                files.append(export_return(conn, code, period, "ru",
                                           folder / f"return_{code}_{period}.xlsx"))
        finally:
            conn.close()
    return files


def settle() -> None:
    for _ in range(5):
        QApplication.processEvents()


def within_screen(window) -> bool:
    outer = window.frameGeometry()
    height = max(outer.height(), window.height() + FRAME.height())
    width = max(outer.width(), window.width() + FRAME.width())
    return height <= SCREEN.height() and width <= SCREEN.width()


def status_bar_seen(window) -> bool:
    bar = window.statusBar()
    bottom = bar.mapTo(window, bar.rect().bottomLeft()).y()
    return bar.isVisible() and bottom < window.height()


@pytest.mark.parametrize("lang", ["ru", "kk"])
def test_the_center_window_fits_after_20_files_and_10_remarks(qtbot, center_db: sqlite3.Connection,
                                                              tmp_path: Path, lang) -> None:
    files = returns(tmp_path / "regions")
    window = create_main_window(tmp_path / "center" / "center.sqlite3")
    qtbot.addWidget(window)
    window.ctx.set_language(lang)
    fit_to_screen(window, available=SCREEN)
    window.show()
    window.ctx.set_selection(region=REGIONS[0], period=PERIOD)
    window.show_page("center")
    settle()
    before = window.size()
    assert within_screen(window) and status_bar_seen(window), (window.size(), window.frameGeometry(), window.minimumSizeHint())

    page = window.page("center")
    job = page.import_files(files)
    qtbot.waitUntil(lambda: job.done, timeout=120_000)
    assert [o.result for o in page.last_import] == ["applied"] * 20
    items = [item for item, _label in review.reviewable_items(center_db, lang)[:10]]
    for item in items:
        page.item_combo.setCurrentIndex(page.item_combo.findData(item_id(item)))
        page.add_remark_row()
        page.remarks_table.item(page.remarks_table.rowCount() - 1, 2).setText(
            "Уточните значение и приложите подтверждающий документ")
    assert page.return_for_correction()
    window.ctx.set_selection(region=REGIONS[1])
    window.ctx.set_selection(region=REGIONS[0])
    settle()
    assert page.remarks_table.rowCount() == 10
    assert window.size() == before, (before, window.size())
    assert within_screen(window), window.frameGeometry()
    assert status_bar_seen(window)
    assert window.minimumSizeHint().height() <= SCREEN.height() - FRAME.height()
    said = [(where, bits, text[:80]) for where, text in widget_texts(window)
            if (bits := foreign_bits(text))]
    assert said == []  # the summary of 20 files and the 10 remarks in words, no codes


def demo_window(qtbot, folder: Path, mode: str, lang: str):
    from db.demo import fill_demo_file

    path = folder / mode / "w.sqlite3"
    init_database(path, mode=mode, region_code="KZ-75" if mode == "region" else None,
                  user_name="Айгерім Сәрсенова", language=lang)
    fill_demo_file(path)
    window = create_main_window(path)
    qtbot.addWidget(window)
    fit_to_screen(window, available=SCREEN)
    window.show()
    settle()
    return window


@pytest.mark.parametrize(("mode", "lang"), [("region", "ru"), ("region", "kk"),
                                            ("center", "ru"), ("center", "kk")])
def test_every_page_fits_with_its_status_bar(qtbot, tmp_path: Path, mode, lang) -> None:
    window = demo_window(qtbot, tmp_path, mode, lang)
    before = window.size()
    for key in window.page_keys():
        window.show_page(key)
        settle()
        assert window.size() == before, key
        assert within_screen(window) and status_bar_seen(window), key
        hint = window.minimumSizeHint()
        assert hint.height() <= SCREEN.height() - FRAME.height(), (key, hint)
        assert hint.width() <= SCREEN.width() - FRAME.width(), (key, hint)


@pytest.mark.parametrize("lang", ["ru", "kk"])
def test_the_heat_map_shows_all_20_regions(qtbot, tmp_path: Path, lang) -> None:
    window = demo_window(qtbot, tmp_path, "center", lang)
    window.show_page("center")
    page = window.page("center")
    page.tabs.setCurrentWidget(page.heatmap)
    settle()
    table = page.heatmap.table
    assert table.rowCount() == 21  # twenty regions and the completed count
    viewport = table.viewport().rect()
    for row in range(table.rowCount()):
        shown = table.visualRect(table.model().index(row, 0))
        assert viewport.contains(shown), (row, shown, viewport)
    header = table.horizontalHeader()
    assert header.length() <= viewport.width() + 1  # every period seen without scrolling


def cut_words(dialog) -> list[str]:
    """Widgets of `dialog` too small for their words: a wrapped label shorter than its lines, a
    button, radio, check box or drop-down narrower or lower than its text needs."""
    from PySide6.QtWidgets import QAbstractButton, QComboBox, QLabel, QLineEdit

    cut = []
    for widget in dialog.findChildren(QWidget):
        if not widget.isVisible():
            continue
        if isinstance(widget, QLabel) and widget.text():
            needed = widget.heightForWidth(widget.width()) if widget.wordWrap() else \
                widget.sizeHint().height()
            if widget.height() < needed or (not widget.wordWrap() and
                                            widget.width() < widget.sizeHint().width()):
                cut.append(f"label {widget.text()[:40]!r} {widget.size()}")
        elif isinstance(widget, (QAbstractButton, QComboBox, QLineEdit)):
            hint = widget.minimumSizeHint() if isinstance(widget, QComboBox) else \
                widget.sizeHint()
            if widget.height() < hint.height() or (
                    not isinstance(widget, QLineEdit) and widget.width() < hint.width()):
                cut.append(f"{type(widget).__name__} {getattr(widget, 'text', str)()!r} "
                           f"{widget.size()} < {hint}")
    return cut


START = {"ru": "Начать работу", "kk": "Жұмысты бастау", "en": "Start"}


@pytest.mark.parametrize("lang", ["ru", "kk", "en"])
def test_the_first_start_fits_its_words_with_one_button_word(qtbot, tmp_path: Path, lang) -> None:
    from desktop.first_run import FirstRunDialog
    from resources.words import set_language

    other = "en" if lang != "en" else "kk"
    set_language(other)
    dialog = FirstRunDialog(tmp_path / "first" / "w.sqlite3", other)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.language_combo.setCurrentIndex(dialog.language_combo.findData(lang))  # a switch
    dialog.name_edit.setText("Айгерім Сәрсенова")
    settle()
    assert dialog.ok_button.text() == START[lang]  # Qt's «OK» never comes back
    assert cut_words(dialog) == []
    assert dialog.height() <= SCREEN.height() - FRAME.height()
    assert dialog.demo_check.isChecked() is False
    qtbot.mouseClick(dialog.demo_label, Qt.MouseButton.LeftButton)
    assert dialog.demo_check.isChecked()  # its words tick it, as a check box's own would


@pytest.mark.parametrize("lang", ["ru", "kk"])
def test_the_conflict_screen_shows_four_values_side_by_side(qtbot, tmp_path: Path, lang) -> None:
    """Conflicts on actions, whose names run to two hundred characters: the item column no
    longer pushes «При выгрузке / Здесь сейчас / В файле / Решение» off a 1366x768 screen."""
    from db import ops
    from desktop.dialogs import import_values
    from desktop.dialogs import import_wizard as iw
    from tests.exchange_editing import edit

    window = demo_window(qtbot, tmp_path, "region", lang)
    ctx = window.ctx
    region, period = ctx.selection.region, ctx.selection.period
    notes = {no: f"Сделано {no}" for no in (1, 2, 3)}
    for no, note in notes.items():
        ops.update_action(ctx.conn, region, period, no, ctx.op_info(), progress_note=note)
    path = export_return(ctx.conn, region, period, lang, tmp_path / "r.xlsx")
    for no in notes:  # here, after the export, and in the file, differently
        ops.update_action(ctx.conn, region, period, no, ctx.op_info(),
                          progress_note=f"Здесь {no}")
    edit(path, lang, {"actions": [(no, "progress_note", f"В файле {no}") for no in notes]})
    wizard = iw.ImportWizard(ctx, path, window)
    qtbot.addWidget(wizard)
    wizard.show()
    assert within_screen(wizard)
    wizard.next()
    qtbot.waitUntil(lambda: wizard.preview_page.job.done, timeout=30_000)
    wizard.next()
    assert wizard.currentId() == iw.CONFLICTS_PAGE
    settle()
    table = wizard.conflicts_page.table
    header = table.horizontalHeader()
    assert header.length() <= table.viewport().width()  # nothing off to the side
    assert not table.horizontalScrollBar().isVisible()
    assert table.columnCount() == 6
    for column in (import_values.LOCAL_COLUMN - 1, import_values.LOCAL_COLUMN,
                   import_values.FILE_COLUMN):
        texts = [table.item(r, column).text() for r in range(table.rowCount())]
        wide = max(table.fontMetrics().horizontalAdvance(t) for t in texts)
        assert table.columnWidth(column) > wide, (column, texts)  # each value read whole
    combo = table.cellWidget(0, 5)
    assert table.columnWidth(5) >= combo.sizeHint().width()  # the decision's words whole
    name = table.item(0, 0)
    assert name.toolTip().startswith("1. ") and len(name.toolTip()) > 60  # full name on hover
