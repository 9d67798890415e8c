"""The apply is all-or-nothing: a child process importing a large file is killed in the middle of
its transaction; the database is then intact and holds either the before or the after state."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from bench.bench_exchange import PERIOD, REGION, make_databases
from db.office import load_office
from db.workbook import open_workbook
from exports.importer import apply_import, plan_import
from exports.xlsx_export import export_return

ROOT = Path(__file__).resolve().parents[1]
INDICATORS = 1500  # x 10 breakdowns = 15,000 values

CHILD = r"""
import sys, time
from pathlib import Path
from db.office import load_office
from db.workbook import open_workbook
from exports.importer import apply_import, plan_import

import db.connection

# a small cache (80 KB, also while applying): dirty pages spill to the WAL mid-transaction
db.connection.LARGE_CACHE_KIB = 80
conn = open_workbook(Path(sys.argv[1]))
conn.execute("PRAGMA cache_size = 20")
plan = plan_import(conn, Path(sys.argv[2]), load_office(conn))
assert plan.ok and plan.added_count, plan.summary("en")
calls = 0

def stall_mid_transaction():
    global calls
    if conn.in_transaction:
        calls += 1
        if calls == 400:
            print("IN-TRANSACTION", flush=True)
            time.sleep(60)
    return 0

conn.set_progress_handler(stall_mid_transaction, 1000)
print("APPLY-START", flush=True)
apply_import(conn, plan, "child")
print("APPLY-DONE", flush=True)
"""


def values(path: Path) -> list[tuple]:
    conn = sqlite3.connect(path)
    try:
        return conn.execute("SELECT indicator_code, disaggregation_code, value FROM "
                            "indicator_value WHERE region_code = ? ORDER BY 1, 2",
                            (REGION,)).fetchall()
    finally:
        conn.close()


def prepare(tmp_path: Path) -> tuple[Path, Path, Path]:
    region, center = make_databases(tmp_path, INDICATORS)  # the benchmark's national workbooks
    conn = open_workbook(region)
    file = export_return(conn, REGION, PERIOD, "ru", tmp_path / "Большой отчёт.xlsx")
    conn.close()
    return region, center, file


@pytest.mark.slow
def test_killed_import_leaves_before_or_after(tmp_path: Path) -> None:
    region, center, file = prepare(tmp_path)
    before = values(center)
    child = subprocess.Popen([sys.executable, "-c", CHILD, str(center), str(file)], cwd=ROOT,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        lines = []
        for line in child.stdout:
            lines.append(line.strip())
            if line.strip() == "IN-TRANSACTION":
                break
        assert lines[-1] == "IN-TRANSACTION", (lines, child.stderr.read())
        wal_size = Path(f"{center}-wal").stat().st_size
    finally:
        os.kill(child.pid, signal.SIGKILL)
        child.wait(timeout=30)
    assert wal_size > 0  # part of the transaction had reached the disk
    assert child.returncode == -signal.SIGKILL
    conn = open_workbook(center)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert conn.execute("SELECT COUNT(*) FROM exchange_log WHERE direction = 'import'"
                        ).fetchone()[0] == 0
    conn.close()
    after_kill = values(center)
    assert after_kill == before  # killed inside the transaction: the before state
    conn = open_workbook(center)
    plan = plan_import(conn, file, load_office(conn))
    apply_import(conn, plan, "again")
    conn.close()
    assert values(center) == values(region) and len(values(center)) >= INDICATORS * 10
