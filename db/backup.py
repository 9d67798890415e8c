"""Backups: consistent copies of the live file (SQLite's online backup), kept beside the database."""

from __future__ import annotations

import sqlite3
import threading
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


class BackgroundBackup:
    """An automatic backup made on a thread while the caller goes on reading (an import reads
    and checks its file meanwhile): from a read-only connection of its own, in one backup step,
    so the copy is one consistent snapshot, and SQLite works without the GIL. `token` is the
    snapshot's newest operation id: the copy is the state just before a write only if nothing
    was written since (`keep` is then called; else `discard`, and a fresh backup taken)."""

    def __init__(self, db_path: Path, reason: str) -> None:
        self.db_path = Path(db_path)
        self.dest = backups_folder(db_path) / f"{self.db_path.stem}_{_stamp()}_{reason}.sqlite3"
        self.token: int | None = None
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._copy, name="backup", daemon=True)
        self._thread.start()

    def _copy(self) -> None:
        try:
            self.dest.parent.mkdir(parents=True, exist_ok=True)
            source = sqlite3.connect(f"file:{self.db_path.as_posix()}?mode=ro", uri=True,
                                     isolation_level=None)
            try:
                source.execute("BEGIN")  # one read snapshot for the token and the copy
                self.token = source.execute(
                    "SELECT COALESCE(MAX(id), 0) FROM operation").fetchone()[0]
                backup_to(source, self.dest)
                source.execute("COMMIT")
            finally:
                source.close()
        except BaseException as exc:  # noqa: BLE001 - handed to the caller by `keep`
            self._error = exc

    def keep(self, token: int) -> Path | None:
        """The backup, if it holds the state whose newest operation is `token` (pruning old
        automatic backups as automatic_backup does); else None, and the copy is removed."""
        self._thread.join()
        if self._error is not None or self.token != token:
            self.discard()
            return None
        _prune(self.dest.parent)
        return self.dest

    def discard(self) -> None:
        self._thread.join()
        self.dest.unlink(missing_ok=True)


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
