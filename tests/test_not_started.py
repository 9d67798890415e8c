"""«Не начато» is an answer and no answer is not «Не начато» (issue 22, point 2): chosen in the
editor and shown in the actions list, saved, exported and imported from a file; completeness,
the center's counts, the heat map and the Word report tell the two apart."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import openpyxl
from docx import Document

from db import comparisons, national, queries, rules
from db.office import load_office
from desktop.models import actions as act
from exports.docx_report import build_national_docx
from exports.importer import import_one
from exports.xlsx_export import export_return
from resources.words import tr
from tests.conftest import PERIOD, REGION, TODAY
from tests.exchange_editing import column_of, edit, row_of


def status_of(conn: sqlite3.Connection, no: int) -> str | None:
    row = conn.execute("SELECT status FROM action_report WHERE region_code = ? AND "
                       "period_code = ? AND action_no = ?", (REGION, PERIOD, no)).fetchone()
    return None if row is None else row[0]


def missing_actions(conn: sqlite3.Connection) -> set[str]:
    report = queries.completeness(conn, REGION, PERIOD, "ru")
    return {m.key for m in report.missing if m.kind == "action"}


def test_not_started_chosen_in_the_editor_is_saved_and_shown(qtbot, window) -> None:
    conn = window.ctx.conn
    assert {"1", "2"} <= missing_actions(conn)
    window.show_page("actions")
    page = window.page("actions")
    page.focus_item(1)
    combo = page.editor.status_combo
    assert combo.currentIndex() == -1 and combo.placeholderText() == "Статус не указан"
    combo.setCurrentIndex(rules.STATUSES.index("not_started"))
    combo.activated.emit(combo.currentIndex())  # as a click does
    assert status_of(conn, 1) == "not_started"
    assert "1" not in missing_actions(conn) and "2" in missing_actions(conn)
    model = page.model
    shown = {no: model.index(model.find_action(no).row(), act.STATUS,
                             model.find_action(no).parent()).data() for no in (1, 2)}
    assert shown == {1: "Не начато", 2: "Статус не указан"}
    overall = queries.overall_progress(queries.section_progress(conn, REGION, PERIOD, "ru"))
    assert overall.counts["not_started"] == 1
    assert overall.counts[rules.NO_ANSWER_KEY] == overall.total - 1


def exported_statuses(path: Path) -> dict[int, str | None]:
    book = openpyxl.load_workbook(path)
    sheet = book[tr("xlsx.sheet.actions", "ru")]
    status = column_of(sheet, "status")
    return {no: sheet.cell(row_of(sheet, "action_no", no), status).value for no in (6, 7)}


def test_not_started_in_a_file_is_imported_and_exported_again(
        region_db: sqlite3.Connection, tmp_path: Path) -> None:
    path = export_return(region_db, REGION, PERIOD, "ru", tmp_path / "ret.xlsx")
    assert exported_statuses(path) == {6: None, 7: None}, "no answer is an empty cell"
    edit(path, "ru", {"actions": [(7, "status", "Не начато")]})
    outcome = import_one(region_db, path, load_office(region_db))
    assert outcome.result == "applied", outcome
    assert status_of(region_db, 7) == "not_started" and status_of(region_db, 6) is None
    assert "7" not in missing_actions(region_db) and "6" in missing_actions(region_db)
    again = export_return(region_db, REGION, PERIOD, "ru", tmp_path / "again.xlsx")
    assert exported_statuses(again) == {6: None, 7: "Не начато"}


def test_the_center_counts_a_region_that_reported_not_started(
        region_db: sqlite3.Connection, center_db: sqlite3.Connection, tmp_path: Path) -> None:
    path = export_return(region_db, REGION, PERIOD, "ru", tmp_path / "ret.xlsx")
    edit(path, "ru", {"actions": [(1, "status", "Не начато")]})
    # a copy edited outside the program: a person at the ministry accepts it unsigned
    assert import_one(center_db, path, load_office(center_db),
                      accept_unsigned=True).result == "applied"

    assert national.reported_region_codes(center_db, PERIOD) == {REGION}
    overall = national.combined_progress(national.progress_matrix(center_db, PERIOD, "ru"))
    assert overall.counts["not_started"] == 1
    assert overall.counts[rules.NO_ANSWER_KEY] == overall.total - 1
    history = comparisons.status_history(center_db, PERIOD, "ru")
    assert history.status(1, REGION, PERIOD) == "not_started"
    assert history.status(2, REGION, PERIOD) == rules.NO_ANSWER
    assert history.status(2, "KZ-11", PERIOD) is None, "a region that sent nothing"
    colours = comparisons.HEAT_COLOURS
    assert colours["not_started"] != colours[rules.NO_ANSWER] != colours[None]

    doc = Document(str(build_national_docx(center_db, PERIOD, "ru", tmp_path / "n.docx",
                                           today=TODAY)))
    texts = [p.text for p in doc.paragraphs]
    first = next(t for t in texts if t.startswith("Статус по") and "не начато — 1" in t)
    assert first.startswith("Статус по 1 регион") and "статус не указан — 0" in first
    assert any(t.startswith("Статус по 1 регион") and "не начато — 0" in t
               and "статус не указан — 1" in t for t in texts)
