"""db.ops.apply_writes_bulk (the import's write path) does what apply_writes does."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from db import rules
from db.audit import Change, OpInfo
from db.backup import backup_to
from db.errors import ValidationFailed
from db.ops import (
    REGIONAL,
    RowWrite,
    apply_writes,
    apply_writes_bulk,
    indicator_values_ok,
    update_action,
)
from db.workbook import open_workbook
from tests.conftest import PERIOD, REGION, dump

INFO = OpInfo(user="u", source="import", file_name="f.xlsx", file_sha256="ab")
WRITES = [
    RowWrite("action_report", (REGION, PERIOD, 1), {"status": "completed", "progress_note": "x"}),
    RowWrite("action_report", (REGION, PERIOD, 2), {"progress_note": "=1+1"}),
    RowWrite("gender_figure", (REGION, PERIOD, "akim_deputies"), {"women": 3.0, "total": 9}),
    RowWrite("indicator_value", (REGION, PERIOD, "IND-01", "total"), {"value": 12.5}),
    RowWrite("action_report", (REGION, PERIOD, 5), {"status": "not_started"}),  # no change
]


def table_rows(conn: sqlite3.Connection) -> list[tuple]:
    out = []
    for table in ("action_report", "gender_figure", "indicator_value"):
        out += [tuple(r)[:-2] for r in conn.execute(f"SELECT * FROM {table} ORDER BY 1, 2, 3")]
    return out


def audit_rows(conn: sqlite3.Connection) -> list[tuple]:
    return [tuple(r) for r in conn.execute(
        "SELECT a.tbl, a.key, a.field, a.old_value, a.new_value, o.source, o.file_name "
        "FROM audit a JOIN operation o ON o.id = a.op_id ORDER BY a.tbl, a.key, a.field")]


def test_bulk_matches_row_by_row(region_db: sqlite3.Connection, tmp_path: Path) -> None:
    update_action(region_db, REGION, PERIOD, 1, OpInfo("u", "ui"), progress_note="old")
    copy_path = tmp_path / "copy.sqlite3"
    backup_to(region_db, copy_path)
    copy = open_workbook(copy_path)
    one = apply_writes(region_db, WRITES, INFO)
    bulk = apply_writes_bulk(copy, WRITES, INFO)
    assert sorted(map(repr, one.changes)) == sorted(map(repr, bulk.changes))
    assert table_rows(region_db) == table_rows(copy)
    assert audit_rows(region_db) == audit_rows(copy)
    copy.close()


def test_bulk_refuses_all_when_one_row_breaks_a_rule(region_db: sqlite3.Connection) -> None:
    before = dump(region_db)
    bad = [*WRITES, RowWrite("gender_figure", (REGION, PERIOD, "akimat_dept_heads"),
                             {"women": 5, "total": 2})]
    with pytest.raises(ValidationFailed) as failed:
        apply_writes_bulk(region_db, bad, INFO)
    assert [p.key for p in failed.value.problems] == ["validation.women_over_total"]
    assert dump(region_db) == before


NEW_ROWS = {
    "action_report": [(REGION, PERIOD, 3, "in_progress", "Начато", "", "")],
    "gender_figure": [(REGION, PERIOD, "akim_deputies", 2, 7, "")],
    "indicator_value": [(REGION, PERIOD, "IND-01", "total", 12.5, "", "Стат. комитет")],
}


def _writes_of(rows: dict[str, list[tuple]]) -> list[RowWrite]:
    out = []
    for table, table_rows_ in rows.items():
        spec = REGIONAL[table]
        n = len(spec.keys)
        out += [RowWrite(table, row[:n], dict(zip(spec.fields, row[n:], strict=True)))
                for row in table_rows_]
    return out


def _changes_of(rows: dict[str, list[tuple]]) -> list[Change]:
    out = []
    for table, table_rows_ in rows.items():
        spec = REGIONAL[table]
        n = len(spec.keys)
        out += [Change(table, row[:n], name, spec.defaults[name], value)
                for row in table_rows_ for name, value in zip(spec.fields, row[n:], strict=True)
                if value not in (None, "") and value != spec.defaults[name]]
    return out


def test_new_rows_are_written_and_audited_as_row_writes_are(region_db: sqlite3.Connection,
                                                             tmp_path: Path) -> None:
    copy_path = tmp_path / "copy.sqlite3"
    backup_to(region_db, copy_path)
    copy = open_workbook(copy_path)
    one = apply_writes(region_db, _writes_of(NEW_ROWS), INFO)
    bulk = apply_writes_bulk(copy, [], INFO, new_rows=NEW_ROWS, new_changes=_changes_of(NEW_ROWS))
    assert sorted(map(repr, one.changes)) == sorted(map(repr, bulk.changes))
    assert table_rows(region_db) == table_rows(copy)
    assert audit_rows(region_db) == audit_rows(copy)
    copy.close()


@pytest.mark.parametrize("table, row, problem", [
    ("indicator_value", (REGION, PERIOD, "IND-01", "total", -1.0, "", ""), "validation.negative"),
    ("indicator_value", (REGION, PERIOD, "IND-01", "total", 1.0, 5, ""), "validation.not_text"),
    ("gender_figure", (REGION, PERIOD, "akim_deputies", 8, 7, ""),
     "validation.women_over_total"),
    ("action_report", (REGION, PERIOD, 3, "done", "", "", ""), "validation.bad_status"),
])
def test_new_rows_are_validated_again(region_db: sqlite3.Connection, table: str, row: tuple,
                                      problem: str) -> None:
    before = dump(region_db)
    rows = {**NEW_ROWS, table: [row]}
    with pytest.raises(ValidationFailed) as failed:
        apply_writes_bulk(region_db, WRITES, INFO, new_rows=rows, new_changes=_changes_of(rows))
    assert [p.key for p in failed.value.problems] == [problem]
    assert dump(region_db) == before


VALUES = [0.0, 1.0, 2.0, 0.5, 99.5, 100.0, 100.5, 1e6, 1e6 + 0.25, -0.0, -1.0, -0.5, 1e308,
          float("inf"), float("-inf"), float("nan"), None, 3, True, "5"]


@pytest.mark.parametrize("unit", [*rules.UNITS, "unknown"])
def test_column_value_checks_agree_with_the_rules(unit: str) -> None:
    for value in VALUES:
        expected = rules.validate_indicator_value(unit, value)
        if expected:  # a column check may send a good value row by row, never pass a bad one
            assert not indicator_values_ok([unit], [value]), value
    good = [v for v in VALUES if not rules.validate_indicator_value(unit, v)
            and type(v) is not int]
    bad = [v for v in VALUES if rules.validate_indicator_value(unit, v)]
    assert indicator_values_ok([unit] * len(good), good)
    for value in bad:  # one bad value anywhere in a column of good ones, of mixed units
        column = [*good, value, *good]
        units = [unit] * len(column)
        assert not indicator_values_ok(units, column), value
        assert not indicator_values_ok(["tenge", *units], [1.5, *column]), value
