"""Import of exchange workbooks on real files: round trips, edits as people make them, conflicts,
stale and repeated files, ownership, catalog updates, cell errors and the command line."""

from __future__ import annotations

import json
import shutil
import sqlite3
import subprocess
from pathlib import Path

import openpyxl
import pytest

from db.audit import OpInfo
from db.catalog import apply_catalog, load_seed
from db.errors import PlanMonitorError
from db.office import load_office
from db.ops import update_action, update_gender, update_indicator
from exports.importer import apply_import, plan_import
from exports.importer.trust import lift
from exports.xlsx_export import export_catalog, export_return
from planmonitor.cli import main
from resources.words import tr
from tests.conftest import PERIOD, REGION, dump, trust_center
from tests.exchange_editing import column_of, edit, row_of

UI = OpInfo(user="Айгерім", source="ui")


@pytest.fixture
def filled(region_db: sqlite3.Connection) -> sqlite3.Connection:
    update_action(region_db, REGION, PERIOD, 1, UI, status="in_progress", progress_note="Начато")
    update_action(region_db, REGION, PERIOD, 3, UI, status="completed", progress_note="Готово",
                  evidence="Приказ № 5")
    update_gender(region_db, REGION, PERIOD, "akim_deputies", UI, women=2, total=8)
    update_indicator(region_db, REGION, PERIOD, "IND-01", "total", UI, value=16.9)
    return region_db


def plan_of(conn: sqlite3.Connection, path: Path):
    return plan_import(conn, path, load_office(conn))


def changes_of(plan) -> set[tuple]:
    return {(c.table, c.key, c.field, c.new) for c in plan.all_changes()}


def test_export_then_import_changes_nothing(filled: sqlite3.Connection, tmp_path: Path) -> None:
    path = export_return(filled, REGION, PERIOD, "ru", tmp_path / "r.xlsx")
    before = dump(filled)
    plan = plan_of(filled, path)
    assert plan.ok and plan.nothing_to_change
    assert plan.unchanged > 0
    assert not apply_import(filled, plan, "u")
    def without_log(lines: list[str]) -> list[str]:
        return [line for line in lines if "INSERT INTO \"exchange_log\"" not in line]

    assert without_log(dump(filled)) == without_log(before)


def test_person_edits_import_exactly_those_changes(filled: sqlite3.Connection,
                                                    tmp_path: Path) -> None:
    path = export_return(filled, REGION, PERIOD, "ru", tmp_path / "Есеп KZ-75.xlsx")
    edit(path, "ru", {
        "actions": [(1, "status", tr("status.completed", "kk")),
                    (2, "progress_note", "Семинар өткізілді, 45 қызметкер оқытылды"),
                    (3, "evidence", "=не формула, а текст", True)],
        "gender": [("akim_deputies", "women", "3"), ("akim_deputies", "total", "1\u00a0234")],
        "indicators": [(("IND-01", "total"), "value", "12,5")],
    })
    book = openpyxl.load_workbook(path)  # extra column and blank rows, as people add them
    sheet = book[tr("xlsx.sheet.actions", "ru")]
    sheet.cell(1, 20, "my_notes")
    sheet.cell(5, 20, "для себя")
    sheet.insert_rows(4, 2)
    book.save(path)
    plan = plan_of(filled, path)
    assert plan.ok, [e.message("en") for e in plan.errors]
    assert changes_of(plan) == {
        ("action_report", (REGION, PERIOD, 1), "status", "completed"),
        ("action_report", (REGION, PERIOD, 2), "progress_note",
         "Семинар өткізілді, 45 қызметкер оқытылды"),
        ("action_report", (REGION, PERIOD, 3), "evidence", "=не формула, а текст"),
        ("gender_figure", (REGION, PERIOD, "akim_deputies"), "women", 3),
        ("gender_figure", (REGION, PERIOD, "akim_deputies"), "total", 1234),
        ("indicator_value", (REGION, PERIOD, "IND-01", "total"), "value", 12.5),
    }
    applied = apply_import(filled, plan, "Айгерім")
    op = filled.execute("SELECT source, file_name, file_sha256 FROM operation WHERE id = ?",
                        (applied.op_id,)).fetchone()
    assert tuple(op) == ("import", path.name, plan.sha256)
    again = export_return(filled, REGION, PERIOD, "ru", tmp_path / "again.xlsx")
    sheet = openpyxl.load_workbook(again)[tr("xlsx.sheet.actions", "ru")]
    note = sheet.cell(row_of(sheet, "action_no", 3), column_of(sheet, "evidence"))
    assert note.data_type == "s" and note.value == "=не формула, а текст"
    assert not plan_of(filled, again).changed


def test_same_file_twice_changes_nothing_the_second_time(filled: sqlite3.Connection,
                                                        tmp_path: Path) -> None:
    path = export_return(filled, REGION, PERIOD, "ru", tmp_path / "r.xlsx")
    edit(path, "ru", {"actions": [(1, "progress_note", "Обновлено")]})
    assert apply_import(filled, plan_of(filled, path), "u")
    before = dump(filled)
    second = plan_of(filled, path)
    assert second.nothing_to_change
    assert not apply_import(filled, second, "u")
    assert dump(filled) == before


def test_conflict_detected_and_resolved_both_ways(filled: sqlite3.Connection,
                                                  tmp_path: Path) -> None:
    path = export_return(filled, REGION, PERIOD, "ru", tmp_path / "r.xlsx")
    edit(path, "ru", {"actions": [(1, "progress_note", "Из файла"),
                                  (3, "progress_note", "Только в файле")]})
    update_action(filled, REGION, PERIOD, 1, UI, progress_note="В базе")
    update_action(filled, REGION, PERIOD, 3, UI, officer="Сәрсенова")  # another field: no conflict
    plan = plan_of(filled, path)
    assert [(c.key, c.field, c.base, c.local, c.file) for c in plan.conflicts] == [
        ((REGION, PERIOD, 1), "progress_note", "Начато", "В базе", "Из файла")]
    assert changes_of(plan) == {
        ("action_report", (REGION, PERIOD, 3), "progress_note", "Только в файле")}
    before = dump(filled)
    with pytest.raises(PlanMonitorError) as unresolved:
        apply_import(filled, plan, "u")
    assert unresolved.value.key == "xlsx.unresolved_conflicts"
    assert dump(filled) == before
    apply_import(filled, plan, "u", choices={plan.conflicts[0].id: "local"})
    rows = filled.execute("SELECT progress_note, officer FROM action_report "
                          "WHERE action_no IN (1, 3) ORDER BY action_no").fetchall()
    assert [tuple(r) for r in rows] == [("В базе", ""), ("Только в файле", "Сәрсенова")]
    second = export_return(filled, REGION, PERIOD, "ru", tmp_path / "second.xlsx")
    edit(second, "ru", {"actions": [(1, "progress_note", "Из файла")]})
    update_action(filled, REGION, PERIOD, 1, UI, progress_note="Снова в базе")
    plan = plan_of(filled, second)
    assert [(c.local, c.file) for c in plan.conflicts] == [("Снова в базе", "Из файла")]
    apply_import(filled, plan, "u", take="file")
    assert filled.execute("SELECT progress_note FROM action_report WHERE action_no = 1"
                          ).fetchone()[0] == "Из файла"


def test_older_file_is_stale_and_still_merged(filled: sqlite3.Connection,
                                              tmp_path: Path) -> None:
    """A copy written before one already applied is marked stale; its own edits still land, and
    an old value over a newer one is a conflict, never a silent overwrite."""
    older = export_return(filled, REGION, PERIOD, "ru", tmp_path / "old.xlsx")
    newer = export_return(filled, REGION, PERIOD, "ru", tmp_path / "new.xlsx")
    edit(older, "ru", {"actions": [(5, "progress_note", "старое"), (6, "progress_note", "было")]})
    edit(newer, "ru", {"actions": [(6, "progress_note", "новое")]})
    apply_import(filled, plan_of(filled, newer), "u")
    plan = plan_of(filled, older)
    assert plan.stale and plan.newer_file == "new.xlsx"
    assert changes_of(plan) == {("action_report", (REGION, PERIOD, 5), "progress_note", "старое")}
    assert [(c.key[2], c.local, c.file) for c in plan.conflicts] == [(6, "новое", "было")]
    apply_import(filled, plan, "u", take="local")
    notes = dict(filled.execute("SELECT action_no, progress_note FROM action_report "
                                "WHERE action_no IN (5, 6)").fetchall())
    assert notes == {5: "старое", 6: "новое"}


def test_region_refuses_another_regions_return(center_db: sqlite3.Connection,
                                               filled: sqlite3.Connection,
                                               tmp_path: Path) -> None:
    other = export_return(center_db, "KZ-11", PERIOD, "ru", tmp_path / "kz11.xlsx")
    before = dump(filled)
    plan = plan_of(filled, other)
    assert plan.refused is not None and plan.refused.key == "xlsx.other_region"
    assert "kz11.xlsx" in plan.refused.message("ru")
    assert dump(filled) == before


def test_center_import_changes_only_that_regions_rows(center_db: sqlite3.Connection,
                                                      filled: sqlite3.Connection,
                                                      tmp_path: Path) -> None:
    update_action(center_db, "KZ-11", PERIOD, 1, OpInfo("m", "ui"), status="completed")
    path = export_return(filled, REGION, PERIOD, "kk", tmp_path / "Алматы.xlsx")
    plan = plan_of(center_db, path)
    assert plan.ok and plan.added_count
    assert {c.key[0] for c in plan.all_changes()} == {REGION}
    apply_import(center_db, plan, "Министерство")
    regions = {r[0] for r in center_db.execute(
        "SELECT region_code FROM action_report UNION SELECT region_code FROM gender_figure")}
    assert regions == {REGION, "KZ-11"}
    assert center_db.execute("SELECT status FROM action_report WHERE region_code = 'KZ-11'"
                             ).fetchone()[0] == "completed"
    log = center_db.execute("SELECT kind, source, region_code, result FROM exchange_log "
                            "WHERE direction = 'import'").fetchone()
    assert tuple(log) == ("return", REGION, REGION, "applied")


def test_center_hand_edit_conflicts_with_region_file(center_db: sqlite3.Connection,
                                                    filled: sqlite3.Connection,
                                                    tmp_path: Path) -> None:
    apply_import(center_db, plan_of(center_db, export_return(
        filled, REGION, PERIOD, "ru", tmp_path / "1.xlsx")), "m")
    update_action(center_db, REGION, PERIOD, 1, OpInfo("m", "ui"), progress_note="Правка центра")
    update_action(filled, REGION, PERIOD, 1, UI, progress_note="Новое от региона")
    update_action(filled, REGION, PERIOD, 2, UI, progress_note="Второе")
    plan = plan_of(center_db, export_return(filled, REGION, PERIOD, "ru", tmp_path / "2.xlsx"))
    assert [(c.field, c.local, c.file) for c in plan.conflicts] == [
        ("progress_note", "Правка центра", "Новое от региона")]
    assert changes_of(plan) == {
        ("action_report", (REGION, PERIOD, 2), "progress_note", "Второе")}


def test_catalog_update_changes_catalog_and_keeps_figures(center_db: sqlite3.Connection,
                                                          filled: sqlite3.Connection,
                                                          tmp_path: Path) -> None:
    data = load_seed()
    data.version = data.version + "-upd"
    action = next(r for r in data.rows["action"] if r["no"] == 3)
    action["name_ru"] = "Новая формулировка мероприятия 3"
    apply_catalog(center_db, data, OpInfo("m", "catalog"))
    path = export_catalog(center_db, "ru", tmp_path / "Справочник.xlsx")
    trust_center(filled, center_db)
    figures = filled.execute("SELECT * FROM action_report ORDER BY action_no").fetchall()
    plan = plan_of(filled, path)
    assert plan.ok, [e.message("en") for e in plan.errors]
    assert ("action", (3,), "name_ru", "Новая формулировка мероприятия 3") in changes_of(plan)
    apply_import(filled, plan, "u")
    assert filled.execute("SELECT name_ru FROM action WHERE no = 3").fetchone()[0] == \
        "Новая формулировка мероприятия 3"
    assert filled.execute("SELECT * FROM action_report ORDER BY action_no").fetchall() == figures
    assert plan_of(filled, path).nothing_to_change


def test_catalog_not_from_center_is_refused(center_db: sqlite3.Connection,
                                            filled: sqlite3.Connection, tmp_path: Path) -> None:
    path = export_catalog(center_db, "ru", tmp_path / "c.xlsx")
    book = openpyxl.load_workbook(path)
    meta = book["_meta"]
    for row in meta.iter_rows():
        if row[0].value == "source":
            row[1].value = "KZ-11"
    book.save(path)
    plan = plan_of(filled, path)
    assert plan.refused is not None and plan.refused.key == "xlsx.catalog_not_center"


def test_bad_cells_are_named_and_nothing_changes(filled: sqlite3.Connection,
                                                 tmp_path: Path) -> None:
    path = export_return(filled, REGION, PERIOD, "ru", tmp_path / "bad.xlsx")
    edit(path, "ru", {
        "actions": [(1, "status", "почти готово"), (2, "progress_note", "ок")],
        "gender": [("akim_deputies", "women", "12,5,3")],
        "indicators": [(("IND-01", "total"), "value", -4)],
    })
    book = openpyxl.load_workbook(path)
    gender = book[tr("xlsx.sheet.gender", "ru")]
    row = row_of(gender, "body", "akimat_dept_heads")
    gender.cell(row, column_of(gender, "women"), 9)
    gender.cell(row, column_of(gender, "total"), 5)
    book.save(path)
    before = dump(filled)
    plan = plan_of(filled, path)
    assert not plan.ok
    messages = [e.message("ru") for e in plan.errors]
    assert len(messages) == 4, messages
    status_error = next(e for e in plan.errors if e.key == "xlsx.bad_status")
    assert status_error.sheet == tr("xlsx.sheet.actions", "ru")
    assert status_error.column == "G" and status_error.row == 3
    assert "bad.xlsx" in messages[0] and "почти готово" in status_error.message("ru")
    assert any(e.key == "validation.women_over_total" for e in plan.errors)
    with pytest.raises(PlanMonitorError):
        apply_import(filled, plan, "u")
    assert dump(filled) == before


def test_formula_in_value_cell_is_an_error(filled: sqlite3.Connection, tmp_path: Path) -> None:
    path = export_return(filled, REGION, PERIOD, "ru", tmp_path / "f.xlsx")
    edit(path, "ru", {"indicators": [(("IND-01", "total"), "value", "=2+3")]})
    plan = plan_of(filled, path)
    assert [e.key for e in plan.errors] == ["xlsx.formula_in_value"]
    assert plan.errors[0].column == "H"


def test_template_filled_by_hand(filled: sqlite3.Connection, tmp_path: Path) -> None:
    path = export_return(filled, REGION, "2026-Q4", "en", tmp_path / "t.xlsx", template=True)
    edit(path, "en", {"actions": [(7, "status", "В работе"), (7, "progress_note", "Started")],
                      "gender": [("akim_deputies", "women", 1), ("akim_deputies", "total", 4)]})
    plan = plan_of(filled, path)
    assert changes_of(plan) == {
        ("action_report", (REGION, "2026-Q4", 7), "status", "in_progress"),
        ("action_report", (REGION, "2026-Q4", 7), "progress_note", "Started"),
        ("gender_figure", (REGION, "2026-Q4", "akim_deputies"), "women", 1),
        ("gender_figure", (REGION, "2026-Q4", "akim_deputies"), "total", 4)}


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) not installed")
def test_libreoffice_round_trip_changes_nothing(filled: sqlite3.Connection,
                                                tmp_path: Path) -> None:
    source = tmp_path / "src" / "Есеп 2026.xlsx"
    source.parent.mkdir()
    export_return(filled, REGION, PERIOD, "kk", source)
    out = tmp_path / "lo out"
    out.mkdir()
    profile = (tmp_path / "lo-profile").as_uri()
    subprocess.run(["soffice", f"-env:UserInstallation={profile}", "--headless",
                    "--convert-to", "xlsx", "--outdir", str(out), str(source)],
                   check=True, capture_output=True, timeout=180)
    converted = out / source.name
    assert converted.exists()
    plan = plan_of(filled, converted)
    assert plan.ok, [e.message("en") for e in plan.errors]
    assert plan.nothing_to_change


def test_cli_imports_files_and_folders_with_summary(filled: sqlite3.Connection, db_path: Path,
                                                    tmp_path: Path,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "Входящие файлы"
    folder.mkdir()
    good = export_return(filled, REGION, PERIOD, "ru", folder / "a good.xlsx")
    edit(good, "ru", {"actions": [(4, "progress_note", "Из папки")]})
    (folder / "b bad.xlsx").write_text("a;b;c\n1;2;3\n", encoding="utf-8")
    args = ["import", "--db", str(db_path), str(folder)]
    assert main([*args, "--dry-run"]) == 1
    out = capsys.readouterr().out
    assert "a good.xlsx" in out and "b bad.xlsx" in out
    assert filled.execute("SELECT COUNT(*) FROM action_report WHERE action_no = 4").fetchone()[0] == 0
    assert main([*args, "--json"]) == 1
    results = json.loads(capsys.readouterr().out)
    assert [(Path(r["file"]).name, r["result"]) for r in results] == [
        ("a good.xlsx", "applied"), ("b bad.xlsx", "refused")]
    assert main(["import", "--db", str(db_path), str(good)]) == 0
    assert tr("xlsx.result.unchanged", "ru") in capsys.readouterr().out


def test_apply_refused_when_database_changed_after_preview(filled: sqlite3.Connection,
                                                           tmp_path: Path) -> None:
    path = export_return(filled, REGION, PERIOD, "ru", tmp_path / "r.xlsx")
    edit(path, "ru", {"actions": [(2, "progress_note", "из файла")]})
    plan = plan_of(filled, path)
    update_action(filled, REGION, PERIOD, 9, UI, progress_note="тем временем")
    before = dump(filled)
    with pytest.raises(PlanMonitorError) as changed:
        apply_import(filled, plan, "u")
    assert changed.value.key == "xlsx.changed_since_preview"
    assert dump(filled) == before


def test_fast_and_careful_readers_agree(filled: sqlite3.Connection, center_db: sqlite3.Connection,
                                        tmp_path: Path) -> None:
    """An untouched export is read column by column; a blank row sends a sheet to the row-by-row
    reader. Both give the same plan."""
    clean = export_return(filled, REGION, PERIOD, "ru", tmp_path / "clean.xlsx")
    careful = tmp_path / "careful.xlsx"
    book = openpyxl.load_workbook(clean)
    for data_key in ("actions", "gender", "indicators"):
        book[tr(f"xlsx.sheet.{data_key}", "ru")].insert_rows(4)
    book.save(careful)
    first, second = plan_of(center_db, clean), plan_of(center_db, careful)
    assert second.signature.state == "altered"  # re-saved by openpyxl: formulas lose values
    lift(second, accept_unsigned=True)
    assert first.ok and second.ok
    assert sorted(first.all_changes()) == sorted(second.all_changes()) and first.added_count
    assert first.unchanged == second.unchanged
