"""Sheets are read on a worker thread (exports.importer.SheetPrefetch), and in a batch the next
file is read while the previous one is applied: results, messages and refusals stay those of a
plain read, file by file."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import openpyxl

from db.audit import OpInfo
from db.office import load_office
from db.ops import update_indicator
from exports.importer import SheetPrefetch, import_many
from exports.xlsx_export import export_return
from resources.words import tr
from tests.conftest import PERIOD, REGION, dump
from tests.test_exchange_hostile import BILLION_LAUGHS, rewrite_zip


def _return_with(region_db: sqlite3.Connection, value: float, path: Path) -> Path:
    update_indicator(region_db, REGION, PERIOD, "IND-01", "total", OpInfo("u"), value=value)
    return export_return(region_db, REGION, PERIOD, "ru", path)


def test_a_batch_reads_ahead_and_keeps_each_files_result(region_db: sqlite3.Connection,
                                                         center_db: sqlite3.Connection,
                                                         tmp_path: Path) -> None:
    first = _return_with(region_db, 10.0, tmp_path / "first.xlsx")
    broken = tmp_path / "broken.xlsx"
    broken.write_text("region;value\nKZ-75;1\n", encoding="utf-8")  # a CSV renamed
    truncated = tmp_path / "truncated.xlsx"
    truncated.write_bytes(first.read_bytes()[:4000])
    again = shutil.copy(first, tmp_path / "again.xlsx")
    bomb = rewrite_zip(first, tmp_path / "bomb.xlsx", {"xl/workbook.xml": BILLION_LAUGHS + b"<a/>"})
    second = _return_with(region_db, 12.5, tmp_path / "second.xlsx")

    outcomes = import_many(center_db, [first, broken, truncated, bomb, Path(again), second],
                           load_office(center_db), lang="en")
    assert [o.result for o in outcomes] == ["applied", "refused", "refused", "refused",
                                            "unchanged", "applied"]
    for outcome, name in zip(outcomes[1:4], ("broken", "truncated", "bomb"), strict=True):
        assert f"{name}.xlsx" in outcome.message
    assert tr("xlsx.xml_dtd", "en", file="bomb.xlsx", part="xl/workbook.xml") == \
        outcomes[3].message
    assert center_db.execute(
        "SELECT value FROM indicator_value WHERE region_code = ? AND period_code = ? "
        "AND indicator_code = 'IND-01' AND disaggregation_code = 'total'",
        (REGION, PERIOD)).fetchone()[0] == 12.5


def test_a_value_far_away_on_a_sheet_of_ones_own_is_the_files_error(
        region_db: sqlite3.Connection, center_db: sqlite3.Connection, tmp_path: Path) -> None:
    """A value typed at column 5000 of a sheet the import never reads is still named as the
    file's error at that cell (the sheet is not parsed: its extent is judged from its XML)."""
    path = _return_with(region_db, 7.0, tmp_path / "with notes.xlsx")
    book = openpyxl.load_workbook(path)
    book.create_sheet("Мои заметки").cell(1, 5000, "x")
    book.save(path)
    sheets = SheetPrefetch(path)
    gender = tr("xlsx.sheet.gender", "ru")
    assert len(sheets.rows(gender)) == len(openpyxl.load_workbook(path)[gender]["A"])
    before = dump(center_db)
    outcome = import_many(center_db, [path], load_office(center_db), lang="en")[0]
    assert outcome.result == "refused"
    assert [(e.sheet, e.row, e.column, e.key) for e in outcome.plan.errors] == [
        ("Мои заметки", 1, "GJH", "xlsx.outside_form")]
    assert dump(center_db) == before
