"""The demo workbook: a separate file of demo figures for the office's mode (the same region, or
the center), to look at any time without touching the real workbook (issue 22: once real data
existed, demo data could not be seen at all).

It lives in a folder of its own beside the real workbook (`demo/demo.sqlite3`), so its window
state and backups never mix with the real ones; it is made again when it is missing, unreadable,
or made for another office (a region's office that became the center). No Qt.
"""

from __future__ import annotations

import sqlite3
from datetime import date
from pathlib import Path

from db.errors import PlanMonitorError
from db.office import Office, load_office
from db.workbook import init_database, open_workbook, remove_database_files

DEMO_FOLDER = "demo"
DEMO_FILE = "demo.sqlite3"


def demo_path(db_path: Path) -> Path:
    """Where the demo workbook of the real workbook at `db_path` lives."""
    return Path(db_path).parent / DEMO_FOLDER / DEMO_FILE


def is_demo_workbook(db_path: Path | None) -> bool:
    """Whether `db_path` is a demo workbook (its window says so, and it has no demo of its own)."""
    return db_path is not None and Path(db_path).name == DEMO_FILE \
        and Path(db_path).parent.name == DEMO_FOLDER


def _usable(path: Path, office: Office) -> bool:
    from db.demo_rows import has_demo

    try:
        conn = open_workbook(path)
    except (PlanMonitorError, sqlite3.DatabaseError):
        return False
    try:
        held = load_office(conn)
        return (held.mode, held.region_code) == (office.mode, office.region_code) \
            and has_demo(conn)
    finally:
        conn.close()


def ensure_demo_workbook(db_path: Path, office: Office, language: str,
                         today: date | None = None) -> Path:
    """The demo workbook for `office`, made (or made again) when needed; the real workbook at
    `db_path` is only named, never opened."""
    from db.demo import fill_demo_file  # here: the main window names this module at start

    path = demo_path(db_path)
    if path.exists() and _usable(path, office):
        return path
    remove_database_files(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    init_database(path, mode=office.mode, region_code=office.region_code,
                  user_name=office.user_name, language=language)
    fill_demo_file(path, today)
    return path
