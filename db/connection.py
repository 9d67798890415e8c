"""Opening the SQLite file: pragmas, migrations with a backup first, transactions."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from db import schema
from db.backup import automatic_backup
from db.errors import SchemaTooNew, UnreadableFile
from db.search_index import install_pruning
from resources.private import make_private, make_private_dir, touch_private

LARGE_CACHE_KIB = 64 * 1024


def _is_network_path(path: Path) -> bool:
    # WAL needs shared memory, which network shares do not give reliably.
    text = str(path)
    return text.startswith("\\\\") or text.startswith("//")


JOURNAL_SUFFIXES = ("-wal", "-shm", "-journal")


def keep_private(path: Path) -> None:
    """The workbook and its journal files owner-only (POSIX): a new workbook is created 0600
    before SQLite opens it (SQLite gives its journal files the database's mode); one made
    0644 by an older version is tightened, with any journal files left beside it."""
    if not path.exists():
        try:
            touch_private(path)
        except OSError:
            pass  # no folder, no right to write there: SQLite's own error tells it
        return
    for file in (path, *(path.with_name(path.name + s) for s in JOURNAL_SUFFIXES)):
        if file.exists():
            make_private(file)


def connect(path: Path | str) -> sqlite3.Connection:
    """A connection in autocommit mode (we open transactions ourselves), foreign keys on, the
    search index's texts removed with their last reference; the file and its journals
    owner-only."""
    path = Path(path)
    if path.name != ":memory:":
        keep_private(path)
    try:
        conn = sqlite3.connect(path, isolation_level=None, timeout=15, check_same_thread=False)
        conn.row_factory = sqlite3.Row
        conn.execute("PRAGMA foreign_keys = ON")
        if path.name != ":memory:":
            mode = "DELETE" if _is_network_path(path) else "WAL"
            conn.execute(f"PRAGMA journal_mode = {mode}")
            conn.execute("PRAGMA synchronous = NORMAL" if mode == "WAL" else "PRAGMA synchronous = FULL")
        install_pruning(conn)
    except sqlite3.DatabaseError as exc:
        raise UnreadableFile("error.not_a_database", file=str(path), detail=str(exc)) from exc
    return conn


def schema_version(conn: sqlite3.Connection) -> int:
    return conn.execute("PRAGMA user_version").fetchone()[0]


@contextmanager
def transaction(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """One all-or-nothing unit of work. Nested use becomes a savepoint inside the outer one."""
    if conn.in_transaction:
        conn.execute("SAVEPOINT nested")
        try:
            yield conn
        except BaseException:
            conn.execute("ROLLBACK TO nested")
            conn.execute("RELEASE nested")
            raise
        conn.execute("RELEASE nested")
        return
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield conn
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


@contextmanager
def large_cache(conn: sqlite3.Connection, kib: int | None = None) -> Iterator[None]:
    """Up to `kib` (default LARGE_CACHE_KIB) of page cache for one large write, then back to
    the connection's own (2 MB by default): a national import writes tens of megabytes of rows,
    audit rows and indexes in one transaction, and with the small cache SQLite spills and
    re-reads pages along the way. Only during the write: the desktop keeps its connections open
    for hours."""
    before = int(conn.execute("PRAGMA cache_size").fetchone()[0])
    conn.execute(f"PRAGMA cache_size = {-int(LARGE_CACHE_KIB if kib is None else kib)}")
    try:
        yield
    finally:
        conn.execute(f"PRAGMA cache_size = {before}")


def migrate(conn: sqlite3.Connection, path: Path | None = None) -> list[int]:
    """Bring the schema up to date, one migration per transaction. Returns the versions applied.

    A backup of the file is taken before the first migration runs on an existing database; a
    migration that fails rolls back and leaves the file at its previous version.
    """
    try:
        current = schema_version(conn)
    except sqlite3.DatabaseError as exc:
        raise UnreadableFile("error.not_a_database", file=str(path), detail=str(exc)) from exc
    if current > schema.SCHEMA_VERSION:
        raise SchemaTooNew("error.schema_too_new", file=str(path), found=current,
                           supported=schema.SCHEMA_VERSION)
    pending = [m for m in schema.MIGRATIONS if m.version > current]
    if pending and current > 0 and path is not None:
        automatic_backup(conn, path, reason=f"before-migration-v{current}")
    applied = []
    for migration in pending:
        with transaction(conn):
            migration.apply(conn)
            conn.execute(f"PRAGMA user_version = {int(migration.version)}")
        applied.append(migration.version)
    return applied


def open_database(path: Path | str) -> sqlite3.Connection:
    """Open (creating if needed) and migrate. Catalog seeding is separate: see db.catalog."""
    path = Path(path)
    if path.exists() and path.stat().st_size > 0:
        with path.open("rb") as fh:
            if fh.read(16) != b"SQLite format 3\x00":
                raise UnreadableFile("error.not_a_database", file=str(path), detail="not SQLite")
    if not path.parent.exists():
        make_private_dir(path.parent)  # a folder we make is the workbook's own: 0700
    conn = connect(path)
    try:
        migrate(conn, path)
    except BaseException:
        conn.close()
        raise
    return conn
