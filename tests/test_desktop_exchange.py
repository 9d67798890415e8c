"""The Exchange page and the import wizard over real workbooks and real .xlsx files: export a
return in a worker thread, import a file with conflicts resolved side by side, refuse a file with a
bad cell (naming sheet, row and column) without changing anything."""

from __future__ import annotations

import sqlite3
import sys
from pathlib import Path

import openpyxl
import pytest
from PySide6.QtCore import QObject, Qt

from db import ops, queries
from db.history import audit_entries
from desktop import workers
from desktop.context import AppContext, Selection
from desktop.dialogs import import_values
from desktop.dialogs import import_wizard as iw
from desktop.pages.exchange import ExchangePage
from desktop.workers import start_job
from exports.xlsx_common import report_progress
from exports.xlsx_export import export_return
from resources.words import tr
from tests.conftest import PERIOD, REGION, dump
from tests.exchange_editing import edit

WAIT_MS = 30_000


@pytest.fixture
def ctx(region_db: sqlite3.Connection, db_path: Path) -> AppContext:
    return AppContext(region_db, db_path, Selection(REGION, PERIOD))


def bodies(conn: sqlite3.Connection) -> list[str]:
    return [r.body_code for r in queries.gender_rows(conn, REGION, PERIOD, "ru")]


def women_of(conn: sqlite3.Connection, body: str) -> int | None:
    return next(r.women for r in queries.gender_rows(conn, REGION, PERIOD, "ru")
                if r.body_code == body)


def set_in_file(path: Path, data_key: str, key: str, column: str, value: object) -> None:
    """Change one cell of an exchange workbook as a person would in Excel: the sheet is found
    through `_meta`, the column by its machine key in row 1, the row by its key in column A."""
    book = openpyxl.load_workbook(path)
    meta = {r[0]: r[1] for r in book["_meta"].iter_rows(values_only=True)}
    sheet = book[meta[f"sheet.{data_key}"]]
    columns = {c.value: c.column for c in sheet[1]}
    for row in range(3, sheet.max_row + 1):
        if str(sheet.cell(row, 1).value) == key:
            sheet.cell(row, columns[column]).value = value
            break
    else:
        raise AssertionError(f"{key} not in {data_key}")
    book.save(path)


def wait_job(qtbot, job) -> None:
    qtbot.waitUntil(lambda: job.done, timeout=WAIT_MS)


def test_export_a_return_from_the_page(qtbot, ctx: AppContext, tmp_path: Path) -> None:
    body = bodies(ctx.conn)[0]
    ctx.run_op(ops.update_gender, REGION, PERIOD, body, ctx.op_info(), women=9, total=30)
    page = ExchangePage(ctx)
    qtbot.addWidget(page)
    page.file_language.setCurrentIndex(page.file_language.findData("kk"))
    target = tmp_path / "out" / "return.xlsx"
    target.parent.mkdir()

    job = page.export_return_to(target)
    wait_job(qtbot, job)

    assert job.error is None
    assert target.is_file()
    book = openpyxl.load_workbook(target, read_only=True)
    meta = {r[0]: r[1] for r in book["_meta"].iter_rows(values_only=True)}
    assert (meta["kind"], meta["region"], meta["period"]) == ("return", REGION, PERIOD)
    assert meta["sheet.gender"] == tr("xlsx.sheet.gender", "kk")
    figures = {r[0]: r[2:4] for r in book[meta["sheet.gender"]].iter_rows(min_row=3,
                                                                          values_only=True)}
    assert tuple(figures[body]) == (9, 30)
    assert str(target) in page.result.text()
    assert target.name in page.history.text(), "the page shows the last export"


def test_cancelled_export_writes_no_file(qtbot, ctx: AppContext, tmp_path: Path) -> None:
    page = ExchangePage(ctx)
    qtbot.addWidget(page)
    target = tmp_path / "return.xlsx"
    job = page.export_return_to(target)
    job.cancel()  # as the progress dialog's Cancel button does
    wait_job(qtbot, job)
    assert job.result is None and job.error is None
    assert not target.exists() and not [p for p in tmp_path.iterdir() if "part" in p.name]
    assert page.result.text() == tr("uib.job.cancelled", "ru")
    assert queries.last_exchange(ctx.conn, "export") is None


def test_cancelled_job_reports_cancel_and_gives_no_result(qtbot, ctx: AppContext) -> None:
    def endless(_conn, progress):
        done = 0
        while True:  # stops only through the progress callback, as the exports do
            done += 1
            report_progress(progress, done, 10**9)

    job = start_job(ctx, "test", endless)
    cancelled = []
    job.cancelled.connect(lambda: cancelled.append(True))
    job.cancel()
    wait_job(qtbot, job)
    assert cancelled == [True]
    assert job.result is None and job.error is None


def test_qt_binding_keeps_its_references(qapp) -> None:
    """PySide6 6.12.0 dropped a reference to None on every call of a void method; on Python 3.11
    the app (and a long job's event loop) then aborts with "deallocating None"."""
    holder = QObject()
    before = sys.getrefcount(None)
    for _ in range(200):
        holder.setObjectName("x")
        qapp.processEvents()
    assert sys.getrefcount(None) >= before - 20


def exported_return(ctx: AppContext, path: Path) -> Path:
    return export_return(ctx.conn, REGION, PERIOD, "ru", path)


def test_import_through_the_wizard_with_conflicts_resolved(qtbot, ctx: AppContext,
                                                           tmp_path: Path) -> None:
    first, second, third = bodies(ctx.conn)[:3]
    for body in (first, second, third):
        ops.update_gender(ctx.conn, REGION, PERIOD, body, ctx.op_info(), women=10, total=40)
    path = exported_return(ctx, tmp_path / "return.xlsx")
    # Here, after the export: two figures edited again.
    ops.update_gender(ctx.conn, REGION, PERIOD, first, ctx.op_info(), women=11)
    ops.update_gender(ctx.conn, REGION, PERIOD, second, ctx.op_info(), women=12)
    # In the file, meanwhile: the same two figures and a third one changed differently.
    set_in_file(path, "gender", first, "women", 15)
    set_in_file(path, "gender", second, "women", 16)
    set_in_file(path, "gender", third, "women", 17)
    announced = []
    ctx.changed.connect(announced.append)

    wizard = iw.ImportWizard(ctx, path)
    qtbot.addWidget(wizard)
    wizard.show()
    assert wizard.file_page.isComplete()
    wizard.next()
    wait_job(qtbot, wizard.preview_page.job)
    plan = wizard.plan
    assert plan is not None and plan.ok, wizard.preview_page.verdict.text()
    assert len(plan.conflicts) == 2
    assert wizard.preview_page.isComplete()
    side_by_side = {tuple(wizard.preview_page.conflicts.item(r, c).text() for c in (2, 3, 4))
                    for r in range(wizard.preview_page.conflicts.rowCount())}
    assert side_by_side == {("10", "11", "15"), ("10", "12", "16")}

    wizard.next()
    assert wizard.currentId() == iw.CONFLICTS_PAGE
    conflicts = wizard.conflicts_page
    assert not conflicts.isComplete(), "every conflict needs a decision"
    by_body = {c.key[2]: c.id for c in plan.conflicts}
    conflicts.choose(by_body[first], "file")
    assert not conflicts.isComplete()
    row = [c.id for c in plan.conflicts].index(by_body[first])
    assert conflicts.table.item(row, import_values.FILE_COLUMN).background().color() == import_values.KEPT_BACKGROUND
    assert conflicts.table.item(row, import_values.LOCAL_COLUMN).background().style() == Qt.BrushStyle.NoBrush
    conflicts.choose(by_body[second], "local")
    assert conflicts.isComplete()

    wizard.next()
    assert wizard.currentId() == iw.SUMMARY_PAGE
    wait_job(qtbot, wizard.summary_page.job)
    assert wizard.summary_page.applied, wizard.summary_page.text.text()
    assert (women_of(ctx.conn, first), women_of(ctx.conn, second),
            women_of(ctx.conn, third)) == (15, 12, 17)
    imported = audit_entries(ctx.conn, source="import")
    assert {e.file_name for e in imported} == {path.name}
    assert any(changes.tables & {"gender_figure"} for changes in announced), \
        "the views were told once the import landed"
    assert path.name in wizard.summary_page.text.text()


def test_take_all_from_the_file(qtbot, ctx: AppContext, tmp_path: Path) -> None:
    first, second = bodies(ctx.conn)[:2]
    for body in (first, second):
        ops.update_gender(ctx.conn, REGION, PERIOD, body, ctx.op_info(), women=5, total=20)
    path = exported_return(ctx, tmp_path / "return.xlsx")
    for body, mine, theirs in ((first, 6, 7), (second, 8, 9)):
        ops.update_gender(ctx.conn, REGION, PERIOD, body, ctx.op_info(), women=mine)
        set_in_file(path, "gender", body, "women", theirs)
    page = ExchangePage(ctx)
    qtbot.addWidget(page)
    wizard = page.open_import(path)  # as the page's button or a dropped file does
    assert wizard.currentId() == iw.PREVIEW_PAGE
    wait_job(qtbot, wizard.preview_page.job)
    wizard.next()
    wizard.conflicts_page.take_all_file.click()
    assert wizard.conflicts_page.isComplete()
    wizard.next()
    wait_job(qtbot, wizard.summary_page.job)
    assert (women_of(ctx.conn, first), women_of(ctx.conn, second)) == (7, 9)
    wizard.accept()
    assert path.name in page.history.text(), "the page shows the last import"


def test_file_with_a_bad_cell_is_refused_with_its_place(qtbot, ctx: AppContext,
                                                        tmp_path: Path) -> None:
    body = bodies(ctx.conn)[0]
    path = exported_return(ctx, tmp_path / "return.xlsx")
    set_in_file(path, "gender", body, "women", "много")
    before = dump(ctx.conn)
    wizard = iw.ImportWizard(ctx, path)
    qtbot.addWidget(wizard)
    wizard.show()
    wizard.next()
    wait_job(qtbot, wizard.preview_page.job)
    preview = wizard.preview_page
    assert not preview.isComplete(), "a file with errors cannot go on to Apply"
    assert preview.errors.rowCount() == 1
    sheet, row, column = (preview.errors.item(0, c).text() for c in range(3))
    assert sheet == tr("xlsx.sheet.gender", "ru")
    assert int(row) >= 3 and column.isalpha()
    assert "много" in preview.errors.item(0, 3).text()
    assert tr("uib.import.has_errors", "ru", count=1) == preview.verdict.text()
    assert dump(ctx.conn) == before


def test_dropping_a_file_on_the_page_opens_the_wizard_on_its_preview(
        qtbot, ctx: AppContext, tmp_path: Path) -> None:
    path = exported_return(ctx, tmp_path / "return.xlsx")
    page = ExchangePage(ctx)
    qtbot.addWidget(page)
    wizard = page.open_import(path)
    qtbot.addWidget(wizard)
    assert wizard.currentId() == iw.PREVIEW_PAGE
    wait_job(qtbot, wizard.preview_page.job)
    assert wizard.plan is not None and wizard.plan.ok
    assert wizard.plan.conflicts == [] and wizard.plan.nothing_to_change
    # nothing to apply: Apply stays off, and the verdict says why
    assert not wizard.preview_page.isComplete()
    assert wizard.preview_page.verdict.text() == tr("xlsx.nothing_to_change", "ru",
                                                    file="return.xlsx")


def test_the_same_file_edited_again_lands_and_a_stale_copy_is_named(
        qtbot, ctx: AppContext, tmp_path: Path) -> None:
    """Issue 14 in the window: a file already applied, edited and imported again, lands; an
    older copy is marked stale with the newer file's name, and can still be applied."""
    older = exported_return(ctx, tmp_path / "older.xlsx")
    path = exported_return(ctx, tmp_path / "return.xlsx")
    for action, text in ((7, "Первый раунд"), (9, "Второй раунд")):
        edit(path, "ru", {"actions": [(action, "progress_note", text)]})
        page = ExchangePage(ctx)
        qtbot.addWidget(page)
        wizard = page.open_import(path)
        qtbot.addWidget(wizard)
        wait_job(qtbot, wizard.preview_page.job)
        assert wizard.preview_page.isComplete(), wizard.preview_page.verdict.text()
        assert wizard.preview_page.changes.rowCount() == 1
        wizard.next()
        wait_job(qtbot, wizard.summary_page.job)
        assert ctx.conn.execute("SELECT progress_note FROM action_report WHERE action_no = ?",
                                (action,)).fetchone()[0] == text
    edit(older, "ru", {"actions": [(8, "progress_note", "Из старой копии")]})
    wizard = ExchangePage(ctx).open_import(older)
    qtbot.addWidget(wizard)
    wait_job(qtbot, wizard.preview_page.job)
    assert wizard.plan.stale and wizard.preview_page.isComplete()
    assert "return.xlsx" in wizard.preview_page.verdict.text()


def test_center_exports_the_catalog(qtbot, center_db: sqlite3.Connection,
                                    tmp_path: Path) -> None:
    ctx = AppContext(center_db, tmp_path / "center" / "center.sqlite3", Selection(REGION, PERIOD))
    page = ExchangePage(ctx)
    qtbot.addWidget(page)
    assert not page.export_catalog_button.isHidden()
    job = page.export_catalog_to(tmp_path / "catalog.xlsx")
    wait_job(qtbot, job)
    assert job.error is None, job.error
    meta = {r[0]: r[1] for r in openpyxl.load_workbook(
        tmp_path / "catalog.xlsx", read_only=True)["_meta"].iter_rows(values_only=True)}
    assert (meta["kind"], meta["source"]) == ("catalog", "center")


def test_region_office_cannot_export_a_catalog(qtbot, ctx: AppContext, tmp_path: Path) -> None:
    page = ExchangePage(ctx)
    qtbot.addWidget(page)
    assert page.export_catalog_button.isHidden()
    job = page.export_catalog_to(tmp_path / "catalog.xlsx")
    wait_job(qtbot, job)
    assert job.error == tr("xlsx.catalog_center_only", "ru")
    assert not (tmp_path / "catalog.xlsx").exists()
    assert job.error in page.result.text()


def test_closing_the_wizard_while_reading_is_safe(qtbot, ctx: AppContext, tmp_path: Path) -> None:
    path = exported_return(ctx, tmp_path / "return.xlsx")
    before = dump(ctx.conn)
    wizard = iw.open_import_wizard(ctx, None, path)
    job = wizard.preview_page.job
    wizard.close()  # Cancel while the file is being read; the window is deleted
    qtbot.waitUntil(lambda: not workers.keeper().threads, timeout=WAIT_MS)
    assert job is not None
    assert dump(ctx.conn) == before


