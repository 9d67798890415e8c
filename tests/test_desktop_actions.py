"""The actions page and the dashboard driven offscreen over a real workbook: the model passes
qtmodeltester, search ignores case and Kazakh letters, edits are saved at once and audited, the
dashboard follows, attachments come and go."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

pytest.importorskip("PySide6")

from PySide6.QtCore import QModelIndex  # noqa: E402

from db import queries  # noqa: E402
from db.history import audit_entries  # noqa: E402
from desktop.app import create_main_window  # noqa: E402
from desktop.models.actions import ACTION_ROLE, ActionFilter, ActionsModel, fold  # noqa: E402
from desktop.pages.actions import ActionsPage  # noqa: E402
from desktop.pages.dashboard import DashboardPage  # noqa: E402

from .conftest import PERIOD, REGION  # noqa: E402


def visible_actions(proxy: ActionFilter) -> list[int]:
    found = []
    for s in range(proxy.rowCount()):
        parent = proxy.index(s, 0)
        for r in range(proxy.rowCount(parent)):
            found.append(proxy.index(r, 0, parent).data(ACTION_ROLE).no)
    return found


def test_actions_model_and_filter_pass_qtmodeltester(qtmodeltester, window) -> None:
    model = ActionsModel(window.ctx)
    qtmodeltester.check(model)
    proxy = ActionFilter()
    proxy.setSourceModel(model)
    proxy.set_search("закон")
    qtmodeltester.check(proxy)
    assert model.rowCount() == len(queries.sections(window.ctx.conn, "ru"))
    assert sum(model.rowCount(model.index(s, 0)) for s in range(model.rowCount())) == 27
    assert model.rowCount(model.index(0, 1)) == 0  # only column 0 has children


def test_search_ignores_case_and_kazakh_letters(window) -> None:
    window.ctx.set_language("kk")
    page: ActionsPage = window.page("actions")
    first = queries.action_rows(window.ctx.conn, REGION, PERIOD, "kk")[0]
    word = max(first.name.split(), key=len)
    page.search.setText(word.upper())
    assert first.no in visible_actions(page.proxy)
    # typed on a Russian keyboard: Kazakh-specific letters replaced by their nearest Russian ones
    plain = word.translate(str.maketrans("әғқңөұүһі", "агкноууhи")).upper()
    page.search.setText(plain)
    assert first.no in visible_actions(page.proxy)
    assert fold("ҚАЗАҚСТАН") == fold("казакстан")
    page.search.setText("жжжжжж")
    assert visible_actions(page.proxy) == []
    page.search.clear()
    assert len(visible_actions(page.proxy)) == 27


def test_status_filter_overdue_shows_only_overdue_actions(window) -> None:
    page: ActionsPage = window.page("actions")
    page.filter_combo.setCurrentIndex(page.filter_combo.findData("overdue"))
    expected = [a.no for a in queries.action_rows(window.ctx.conn, REGION, PERIOD, "ru")
                if a.overdue]
    assert visible_actions(page.proxy) == expected


def test_status_change_is_saved_audited_and_seen_on_the_dashboard(qtbot, window) -> None:
    ctx = window.ctx
    window.show_page("dashboard")
    dashboard: DashboardPage = window.page("dashboard")
    before_completed = dashboard.summary.overall.counts["completed"]
    audit_before = len(audit_entries(ctx.conn))
    window.go_to("actions", 4)
    page: ActionsPage = window.page("actions")
    assert page.editor.action.no == 4
    combo = page.editor.status_combo
    combo.setCurrentIndex(combo.findData("completed"))
    combo.activated.emit(combo.currentIndex())
    stored = next(a for a in queries.action_rows(ctx.conn, REGION, PERIOD, "ru") if a.no == 4)
    assert stored.status == "completed"
    entries = audit_entries(ctx.conn)
    assert len(entries) == audit_before + 1
    assert (entries[0].key, entries[0].field, entries[0].new_value) == (
        f"{REGION}|{PERIOD}|4", "status", "completed")
    tree_index = page.tree.currentIndex()
    assert tree_index.siblingAtColumn(2).data() == "Исполнено"
    window.show_page("dashboard")
    assert dashboard.summary.overall.counts["completed"] == before_completed + 1
    assert "Исполнено — 1" in dashboard.overall.text()


def test_typed_measures_are_saved_on_leaving_the_action(window) -> None:
    ctx = window.ctx
    window.go_to("actions", 7)
    page: ActionsPage = window.page("actions")
    page.editor.fields["progress_note"].setPlainText("Проведено совещание с НПО")
    page.editor.fields["officer"].setText("Ержан Ахметов")
    window.go_to("actions", 8)  # leaving the action saves what was typed
    stored = next(a for a in queries.action_rows(ctx.conn, REGION, PERIOD, "ru") if a.no == 7)
    assert (stored.progress_note, stored.officer) == ("Проведено совещание с НПО", "Ержан Ахметов")


def test_attachments_are_added_copied_out_and_removed(window, tmp_path: Path) -> None:
    source = tmp_path / "протокол.pdf"
    source.write_bytes(b"%PDF-1.4 test content")
    window.go_to("actions", 2)
    editor = window.page("actions").editor
    editor.attach(source)
    assert editor.files.count() == 1
    assert "протокол.pdf" in editor.files.item(0).text()
    editor.files.setCurrentRow(0)
    copy = editor.copy_attachment(editor.current_attachment())
    assert copy.read_bytes() == source.read_bytes()
    editor.remove_attachment(confirm=False)
    assert editor.files.count() == 0
    fields = [(e.field, e.old_value is None) for e in audit_entries(window.ctx.conn,
                                                                            table="attachment")]
    assert fields == [("file", False), ("file", True)]  # removal, then addition (newest first)


def test_dashboard_missing_item_goes_to_the_action(window) -> None:
    window.show_page("dashboard")
    dashboard: DashboardPage = window.page("dashboard")
    first = dashboard.missing.item(0)
    page_key, key = first.data(0x0100)
    assert page_key == "actions"
    dashboard._go_to_item(first)
    assert window.current_page_key() == "actions"
    assert window.page("actions").editor.action.no == int(key)


def test_section_bar_opens_the_section(window) -> None:
    window.show_page("dashboard")
    dashboard: DashboardPage = window.page("dashboard")
    dashboard.chart.activated.emit(dashboard.chart.bars[2].key)
    page: ActionsPage = window.page("actions")
    current = page.tree.currentIndex()
    assert window.current_page_key() == "actions"
    assert current.parent() == QModelIndex() and current.row() == 2


def test_text_typed_just_before_closing_is_not_lost(window) -> None:
    window.go_to("actions", 9)
    editor = window.page("actions").editor
    editor.fields["evidence"].setPlainText("Приказ № 15 от 02.11.2026")
    assert editor._timer.isActive()  # the pause has not passed yet
    window.close()
    stored = next(a for a in queries.action_rows(window.ctx.conn, REGION, PERIOD, "ru")
                  if a.no == 9)
    assert stored.evidence == "Приказ № 15 от 02.11.2026"


def test_invalid_text_is_refused_with_a_message_and_nothing_written(window) -> None:
    from db.rules import MAX_NOTE_CHARS

    window.go_to("actions", 10)
    editor = window.page("actions").editor
    audit_before = len(audit_entries(window.ctx.conn))
    editor.save({"progress_note": "я" * (MAX_NOTE_CHARS + 1)})
    assert not editor.error.isHidden()
    assert str(MAX_NOTE_CHARS) in editor.error.text()
    assert len(audit_entries(window.ctx.conn)) == audit_before


def test_center_mode_reads_a_region_without_editing_it(qtbot, center_db: sqlite3.Connection,
                                                       tmp_path: Path) -> None:
    from db.ops import update_action

    update_action(center_db, "KZ-11", PERIOD, 4, _info(), status="completed",
                  progress_note="Принят план")
    window = create_main_window(tmp_path / "center" / "center.sqlite3")
    qtbot.addWidget(window)
    window.show()
    window.ctx.set_selection(region="KZ-11", period=PERIOD)
    assert window.region_combo.currentData() == "KZ-11"
    window.go_to("actions", 4)
    editor = window.page("actions").editor
    assert editor.action.status == "completed"
    assert editor.fields["progress_note"].toPlainText() == "Принят план"
    assert not editor.status_combo.isEnabled() and not editor.add_button.isEnabled()
    window.show_page("dashboard")
    assert "Акмолинская область" in window.page("dashboard").heading.text()


def _info():
    from db.audit import OpInfo

    return OpInfo(user="тест", source="cli")
