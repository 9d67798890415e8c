"""Undo that cannot destroy data (issue 22), in the real window: type 3 into IND-03 «Всего»,
export the return, change it to 4 in the file, import it through the wizard (the preview shows
3 → 4), then Ctrl+Z and Ctrl+Y. The import is one step of the history; an undo or redo applies
only where each field still holds what its step wrote, and is refused in words otherwise."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from db.audit import OpInfo
from db.office import load_office
from desktop.dialogs import import_wizard as iw
from desktop.models import indicators as ind
from desktop.pages.exchange import ExchangePage
from exports.importer import import_one
from exports.xlsx_export import export_return
from tests.conftest import PERIOD, REGION, dump
from tests.exchange_editing import edit
from tests.test_desktop_grids import type_into_cell

CELL = ("IND-03", "total")
WAIT_MS = 30_000


def stored(conn: sqlite3.Connection) -> float | None:
    row = conn.execute("SELECT value FROM indicator_value WHERE region_code = ? AND "
                       "period_code = ? AND indicator_code = ? AND disaggregation_code = ?",
                       (REGION, PERIOD, *CELL)).fetchone()
    return None if row is None else row[0]


def operations(conn: sqlite3.Connection) -> list[tuple[str, str]]:
    return [tuple(r) for r in conn.execute("SELECT source, description FROM operation "
                                           "WHERE source IN ('ui', 'import') ORDER BY id")]


@pytest.fixture
def typed_three(qtbot, window):
    """The window on Indicators with 3 typed into IND-03 «Всего»; returns the grid's cell."""
    window.show_page("indicators")
    page = window.page("indicators")
    row = page.model.load_until(*CELL)
    assert row is not None
    index = page.model.index(row, ind.VALUE)
    type_into_cell(qtbot, page.view, index, "3")
    assert stored(window.ctx.conn) == 3
    return page.model, row


def import_through_wizard(qtbot, window, path: Path) -> None:
    page = ExchangePage(window.ctx)
    qtbot.addWidget(page)
    wizard = page.open_import(path)  # the wizard closes itself on accept
    qtbot.waitUntil(lambda: wizard.preview_page.job.done, timeout=WAIT_MS)
    assert wizard.currentId() == iw.PREVIEW_PAGE and wizard.preview_page.isComplete()
    preview = wizard.preview_page.changes
    shown = [" ".join(preview.item(r, c).text() for c in range(preview.columnCount())
                      if preview.item(r, c)) for r in range(preview.rowCount())]
    assert len(shown) == 1 and "3" in shown[0] and "4" in shown[0], shown  # the preview: 3 → 4
    wizard.next()
    qtbot.waitUntil(lambda: wizard.summary_page.job.done, timeout=WAIT_MS)
    assert wizard.summary_page.applied, wizard.summary_page.text.text()
    wizard.accept()


def exported_with_four(window, tmp_path: Path) -> Path:
    path = export_return(window.ctx.conn, REGION, PERIOD, "ru", tmp_path / "ret.xlsx")
    return edit(path, "ru", {"indicators": [(CELL, "value", 4)]})


def test_undo_after_an_import_takes_back_the_import_not_the_file_value(
        qtbot, window, typed_three, tmp_path: Path) -> None:
    model, row = typed_three
    conn = window.ctx.conn
    import_through_wizard(qtbot, window, exported_with_four(window, tmp_path))
    assert stored(conn) == 4
    assert window.undo_action.text() == "Отменить импорт ret.xlsx"

    window.undo_action.trigger()  # Ctrl+Z: the import is the last step
    assert stored(conn) == 3 and model.index(row, ind.VALUE).data() == "3"
    assert "ret.xlsx" in window.statusBar().currentMessage()
    assert window.redo_action.text() == "Повторить импорт ret.xlsx"

    window.undo_action.trigger()  # the typed 3, its step below the import's
    assert stored(conn) is None and model.index(row, ind.VALUE).data() == ""

    window.redo_action.trigger()  # Ctrl+Y writes 3 back, then the import's 4
    assert stored(conn) == 3
    window.redo_action.trigger()
    assert stored(conn) == 4 and model.index(row, ind.VALUE).data() == "4"
    undone = [d for s, d in operations(conn) if s == "ui" and d.startswith(("undo", "redo"))]
    assert len(undone) == 4, "each undo and redo is an audited operation"


def test_an_undo_over_a_value_an_import_changed_since_is_refused(
        qtbot, window, typed_three, tmp_path: Path, db_path: Path) -> None:
    """The import applied outside this window's history (the command line, another window):
    undoing the typed 3 would empty the file's 4. It is refused, says why, writes nothing."""
    model, row = typed_three
    conn = window.ctx.conn
    path = exported_with_four(window, tmp_path)
    outcome = import_one(conn, path, load_office(conn), take="file")
    assert outcome.result == "applied" and stored(conn) == 4
    window.ctx.notify(outcome.changes)
    before = dump(conn)

    window.undo_action.trigger()  # Ctrl+Z
    assert stored(conn) == 4 and model.index(row, ind.VALUE).data() == "4"
    message = window.statusBar().currentMessage()
    assert message.startswith("Отмена не выполнена"), message
    assert "импортом файла ret.xlsx" in message and "4" in message and "→" not in message
    assert dump(conn) == before, "a refused undo writes nothing, not even an operation"
    assert not window.undo_action.isEnabled() and not window.redo_action.isEnabled()


def test_undoing_an_import_is_refused_where_a_later_import_changed_the_field(
        qtbot, window, typed_three, tmp_path: Path) -> None:
    conn = window.ctx.conn
    first = exported_with_four(window, tmp_path)
    import_through_wizard(qtbot, window, first)
    second = export_return(conn, REGION, PERIOD, "ru", tmp_path / "later.xlsx")
    edit(second, "ru", {"indicators": [(CELL, "value", 6)]})
    assert import_one(conn, second, load_office(conn), take="file").result == "applied"

    window.undo_action.trigger()  # the first import's step: its field now holds 6
    assert stored(conn) == 6
    message = window.statusBar().currentMessage()
    assert "later.xlsx" in message and "6" in message, message
    window.undo_action.trigger()  # the typed 3's step: its field holds 6, not 3
    assert stored(conn) == 6
    assert "later.xlsx" in window.statusBar().currentMessage()


def test_each_return_the_center_imports_is_a_step_of_its_history(
        qtbot, center_db: sqlite3.Connection, tmp_path: Path) -> None:
    from db.ops import update_action
    from db.workbook import init_database, open_workbook
    from desktop.app import create_main_window

    files = []
    for code in ("KZ-11", "KZ-71"):
        path = tmp_path / f"{code}.sqlite3"
        init_database(path, mode="region", region_code=code, user_name="Офицер", language="ru")
        region = open_workbook(path)
        update_action(region, code, PERIOD, 1, OpInfo("Офицер", "ui"), status="completed",
                      progress_note=f"Сделано в {code}")
        files.append(export_return(region, code, PERIOD, "ru", tmp_path / f"{code}.xlsx"))
        region.close()
    window = create_main_window(tmp_path / "center" / "center.sqlite3")
    qtbot.addWidget(window)
    window.ctx.set_selection(region="KZ-71", period=PERIOD)
    window.show_page("center")
    page = window.pages["center"]
    job = page.import_files(files)
    qtbot.waitUntil(lambda: job.done, timeout=WAIT_MS)
    conn = window.ctx.conn

    def status(code: str) -> str | None:
        row = conn.execute("SELECT status FROM action_report WHERE region_code = ? AND "
                           "period_code = ? AND action_no = 1", (code, PERIOD)).fetchone()
        return row and row[0]

    assert (status("KZ-11"), status("KZ-71")) == ("completed", "completed")
    assert window.ctx.undo_stack.count() == 2
    assert window.undo_action.text() == "Отменить импорт KZ-71.xlsx"
    window.undo_action.trigger()  # the rows the file added are emptied: no answer again
    assert (status("KZ-11"), status("KZ-71")) == ("completed", "")
    assert window.undo_action.text() == "Отменить импорт KZ-11.xlsx"
    window.redo_action.trigger()
    assert status("KZ-71") == "completed"
    window.undo_action.trigger()
    again = import_one(conn, files[1], load_office(conn))  # the undone file, imported again
    assert again.result == "applied" and status("KZ-71") == "completed", again
