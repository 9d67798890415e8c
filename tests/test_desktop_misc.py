"""First start, Qt's own words in Kazakh, undo of an edit."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

pytest.importorskip("PySide6")

from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtWidgets import QMessageBox  # noqa: E402

from db import queries  # noqa: E402
from db.history import audit_entries  # noqa: E402
from db.office import load_office  # noqa: E402
from db.ops import update_action  # noqa: E402
from db.workbook import open_workbook  # noqa: E402
from desktop.app import create_main_window  # noqa: E402
from desktop.first_run import FirstRunDialog  # noqa: E402
from desktop.translations import install_translator  # noqa: E402
from desktop.ui_state import state_path  # noqa: E402
from resources.words import set_language  # noqa: E402

from .conftest import PERIOD, REGION  # noqa: E402


def test_first_start_creates_a_seeded_workbook_with_demo_data(qtbot, tmp_path: Path) -> None:
    db_path = tmp_path / "fresh" / "planmonitor.sqlite3"
    dialog = FirstRunDialog(db_path, "kk")
    qtbot.addWidget(dialog)
    ok = dialog.ok_button
    assert not ok.isEnabled()  # a name is required
    assert dialog.heading.text() == "Қош келдіңіз"
    dialog.region_combo.setCurrentIndex(dialog.region_combo.findData("KZ-11"))
    dialog.name_edit.setText("Айгүл Нұрланқызы")
    assert ok.isEnabled()
    assert not dialog.demo_check.isChecked()  # demo data only when asked for
    dialog.demo_check.setChecked(True)
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
    names = [dialog.region_combo.itemText(i) for i in range(dialog.region_combo.count())]
    assert names[0] == "Акмолинская область" and "область Абай" in names  # collated, renamed
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
    audit_before = len(audit_entries(ctx.conn))
    ctx.run_op(update_action, REGION, PERIOD, 3, ctx.op_info(), status="in_progress",
               progress_note="Проведён семинар")
    assert window.undo_action.isEnabled()
    assert "3" in window.undo_action.text()
    window.undo_action.trigger()
    row = next(a for a in queries.action_rows(ctx.conn, REGION, PERIOD, "ru") if a.no == 3)
    assert (row.status, row.progress_note) == ("", "")  # no answer again, as before the edit
    assert len(audit_entries(ctx.conn)) == audit_before + 4  # edit and its undo, audited
    window.redo_action.trigger()
    row = next(a for a in queries.action_rows(ctx.conn, REGION, PERIOD, "ru") if a.no == 3)
    assert (row.status, row.progress_note) == ("in_progress", "Проведён семинар")


def test_history_model_passes_qtmodeltester_and_filters(qtmodeltester, qtbot,
                                                        region_db: sqlite3.Connection,
                                                        db_path: Path) -> None:
    from desktop.models.history import FILE, ITEM, NEW, HistoryModel

    window = create_main_window(db_path)
    qtbot.addWidget(window)
    ctx = window.ctx
    ctx.set_selection(period=PERIOD)
    ctx.run_op(update_action, REGION, PERIOD, 5, ctx.op_info(), status="completed")
    model = HistoryModel(ctx)
    qtmodeltester.check(model)
    model.set_filter(table="action_report")
    assert model.rowCount() == 1
    assert model.index(0, NEW).data() == "Исполнено"
    assert "Алматы" in model.index(0, ITEM).data()
    model.set_filter(table="", source="seed")
    assert model.rowCount() > 0 and all(e.source == "seed" for e in model.entries)
    model.set_filter(source="", this_period_only=True)
    assert [e.key for e in model.entries] == [f"{REGION}|{PERIOD}|5"]
    assert model.index(0, FILE).data() == ""


def test_history_page_grows_with_an_edit(qtbot, region_db: sqlite3.Connection,
                                         db_path: Path) -> None:
    window = create_main_window(db_path)
    qtbot.addWidget(window)
    window.show()
    window.show_page("history")
    page = window.page("history")
    before = page.model.rowCount()
    ctx = window.ctx
    ctx.run_op(update_action, REGION, PERIOD, 6, ctx.op_info(), status="in_progress",
               progress_note="Работа начата")
    assert page.model.rowCount() == before + 2
    page.search.setText("Работа начата")
    qtbot.waitUntil(lambda: page.model.rowCount() == 1)


def test_language_switch_retranslates_the_window_without_restart(
        qtbot, region_db: sqlite3.Connection, db_path: Path) -> None:
    window = create_main_window(db_path)
    qtbot.addWidget(window)
    window.show()
    for key in window.page_keys():
        window.show_page(key)  # every page exists, so every page must retranslate
    window.show_page("settings")
    settings = window.page("settings")
    nav_ru = [window.nav.item(i).text() for i in range(window.nav.count())]
    combo = settings.language_combo
    combo.setCurrentIndex(combo.findData("kk"))
    combo.activated.emit(combo.currentIndex())
    assert window.ctx.language == "kk"
    assert load_office(window.ctx.conn).language == "kk"  # kept for the next start
    nav_kk = [window.nav.item(i).text() for i in range(window.nav.count())]
    assert nav_kk[:2] == ["Шолу", "Іс-шаралар"] and nav_kk != nav_ru
    assert window.period_label.text() == "Кезең:"
    assert "Жоспар мониторингі" in window.windowTitle()
    assert window.file_menu.title() == "&Файл" and window.help_menu.title() == "&Анықтама"
    actions = window.page("actions")
    assert actions.model.headerData(1, Qt.Orientation.Horizontal) == "Іс-шара"
    assert actions.filter_combo.itemText(0) == "барлығы"
    dashboard = window.page("dashboard")
    window.show_page("dashboard")
    assert dashboard.heading.text().startswith("<h2>Шолу")
    assert window.page("history").period_only.text() == "Тек ағымдағы өңір мен кезең"
    box = QMessageBox(QMessageBox.Icon.Question, "?", "?", QMessageBox.StandardButton.Yes)
    qtbot.addWidget(box)
    assert box.buttons()[0].text().replace("&", "") == "Иә"


def test_user_name_is_saved_and_shown(qtbot, region_db: sqlite3.Connection,
                                      db_path: Path) -> None:
    window = create_main_window(db_path)
    qtbot.addWidget(window)
    settings = window.page("settings")
    settings.name_edit.setText("Ержан Ахметов")
    settings.name_edit.editingFinished.emit()
    assert load_office(window.ctx.conn).user_name == "Ержан Ахметов"
    assert "Ержан Ахметов" in window.user_status.text()
    assert window.ctx.op_info().user == "Ержан Ахметов"


def test_backup_made_and_restored_from_settings(qtbot, region_db: sqlite3.Connection,
                                                db_path: Path) -> None:
    window = create_main_window(db_path)
    qtbot.addWidget(window)
    ctx = window.ctx
    ctx.set_selection(period=PERIOD)
    settings = window.page("settings")
    made = settings.make_backup()
    assert made.exists()
    assert any(settings.backups.item(i).data(0x0100) == str(made)
               for i in range(settings.backups.count()))
    ctx.run_op(update_action, REGION, PERIOD, 1, ctx.op_info(), status="completed")
    settings.backups.setCurrentRow(next(i for i in range(settings.backups.count())
                                        if settings.backups.item(i).data(0x0100) == str(made)))
    assert settings.restore_selected(confirm=False)
    row = next(a for a in queries.action_rows(ctx.conn, REGION, PERIOD, "ru") if a.no == 1)
    assert row.status == ""  # the edit made after the backup is gone: no answer again
    assert not ctx.undo_stack.canUndo()
    assert settings.backups.count() >= 2  # the safety copy made before restoring


def test_run_app_first_start_then_main_window(qtbot, tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    """The real entry point: no workbook yet, so the welcome dialog comes first; then the main
    window opens over the new workbook; closing it ends the app."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from desktop.app import run_app
    from desktop.main_window import MainWindow

    db_path = tmp_path / "entry" / "planmonitor.sqlite3"
    monkeypatch.setenv("PLANMONITOR_DB", str(db_path))
    seen: list[str] = []

    def answer_dialog() -> None:
        dialog = next(w for w in QApplication.topLevelWidgets()
                      if isinstance(w, FirstRunDialog) and w.isVisible())
        seen.append(dialog.heading.text())
        dialog.demo_check.setChecked(False)
        dialog.name_edit.setText("Тест Тестов")
        dialog.accept()
        QTimer.singleShot(50, close_window)

    def close_window() -> None:
        window = next(w for w in QApplication.topLevelWidgets()
                      if isinstance(w, MainWindow) and w.isVisible())
        seen.append(window.current_page_key())
        window.close()

    QTimer.singleShot(50, answer_dialog)
    assert run_app(["planmonitor"]) == 0
    assert len(seen) == 2 and seen[1] == "dashboard"
    conn = open_workbook(db_path)
    assert load_office(conn).user_name == "Тест Тестов"
    conn.close()
    assert state_path(db_path).exists()


def test_history_shows_rows_an_import_added_as_one_line_per_table(
        qtmodeltester, qtbot, region_db: sqlite3.Connection, db_path: Path,
        tmp_path: Path) -> None:
    """A return imported into a workbook without those rows yet (here: a fresh copy of the
    region's workbook) is one History line per table: how many rows, from which file."""
    from db.audit import OpInfo
    from db.ops import update_indicator
    from db.workbook import init_database
    from desktop.models.history import FIELD, FILE, ITEM, NEW, HistoryModel
    from exports.importer import import_one
    from exports.xlsx_export import export_return

    update_action(region_db, REGION, PERIOD, 5, OpInfo("u"), status="completed")
    update_indicator(region_db, REGION, PERIOD, "IND-01", "total", OpInfo("u"), value=12.5)
    update_indicator(region_db, REGION, PERIOD, "IND-02", "total", OpInfo("u"), value=3.0)
    path = export_return(region_db, REGION, PERIOD, "ru", tmp_path / "Алматы Q3.xlsx")
    fresh = tmp_path / "fresh" / "workbook.sqlite3"
    init_database(fresh, mode="region", region_code=REGION, user_name="u", language="ru")
    conn = open_workbook(fresh)
    outcome = import_one(conn, path, load_office(conn))
    assert outcome.result == "applied", outcome.message
    conn.close()

    window = create_main_window(fresh)
    qtbot.addWidget(window)
    window.ctx.set_selection(period=PERIOD)
    model = HistoryModel(window.ctx)
    qtmodeltester.check(model)
    model.set_filter(source="import")
    lines = {model.index(r, ITEM).data(): (model.index(r, FIELD).data(),
                                           model.index(r, NEW).data(),
                                           model.index(r, FILE).data())
             for r in range(model.rowCount())}
    where = "Алматы"
    assert any(item.startswith("Мероприятие —") and where in item for item in lines), lines
    indicator = next(v for item, v in lines.items() if item.startswith("Индикатор —"))
    assert indicator == ("Добавлено строк из файла", "2", path.name)
