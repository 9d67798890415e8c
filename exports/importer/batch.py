"""Importing files one after another: the command line, a folder, the center's page.

Each file is planned and applied on its own (its own transaction and result). What a batch
shares: one automatic backup, taken before the first apply that changes anything; the catalog
returns are checked against; and a reader thread that reads the next files' sheets while this
one is checked and applied (python-calamine parses without Python's lock)."""

from __future__ import annotations

import sqlite3
import threading
from collections import deque
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from db.backup import BackgroundBackup, automatic_backup
from db.errors import PlanMonitorError
from db.office import Office
from exports.importer.apply import apply_import, database_path
from exports.importer.plan import ImportPlan
from exports.importer.planning import plan_import
from exports.importer.reading import SheetPrefetch, state_token
from exports.importer.return_parse import Catalog
from exports.xlsx_common import Progress, report_progress
from resources.words import tr


class ImportBatch:
    """Pass the same batch to each file's plan and apply. Given the batch's files (in the order
    they are planned), a reader thread reads them up to READ_AHEAD files ahead; `close` stops it
    (import_many does)."""

    READ_AHEAD = 2  # files read and held ahead of the planner (memory: two files' rows)

    def __init__(self, paths: list[Path] | None = None) -> None:
        self.backup_path: Path | None = None
        self._catalog: tuple[int, Catalog] | None = None
        self.paths = [Path(p) for p in paths or []]
        self._read: deque[tuple[Path, SheetPrefetch | None]] = deque()
        self._planned = 0
        self._closed = False
        self._turn = threading.Condition()
        self._reader: threading.Thread | None = None
        self._pending: BackgroundBackup | None = None

    def prefetched(self, path: Path) -> SheetPrefetch | None:
        """The reader of `path` if it is the batch's next file (else None: read it alone)."""
        if not self.paths:
            return None
        if self._reader is None:
            self._reader = threading.Thread(target=self._read_all, name="read batch",
                                            daemon=True)
            self._reader.start()
        reader = self._reader
        with self._turn:
            self._turn.wait_for(lambda: bool(self._read) or not reader.is_alive())
            if self._read:
                read_path, sheets = self._read.popleft()
                return sheets if read_path == Path(path) else None
        return None

    def read_ahead(self) -> None:
        """Called once a file of the batch is planned: the reader may go one file further."""
        with self._turn:
            self._planned += 1
            self._turn.notify_all()

    def close(self) -> None:
        """Stop the reader; a backup begun but never needed (nothing applied) is removed."""
        with self._turn:
            self._closed = True
            self._read.clear()
            self._turn.notify_all()
        if self._pending is not None:
            self._pending.discard()
            self._pending = None

    def _read_all(self) -> None:
        for index, path in enumerate(self.paths):
            with self._turn:
                self._turn.wait_for(
                    lambda index=index: self._closed or index <= self._planned + self.READ_AHEAD)
                if self._closed:
                    return
                sheets = SheetPrefetch.checked(path)
                self._read.append((path, sheets))
                self._turn.notify_all()
            if sheets is not None:
                sheets.read()

    def start_backup(self, conn: sqlite3.Connection) -> None:
        """Begin the batch's backup on a thread while the first file is read; `take_backup`
        keeps it if nothing was written since, `close` removes it if nothing was applied."""
        db_path = database_path(conn)
        if self.backup_path is None and self._pending is None and db_path is not None:
            self._pending = BackgroundBackup(db_path, reason="before-import")

    def take_backup(self, conn: sqlite3.Connection, db_path: Path) -> Path:
        if self.backup_path is None and self._pending is not None:
            pending, self._pending = self._pending, None
            self.backup_path = pending.keep(state_token(conn))
        if self.backup_path is None:
            self.backup_path = automatic_backup(conn, db_path, reason="before-import")
        return self.backup_path

    def catalog(self, conn: sqlite3.Connection) -> Catalog:
        """The catalog, read again only when a catalog change was recorded since."""
        stamp = conn.execute("SELECT COALESCE(MAX(id), 0) FROM operation "
                             "WHERE source IN ('catalog', 'seed')").fetchone()[0]
        if self._catalog is None or self._catalog[0] != stamp:
            self._catalog = (stamp, Catalog.load(conn))
        return self._catalog[1]


@dataclass
class ImportOutcome:
    """What happened to one file: applied, unchanged (nothing to change), refused, conflicts
    (waiting for a person) or previewed (a dry run). `warning`: a stale file's note."""

    path: Path
    result: str
    plan: ImportPlan | None = None
    changes: Any = None
    message: str = ""
    warning: str = ""

    def as_dict(self, lang: str | None = None) -> dict[str, Any]:
        out: dict[str, Any] = {"file": str(self.path), "result": self.result,
                               "message": self.message, "warning": self.warning}
        if self.plan is not None:
            out["plan"] = self.plan.as_dict(lang)
        if self.changes is not None:
            out["applied_changes"] = len(self.changes.changes)
            out["op_id"] = self.changes.op_id
        return out


def stale_warning(plan: ImportPlan, lang: str | None) -> str:
    if not plan.stale:
        return ""
    return tr("xlsx.stale_warning", lang, file=plan.file_name, exported_at=plan.exported_at,
              newer_file=plan.newer_file or "", newer=plan.newer_exported_at)


def import_one(conn: sqlite3.Connection, path: Path, office: Office, *, dry_run: bool = False,
               take: str | None = None, lang: str | None = None,
               batch: ImportBatch | None = None) -> ImportOutcome:
    """Plan one file and (unless a dry run) apply it; never raises for a bad file."""
    own = batch is None and not dry_run
    if own:  # a batch of one, for its backup made while the file is read
        batch = ImportBatch()
        batch.start_backup(conn)
    try:
        return _import_one(conn, Path(path), office, dry_run, take, lang or office.language,
                           batch)
    finally:
        if own and batch is not None:
            batch.close()


def _import_one(conn: sqlite3.Connection, path: Path, office: Office, dry_run: bool,
                take: str | None, lang: str, batch: ImportBatch | None) -> ImportOutcome:
    plan = plan_import(conn, path, office, batch=batch)
    warning = stale_warning(plan, lang)
    if plan.refused is not None:
        return ImportOutcome(plan.path, "refused", plan, message=plan.refused.message(lang))
    if plan.errors:
        return ImportOutcome(plan.path, "refused", plan, message=tr(
            "xlsx.has_errors", lang, file=plan.file_name, count=len(plan.errors) + plan.more_errors),
            warning=warning)
    if dry_run:
        return ImportOutcome(plan.path, "previewed", plan, warning=warning)
    if plan.conflicts and take is None:
        return ImportOutcome(plan.path, "conflicts", plan, message=tr(
            "xlsx.unresolved_conflicts", lang, count=len(plan.conflicts)), warning=warning)
    try:
        changes = apply_import(conn, plan, office.user_name, take=take, batch=batch)
    except PlanMonitorError as exc:
        return ImportOutcome(plan.path, "refused", plan, message=exc.message(lang),
                             warning=warning)
    if not changes:
        return ImportOutcome(plan.path, "unchanged", plan, changes,
                             message=tr("xlsx.nothing_to_change", lang, file=plan.file_name),
                             warning=warning)
    return ImportOutcome(plan.path, "applied", plan, changes, warning=warning)


def import_many(conn: sqlite3.Connection, paths: list[Path], office: Office, *,
                dry_run: bool = False, take: str | None = None, lang: str | None = None,
                progress: Progress | None = None) -> list[ImportOutcome]:
    """Import files one after another, each on its own, with one automatic backup for all."""
    batch = ImportBatch(paths)
    if not dry_run:
        batch.start_backup(conn)
    outcomes = []
    try:
        for done, path in enumerate(paths):
            report_progress(progress, done, len(paths))
            outcomes.append(import_one(conn, path, office, dry_run=dry_run, take=take,
                                       lang=lang, batch=batch))
    finally:
        batch.close()
    report_progress(progress, len(paths), len(paths))
    return outcomes
