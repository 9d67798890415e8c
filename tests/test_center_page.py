"""The center page: the completeness matrix and the review actions, driven offscreen."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

pytest.importorskip("PySide6")

from PySide6.QtCore import Qt  # noqa: E402

from db import review  # noqa: E402
from db.audit import Change, OpChanges, OpInfo  # noqa: E402
from db.ops import update_action  # noqa: E402
from desktop.app import create_main_window  # noqa: E402
from exports.importer import plan_import  # noqa: E402
from resources.words import tr  # noqa: E402
from tests.conftest import PERIOD, trust_center  # noqa: E402

REGION_USER = OpInfo(user="Айгерім", source="ui")


@pytest.fixture
def center_window(qtbot, center_db: sqlite3.Connection, tmp_path: Path):
    update_action(center_db, "KZ-75", PERIOD, 1, REGION_USER, status="in_progress",
                  progress_note="Подготовлен проект")
    window = create_main_window(tmp_path / "center" / "center.sqlite3")
    qtbot.addWidget(window)
    window.ctx.set_selection(region="KZ-75", period=PERIOD)
    window.show_page("center")
    return window


def _row_of(table, region: str) -> int:
    return next(r for r in range(table.rowCount())
                if table.item(r, 0).data(Qt.ItemDataRole.UserRole) == region)


def test_page_only_in_center_mode(qtbot, region_db: sqlite3.Connection, db_path: Path) -> None:
    window = create_main_window(db_path)
    qtbot.addWidget(window)
    assert "center" not in window.page_keys()


def test_matrix_shows_who_reported(center_window) -> None:
    page = center_window.pages["center"]
    table = page.sections_table
    assert table.rowCount() == 20
    reported = table.item(_row_of(table, "KZ-75"), 1).text()
    missing = table.item(_row_of(table, "KZ-10"), 1).text()
    assert reported.endswith("%")
    assert missing == page.ctx.tr("center.not_reported")
    assert "19" in page.summary.text()  # 1 of 20 reported, 19 missing
    page.tabs.setCurrentIndex(1)
    assert page.periods_table.rowCount() == 20
    assert page.periods_table.columnCount() >= 2


def test_clicking_a_row_chooses_the_region(center_window) -> None:
    page = center_window.pages["center"]
    page.sections_table.selectRow(_row_of(page.sections_table, "KZ-11"))
    assert page.ctx.selection.region == "KZ-11"
    assert center_window.region_combo.currentData() == "KZ-11"
    assert not page.accept_button.isEnabled()  # KZ-11 has not reported


def test_return_with_remarks_then_accept_then_reopen(center_window, tmp_path: Path) -> None:
    page = center_window.pages["center"]
    conn = page.ctx.conn
    page.remark_edit.setPlainText("Доработать раздел I")
    page.item_combo.setCurrentIndex(page.item_combo.findData("action:1"))
    page.add_remark_row()
    page.remarks_table.item(0, 2).setText("Приложите протокол")
    assert page.return_for_correction()
    stored = review.get_review(conn, "KZ-75", PERIOD)
    assert stored.state == "returned"
    assert stored.remarks == {("action", "1"): "Приложите протокол"}
    assert page.remarks_table.rowCount() == 1  # shown again after refresh
    word = page.sections_table.item(_row_of(page.sections_table, "KZ-75"),
                                    page.sections_table.columnCount() - 3).text()
    assert word == page.ctx.tr("center.state.returned")

    written = page.export_decision_to(tmp_path / "decision.xlsx")
    assert written is not None and written.exists()

    assert page.accept()
    assert review.is_locked(conn, "KZ-75", PERIOD)
    assert not page.accept_button.isEnabled() and page.reopen_button.isEnabled()
    assert not page.remark_edit.isEnabled()
    assert page.reopen()
    assert review.get_review(conn, "KZ-75", PERIOD).state == "reopened"


def test_a_refused_decision_is_explained_on_the_page(center_window) -> None:
    page = center_window.pages["center"]
    page.remark_edit.setPlainText("")
    assert not page.return_for_correction()  # a return needs a remark
    assert "замечание" in page.feedback.text()
    assert review.get_review(page.ctx.conn, "KZ-75", PERIOD).state is None


def test_consolidated_workbook_from_the_page(qtbot, center_window, tmp_path: Path) -> None:
    page = center_window.pages["center"]
    job = page.export_consolidated_to(tmp_path / "national.xlsx")
    qtbot.waitUntil(lambda: job.done, timeout=30_000)
    assert job.error is None
    assert page.last_export == tmp_path / "national.xlsx"
    assert page.last_export.stat().st_size > 0
    assert "national.xlsx" in page.feedback.text()


def test_language_switch_retranslates(center_window) -> None:
    page = center_window.pages["center"]
    page.ctx.set_language("kk")
    assert page.accept_button.text() == "Есепті қабылдау"
    page.ctx.set_language("en")
    assert page.tabs.tabText(1) == "By period"


def test_decision_file_is_for_the_region(center_window, tmp_path: Path, db_path: Path) -> None:
    from db.office import load_office
    from db.workbook import init_database, open_workbook

    page = center_window.pages["center"]
    page.remark_edit.setPlainText("Доработать")
    assert page.return_for_correction()
    written = page.export_decision_to(tmp_path / "decision.xlsx")
    init_database(db_path, mode="region", region_code="KZ-75", user_name="А", language="ru")
    region = open_workbook(db_path)
    try:
        trust_center(region, center_window.ctx.conn)  # the region confirmed the ministry's code
        plan = plan_import(region, written, load_office(region))
        assert plan.ok and plan.payload.state == "returned"
    finally:
        region.close()


def test_region_banner_shows_the_decision_and_the_lock(qtbot, region_db: sqlite3.Connection,
                                                       db_path: Path) -> None:
    from desktop.widgets.review_banner import ReviewBanner

    update_action(region_db, "KZ-75", PERIOD, 1, REGION_USER, status="in_progress",
                  progress_note="Начато")
    window = create_main_window(db_path)
    qtbot.addWidget(window)
    window.ctx.set_selection(period=PERIOD)
    banner = ReviewBanner(window.ctx)
    qtbot.addWidget(banner)
    assert banner.isHidden() and not banner.locked

    decision = review.Review("KZ-75", PERIOD, "returned", "Доработать", revision=1,
                             updated_at="2026-11-20T10:00:00", updated_by="Министерство",
                             remarks={("action", "1"): "Приложите протокол"})
    window.ctx.run_op(review.receive_review, decision, OpInfo("А", "import"), record_undo=False)
    assert not banner.isHidden()
    assert "Приложите протокол" in banner.text() and "1. " in banner.text()
    assert banner.remark_for("action", "1") == "Приложите протокол"

    accepted = review.Review("KZ-75", PERIOD, "accepted", "", revision=2,
                             updated_at="2026-11-25T10:00:00", updated_by="Министерство")
    window.ctx.run_op(review.receive_review, accepted, OpInfo("А", "import"), record_undo=False)
    assert banner.locked and "закрыт" in banner.text()
    window.ctx.set_language("kk")
    assert "жабық" in banner.text()


def test_importing_several_returns_from_the_page(qtbot, center_window, tmp_path: Path) -> None:
    from db.workbook import init_database, open_workbook
    from exports.xlsx_export import export_return

    files = []
    for code in ("KZ-11", "KZ-71"):
        path = tmp_path / f"{code}.sqlite3"
        init_database(path, mode="region", region_code=code, user_name="Офицер", language="ru")
        region = open_workbook(path)
        try:  # real figures: a center holding real returns refuses demo ones
            for action in (1, 2, 3):
                update_action(region, code, PERIOD, action, REGION_USER, status="completed",
                              progress_note=f"Сделано в {code}")
            files.append(export_return(region, code, PERIOD, "ru", tmp_path / f"{code}.xlsx"))
        finally:
            region.close()
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"not a workbook")
    page = center_window.pages["center"]

    job = page.import_files([*files, broken])
    qtbot.waitUntil(lambda: job.done, timeout=60_000)
    assert job.error is None
    assert [o.result for o in page.last_import] == ["applied", "applied", "refused"]
    text = page.import_result.text()
    assert "Принято: 2" in text and "отклонено: 1" in text and "broken.xlsx" in text
    table = page.sections_table
    row = _row_of(table, "KZ-71")
    assert table.item(row, 1).text().endswith("%")  # the matrix refreshed
    assert table.item(row, table.columnCount() - 1).text() == "KZ-71.xlsx"
    assert "17" in page.summary.text()  # 3 of 20 reported now (KZ-75 was there already)


def test_choosing_a_cell_of_the_periods_tab_chooses_region_and_period(center_window) -> None:
    page = center_window.pages["center"]
    page.tabs.setCurrentIndex(1)
    table = page.periods_table
    row = _row_of(table, "KZ-19")
    column = next(c for c in range(1, table.columnCount())
                  if table.item(row, c).data(Qt.ItemDataRole.UserRole) == PERIOD)
    table.setCurrentCell(row, column)
    assert page.ctx.selection.region == "KZ-19" and page.ctx.selection.period == PERIOD
    assert "Алматинская область" in page.review_box.title()


def test_hidden_page_refreshes_when_shown_again(center_window) -> None:
    page = center_window.pages["center"]
    center_window.show()
    other = next(k for k in center_window.page_keys() if k != "center")
    center_window.show_page(other)
    assert page.isHidden()
    update_action(page.ctx.conn, "KZ-10", PERIOD, 1, REGION_USER, status="completed",
                  progress_note="Исполнено")
    page.ctx.notify(OpChanges(None, [Change("action_report", ("KZ-10", PERIOD, 1), "status",
                                            None, "completed")]))
    row = _row_of(page.sections_table, "KZ-10")
    assert page.sections_table.item(row, 1).text() == page.ctx.tr("center.not_reported")
    center_window.show_page("center")
    row = _row_of(page.sections_table, "KZ-10")
    assert page.sections_table.item(row, 1).text().endswith("%")


def test_an_edited_return_waits_for_the_tick_and_is_marked(qtbot, center_window,
                                                           tmp_path: Path) -> None:
    """Issue 20: a return filled outside the program is refused by the page's import until the
    person ticks "accept without a signature"; then it lands and the matrix says so."""
    from db.workbook import init_database, open_workbook
    from exports.xlsx_export import export_return
    from tests.exchange_editing import edit

    path = tmp_path / "KZ-11.sqlite3"
    init_database(path, mode="region", region_code="KZ-11", user_name="Офицер", language="ru")
    region = open_workbook(path)
    try:
        update_action(region, "KZ-11", PERIOD, 1, REGION_USER, status="completed")
        sent = export_return(region, "KZ-11", PERIOD, "ru", tmp_path / "KZ-11.xlsx")
    finally:
        region.close()
    edit(sent, "ru", {"actions": [(2, "progress_note", "Заполнено в отделе")]})
    page = center_window.pages["center"]
    assert page.accept_unsigned_box.text() == tr("sig.center.unsigned_tick", "ru")
    assert page.accept_unsigned_box.toolTip() == tr("sig.wizard.unsigned_tick", "ru")
    job = page.import_files([sent])
    qtbot.waitUntil(lambda: job.done, timeout=60_000)
    assert [o.result for o in page.last_import] == ["refused"]
    assert "--accept-unsigned" in page.import_result.text() or "без подписи" in \
        page.import_result.text()
    page.accept_unsigned_box.setChecked(True)
    job = page.import_files([sent])
    qtbot.waitUntil(lambda: job.done, timeout=60_000)
    assert [o.result for o in page.last_import] == ["applied"]
    table = page.sections_table
    cell = table.item(_row_of(table, "KZ-11"), table.columnCount() - 1).text()
    assert cell == f"KZ-11.xlsx ({tr('sig.matrix.unsigned', 'ru')})"
