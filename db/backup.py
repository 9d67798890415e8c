"""Backups: consistent copies of the live file (SQLite's online backup), kept beside the database
in `backups/`, owner-only, each named for its workbook, the moment and the reason:
`<workbook>_<YYYY-MM-DD_HHMMSS_ffffff>_<reason>.sqlite3` (the name is the record: a copied
folder keeps it, a file's time would not).

A copy must be there when it is needed, years later. So copies taken before a schema upgrade,
before a restore, before the demo data is removed, and the copies a person made are never
removed by the app; only the copies taken automatically before each import are thinned, by
age rather than by count (see `thin_backups`), with the clock passed in for tests.
"""

from __future__ import annotations

import logging
import re
import sqlite3
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path, PurePath, PureWindowsPath
from urllib.parse import quote

from resources.private import make_private_dir, open_private, touch_private
from resources.words import tr

Clock = Callable[[], datetime]
log = logging.getLogger(__name__)

BEFORE_IMPORT, MANUAL = "before-import", "manual"
THINNED = frozenset({BEFORE_IMPORT})  # the only reason whose copies the app removes
KEEP_EVERY = timedelta(days=2)  # every copy this young stays
KEEP_DAILY = timedelta(days=30)  # then the day's first copy; older, the month's first
STAMP = "%Y-%m-%d_%H%M%S_%f"  # no ':' in file names: they must be valid on Windows
_NAME = re.compile(r"^(?P<stem>.*)_(?P<stamp>\d{4}-\d\d-\d\d_\d{6}_\d{6})_"
                   r"(?P<reason>[a-z0-9-]+)\.sqlite3$")


@dataclass(frozen=True)
class BackupInfo:
    """One copy in the backups folder. `reason` as its name says ("before-import",
    "before-migration-v4", "manual"...; "" for a file put there by hand, dated by its time)."""

    path: Path
    size: int
    made: datetime
    reason: str

    def reason_text(self, lang: str | None = None) -> str:
        """Why the copy exists, in words."""
        migration = re.fullmatch(r"before-migration-v(\d+)", self.reason)
        if migration:
            return tr("backup.reason.before_migration", lang, version=int(migration[1]))
        key = f"backup.reason.{self.reason.replace('-', '_') or 'unknown'}"
        text = tr(key, lang)
        return text if text != key else tr("backup.reason.unknown", lang)

    @property
    def thinned(self) -> bool:
        """Whether the app may remove this copy as it ages (see thin_backups)."""
        return self.reason in THINNED


def backups_folder(db_path: Path) -> Path:
    return Path(db_path).parent / "backups"


def sqlite_uri(path: PurePath, mode: str = "ro") -> str:
    """A SQLite URI for any path the OS allows (spaces, '#', '?', '%', any letters): the
    path percent-encoded by Path.as_uri. A Windows UNC path goes in the URI's path part
    (`file:////server/share/...`): SQLite accepts no host in a URI."""
    if isinstance(path, PureWindowsPath) and path.drive.startswith("\\\\"):
        uri = "file://" + quote(path.as_posix(), safe="/")
    else:
        uri = (path if path.is_absolute() else Path(path).absolute()).as_uri()
    return f"{uri}?mode={mode}"


def open_read_only(path: Path, **options: object) -> sqlite3.Connection:
    """A read-only connection to the file at `path` (never creating it)."""
    return sqlite3.connect(sqlite_uri(Path(path)), uri=True, **options)  # type: ignore[arg-type]


def backup_to(conn: sqlite3.Connection, dest: Path) -> Path:
    """A consistent copy of `conn`'s database at `dest`, owner-only (the `backup -o` output
    and every automatic copy)."""
    dest = Path(dest)
    dest.parent.mkdir(parents=True, exist_ok=True)
    touch_private(dest)
    target = sqlite3.connect(dest)
    try:
        conn.backup(target)
    finally:
        target.close()
    return dest


def new_copy_path(db_path: Path, reason: str, now: Clock | None) -> Path:
    """A new, empty, owner-only file in the backups folder for a copy made now for `reason`:
    named for the moment (made unique if two copies fall in the same microsecond)."""
    folder = make_private_dir(backups_folder(db_path))
    moment = (now or datetime.now)()
    while True:
        dest = folder / f"{Path(db_path).stem}_{moment.strftime(STAMP)}_{reason}.sqlite3"
        try:
            open_private(dest, exclusive=True).close()
        except FileExistsError:
            moment += timedelta(microseconds=1)
            continue
        return dest


def automatic_backup(conn: sqlite3.Connection, db_path: Path, reason: str,
                     now: Clock | None = None) -> Path:
    """A copy in the backups folder, for `reason`; old pre-import copies are thinned after."""
    dest = backup_to(conn, new_copy_path(db_path, reason, now))
    log.info("backup made: %s (%s)", dest.name, reason)
    thin_backups(db_path, now)
    return dest


class BackgroundBackup:
    """An automatic backup made on a thread while the caller goes on reading (an import reads
    and checks its file meanwhile): from a read-only connection of its own, in one backup step,
    so the copy is one consistent snapshot, and SQLite works without the GIL. `token` is the
    snapshot's newest operation id: the copy is the state just before a write only if nothing
    was written since (`keep` is then called; else `discard`, and a fresh backup taken)."""

    def __init__(self, db_path: Path, reason: str, now: Clock | None = None) -> None:
        self.db_path = Path(db_path)
        self.reason, self.now = reason, now
        self.dest = new_copy_path(self.db_path, reason, now)
        self.token: int | None = None
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._copy, name="backup", daemon=True)
        self._thread.start()

    def _copy(self) -> None:
        try:
            source = open_read_only(self.db_path, isolation_level=None)
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
        """The backup, if it holds the state whose newest operation is `token` (thinning old
        automatic backups as automatic_backup does); else None, and the copy is removed."""
        self._thread.join()
        if self._error is not None or self.token != token:
            if self._error is not None:
                log.warning("background backup failed: %s", type(self._error).__name__,
                            exc_info=self._error)
            self.discard()
            return None
        log.info("backup made: %s (%s)", self.dest.name, self.reason)
        thin_backups(self.db_path, self.now)
        return self.dest

    def discard(self) -> None:
        self._thread.join()
        self.dest.unlink(missing_ok=True)


def backup_info(path: Path) -> BackupInfo:
    """What a file in the backups folder is, from its name (else its time)."""
    found = _NAME.match(path.name)
    stat = path.stat()
    if found:
        return BackupInfo(path, stat.st_size, datetime.strptime(found["stamp"], STAMP),
                          found["reason"])
    return BackupInfo(path, stat.st_size, datetime.fromtimestamp(stat.st_mtime), "")


def list_backups(db_path: Path) -> list[BackupInfo]:
    """This workbook's copies (and files put in the folder by hand), newest first; copies of
    another workbook in the same folder are not offered."""
    folder = backups_folder(db_path)
    if not folder.exists():
        return []
    stem = Path(db_path).stem
    infos = []
    for path in folder.glob("*.sqlite3"):
        found = _NAME.match(path.name)
        if found is None or found["stem"] == stem:
            try:
                infos.append(backup_info(path))
            except OSError:
                continue  # removed meanwhile (another window thinning)
    return sorted(infos, key=lambda b: b.made, reverse=True)


def backups_to_keep(infos: list[BackupInfo], now: datetime) -> set[Path]:
    """Of these copies, the ones the retention keeps at `now`: every copy not thinned (before an
    upgrade, a restore, made by a person...); of pre-import copies, every one younger than
    KEEP_EVERY, then the first of each day up to KEEP_DAILY, then the first of each month. The
    first, not the last: a kept copy stays kept as it ages (the first of a month is the first
    of its day), so what is removed is never wanted later, and the result does not depend on
    when the thinning ran."""
    keep = {info.path for info in infos if not info.thinned or now - info.made < KEEP_EVERY}
    firsts: dict[str, BackupInfo] = {}
    for info in infos:
        if info.thinned and now - info.made >= KEEP_EVERY:
            age = now - info.made
            bucket = info.made.strftime("%Y-%m-%d" if age < KEEP_DAILY else "%Y-%m")
            if bucket not in firsts or info.made < firsts[bucket].made:
                firsts[bucket] = info
    return keep | {info.path for info in firsts.values()}


def thin_backups(db_path: Path, now: Clock | None = None) -> list[Path]:
    """Remove the pre-import copies the retention no longer keeps; returns them."""
    infos = list_backups(db_path)
    keep = backups_to_keep(infos, (now or datetime.now)())
    removed = [info.path for info in infos if info.path not in keep]
    for path in removed:
        path.unlink(missing_ok=True)
    if removed:
        log.info("backups thinned: %d old pre-import copies removed", len(removed))
    return removed


def restore_into(conn: sqlite3.Connection, source: Path) -> None:
    """Replace the live database's content with `source`'s, page by page (the live file stays open)."""
    src = open_read_only(source)
    try:
        src.backup(conn)
    finally:
        src.close()
