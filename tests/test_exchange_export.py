"""Export of exchange workbooks: a return, a template and the catalog, read back from real files."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import openpyxl
import pytest
from python_calamine import CalamineWorkbook

from db import queries
from db.audit import OpInfo
from db.errors import PlanMonitorError
from db.ops import update_action, update_gender, update_indicator
from exports.xlsx_common import FORMAT, META_SHEET, meta_from_rows
from exports.xlsx_export import export_catalog, export_return
from planmonitor.cli import main
from resources import formatting
from resources.words import tr
from tests.conftest import PERIOD, REGION

INFO = OpInfo(user="Айгерім", source="cli")


def fill_some(conn: sqlite3.Connection) -> None:
    update_action(conn, REGION, PERIOD, 3, INFO, status="in_progress",
                  progress_note="=СУММ(1;2) — это текст, не формула")
    update_gender(conn, REGION, PERIOD, "akim_deputies", INFO, women=4, total=10)
    update_indicator(conn, REGION, PERIOD, "IND-01", "total", INFO, value=12.5)


def read_meta(path: Path) -> dict[str, str]:
    book = CalamineWorkbook.from_path(str(path))
    return meta_from_rows(book.get_sheet_by_name(META_SHEET).to_python())


def test_return_has_contract_meta_keys_and_values(region_db: sqlite3.Connection,
                                                   tmp_path: Path) -> None:
    fill_some(region_db)
    path = export_return(region_db, REGION, PERIOD, "ru", tmp_path / "отчёт КЗ 75.xlsx")
    meta = read_meta(path)
    assert meta["format"] == FORMAT and meta["format_version"] == "1"
    assert (meta["kind"], meta["source"], meta["region"], meta["period"]) == (
        "return", REGION, REGION, PERIOD)
    assert meta["sheet.actions"] == tr("xlsx.sheet.actions", "ru")
    book = openpyxl.load_workbook(path)
    actions = book[meta["sheet.actions"]]
    keys = [c.value for c in actions[1]]
    assert {"action_no", "status", "progress_note", "evidence", "revision"} <= set(keys)
    row = next(r for r in actions.iter_rows(min_row=3) if r[0].value == 3)
    by_key = dict(zip(keys, row, strict=False))
    assert by_key["status"].value == tr("status.in_progress", "ru")
    note = by_key["progress_note"]
    assert note.data_type == "s" and note.value.startswith("=СУММ")
    assert by_key["revision"].value == 1
    assert actions.freeze_panes == "D3"  # the number, section and name stay in view
    assert actions.protection.sheet is True
    assert by_key["status"].protection.locked is False
    assert by_key["action_no"].protection.locked is not False
    lists = [dv for dv in actions.data_validations.dataValidation if dv.type == "list"]
    assert lists and tr("status.completed", "ru") in lists[0].formula1
    assert book[META_SHEET].sheet_state == "hidden"
    assert actions.row_dimensions[1].hidden


def test_gender_share_is_a_formula(region_db: sqlite3.Connection, tmp_path: Path) -> None:
    fill_some(region_db)
    path = export_return(region_db, REGION, PERIOD, "kk", tmp_path / "r.xlsx")
    sheet = openpyxl.load_workbook(path)[tr("xlsx.sheet.gender", "kk")]
    keys = [c.value for c in sheet[1]]
    share = sheet.cell(row=3, column=keys.index("share") + 1)
    assert share.data_type == "f" and "/" in share.value
    cached = CalamineWorkbook.from_path(str(path)).get_sheet_by_name(
        tr("xlsx.sheet.gender", "kk")).to_python()[2][keys.index("share")]
    assert cached == pytest.approx(0.4)


def test_template_is_empty_at_revision_zero(region_db: sqlite3.Connection,
                                            tmp_path: Path) -> None:
    fill_some(region_db)
    path = export_return(region_db, REGION, PERIOD, "en", tmp_path / "t.xlsx", template=True)
    rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_name("Actions").to_python()
    keys = rows[0]
    data = rows[2:]
    assert len(data) == region_db.execute("SELECT COUNT(*) FROM action").fetchone()[0]
    assert {r[keys.index("status")] for r in data} == {""}
    assert {r[keys.index("revision")] for r in data} == {0}


def test_indicator_sheet_matches_the_grid_row_for_row(region_db: sqlite3.Connection,
                                                      tmp_path: Path) -> None:
    """The export formats each indicator's text once and reuses it for its breakdowns: every row
    must still carry its own indicator's text, in the grid's order."""
    fill_some(region_db)
    update_indicator(region_db, REGION, PERIOD, "IND-02", "total", INFO, value=3, note="+7 @x",
                     source="=A1")
    path = export_return(region_db, REGION, PERIOD, "kk", tmp_path / "r.xlsx")
    rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_name(
        tr("xlsx.sheet.indicators", "kk")).to_python()
    keys = rows[0]
    got = [dict(zip(keys, r, strict=True)) for r in rows[2:]]
    grid = queries.indicator_rows(region_db, REGION, PERIOD, "kk")
    assert len(got) == len(grid) and len({g.code for g in grid}) > 1
    for row, g in zip(got, grid, strict=True):
        assert (row["indicator"], row["indicator_name"], row["disaggregation"],
                row["disaggregation_name"], row["unit"]) == (
            g.code, g.name, g.disaggregation_code, g.disaggregation, tr(f"unit.{g.unit}", "kk"))
        assert str(row["baseline"]).startswith(  # the file language's decimal mark (issue 22)
            "" if g.baseline_value is None else formatting.number(g.baseline_value, "kk", 6))
        assert (row["value"] if row["value"] != "" else None, row["note"], row["source"],
                row["revision"]) == (g.value, g.note, g.source, g.revision)
    book = openpyxl.load_workbook(path)
    sheet = book[tr("xlsx.sheet.indicators", "kk")]
    note_col = keys.index("note") + 1
    typed = [sheet.cell(row=i + 3, column=note_col) for i, r in enumerate(got)
             if r["note"] == "+7 @x"]
    assert typed and typed[0].data_type == "s"  # text a person typed stays text


def test_catalog_export_is_center_only(region_db: sqlite3.Connection,
                                       center_db: sqlite3.Connection, tmp_path: Path) -> None:
    with pytest.raises(PlanMonitorError) as refused:
        export_catalog(region_db, "ru", tmp_path / "c.xlsx")
    assert refused.value.key == "xlsx.catalog_center_only"
    path = export_catalog(center_db, "ru", tmp_path / "c.xlsx")
    meta = read_meta(path)
    assert meta["kind"] == "catalog" and meta["source"] == "center"
    book = CalamineWorkbook.from_path(str(path))
    actions = book.get_sheet_by_name(meta["sheet.action"]).to_python()
    assert "name_kk" in actions[0]
    assert len(actions) - 2 == center_db.execute("SELECT COUNT(*) FROM action").fetchone()[0]


def test_cancelled_export_leaves_no_file(region_db: sqlite3.Connection, tmp_path: Path) -> None:
    target = tmp_path / "r.xlsx"
    with pytest.raises(PlanMonitorError):
        export_return(region_db, REGION, PERIOD, "ru", target, progress=lambda done, total: False)
    assert list(tmp_path.glob("r.xlsx*")) == []


def test_export_is_logged(region_db: sqlite3.Connection, tmp_path: Path) -> None:
    path = export_return(region_db, REGION, PERIOD, "ru", tmp_path / "r.xlsx")
    row = region_db.execute("SELECT * FROM exchange_log WHERE direction = 'export'").fetchone()
    assert (row["kind"], row["region_code"], row["period_code"], row["file_name"]) == (
        "return", REGION, PERIOD, path.name)
    assert row["package_id"] == read_meta(path)["package_id"]


def test_cli_export_to_path_with_spaces_and_cyrillic(region_db: sqlite3.Connection,
                                                     db_path: Path, tmp_path: Path,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "Мои документы"
    folder.mkdir()
    target = folder / "Есеп 2026-Q3.xlsx"
    code = main(["export", "return", "--db", str(db_path), "--period", PERIOD, "-o",
                 str(target)])
    assert code == 0 and target.exists()
    assert str(target) in capsys.readouterr().out
    code = main(["export", "return", "--db", str(db_path), "--period", PERIOD,
                 "--region", "KZ-11", "-o", str(folder / "x.xlsx")])
    assert code == 1 and not (folder / "x.xlsx").exists()
