"""The problem report for the help desk: one zip a person can send, from Help → "Save a problem
report…" or `planmonitor doctor -o FILE.zip`.

It holds what the help desk needs to find out what happened: the log (resources.logs), the
versions (the app, Python, Qt, SQLite, the OS), what `check --json` says and the workbook's
schema. It holds nothing of the data: no figures, notes or people's names (the log records file
names and counts, never values; check gives row counts per table; the schema is the tables'
definitions). The workbook is opened read-only, so a damaged one can still be reported.
"""

from __future__ import annotations

import importlib.metadata
import json
import logging
import platform
import sqlite3
import sys
import zipfile
from dataclasses import asdict
from datetime import datetime
from pathlib import Path
from typing import Any

from db.backup import open_read_only
from resources import VERSION
from resources.logs import flush, log_file
from resources.private import open_private

log = logging.getLogger(__name__)
QT_DISTRIBUTIONS = ("PySide6-Essentials", "PySide6")


def versions(qt_version: str | None = None) -> dict[str, Any]:
    """The versions that matter to a bug. `qt_version`: Qt's own (the app passes qVersion());
    else PySide6's from its installed metadata, so the command line never loads Qt."""
    qt: str | None = qt_version
    if qt is None:
        for name in QT_DISTRIBUTIONS:
            try:
                qt = f"PySide6 {importlib.metadata.version(name)}"
                break
            except importlib.metadata.PackageNotFoundError:
                continue
    return {"app": VERSION, "python": platform.python_version(),
            "python_implementation": platform.python_implementation(),
            "sqlite": sqlite3.sqlite_version, "qt": qt or "not installed",
            "os": platform.platform(), "machine": platform.machine(),
            "frozen": bool(getattr(sys, "frozen", False))}


def _schema(conn: sqlite3.Connection) -> str:
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    lines = [f"PRAGMA user_version = {int(version)};"]
    for kind, name, sql in conn.execute(
            "SELECT type, name, sql FROM sqlite_master WHERE sql IS NOT NULL "
            "ORDER BY type, name"):
        lines.append(f"-- {kind} {name}\n{sql};")
    return "\n\n".join(lines) + "\n"


def _office(conn: sqlite3.Connection) -> dict[str, Any]:
    """The office's mode, region code and language: no person's name."""
    try:
        rows = dict(conn.execute("SELECT key, value FROM meta WHERE key IN "
                                 "('mode', 'region_code', 'language')").fetchall())
    except sqlite3.DatabaseError as exc:
        return {"error": f"{type(exc).__name__}: {exc}"}
    return {key: rows.get(key) for key in ("mode", "region_code", "language")}


def _workbook_parts(db_path: Path) -> dict[str, str]:
    """check --json, the schema and the office, or why they could not be read."""
    from db.workbook import check_database  # the check's modules only when a report is made

    if not db_path.exists():
        return {"check.json": json.dumps({"error": "no workbook at the given path"})}
    try:
        conn = open_read_only(db_path)
    except sqlite3.DatabaseError as exc:
        return {"check.json": json.dumps({"error": f"{type(exc).__name__}: {exc}"})}
    try:
        parts = {"schema.sql": _schema(conn),
                 "office.json": json.dumps(_office(conn), ensure_ascii=False, indent=2)}
        try:
            check = asdict(check_database(conn))
        except Exception as exc:  # noqa: BLE001 - a damaged file is what is being reported
            check = {"error": f"{type(exc).__name__}", "detail_chars": len(str(exc))}
        parts["check.json"] = json.dumps(check, ensure_ascii=False, indent=2)
        return parts
    except sqlite3.DatabaseError as exc:
        return {"check.json": json.dumps({"error": f"{type(exc).__name__}: {exc}"})}
    finally:
        conn.close()


def log_files() -> list[Path]:
    """The current log and the rotated ones beside it, oldest last."""
    current = log_file()
    if not current.parent.is_dir():
        return []
    rotated = sorted(current.parent.glob(current.name + ".*"),
                     key=lambda p: int(p.suffix[1:]) if p.suffix[1:].isdigit() else 0)
    return [p for p in [current, *rotated] if p.is_file()]


def write_problem_report(db_path: Path, dest: Path, qt_version: str | None = None,
                         now: datetime | None = None) -> Path:
    """Write the report zip to `dest` (owner-only: the log names files) and return it."""
    dest = Path(dest)
    flush()
    made = (now or datetime.now()).isoformat(timespec="seconds")
    summary = {"made": made, "workbook_file": Path(db_path).name,
               "versions": versions(qt_version)}
    parts = _workbook_parts(Path(db_path))
    with open_private(dest, "wb") as fh, zipfile.ZipFile(fh, "w", zipfile.ZIP_DEFLATED) as book:
        book.writestr("report.json", json.dumps(summary, ensure_ascii=False, indent=2))
        for name, text in parts.items():
            book.writestr(name, text)
        for path in log_files():
            book.write(path, f"log/{path.name}")
    log.info("problem report written: %s", dest.name)
    return dest
