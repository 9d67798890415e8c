"""Schema v7 on a real workbook made before it: «Не начато» is kept where the audit trail shows a
person or a file set it, emptied (audited) where nobody did; the rows, their indexes and search
triggers survive the table's rebuild."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from db import schema
from db.connection import open_database, schema_version
from db.history import RowHistory
from db.workbook import init_database
from tests.conftest import PERIOD, REGION

NOW = "2026-11-01T10:00:00"


def _operation(conn: sqlite3.Connection, source: str, file_name: str | None = None) -> int:
    return conn.execute("INSERT INTO operation(at, user, source, file_name) VALUES (?, 'u', ?, ?)",
                        (NOW, source, file_name)).lastrowid


def _row(conn: sqlite3.Connection, no: int, status: str, note: str = "", revision: int = 1,
         created_op: int | None = None) -> None:
    conn.execute("INSERT OR IGNORE INTO period(code, kind, year, start_date, end_date) "
                 "VALUES (?, 'quarter', 2026, '2026-07-01', '2026-09-30')", (PERIOD,))
    conn.execute("INSERT INTO action_report(region_code, period_code, action_no, status, "
                 "progress_note, revision, updated_at, updated_by, created_op) "
                 "VALUES (?, ?, ?, ?, ?, ?, ?, 'u', ?)",
                 (REGION, PERIOD, no, status, note, revision, NOW, created_op))


def _audit(conn: sqlite3.Connection, op: int, no: int, field: str, old: str | None,
           new: str) -> None:
    conn.execute("INSERT INTO audit(op_id, tbl, key, field, old_value, new_value) "
                 "VALUES (?, 'action_report', ?, ?, ?, ?)", (op, f"{REGION}|{PERIOD}|{no}",
                                                             field, old, new))


@pytest.fixture
def old_workbook(db_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A workbook at the version before v7, with statuses set every way there was."""
    before = tuple(m for m in schema.MIGRATIONS if m.version < 7)
    monkeypatch.setattr(schema, "MIGRATIONS", before)
    monkeypatch.setattr(schema, "SCHEMA_VERSION", before[-1].version)
    init_database(db_path, mode="region", region_code=REGION, user_name="u")
    conn = open_database(db_path)
    with conn:
        person = _operation(conn, "ui")
        _row(conn, 1, "not_started")  # a person chose «Не начато»
        _audit(conn, person, 1, "status", None, "not_started")
        _row(conn, 2, "not_started", "Заметка")  # a note typed: the status nobody gave
        _audit(conn, person, 2, "progress_note", None, "Заметка")
        _row(conn, 3, "in_progress", revision=2)  # chosen, then «В работе»
        _audit(conn, person, 3, "status", None, "not_started")
        _audit(conn, _operation(conn, "ui"), 3, "status", "not_started", "in_progress")
        file_op = _operation(conn, "import", "ret.xlsx")  # a file moved it back
        _row(conn, 4, "not_started", revision=2)
        _audit(conn, person, 4, "status", None, "in_progress")
        _audit(conn, file_op, 4, "status", "in_progress", "not_started")
        bulk = _operation(conn, "import", "center.xlsx")  # added in bulk from a file
        _row(conn, 5, "not_started", "Из файла", created_op=bulk)
        conn.execute("INSERT INTO audit(op_id, tbl, key, field, old_value, new_value) VALUES "
                     "(?, 'action_report', ?, 'rows_added', NULL, '1')",
                     (bulk, f"{REGION}|{PERIOD}|*"))
    triggers = sorted(r[0] for r in conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'action_report'"))
    assert triggers, "the search index's triggers on action_report"
    conn.close()
    monkeypatch.undo()
    return db_path


def test_v7_keeps_not_started_only_where_someone_set_it(old_workbook: Path) -> None:
    conn = open_database(old_workbook)
    assert schema_version(conn) == schema.SCHEMA_VERSION
    statuses = dict(conn.execute("SELECT action_no, status FROM action_report"))
    assert statuses == {1: "not_started", 2: "", 3: "in_progress", 4: "not_started", 5: ""}
    audited = conn.execute(
        "SELECT a.key, a.old_value, a.new_value, o.source, o.description FROM audit a "
        "JOIN operation o ON o.id = a.op_id WHERE a.field = 'status' AND a.new_value = ''"
    ).fetchall()
    assert sorted(r[0] for r in audited) == [f"{REGION}|{PERIOD}|2", f"{REGION}|{PERIOD}|5"]
    assert {(r[1], r[3]) for r in audited} == {("not_started", "seed")}
    revisions = dict(conn.execute("SELECT action_no, revision FROM action_report"))
    assert revisions == {1: 1, 2: 2, 3: 2, 4: 2, 5: 2}, "an audited change is a new revision"
    history = RowHistory(conn)
    key = (REGION, PERIOD, 2)
    assert history.value_at("action_report", key, "status", 2) == ""
    conn.close()


def test_v7_rebuilds_the_table_with_its_triggers_and_a_default_of_no_answer(
        old_workbook: Path) -> None:
    conn = open_database(old_workbook)
    triggers = conn.execute("SELECT COUNT(*) FROM sqlite_master WHERE type = 'trigger' AND "
                            "tbl_name = 'action_report'").fetchone()[0]
    assert triggers > 0
    conn.execute("INSERT INTO action_report(region_code, period_code, action_no, progress_note, "
                 "updated_at) VALUES (?, ?, 6, 'Новое мероприятие', ?)", (REGION, PERIOD, NOW))
    assert conn.execute("SELECT status FROM action_report WHERE action_no = 6").fetchone()[0] == ""
    found = conn.execute("SELECT COUNT(*) FROM search_doc d JOIN search_text t ON t.id = "
                         "d.text_id WHERE t.body = 'Новое мероприятие'").fetchone()[0]
    assert found == 1, "the rebuilt table still feeds the search index"
    with pytest.raises(sqlite3.IntegrityError):
        conn.execute("UPDATE action_report SET status = 'started' WHERE action_no = 6")
    conn.rollback()
    conn.close()
