"""Importing files one after another: the command line, a folder, the center's page.

Each file is planned and applied on its own (its own transaction and result). What a batch
shares: one automatic backup, taken before the first apply that changes anything; the catalog
returns are checked against; and a reader thread that reads the next files' sheets while this
one is checked and applied (python-calamine parses without Python's lock)."""

from __future__ import annotations

import logging
import sqlite3
import threading
from collections import deque
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from db.backup import BackgroundBackup, automatic_backup
from db.errors import InternalError, PlanMonitorError
from db.office import Office
from exports.importer.apply import apply_import, database_path
from exports.importer.plan import ImportPlan
from exports.importer.planning import plan_import
from exports.importer.reading import SheetPrefetch, state_token
from exports.importer.return_parse import Catalog
from exports.importer.trust import lift
from exports.xlsx_common import Progress, report_progress
from resources import formatting
from resources.logs import log_unexpected
from resources.words import current_language, tr

log = logging.getLogger(__name__)


class ImportBatch:
    """Pass the same batch to each file's plan and apply. Given the batch's files (in the order
    they are planned), a reader thread reads them up to READ_AHEAD files ahead; `close` stops it
    (import_many does)."""

    READ_AHEAD = 2  # files read and held ahead of the planner (memory: two files' rows)
    HELD_BYTES = 250 * 1024 * 1024  # ... and only while their rows (the file being planned's
    # too) take about this much together, judged before they are read (Judged.weight)

    def __init__(self, paths: list[Path] | None = None) -> None:
        self.backup_path: Path | None = None
        self._catalog: tuple[int, Catalog] | None = None
        self.paths = [Path(p) for p in paths or []]
        self._read: deque[tuple[Path, SheetPrefetch | None]] = deque()
        self._planned = 0
        self._closed = False
        self._turn = threading.Condition()
        self._reader: threading.Thread | None = None
        self._held: dict[Path, int] = {}  # weight of files read ahead, not yet planned
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

    def read_ahead(self, planned: Path) -> None:
        """Called once a file of the batch is planned: the reader may go one file further, and
        what it held of `planned` is let go."""
        with self._turn:
            self._planned += 1
            self._held.pop(Path(planned), None)
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
                self._read_judged(path, sheets)

    def _read_judged(self, path: Path, sheets: SheetPrefetch) -> None:
        """Judge the file before anything of it is parsed, then read it once the files held
        ahead leave room for its rows (a refused file is never read; its plan says why)."""
        try:
            sheets.judge()
        except Exception:  # noqa: BLE001 - held in the reader; the plan raises it
            return
        with self._turn:
            self._turn.wait_for(lambda: self._closed or not self._held
                                or sum(self._held.values()) + sheets.weight <= self.HELD_BYTES)
            if self._closed:
                sheets.stop()
                return
            self._held[path] = sheets.weight
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
    """The note shown with a plan: a kind's own (a catalog or decision not newer than the one
    applied: nothing changes), else the stale return's."""
    if plan.notice is not None:
        key, params = plan.notice
        return tr(key, lang, **params)
    if not plan.stale:
        return ""
    lang = lang or current_language()  # moments in the reader's format, never ISO text
    return tr("xlsx.stale_warning", lang, file=plan.file_name,
              exported_at=formatting.date_time(plan.exported_at, lang),
              newer_file=plan.newer_file or "",
              newer=formatting.date_time(plan.newer_exported_at, lang))


def import_one(conn: sqlite3.Connection, path: Path, office: Office, *, dry_run: bool = False,
               take: str | None = None, lang: str | None = None,
               batch: ImportBatch | None = None, trust: str | None = None,
               accept_unsigned: bool = False) -> ImportOutcome:
    """Plan one file and (unless a dry run) apply it; never raises for a bad file. `trust` and
    `accept_unsigned`: what a person gave to lift a trust refusal (apply_import)."""
    own = batch is None and not dry_run
    if own:  # a batch of one, for its backup made while the file is read
        batch = ImportBatch()
        batch.start_backup(conn)
    try:
        return _import_one(conn, Path(path), office, dry_run, take, lang or office.language,
                           batch, (trust, accept_unsigned))
    except PlanMonitorError:
        raise
    except Exception as exc:  # the app's fault (plan and apply catch their own): told as such
        log_unexpected(log, f"importing {Path(path).name}", exc)
        return ImportOutcome(Path(path), "refused", message=InternalError(Path(path).name)
                             .message(lang or office.language))
    finally:
        if own and batch is not None:
            batch.close()


def _import_one(conn: sqlite3.Connection, path: Path, office: Office, dry_run: bool,
                take: str | None, lang: str, batch: ImportBatch | None,
                given: tuple[str | None, bool]) -> ImportOutcome:
    plan = plan_import(conn, path, office, batch=batch)
    lift(plan, *given)
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
        changes = apply_import(conn, plan, office.user_name, take=take, batch=batch,
                               trust=given[0], accept_unsigned=given[1])
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
                progress: Progress | None = None, trust: str | None = None,
                accept_unsigned: bool = False) -> list[ImportOutcome]:
    """Import files one after another, each on its own, with one automatic backup for all."""
    batch = ImportBatch(paths)
    if not dry_run:
        batch.start_backup(conn)
    outcomes = []
    try:
        for done, path in enumerate(paths):
            report_progress(progress, done, len(paths))
            outcomes.append(import_one(conn, path, office, dry_run=dry_run, take=take,
                                       lang=lang, batch=batch, trust=trust,
                                       accept_unsigned=accept_unsigned))
    finally:
        batch.close()
    report_progress(progress, len(paths), len(paths))
    return outcomes
