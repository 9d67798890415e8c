"""The command line on real database files: exit codes, messages, backup and restore."""

import json
import sqlite3
from pathlib import Path

import pytest

from planmonitor.cli import main


def run(capsys: pytest.CaptureFixture, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_init_twice_changes_nothing(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    db = str(tmp_path / "w.sqlite3")
    code, out, _ = run(capsys, "init", "--region", "KZ-75", "--user", "Айгерім", "--db", db, "--lang", "en")
    assert code == 0 and "Created" in out
    before = list(sqlite3.connect(db).iterdump())
    code, out, _ = run(capsys, "init", "--center", "--db", db, "--lang", "en")
    assert code == 0 and "nothing changed" in out
    assert list(sqlite3.connect(db).iterdump()) == before


def test_init_unknown_region_refused(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    code, _, err = run(capsys, "init", "--region", "KZ-99", "--db", str(tmp_path / "x.sqlite3"),
                       "--lang", "kk")
    assert code == 1 and "KZ-99" in err and "өңір" in err


def test_usage_error_exit_2(capsys: pytest.CaptureFixture) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["status", "--no-such-flag"])
    assert exc.value.code == 2


def test_missing_database_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    code, _, err = run(capsys, "status", "--db", str(tmp_path / "none.sqlite3"), "--lang", "en")
    assert code == 2 and "not found" in err


def test_demo_status_json_and_check(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    db = str(tmp_path / "w.sqlite3")
    run(capsys, "init", "--region", "KZ-10", "--db", db)
    code, out, _ = run(capsys, "demo", "--db", db)
    assert code == 0 and "Демонстрационные" in out
    code, out, _ = run(capsys, "status", "--db", db, "--json", "--lang", "kk")
    report = json.loads(out)
    assert report["region_name"] == "Абай облысы"
    assert len(report["sections"]) == 8
    assert sum(report["overall"][s] for s in ("not_started", "in_progress", "completed",
                                              "not_applicable")) == 27
    assert report["overall"]["completed"] > 0
    code, out, _ = run(capsys, "check", "--db", db, "--json")
    assert code == 0 and json.loads(out)["integrity"] == "ok"
    code, out, _ = run(capsys, "status", "--db", db, "--lang", "ru")
    assert code == 0 and "Общий прогресс" in out


def test_backup_restore_round_trip(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    db = str(tmp_path / "w.sqlite3")
    run(capsys, "init", "--region", "KZ-75", "--db", db)
    run(capsys, "demo", "--db", db)
    snapshot = tmp_path / "копия с пробелом.sqlite3"
    code, _, _ = run(capsys, "backup", "--db", db, "-o", str(snapshot))
    assert code == 0
    conn = sqlite3.connect(db)
    saved = list(conn.iterdump())
    conn.execute("DELETE FROM audit")
    conn.execute("UPDATE action_report SET status = 'not_started'")
    conn.commit()
    conn.close()
    code, out, _ = run(capsys, "restore", str(snapshot), "--db", db, "--lang", "en")
    assert code == 0 and "previous state" in out
    assert list(sqlite3.connect(db).iterdump()) == saved


def test_restore_refuses_non_database(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    db = str(tmp_path / "w.sqlite3")
    run(capsys, "init", "--region", "KZ-75", "--db", db)
    before = list(sqlite3.connect(db).iterdump())
    junk = tmp_path / "junk.sqlite3"
    junk.write_bytes(b"not a database at all")
    code, _, err = run(capsys, "restore", str(junk), "--db", db, "--lang", "en")
    assert code == 2 and "junk.sqlite3" in err
    assert list(sqlite3.connect(db).iterdump()) == before


def test_db_and_lang_work_before_or_after_the_command(tmp_path: Path,
                                                      capsys: pytest.CaptureFixture) -> None:
    db = str(tmp_path / "w.sqlite3")
    code, out, _ = run(capsys, "--db", db, "--lang", "en", "init", "--region", "KZ-75")
    assert code == 0 and "Created" in out and Path(db).exists()
    code, out, _ = run(capsys, "--db", db, "check", "--lang", "kk")
    assert code == 0 and "қалыпты" in out


COMMAND_LOADS = """
import json, sys
from planmonitor.cli import main
code = main(sys.argv[1:])
print(json.dumps({"code": code, "loaded": sorted(sys.modules)}))
"""


def loaded_by(*args: str) -> tuple[int, list[str]]:
    """Run one command in a fresh process, as a user does: its exit code and what it loaded."""
    import os
    import subprocess
    import sys

    out = subprocess.run([sys.executable, "-c", COMMAND_LOADS, *args], capture_output=True,
                         text=True, timeout=120, check=True, env=dict(os.environ))
    seen = json.loads(out.stdout.strip().splitlines()[-1])
    return seen["code"], seen["loaded"]


def test_each_command_loads_only_what_it_uses(region_db: sqlite3.Connection, db_path: Path,
                                               tmp_path: Path,
                                               capsys: pytest.CaptureFixture) -> None:
    """A one-return import loads no PySide6, reportlab or python-docx (nor an xlsx writer);
    `status` loads no file library at all."""
    from .conftest import PERIOD

    path = tmp_path / "return.xlsx"
    assert main(["export", "return", "--db", str(db_path), "--period", PERIOD,
                 "-o", str(path)]) == 0
    code, loaded = loaded_by("import", str(path), "--db", str(db_path))
    assert code == 0
    assert [m for m in loaded if m.startswith(("reportlab", "docx", "xlsxwriter", "PySide6"))] == []
    code, loaded = loaded_by("status", "--db", str(db_path), "--period", PERIOD)
    assert code == 0
    heavy = ("reportlab", "docx", "xlsxwriter", "openpyxl", "python_calamine", "PySide6")
    assert [m for m in loaded if m.startswith(heavy)] == []


def test_check_finds_a_column_the_schema_version_promises(tmp_path: Path,
                                                          capsys: pytest.CaptureFixture) -> None:
    """`check` compares the file's tables with those its schema version builds (sqlite-utils'
    introspection): a column lost to a hand edit makes it fail and name the column."""
    db = str(tmp_path / "w.sqlite3")
    run(capsys, "init", "--region", "KZ-75", "--db", db)
    code, out, _ = run(capsys, "check", "--db", db, "--json")
    assert code == 0 and json.loads(out)["missing"] == []
    conn = sqlite3.connect(db)
    conn.execute("ALTER TABLE action_report DROP COLUMN received_values")
    conn.close()
    code, out, _ = run(capsys, "check", "--db", db, "--lang", "en")
    assert code == 1 and "action_report.received_values" in out
