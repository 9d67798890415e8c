"""Backups: consistent copies of the live file (SQLite's online backup), kept beside the database."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

KEEP_AUTOMATIC = 30


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    size: int
    modified: datetime


def backups_folder(db_path: Path) -> Path:
    return Path(db_path).parent / "backups"


def _stamp() -> str:
    # No ':' in file names: they must be valid on Windows.
    return datetime.now().strftime("%Y-%m-%d_%H%M%S_%f")


def backup_to(conn: sqlite3.Connection, dest: Path) -> Path:
    dest = Path(dest)
    dest.parent.mkdir(parents=True, exist_ok=True)
    target = sqlite3.connect(dest)
    try:
        conn.backup(target)
    finally:
        target.close()
    return dest


def automatic_backup(conn: sqlite3.Connection, db_path: Path, reason: str) -> Path:
    folder = backups_folder(db_path)
    dest = folder / f"{Path(db_path).stem}_{_stamp()}_{reason}.sqlite3"
    backup_to(conn, dest)
    _prune(folder)
    return dest


def _prune(folder: Path) -> None:
    automatic = sorted(folder.glob("*.sqlite3"), key=lambda p: p.stat().st_mtime)
    for old in automatic[:-KEEP_AUTOMATIC]:
        old.unlink(missing_ok=True)


def list_backups(db_path: Path) -> list[BackupInfo]:
    folder = backups_folder(db_path)
    if not folder.exists():
        return []
    infos = [BackupInfo(p, p.stat().st_size, datetime.fromtimestamp(p.stat().st_mtime))
             for p in folder.glob("*.sqlite3")]
    return sorted(infos, key=lambda b: b.modified, reverse=True)


def restore_into(conn: sqlite3.Connection, source: Path) -> None:
    """Replace the live database's content with `source`'s, page by page (the live file stays open)."""
    src = sqlite3.connect(f"file:{Path(source).as_posix()}?mode=ro", uri=True)
    try:
        src.backup(conn)
    finally:
        src.close()
