"""Every kind of change is one transaction, audited, and bumps the row's revision."""

import sqlite3
from pathlib import Path

import pytest

from db.audit import OpInfo
from db.ops import (
    add_attachment,
    attachment_content,
    remove_attachment,
    update_action,
    update_gender,
    update_indicator,
)
from tests.conftest import PERIOD, REGION

UI = OpInfo(user="Айгерім", source="ui")


def audit_rows(conn: sqlite3.Connection) -> list[tuple]:
    return [tuple(r) for r in conn.execute(
        "SELECT o.user, o.source, a.tbl, a.key, a.field, a.old_value, a.new_value "
        "FROM audit a JOIN operation o ON o.id = a.op_id ORDER BY a.id")]


def revision(conn: sqlite3.Connection, table: str, where: str) -> int:
    return conn.execute(f"SELECT revision FROM {table} WHERE {where}").fetchone()[0]


def test_action_change_audited_with_revisions(region_db: sqlite3.Connection) -> None:
    before = len(audit_rows(region_db))
    changes = update_action(region_db, REGION, PERIOD, 7, UI, status="in_progress",
                            progress_note="Жоспар бекітілді")
    assert {c.field for c in changes.changes} == {"status", "progress_note"}
    assert changes.tables == {"action_report"}
    assert revision(region_db, "action_report", "action_no = 7") == 1
    update_action(region_db, REGION, PERIOD, 7, UI, status="completed")
    assert revision(region_db, "action_report", "action_no = 7") == 2
    rows = audit_rows(region_db)[before:]
    assert ("Айгерім", "ui", "action_report", f"{REGION}|{PERIOD}|7", "status", "",
            "in_progress") in rows
    assert ("Айгерім", "ui", "action_report", f"{REGION}|{PERIOD}|7", "status", "in_progress",
            "completed") in rows
    # the same value again is no change: no audit row, no revision bump
    assert not update_action(region_db, REGION, PERIOD, 7, UI, status="completed")
    assert revision(region_db, "action_report", "action_no = 7") == 2
    assert len(audit_rows(region_db)) == before + 3


def test_gender_and_indicator_changes_audited(region_db: sqlite3.Connection) -> None:
    body = region_db.execute("SELECT code FROM gender_body LIMIT 1").fetchone()[0]
    update_gender(region_db, REGION, PERIOD, body, UI, women=3, total=10)
    update_gender(region_db, REGION, PERIOD, body, UI, women=4)
    assert revision(region_db, "gender_figure", f"body_code = '{body}'") == 2
    code, d = region_db.execute("SELECT indicator_code, disaggregation_code FROM "
                                "indicator_disaggregation LIMIT 1").fetchone()
    update_indicator(region_db, REGION, PERIOD, code, d, UI, value=1.0, note="БНС")
    fields = [(r[2], r[4], r[5], r[6]) for r in audit_rows(region_db)]
    assert ("gender_figure", "women", "3", "4") in fields
    assert ("indicator_value", "value", None, "1") in fields
    assert ("indicator_value", "note", "", "БНС") in fields


def test_attachments_stored_with_hash_and_audited(region_db: sqlite3.Connection,
                                                  tmp_path: Path) -> None:
    doc = tmp_path / "Хаттама № 5.pdf"
    doc.write_bytes(b"%PDF-1.4 minutes")
    result = update_action(region_db, REGION, PERIOD, 3, UI, status="in_progress")
    assert result
    added = add_attachment(region_db, REGION, PERIOD, 3, doc, UI)
    attachment_id = added.changes[0].key[3]
    name, content = attachment_content(region_db, attachment_id)
    assert (name, content) == ("Хаттама № 5.pdf", b"%PDF-1.4 minutes")
    row = region_db.execute("SELECT size, sha256 FROM attachment").fetchone()
    assert row[0] == 16 and len(row[1]) == 64
    remove_attachment(region_db, attachment_id, UI)
    assert region_db.execute("SELECT COUNT(*) FROM attachment").fetchone()[0] == 0
    fields = [(r[2], r[5] is None, r[6] is None) for r in audit_rows(region_db) if r[2] == "attachment"]
    assert fields == [("attachment", True, False), ("attachment", False, True)]


def test_batch_is_all_or_nothing(region_db: sqlite3.Connection) -> None:
    from db.errors import ValidationFailed
    from db.ops import RowWrite, apply_writes

    body = region_db.execute("SELECT code FROM gender_body LIMIT 1").fetchone()[0]
    before = list(region_db.iterdump())
    with pytest.raises(ValidationFailed):
        apply_writes(region_db, [
            RowWrite("action_report", (REGION, PERIOD, 1), {"status": "completed"}),
            RowWrite("gender_figure", (REGION, PERIOD, body), {"women": 9, "total": 3}),
        ], UI)
    assert list(region_db.iterdump()) == before


def test_accepted_period_is_locked(region_db: sqlite3.Connection) -> None:
    from db.errors import PeriodLocked

    region_db.execute("INSERT INTO period(code, kind, year, start_date, end_date) VALUES "
                      "('2026-Q3', 'quarter', 2026, '2026-07-01', '2026-09-30')")
    region_db.execute("INSERT INTO review(region_code, period_code, state, updated_at) VALUES "
                      "(?, ?, 'accepted', '2026-10-10T10:00:00')", (REGION, PERIOD))
    with pytest.raises(PeriodLocked) as err:
        update_action(region_db, REGION, PERIOD, 1, UI, status="completed")
    assert "принят" in err.value.message("ru")
