"""First start, Qt's own words in Kazakh, undo of an edit."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

pytest.importorskip("PySide6")

from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtWidgets import QDialogButtonBox, QMessageBox  # noqa: E402

from db import queries  # noqa: E402
from db.office import load_office  # noqa: E402
from db.ops import update_action  # noqa: E402
from db.workbook import open_workbook  # noqa: E402
from desktop.app import create_main_window  # noqa: E402
from desktop.first_run import FirstRunDialog  # noqa: E402
from desktop.translations import install_translator  # noqa: E402
from planmonitor.i18n import set_language  # noqa: E402

from .conftest import PERIOD, REGION  # noqa: E402


def test_first_start_creates_a_seeded_workbook_with_demo_data(qtbot, tmp_path: Path) -> None:
    db_path = tmp_path / "fresh" / "planmonitor.sqlite3"
    dialog = FirstRunDialog(db_path, "kk")
    qtbot.addWidget(dialog)
    ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    assert not ok.isEnabled()  # a name is required
    assert dialog.heading.text() == "Қош келдіңіз"
    dialog.region_combo.setCurrentIndex(dialog.region_combo.findData("KZ-11"))
    dialog.name_edit.setText("Айгүл Нұрланқызы")
    assert ok.isEnabled()
    qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)
    assert dialog.result() == dialog.DialogCode.Accepted
    conn = open_workbook(db_path)
    office = load_office(conn)
    assert (office.mode, office.region_code, office.user_name, office.language) == (
        "region", "KZ-11", "Айгүл Нұрланқызы", "kk")
    assert len(queries.periods_with_data(conn, "KZ-11")) == 8  # demo quarters
    conn.close()
    window = create_main_window(db_path)
    qtbot.addWidget(window)
    assert window.ctx.selection.region == "KZ-11"


def test_first_start_language_switch_and_center_mode(qtbot, tmp_path: Path) -> None:
    db_path = tmp_path / "c" / "center.sqlite3"
    dialog = FirstRunDialog(db_path, "en")
    qtbot.addWidget(dialog)
    dialog.language_combo.setCurrentIndex(dialog.language_combo.findData("ru"))
    assert dialog.heading.text() == "Добро пожаловать"
    assert dialog.region_combo.itemText(0) == "Абайская область"
    dialog.center_radio.setChecked(True)
    assert not dialog.region_combo.isEnabled()
    dialog.demo_check.setChecked(False)
    dialog.name_edit.setText("Министерство юстиции")
    dialog.accept()
    conn = open_workbook(db_path)
    assert load_office(conn).mode == "center"
    assert queries.periods_with_data(conn) == []
    conn.close()


def test_qt_message_box_buttons_speak_kazakh(qtbot) -> None:
    set_language("kk")
    install_translator()
    box = QMessageBox(QMessageBox.Icon.Question, "?", "?",
                      QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No)
    qtbot.addWidget(box)
    assert sorted(b.text().replace("&", "") for b in box.buttons()) == ["Жоқ", "Иә"]
    set_language("ru")
    install_translator()
    box2 = QMessageBox(QMessageBox.Icon.Question, "?", "?",
                       QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No)
    qtbot.addWidget(box2)
    assert sorted(b.text().replace("&", "") for b in box2.buttons()) == ["Да", "Нет"]


def test_undo_and_redo_an_edit_through_the_audited_write_path(
        qtbot, region_db: sqlite3.Connection, db_path: Path) -> None:
    window = create_main_window(db_path)
    qtbot.addWidget(window)
    ctx = window.ctx
    audit_before = len(queries.audit_entries(ctx.conn))
    ctx.run_op(update_action, REGION, PERIOD, 3, ctx.op_info(), status="in_progress",
               progress_note="Проведён семинар")
    assert window.undo_action.isEnabled()
    assert "3" in window.undo_action.text()
    window.undo_action.trigger()
    row = next(a for a in queries.action_rows(ctx.conn, REGION, PERIOD, "ru") if a.no == 3)
    assert (row.status, row.progress_note) == ("not_started", "")
    assert len(queries.audit_entries(ctx.conn)) == audit_before + 4  # edit and its undo, audited
    window.redo_action.trigger()
    row = next(a for a in queries.action_rows(ctx.conn, REGION, PERIOD, "ru") if a.no == 3)
    assert (row.status, row.progress_note) == ("in_progress", "Проведён семинар")
