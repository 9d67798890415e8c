"""The search box (Ctrl+K): finds what was typed on any page, forgets what an undo removed, and
opens a hit at its page, period and row."""

from __future__ import annotations

from PySide6.QtCore import Qt

from db.ops import update_action, update_gender
from db.search import search
from tests.conftest import PERIOD, REGION


def test_search_forgets_text_an_undo_removed(window) -> None:
    ctx = window.ctx
    ctx.run_op(update_action, REGION, PERIOD, 6, ctx.op_info(), status="in_progress",
               progress_note="Семинар по Стамбульскому протоколу")
    assert search(ctx.conn, "стамбульск", "ru").total == 1
    ctx.undo_stack.undo()
    assert search(ctx.conn, "стамбульск", "ru").total == 0
    ctx.undo_stack.redo()
    assert search(ctx.conn, "стамбульск", "ru").total == 1


def test_ctrl_k_opens_the_box_from_any_page_and_a_hit_opens_its_row(qtbot, window) -> None:
    ctx = window.ctx
    update_action(ctx.conn, REGION, "2026-Q2", 11, ctx.op_info(), status="in_progress",
                  progress_note="Обучение судей")
    body = ctx.conn.execute("SELECT code FROM gender_body ORDER BY ord").fetchone()[0]
    update_gender(ctx.conn, REGION, PERIOD, body, ctx.op_info(), women=1, total=4,
                  note="ӘЙЕЛДЕР САНЫ ӨСТІ")
    window.show_page("history")
    qtbot.keyClick(window, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)
    dialog = window.search_dialog
    assert dialog.isVisible()
    dialog.field.setText("обучен")  # (QTest types ASCII only)
    qtbot.waitUntil(lambda: dialog.results.topLevelItemCount() == 1)
    assert dialog.results.topLevelItem(0).text(0).startswith("11. ")
    hit_line = dialog.results.topLevelItem(0).child(0).child(0).text(0)
    assert "«Обучение»" in hit_line
    qtbot.keyClick(dialog.field, Qt.Key.Key_Return)
    assert not dialog.isVisible()
    assert window.current_page_key() == "actions"
    assert ctx.selection.period == "2026-Q2"
    page = window.pages["actions"]
    assert page.tree.currentIndex().isValid()
    assert page.proxy.mapToSource(page.tree.currentIndex()) == page.model.find_action(11)

    window.open_search()
    dialog.field.setText("әйелдер")
    dialog.run()
    dialog.open_item(dialog.results.topLevelItem(0))
    assert window.current_page_key() == "gender" and ctx.selection.period == PERIOD
