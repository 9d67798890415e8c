"""No silent edits and one undo history (issue 15, items 1 and 2): the wheel over an unfocused
status box changes nothing, every saved change is said in the status bar in words, and Ctrl+Z
inside a text box acts on the app's history without leaving an edit behind it."""

from __future__ import annotations

import pytest

pytest.importorskip("PySide6")

from PySide6.QtCore import QPoint, QPointF, Qt  # noqa: E402
from PySide6.QtGui import QWheelEvent  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from db import queries  # noqa: E402
from db.history import audit_entries  # noqa: E402
from db.ops import update_gender  # noqa: E402
from desktop.pages.actions import ActionsPage  # noqa: E402

from .conftest import PERIOD, REGION  # noqa: E402


def wheel(widget, notches: int = -1) -> None:
    """One real wheel event (down by default) at the widget's middle, through the application."""
    pos = QPointF(widget.rect().center())
    event = QWheelEvent(pos, QPointF(widget.mapToGlobal(pos.toPoint())), QPoint(0, 0),
                        QPoint(0, 120 * notches), Qt.MouseButton.NoButton,
                        Qt.KeyboardModifier.NoModifier, Qt.ScrollPhase.NoScrollPhase, False)
    QApplication.sendEvent(widget, event)


def stored(ctx, no: int):
    return next(a for a in queries.action_rows(ctx.conn, REGION, PERIOD, "ru") if a.no == no)


def test_wheel_over_an_unfocused_status_box_changes_nothing(qtbot, window) -> None:
    window.go_to("actions", 5)
    combo = window.page("actions").editor.status_combo
    audit_before = len(audit_entries(window.ctx.conn))
    window.page("actions").tree.setFocus()
    assert not combo.hasFocus()
    for _ in range(3):
        wheel(combo)
    assert combo.currentIndex() == -1  # still no status given
    assert stored(window.ctx, 5).status == ""
    assert len(audit_entries(window.ctx.conn)) == audit_before
    assert window.ctx.undo_stack.count() == 0


def test_wheel_over_the_unfocused_period_selector_changes_nothing(qtbot, window) -> None:
    window.page("dashboard").setFocus()
    before = window.ctx.selection.period
    wheel(window.period_combo)
    wheel(window.period_combo, 1)
    assert window.ctx.selection.period == before == window.period_combo.currentData()


def test_wheel_over_the_focused_status_box_still_works(qtbot, window) -> None:
    window.activateWindow()
    window.go_to("actions", 5)
    combo = window.page("actions").editor.status_combo
    combo.setFocus()
    qtbot.waitUntil(combo.hasFocus, timeout=2000)
    wheel(combo)  # from no status given, a notch down is the first of the four
    assert combo.currentData() == "not_started"
    assert stored(window.ctx, 5).status == "not_started"
    wheel(combo)
    assert combo.currentData() == "in_progress"
    assert stored(window.ctx, 5).status == "in_progress"


def test_every_page_guards_its_drop_downs_and_holds_no_unguarded_spin_box(qtbot, window) -> None:
    from PySide6.QtWidgets import QAbstractSlider, QAbstractSpinBox, QComboBox

    for key in window.page_keys():
        page = window.page(key)
        for combo in page.findChildren(QComboBox):
            assert combo.focusPolicy() != Qt.FocusPolicy.WheelFocus, (key, combo.objectName())
        # guard_page_wheel looks for drop-downs only: a spin box or slider on a page must be
        # guarded where it is made (guard_wheel), as the grids' cell editors are
        for other in page.findChildren(QAbstractSpinBox) + page.findChildren(QAbstractSlider):
            assert other.focusPolicy() != Qt.FocusPolicy.WheelFocus, (key, other)


def test_a_saved_status_is_said_in_words_in_the_status_bar(qtbot, window) -> None:
    window.go_to("actions", 5)
    combo = window.page("actions").editor.status_combo
    combo.setCurrentIndex(combo.findData("in_progress"))
    combo.activated.emit(combo.currentIndex())
    assert window.statusBar().currentMessage() == \
        "Мероприятие 5: статус — → В работе"  # no status was given before
    combo.setCurrentIndex(combo.findData("completed"))
    combo.activated.emit(combo.currentIndex())
    assert window.statusBar().currentMessage() == \
        "Мероприятие 5: статус В работе → Исполнено"


def test_a_gender_edit_names_the_body_not_its_code(qtbot, window) -> None:
    ctx = window.ctx
    ctx.set_language("kk")
    ctx.run_op(update_gender, REGION, PERIOD, "district_city_akims", ctx.op_info(),
               women=3, total=17)
    message = window.statusBar().currentMessage()
    assert "district_city_akims" not in message
    assert message.startswith("Гендерлік деректер (")
    assert "district_city_akims" not in window.undo_action.text()
    window.undo_action.trigger()
    assert window.statusBar().currentMessage().startswith("Болдырмау орындалды: ")


def test_ctrl_z_inside_the_measures_box_undoes_the_last_saved_change(qtbot, window) -> None:
    ctx = window.ctx
    window.go_to("actions", 5)
    page: ActionsPage = window.page("actions")
    combo = page.editor.status_combo
    combo.setCurrentIndex(combo.findData("completed"))
    combo.activated.emit(combo.currentIndex())
    box = page.editor.fields["progress_note"]
    box.setFocus()
    audit_before = len(audit_entries(ctx.conn))
    qtbot.keyClick(box, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert stored(ctx, 5).status == ""  # the app's last change undone: no status again
    assert stored(ctx, 5).progress_note == ""
    assert len(audit_entries(ctx.conn)) == audit_before + 1  # the undo alone
    box.clearFocus()  # leaving the box saves nothing: the undo left no edit behind
    page.tree.setFocus()
    assert len(audit_entries(ctx.conn)) == audit_before + 1
    assert ctx.undo_stack.canRedo()
    qtbot.keyClick(box, Qt.Key.Key_Y, Qt.KeyboardModifier.ControlModifier)
    assert stored(ctx, 5).status == "completed"


def test_ctrl_z_after_typing_takes_back_the_typing_as_one_step(qtbot, window) -> None:
    ctx = window.ctx
    window.go_to("actions", 6)
    box = window.page("actions").editor.fields["progress_note"]
    box.setFocus()
    box.insertPlainText("Семинар")  # as typed: keyClicks knows ASCII keys only
    assert stored(ctx, 6).progress_note == ""  # not saved yet: waiting for a pause
    qtbot.keyClick(box, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert stored(ctx, 6).progress_note == ""
    assert box.toPlainText() == ""
    assert ctx.undo_stack.count() == 1 and ctx.undo_stack.canRedo()  # saved, then undone
    qtbot.keyClick(box, Qt.Key.Key_Y, Qt.KeyboardModifier.ControlModifier)
    assert stored(ctx, 6).progress_note == "Семинар"
    assert box.toPlainText() == "Семинар"


def test_the_edit_menu_saves_typed_text_before_undoing(qtbot, window) -> None:
    ctx = window.ctx
    window.go_to("actions", 6)
    editor = window.page("actions").editor
    editor.fields["evidence"].setPlainText("Приказ №12")
    window.undo_action.setEnabled(True)
    window.undo_action.trigger()
    assert stored(ctx, 6).evidence == ""
    assert editor.fields["evidence"].toPlainText() == ""
    assert not editor._timer.isActive()
    assert ctx.undo_stack.canRedo()


# --- window and words (item 4) -------------------------------------------------------------------

@pytest.mark.parametrize("free", [(1366, 728), (1280, 680), (1093, 582)],
                         ids=["1366x768", "1280x720", "1366x768-at-125%"])
def test_the_first_window_fits_the_screen_with_its_taskbar(qtbot, window, free) -> None:
    from PySide6.QtCore import QRect

    from desktop.widgets.screen_fit import FRAME, fit_to_screen

    area = QRect(0, 0, *free)
    for lang in ("ru", "kk"):
        window.ctx.set_language(lang)
        for key in window.page_keys():
            window.show_page(key)
            fit_to_screen(window, available=area)
            QApplication.processEvents()
            frame = QRect(window.pos(), window.size() + FRAME)
            assert area.contains(frame), (lang, key, window.size(), window.minimumSizeHint())
            assert window.statusBar().isVisible()


def test_a_new_window_fits_the_screen_it_opens_on(qtbot, window) -> None:
    from PySide6.QtCore import QRect

    from desktop.widgets.screen_fit import FRAME

    area = window.screen().availableGeometry()  # offscreen: smaller than the comfortable size
    assert area.contains(QRect(window.pos(), window.size() + FRAME))


def test_planmonitor_lang_kk_opens_the_window_in_kazakh(qtbot, region_db, db_path) -> None:
    from PySide6.QtCore import QTimer

    from db.office import load_office
    from desktop.main_window import MainWindow
    from planmonitor.cli import main
    from resources.words import tr

    seen: list[str] = []

    def look_and_close() -> None:
        window = next(w for w in QApplication.topLevelWidgets()
                      if isinstance(w, MainWindow) and w.isVisible())
        seen.extend([window.ctx.language, window.nav.item(0).text(), window.edit_menu.title()])
        window.close()

    QTimer.singleShot(50, look_and_close)
    assert main(["--db", str(db_path), "--lang", "kk"]) == 0
    assert seen == ["kk", tr("ui.nav.dashboard", "kk"), tr("ui.menu.edit", "kk")]
    assert load_office(region_db).language == "ru"  # asked for this session, not saved


def test_first_start_lists_regions_in_the_language_s_own_order(qtbot, tmp_path) -> None:
    from PySide6.QtCore import QCollator, QLocale

    from desktop.first_run import FirstRunDialog

    for lang in ("ru", "kk"):
        dialog = FirstRunDialog(tmp_path / lang / "w.sqlite3", lang)
        qtbot.addWidget(dialog)
        names = [dialog.region_combo.itemText(i) for i in range(dialog.region_combo.count())]
        collator = QCollator(QLocale(lang))
        assert names == sorted(names, key=collator.sortKey), lang
        assert len(names) == 20
    kazakh = names
    akmola = next(n for n in kazakh if n.startswith("Ақмола"))
    almaty = next(n for n in kazakh if n.startswith("Алматы"))
    assert kazakh.index(akmola) < kazakh.index(almaty)  # қ before л in the Kazakh alphabet


# --- help (item 5) -------------------------------------------------------------------------------

def test_f1_opens_the_help_in_the_interface_s_language(qtbot, window) -> None:
    from PySide6.QtGui import QKeySequence

    from desktop.dialogs.help import HelpDialog

    assert QKeySequence("F1") in window.help_action.shortcuts()
    assert not window.about_action.shortcuts()  # About is in the Help menu only
    window.ctx.set_language("kk")
    window.activateWindow()
    qtbot.waitActive(window)
    qtbot.keyClick(window, Qt.Key.Key_F1)
    dialog = window.findChild(HelpDialog)
    assert dialog is not None and dialog.isVisible()
    text = dialog.browser.toPlainText()
    assert text.startswith("«Жоспар мониторингі»: анықтама")
    for part in ("Файл алмасу", "Қайшылық", "Есептер", "Сақтық көшірме"):
        assert part in text
    window.ctx.set_language("ru")  # the open help follows the language
    assert dialog.browser.toPlainText().startswith("Справка: «Мониторинг плана»")
    assert dialog.windowTitle() == "Справка"


@pytest.mark.parametrize("lang", ["ru", "kk", "en"])
def test_each_manual_covers_the_five_tasks(lang) -> None:
    from desktop.dialogs.help import help_text

    text = help_text(lang)
    assert text.count("\n## ") >= 6  # fill, undo, exchange, conflict, print, restore, keys
    assert "Ctrl+Z" in text and "F1" in text
