"""Demo data is unmistakable and removable: a demo officer, a mark the workbook keeps, removal
(audited, backed up first) that keeps a person's own entries, and a center's refusal."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from db.audit import OpInfo
from db.demo import fill_demo
from db.demo_rows import has_demo, real_rows_exist, refuse_demo_return, remove_demo, scope_has_demo
from db.errors import PlanMonitorError
from db.office import load_office
from db.ops import update_action
from planmonitor.cli import main
from tests.conftest import REGION, TODAY

LATEST = "2026-Q4"  # the quarter holding TODAY: the demo's last


def _count(conn: sqlite3.Connection, table: str) -> int:
    return conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]


def test_demo_rows_carry_a_demo_officer_not_the_user(region_db: sqlite3.Connection) -> None:
    office = load_office(region_db)
    assert not has_demo(region_db)
    fill_demo(region_db, office, TODAY)
    officers = {r[0] for r in region_db.execute("SELECT DISTINCT officer FROM action_report")}
    assert officers == {"ДЕМО — условный исполнитель"}
    assert office.user_name not in {r[0] for r in region_db.execute("SELECT user FROM operation "
                                                                    "WHERE source = 'demo'")}
    assert has_demo(region_db) and scope_has_demo(region_db, REGION, LATEST)
    assert scope_has_demo(region_db, period=LATEST) and not scope_has_demo(region_db, "KZ-11")


def test_removal_is_audited_backed_up_and_keeps_own_entries(region_db: sqlite3.Connection,
                                                            db_path: Path) -> None:
    fill_demo(region_db, load_office(region_db), TODAY)
    before = region_db.execute("SELECT status FROM action_report WHERE period_code = ? AND "
                               "action_no = 5", (LATEST,)).fetchone()[0]
    mine = "not_started" if before != "not_started" else "in_progress"
    update_action(region_db, REGION, LATEST, 5, OpInfo(user="Айгерім"), status=mine)
    update_action(region_db, REGION, "2026-Q1", 7, OpInfo(user="Айгерім"),
                  progress_note="Настоящая запись", status="completed")
    assert real_rows_exist(region_db) is False  # each edited row still holds some demo value
    changes, backup = remove_demo(region_db, db_path, OpInfo(user="Айгерім", source="ui",
                                                              description="removal"))
    assert backup.exists() and "before-demo-removal" in backup.name
    assert changes.op_id and not has_demo(region_db) and not scope_has_demo(region_db)
    kept = region_db.execute("SELECT action_no, status, progress_note, officer FROM action_report"
                             " ORDER BY period_code").fetchall()
    assert [tuple(r) for r in kept] == [(7, "completed", "Настоящая запись", ""),
                                        (5, mine, "", "")]
    assert _count(region_db, "gender_figure") == 0 and _count(region_db, "indicator_value") == 0
    op = region_db.execute("SELECT source, user FROM operation WHERE id = ?",
                           (changes.op_id,)).fetchone()
    assert tuple(op) == ("ui", "Айгерім")
    assert _count(region_db, "audit") > 0
    assert region_db.execute("SELECT COUNT(*) FROM audit WHERE op_id = ?",
                             (changes.op_id,)).fetchone()[0] == len(changes.changes)


def test_cli_demo_remove(region_db: sqlite3.Connection, db_path: Path,
                         capsys: pytest.CaptureFixture) -> None:
    fill_demo(region_db, load_office(region_db), TODAY)
    assert main(["--db", str(db_path), "--lang", "en", "demo", "--remove"]) == 0
    out = capsys.readouterr().out
    assert "Demo data removed" in out and "before-demo-removal" in out
    assert _count(region_db, "action_report") == 0 and not has_demo(region_db)
    assert main(["--db", str(db_path), "--lang", "en", "demo", "--remove"]) == 0
    assert "no demo data" in capsys.readouterr().out.lower()
    assert region_db.execute("SELECT COUNT(*) FROM operation WHERE source = 'cli'"
                             ).fetchone()[0] == 1


def test_center_with_real_returns_refuses_a_demo_return(center_db: sqlite3.Connection) -> None:
    meta = {"kind": "return", "region": REGION, "period": LATEST, "demo": "1"}
    refuse_demo_return(center_db, meta, "return.xlsx")  # nothing real yet: may be read
    update_action(center_db, REGION, LATEST, 1, OpInfo(user="c", source="import"),
                  status="completed")
    refuse_demo_return(center_db, {**meta, "demo": "0"}, "return.xlsx")
    with pytest.raises(PlanMonitorError) as caught:
        refuse_demo_return(center_db, meta, "return.xlsx")
    assert caught.value.key == "error.demo_return_refused"
    text = caught.value.message("ru")
    assert "return.xlsx" in text and "демонстрац" in text and REGION in text


def test_region_never_refuses_by_this_rule(region_db: sqlite3.Connection) -> None:
    update_action(region_db, REGION, LATEST, 1, OpInfo(user="u"), status="completed")
    refuse_demo_return(region_db, {"kind": "return", "demo": "1"}, "f.xlsx")


def test_demo_is_never_written_over_real_figures(region_db: sqlite3.Connection) -> None:
    update_action(region_db, REGION, LATEST, 1, OpInfo(user="u"), status="completed")
    before = _count(region_db, "action_report")
    with pytest.raises(PlanMonitorError) as caught:
        fill_demo(region_db, load_office(region_db), TODAY)
    assert caught.value.key == "error.demo_over_real"
    assert _count(region_db, "action_report") == before and not has_demo(region_db)


def test_rows_added_in_bulk_by_a_demo_import_are_demo(center_db: sqlite3.Connection,
                                                       tmp_path: Path) -> None:
    """An accepted demo return imported as a 'demo' operation (bulk: rows name their operation
    instead of auditing each field) counts as demo data: a second demo return is still read,
    and removal takes its rows away."""
    from db.ops import apply_writes

    row = (REGION, LATEST, "akim_deputies", 3, 10, "", None, None, None)  # nothing received
    apply_writes(center_db, [], OpInfo(user="c", source="demo"), check_lock=False,
                 new_rows={"gender_figure": [row]})
    assert scope_has_demo(center_db, REGION, LATEST) and not real_rows_exist(center_db)
    refuse_demo_return(center_db, {"kind": "return", "demo": "1"}, "second.xlsx")
    changes, _ = remove_demo(center_db, tmp_path / "center.sqlite3",
                             OpInfo(user="c", source="cli"))
    assert changes.op_id and _count(center_db, "gender_figure") == 0
