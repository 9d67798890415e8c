"""The center's review reaches the region's own pages: real review files written by the center's
export, imported through the region app's import wizard. An accepted period locks the grids and
the action editor (with the banner saying why); a returned one shows each remark beside its item;
a reopened one can be edited again, all without a restart."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import QLineEdit

from db import queries, review
from db.audit import OpInfo
from db.ops import update_action, update_gender, update_indicator
from desktop.app import create_main_window
from desktop.dialogs import import_wizard as iw
from desktop.models import gender as g
from desktop.models import indicators as ind
from desktop.models.actions import NAME
from desktop.review_watch import REMARK_BACKGROUND, REMARK_MARKER
from exports.xlsx_review import export_review
from resources.words import tr
from tests.conftest import PERIOD, REGION, dump, trust_center
from tests.test_desktop_grids import type_into_cell

CENTER = OpInfo(user="Министерство", source="review")
REGION_USER = OpInfo(user="Айгерім", source="ui")
WAIT_MS = 30_000
GRID_PAGES = ("actions", "gender", "indicators")


def first_body(conn: sqlite3.Connection) -> str:
    return conn.execute("SELECT code FROM gender_body ORDER BY ord").fetchone()[0]


def first_indicator(conn: sqlite3.Connection) -> tuple[str, str]:
    return conn.execute(
        "SELECT x.indicator_code, x.disaggregation_code FROM indicator_disaggregation x "
        "JOIN indicator i ON i.code = x.indicator_code WHERE i.unit = 'count' "
        "ORDER BY i.ord, x.ord").fetchone()


@pytest.fixture
def decisions(center_db: sqlite3.Connection, region_db: sqlite3.Connection,
              tmp_path: Path) -> dict[str, Path]:
    """The center returns KZ-75's period with remarks, then accepts it, then reopens it; each
    decision written as the review file the region imports (`planmonitor export review`)."""
    body, (code, dis) = first_body(region_db), first_indicator(region_db)
    for conn in (region_db, center_db):
        update_action(conn, REGION, PERIOD, 2, REGION_USER, status="in_progress",
                      progress_note="Начато")
        update_gender(conn, REGION, PERIOD, body, REGION_USER, women=3, total=10)
        update_indicator(conn, REGION, PERIOD, code, dis, REGION_USER, value=4)
    remarks = {("action", "2"): "Приложите протокол", ("gender", body): "Проверьте итог",
               ("indicator", f"{code}|{dis}"): "Источник не указан"}
    files = {}
    review.return_with_remarks(center_db, REGION, PERIOD, CENTER, "Доработать", remarks)
    files["returned"] = export_review(center_db, REGION, PERIOD, "ru", tmp_path / "returned.xlsx")
    review.accept(center_db, REGION, PERIOD, CENTER, "Принято")
    files["accepted"] = export_review(center_db, REGION, PERIOD, "kk", tmp_path / "accepted.xlsx")
    review.reopen(center_db, REGION, PERIOD, CENTER, "Уточните данные")
    files["reopened"] = export_review(center_db, REGION, PERIOD, "ru", tmp_path / "reopened.xlsx")
    trust_center(region_db, center_db)  # the region confirmed the ministry's code already
    return files


@pytest.fixture
def window(qtbot, region_db: sqlite3.Connection, db_path: Path, decisions: dict[str, Path]):
    window = create_main_window(db_path)
    qtbot.addWidget(window)
    window.ctx.set_selection(period=PERIOD)
    window.show()
    return window


def import_file(qtbot, window, path: Path) -> None:
    """Import a file as a person does: Exchange page, wizard, preview, apply."""
    wizard = window.page("exchange").open_import(path)
    qtbot.waitUntil(lambda: wizard.preview_page.job.done, timeout=WAIT_MS)
    assert wizard.plan is not None and wizard.plan.ok, wizard.preview_page.verdict.text()
    wizard.next()
    assert wizard.currentId() == iw.SUMMARY_PAGE
    qtbot.waitUntil(lambda: wizard.summary_page.job.done, timeout=WAIT_MS)
    assert wizard.summary_page.applied, wizard.summary_page.text.text()
    wizard.accept()


def grid_cell(window, key: str, column: int) -> QModelIndex:
    page = window.page(key)
    model = page.model
    if key == "gender":
        row = next(r for r, figures in enumerate(model.rows())
                   if figures.body_code == first_body(window.ctx.conn))
    else:
        row = model.load_until(*first_indicator(window.ctx.conn))
    return model.index(row, column)


def editable(index: QModelIndex) -> bool:
    return bool(index.flags() & Qt.ItemFlag.ItemIsEditable)


def assert_locked(window) -> None:
    for key in GRID_PAGES:
        banner = window.page(key).banner
        assert not banner.isHidden() and banner.locked, key
    for key, column in (("gender", g.WOMEN), ("indicators", ind.VALUE)):
        page = window.page(key)
        window.show_page(key)
        index = grid_cell(window, key, column)
        assert not editable(index), f"{key}: a locked period offers no edits"
        page.view.setCurrentIndex(index)
        page.view.edit(index)
        assert not [e for e in page.view.findChildren(QLineEdit) if e.isVisible()]
        assert page.hint.text() == window.ctx.tr("ui.review.locked_hint")
    editor = window.page("actions").editor
    window.page("actions").focus_item(2)
    assert editor.action is not None and editor.action.no == 2
    assert not editor.editable and not editor.status_combo.isEnabled()
    assert all(field.isReadOnly() for field in editor.fields.values())
    assert not editor.add_button.isEnabled()
    editor.files.setCurrentRow(-1)
    assert not editor.remove_button.isEnabled()
    assert editor.hint.text() == window.ctx.tr("ui.review.locked_hint")


def assert_editable(window) -> None:
    for key, column in (("gender", g.WOMEN), ("indicators", ind.VALUE)):
        assert editable(grid_cell(window, key, column)), key
    editor = window.page("actions").editor
    window.page("actions").focus_item(2)
    assert editor.editable and editor.status_combo.isEnabled() and editor.add_button.isEnabled()
    assert not any(field.isReadOnly() for field in editor.fields.values())


def test_an_accepted_review_locks_the_three_pages(qtbot, window,
                                                  decisions: dict[str, Path]) -> None:
    for key in GRID_PAGES:
        assert window.page(key).banner.isHidden()
    import_file(qtbot, window, decisions["accepted"])
    assert_locked(window)
    assert "закрыт" in window.page("gender").banner.text()

    # and the core agrees: what the grid would have written is refused, nothing changes
    before = dump(window.ctx.conn)
    index = grid_cell(window, "gender", g.WOMEN)
    assert not window.page("gender").model.setData(index, "5")
    assert dump(window.ctx.conn) == before

    window.ctx.set_language("kk")
    assert window.page("indicators").hint.text() == tr("ui.review.locked_hint", "kk")
    assert "жабық" in window.page("actions").banner.text()


def test_remarks_beside_their_items_then_lock_then_reopen(qtbot, window,
                                                          decisions: dict[str, Path]) -> None:
    files = decisions
    conn = window.ctx.conn
    import_file(qtbot, window, files["returned"])

    # the action's row in the list and the editor
    actions = window.page("actions")
    assert not actions.banner.isHidden() and not actions.banner.locked
    assert "Приложите протокол" in actions.banner.text()
    source = actions.model.find_action(2)
    name_cell = source.siblingAtColumn(NAME)
    assert name_cell.data(Qt.ItemDataRole.BackgroundRole) == REMARK_BACKGROUND
    assert name_cell.data(Qt.ItemDataRole.DecorationRole) == REMARK_MARKER
    assert "Приложите протокол" in name_cell.data(Qt.ItemDataRole.ToolTipRole)
    assert actions.model.find_action(1).data(Qt.ItemDataRole.BackgroundRole) is None
    actions.focus_item(2)
    assert not actions.editor.remark.isHidden()
    assert "Приложите протокол" in actions.editor.remark.text()
    actions.focus_item(1)
    assert actions.editor.remark.isHidden(), "no remark on action 1"

    # the body's and the indicator's rows
    for key, column, remark in (("gender", g.BODY, "Проверьте итог"),
                                ("indicators", ind.NAME, "Источник не указан")):
        cell = grid_cell(window, key, column)
        assert cell.data(Qt.ItemDataRole.BackgroundRole) == REMARK_BACKGROUND, key
        assert cell.data(Qt.ItemDataRole.DecorationRole) == REMARK_MARKER, key
        assert remark in cell.data(Qt.ItemDataRole.ToolTipRole), key

    # a returned period is corrected in place
    assert_editable(window)
    gender = window.page("gender")
    window.show_page("gender")
    type_into_cell(qtbot, gender.view, grid_cell(window, "gender", g.WOMEN), "4")
    body = first_body(conn)
    assert next(r.women for r in queries.gender_rows(conn, REGION, PERIOD, "ru")
                if r.body_code == body) == 4

    # the center accepts: locked at once, no restart; the remarks are gone
    import_file(qtbot, window, files["accepted"])
    assert_locked(window)
    assert grid_cell(window, "gender", g.BODY).data(Qt.ItemDataRole.BackgroundRole) is None
    assert actions.editor.remark.isHidden()

    # the center reopens: edits come back
    import_file(qtbot, window, files["reopened"])
    assert_editable(window)
    for key in GRID_PAGES:
        page = window.page(key)
        assert not page.banner.isHidden() and not page.banner.locked
    assert window.page("gender").hint.text() == window.ctx.tr("uib.gender.hint")
    window.show_page("gender")
    type_into_cell(qtbot, gender.view, grid_cell(window, "gender", g.WOMEN), "5")
    assert next(r.women for r in queries.gender_rows(conn, REGION, PERIOD, "ru")
                if r.body_code == body) == 5


def test_a_long_list_of_remarks_stays_short_in_the_banner(qtbot, window) -> None:
    remarks = {("action", str(no)): f"Замечание {no}" for no in range(1, 9)}
    decision = review.Review(REGION, PERIOD, "returned", "Доработать", revision=9,
                             updated_by="Министерство", remarks=remarks)
    window.ctx.run_op(review.receive_review, decision, OpInfo("А", "import"), record_undo=False)
    banner = window.page("gender").banner
    shown = [no for no in range(1, 9) if f"Замечание {no}<" in banner.text()]
    assert shown == [1, 2, 3, 4, 5]
    assert tr("ui.review.more_remarks", "ru", count=3) in banner.text()
    actions = window.page("actions").model
    assert all(actions.find_action(no).siblingAtColumn(NAME).data(
        Qt.ItemDataRole.DecorationRole) == REMARK_MARKER for no in range(1, 9))


def test_models_with_remarks_and_a_lock_pass_the_model_tester(qtmodeltester, window) -> None:
    from desktop.models.actions import ActionsModel

    conn = window.ctx.conn
    body, (code, dis) = first_body(conn), first_indicator(conn)
    remarks = {("action", "2"): "А", ("gender", body): "Б", ("indicator", f"{code}|{dis}"): "В"}
    for state, revision in (("returned", 1), ("accepted", 2)):
        decision = review.Review(REGION, PERIOD, state, "", revision, updated_by="Министерство",
                                 remarks=remarks if state == "returned" else {})
        window.ctx.run_op(review.receive_review, decision, OpInfo("А", "import"),
                          record_undo=False)
        for model in (g.GenderModel(window.ctx), ind.IndicatorModel(window.ctx),
                      ActionsModel(window.ctx)):
            qtmodeltester.check(model)


def test_text_typed_when_the_lock_lands_is_not_silently_lost(qtbot, window) -> None:
    conn = window.ctx.conn
    actions = window.page("actions")
    actions.focus_item(2)
    editor = actions.editor
    editor.fields["evidence"].setPlainText("Протокол № 5")  # typed; saved after a pause
    assert editor.pending_values() == {"evidence": "Протокол № 5"}
    accepted = review.Review(REGION, PERIOD, "accepted", "", 5, updated_by="Министерство")
    window.ctx.run_op(review.receive_review, accepted, OpInfo("А", "import"), record_undo=False)
    assert editor.fields["evidence"].isReadOnly()
    assert not editor.error.isHidden()
    assert tr("error.period_locked", "ru", region=REGION, period=PERIOD) == editor.error.text()
    assert not [line for line in dump(conn) if "Протокол № 5" in line]
