"""Migrations on real SQLite files."""

import sqlite3
from pathlib import Path

import pytest

from db import schema
from db.backup import list_backups
from db.connection import connect, migrate, open_database, schema_version
from db.errors import SchemaTooNew, UnreadableFile
from db.workbook import init_database


def test_empty_file_migrates_to_current_version(db_path: Path) -> None:
    conn = open_database(db_path)
    assert schema_version(conn) == schema.SCHEMA_VERSION
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert {"action", "action_report", "gender_figure", "indicator_value", "audit"} <= tables
    assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    conn.close()


def test_running_migrations_again_changes_nothing(db_path: Path) -> None:
    open_database(db_path).close()
    conn = connect(db_path)
    before = list(conn.iterdump())
    assert migrate(conn, db_path) == []
    assert list(conn.iterdump()) == before
    conn.close()


def test_failing_migration_leaves_file_intact_and_backed_up(
        db_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    init_database(db_path, mode="region", region_code="KZ-75", user_name="u")
    conn = connect(db_path)
    before = list(conn.iterdump())
    conn.close()
    current = schema.SCHEMA_VERSION

    def broken(c: sqlite3.Connection) -> None:
        c.execute("ALTER TABLE action_report ADD COLUMN extra TEXT")
        c.execute("INSERT INTO no_such_table VALUES (1)")

    monkeypatch.setattr(schema, "MIGRATIONS", (*schema.MIGRATIONS,
                                               schema.Migration(99, "broken", broken)))
    monkeypatch.setattr(schema, "SCHEMA_VERSION", 99)
    with pytest.raises(sqlite3.OperationalError):
        open_database(db_path)
    conn = connect(db_path)
    assert schema_version(conn) == current
    assert list(conn.iterdump()) == before
    conn.close()
    backups = list_backups(db_path)
    assert len(backups) == 1 and f"before-migration-v{current}" in backups[0].path.name


def test_newer_schema_is_refused_with_clear_message(db_path: Path) -> None:
    open_database(db_path).close()
    raw = sqlite3.connect(db_path)
    raw.execute("PRAGMA user_version = 42")
    raw.close()
    with pytest.raises(SchemaTooNew) as err:
        open_database(db_path)
    assert "42" in err.value.message("en") and "newer" in err.value.message("en")
    assert "новой версией" in err.value.message("ru")


def test_non_database_file_is_refused(tmp_path: Path) -> None:
    bogus = tmp_path / "notes.sqlite3"
    bogus.write_text("this is a text file", encoding="utf-8")
    with pytest.raises(UnreadableFile) as err:
        open_database(bogus)
    assert str(bogus) in err.value.message("en")
    assert bogus.read_text(encoding="utf-8") == "this is a text file"


def test_upgrade_keeps_data_and_takes_backup_first(db_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    from db.audit import OpInfo
    from db.ops import update_action

    init_database(db_path, mode="region", region_code="KZ-75", user_name="u")
    conn = open_database(db_path)
    update_action(conn, "KZ-75", "2026-Q3", 4, OpInfo(user="u"), status="completed",
                  progress_note="Сделано")
    conn.close()

    def add_column(c: sqlite3.Connection) -> None:
        c.execute("ALTER TABLE action_report ADD COLUMN reviewed_by TEXT NOT NULL DEFAULT ''")

    current = schema.SCHEMA_VERSION
    monkeypatch.setattr(schema, "MIGRATIONS", (*schema.MIGRATIONS,
                                               schema.Migration(current + 1, "reviewer",
                                                                add_column)))
    monkeypatch.setattr(schema, "SCHEMA_VERSION", current + 1)
    conn = open_database(db_path)
    row = conn.execute("SELECT status, progress_note, revision, reviewed_by FROM action_report "
                       "WHERE action_no = 4").fetchone()
    assert tuple(row) == ("completed", "Сделано", 1, "")
    assert schema_version(conn) == current + 1
    conn.close()
    backup = list_backups(db_path)[0].path
    old = sqlite3.connect(backup)
    assert old.execute("PRAGMA user_version").fetchone()[0] == current
    assert old.execute("SELECT status FROM action_report WHERE action_no = 4").fetchone()[0] == "completed"
    old.close()


def test_a_version_1_workbook_upgrades_with_its_data_and_history(
        db_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A workbook made by the first release (schema 1) opens in this one: every figure and
    audit row kept, its rows marked as audited field by field (created_op NULL), and their
    history read as before."""
    from db.audit import OpInfo
    from db.history import RowHistory
    from db.ops import update_gender, update_indicator

    monkeypatch.setattr(schema, "MIGRATIONS", schema.MIGRATIONS[:1])
    monkeypatch.setattr(schema, "SCHEMA_VERSION", 1)
    init_database(db_path, mode="region", region_code="KZ-75", user_name="u")
    conn = open_database(db_path)
    key = ("KZ-75", "2026-Q3", "IND-01", "total")
    update_indicator(conn, *key, OpInfo(user="u"), value=12.5, note="Первое")
    update_indicator(conn, *key, OpInfo(user="u"), value=13.0)
    body = conn.execute("SELECT code FROM gender_body ORDER BY code").fetchone()[0]
    update_gender(conn, "KZ-75", "2026-Q3", body, OpInfo(user="u"), women=3, total=10)
    tables = ("indicator_value", "gender_figure", "audit", "operation")
    before = {t: [tuple(r) for r in conn.execute(f"SELECT * FROM {t} ORDER BY 1, 2")]
              for t in tables}
    conn.close()
    monkeypatch.undo()

    conn = open_database(db_path)
    assert schema_version(conn) == schema.SCHEMA_VERSION
    after = {t: [tuple(r) for r in conn.execute(f"SELECT * FROM {t} ORDER BY 1, 2")]
             for t in tables}
    assert after["audit"] == before["audit"] and after["operation"] == before["operation"]
    for table in ("indicator_value", "gender_figure"):
        width = len(before[table][0])
        assert [row[:width] for row in after[table]] == before[table]
        # the columns added since (created_op, what was received) are empty for such rows
        assert {row[width:] for row in after[table]} == {(None,) * (len(after[table][0]) - width)}
    history = RowHistory(conn)
    assert history.value_at("indicator_value", key, "value", 1) == 12.5
    assert history.value_at("indicator_value", key, "value", 2) == 13.0
    assert history.value_at("indicator_value", key, "note", 2) == "Первое"
    conn.close()
    assert "before-migration-v1" in list_backups(db_path)[0].path.name


def test_a_backup_from_version_1_is_restored_and_upgraded(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A backup made by the first release is restored into today's workbook and brought up to
    date at once (the import path writes created_op, which version 1 has not got)."""
    from db.audit import OpInfo
    from db.ops import update_action
    from db.workbook import restore_database

    old_path = tmp_path / "old" / "workbook.sqlite3"
    monkeypatch.setattr(schema, "MIGRATIONS", schema.MIGRATIONS[:1])
    monkeypatch.setattr(schema, "SCHEMA_VERSION", 1)
    init_database(old_path, mode="region", region_code="KZ-75", user_name="u")
    conn = open_database(old_path)
    update_action(conn, "KZ-75", "2026-Q3", 4, OpInfo(user="u"), status="completed")
    conn.close()
    monkeypatch.undo()

    live = tmp_path / "live" / "workbook.sqlite3"
    init_database(live, mode="region", region_code="KZ-75", user_name="u")
    restore_database(live, old_path)
    conn = open_database(live)
    assert schema_version(conn) == schema.SCHEMA_VERSION
    assert conn.execute("SELECT status, created_op FROM action_report WHERE action_no = 4"
                        ).fetchone()[:] == ("completed", None)
    conn.close()
