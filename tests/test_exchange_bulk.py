"""db.ops.apply_writes, the one write path: many writes at once (an import, set-based, with the
rows it adds inserted by db.bulk) land as the same writes one by one (a UI edit) would."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from db.audit import Change, OpInfo
from db.backup import backup_to
from db.errors import ValidationFailed
from db.history import RowHistory
from db.ops import RowWrite, apply_writes, update_action, update_indicator
from db.tables import REGIONAL
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
    """Every regional row's key, fields, revision and author (not when, nor which operation)."""
    out = []
    for table, spec in REGIONAL.items():
        cols = ", ".join((*spec.keys, *spec.fields, "revision", "updated_by"))
        out += [tuple(r) for r in conn.execute(f"SELECT {cols} FROM {table} ORDER BY 1, 2, 3")]
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
    one = [change for write in WRITES for change in apply_writes(region_db, [write], INFO).changes]
    bulk = apply_writes(copy, WRITES, INFO)
    assert sorted(map(repr, one)) == sorted(map(repr, bulk.changes))
    assert table_rows(region_db) == table_rows(copy)
    assert audit_rows(region_db) == audit_rows(copy)
    copy.close()


def test_bulk_refuses_all_when_one_row_breaks_a_rule(region_db: sqlite3.Connection) -> None:
    before = dump(region_db)
    bad = [*WRITES, RowWrite("gender_figure", (REGION, PERIOD, "akimat_dept_heads"),
                             {"women": 5, "total": 2})]
    with pytest.raises(ValidationFailed) as failed:
        apply_writes(region_db, bad, INFO)
    assert [p.key for p in failed.value.problems] == ["validation.women_over_total"]
    assert dump(region_db) == before


NEW_ROWS = {
    "action_report": [(REGION, PERIOD, 3, "in_progress", "Начато", "", "")],
    "gender_figure": [(REGION, PERIOD, "akim_deputies", 2, 7, "")],
    "indicator_value": [(REGION, PERIOD, "IND-01", "total", 12.5, "", "Стат. комитет")],
}
NOTHING_RECEIVED = (None, None, None)  # a file of this office's own: no sender to remember


def own(rows: dict[str, list[tuple]]) -> dict[str, list[tuple]]:
    """Rows `(*key, *fields)` in the shape new rows take: with what was received."""
    return {table: [row + NOTHING_RECEIVED for row in table_rows_]
            for table, table_rows_ in rows.items()}


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
    bulk = apply_writes(copy, [], INFO, new_rows=own(NEW_ROWS))
    assert sorted(map(repr, one.changes)) == sorted(map(repr, _changes_of(NEW_ROWS)))
    assert bulk.op_id is not None and bulk.changes == []  # the importer lists added values
    assert table_rows(region_db) == table_rows(copy)
    # one audit entry per table for the rows added in bulk, each row naming its operation
    added = [tuple(r) for r in copy.execute("SELECT tbl, key, field, old_value, new_value "
                                            "FROM audit WHERE op_id = ? ORDER BY id",
                                            (bulk.op_id,))]
    assert added == [(table, f"{REGION}|{PERIOD}|*", "rows_added", None, "1")
                     for table in NEW_ROWS]
    for table in REGIONAL:
        assert {r[0] for r in copy.execute(f"SELECT created_op FROM {table}")} <= {None,
                                                                                    bulk.op_id}
        assert copy.execute(f"SELECT count(*) FROM {table} WHERE created_op = ?",
                            (bulk.op_id,)).fetchone()[0] == len(NEW_ROWS[table])
    # and the history of every field reads the same either way
    for table, rows in NEW_ROWS.items():
        for row in rows:
            key = row[:len(REGIONAL[table].keys)]
            for name in REGIONAL[table].fields:
                assert RowHistory(copy).value_at(table, key, name, 1) == RowHistory(
                    region_db).value_at(table, key, name, 1), (table, key, name)
    copy.close()


def test_history_of_a_row_added_in_bulk_then_edited(region_db: sqlite3.Connection) -> None:
    """The first values of a row added in bulk are not in `audit`; after a later edit its
    history still gives them, from the old value that edit's audit entry kept."""
    key = (REGION, PERIOD, "IND-01", "total")
    row = (*key, 12.5, "first note", "Стат. комитет")
    apply_writes(region_db, [], INFO, new_rows=own({"indicator_value": [row]}))
    update_indicator(region_db, *key, OpInfo("u", "ui"), value=14.0)
    update_indicator(region_db, *key, OpInfo("u", "ui"), note="second note")
    history = RowHistory(region_db)
    assert [history.value_at("indicator_value", key, "value", r) for r in (1, 2, 3)] == \
        [12.5, 14.0, 14.0]
    assert [history.value_at("indicator_value", key, "note", r) for r in (1, 2, 3)] == \
        ["first note", "first note", "second note"]
    assert history.value_at("indicator_value", key, "source", 1) == "Стат. комитет"


@pytest.mark.parametrize("user", ["Д'Артаньян'); DROP TABLE audit; --", "nul\x00name"])
def test_rows_added_in_bulk_keep_the_user_name_exactly(region_db: sqlite3.Connection,
                                                      user: str) -> None:
    """The added rows' revision, time, user and operation are bound, never spliced into the
    statement: any name is stored exactly."""
    rows = NEW_ROWS["indicator_value"]
    info = OpInfo(user=user, source="import", file_name="f.xlsx", file_sha256="ab")
    added = {"indicator_value": rows}
    done = apply_writes(region_db, [], info, new_rows=own(added))
    stored = region_db.execute(
        "SELECT revision, updated_by, created_op, updated_at FROM indicator_value "
        "WHERE created_op IS NOT NULL").fetchall()
    at = region_db.execute("SELECT at FROM operation WHERE id = ?", (done.op_id,)).fetchone()[0]
    assert [tuple(r[:3]) for r in stored] == [(1, user, done.op_id)] * len(rows)
    assert {r[3][:16] for r in stored} == {at[:16]}
    assert region_db.execute("SELECT count(*) FROM audit WHERE op_id = ?",
                             (done.op_id,)).fetchone()[0] == 1


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
        apply_writes(region_db, WRITES, INFO, new_rows=own(rows))
    assert [p.key for p in failed.value.problems] == [problem]
    assert dump(region_db) == before
