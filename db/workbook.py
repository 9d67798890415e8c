"""Life-cycle of a workbook file: create and seed, check, back up, restore."""

from __future__ import annotations

import logging
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from db import backup, schema
from db.connection import connect, migrate, open_database, schema_version, transaction
from db.errors import PlanMonitorError, UnreadableFile
from db.office import Office, check_identity, is_initialized, load_office, set_identity
from db.search_index import install_pruning, orphan_count, remove_pruning

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class InitResult:
    """What init_database did: whether it created the workbook, and whose it is."""
    created: bool
    office: Office


def init_database(path: Path, *, mode: str, region_code: str | None, user_name: str,
                  language: str = "ru") -> InitResult:
    """Create, migrate and seed; on an initialised database change nothing and say so.

    A new file is made only for a known mode and region (checked against the shipped catalog
    first), and a file this call created is removed again if anything stops it half-way: a
    refused `init` leaves nothing behind."""
    path = Path(path)
    new_file = not path.exists()
    if new_file:
        from db.catalog import load_seed  # here: open_workbook (every start) never needs it

        check_identity(mode, region_code, {r["code"] for r in load_seed().rows["region"]})
    try:
        conn = open_database(path)
    except BaseException:
        if new_file:
            remove_database_files(path)
        raise
    try:
        if is_initialized(conn):
            return InitResult(False, load_office(conn))
        from db.catalog import seed_catalog

        seed_catalog(conn)
        with transaction(conn):
            set_identity(conn, mode=mode, region_code=region_code, user_name=user_name,
                         language=language)
        return InitResult(True, load_office(conn))
    except BaseException:
        conn.close()
        if new_file:
            remove_database_files(path)
        raise
    finally:
        conn.close()


def remove_database_files(path: Path) -> None:
    """A database file and its journal, WAL and shared-memory companions, where present."""
    for name in (path.name, path.name + "-journal", path.name + "-wal", path.name + "-shm"):
        path.with_name(name).unlink(missing_ok=True)


def open_workbook(path: Path) -> sqlite3.Connection:
    """Open an initialised workbook; a missing or uninitialised file is refused."""
    path = Path(path)
    if not path.exists():
        raise UnreadableFile("error.no_database", file=str(path))
    conn = open_database(path)
    if not is_initialized(conn):
        conn.close()
        raise PlanMonitorError("error.not_initialized")
    _refresh_catalog(conn)
    return conn


def _refresh_catalog(conn: sqlite3.Connection) -> None:
    """A release's corrected seed catalog reaches a workbook made with an older one."""
    from db.catalog_version import seed_is_newer

    if seed_is_newer(conn):
        from db.catalog import refresh_seed  # only when there is something to apply

        try:
            refresh_seed(conn)
        except BaseException:
            conn.close()
            raise


@dataclass(frozen=True)
class CheckResult:
    """What check_database found."""
    ok: bool
    integrity: str
    foreign_key_problems: int
    schema_version: int
    supported_version: int
    catalog_version: str
    counts: dict[str, int]
    missing: list[str]  # tables and table.columns the schema's version promises but the file lacks
    search_orphans: int = 0  # texts of the search index no row holds (waste, not damage)


def check_database(conn: sqlite3.Connection) -> CheckResult:
    """Integrity, broken references, and the file's tables against its schema version's (read
    with sqlite-utils' introspection, a heavy library: imported here, never at a start)."""
    import sqlite_utils

    from db.catalog import catalog_version

    integrity = conn.execute("PRAGMA integrity_check").fetchone()[0]
    fk_problems = len(conn.execute("PRAGMA foreign_key_check").fetchall())
    found = sqlite_utils.Database(conn)
    counts = {name: found[name].count for name in sorted(found.table_names())}
    missing = missing_schema(found, _columns(_fresh_schema_database()))
    return CheckResult(ok=integrity == "ok" and fk_problems == 0 and not missing,
                       integrity=integrity, foreign_key_problems=fk_problems,
                       schema_version=schema_version(conn),
                       supported_version=schema.SCHEMA_VERSION,
                       catalog_version=catalog_version(conn), counts=counts, missing=missing,
                       search_orphans=orphan_count(conn))


def missing_schema(found: Any, expected: dict[str, list[str]]) -> list[str]:
    """The tables, and the `table.column`s of tables present, of `expected` that the
    sqlite_utils.Database `found` lacks; tables it has beyond them are not a problem."""
    tables = set(found.table_names())
    missing = []
    for table, columns in expected.items():
        if table not in tables:
            missing.append(table)
            continue
        have = set(found[table].columns_dict)
        missing += [f"{table}.{column}" for column in columns if column not in have]
    return missing


def _fresh_schema_database() -> Any:
    """An empty in-memory database built by the migrations, as a sqlite_utils.Database."""
    import sqlite_utils

    conn = connect(":memory:")
    migrate(conn)
    return sqlite_utils.Database(conn)


def _columns(database: Any) -> dict[str, list[str]]:
    try:
        return {name: list(database[name].columns_dict) for name in database.table_names()}
    finally:
        database.conn.close()


def _check_restorable(source: Path) -> None:
    if not source.exists():
        raise UnreadableFile("error.no_database", file=str(source))
    with source.open("rb") as fh:
        if fh.read(16) != b"SQLite format 3\x00":
            raise UnreadableFile("error.not_a_database", file=str(source), detail="not SQLite")
    probe = backup.open_read_only(source)
    try:
        version = probe.execute("PRAGMA user_version").fetchone()[0]
        has_meta = probe.execute("SELECT 1 FROM sqlite_master WHERE name = 'meta'").fetchone()
        integrity = probe.execute("PRAGMA integrity_check").fetchone()[0]
    except sqlite3.DatabaseError as exc:
        raise UnreadableFile("error.not_a_database", file=str(source), detail=str(exc)) from exc
    finally:
        probe.close()
    if not has_meta:
        raise UnreadableFile("error.not_a_workbook_db", file=str(source))
    if version > schema.SCHEMA_VERSION:
        raise PlanMonitorError("error.schema_too_new", file=str(source), found=version,
                               supported=schema.SCHEMA_VERSION)
    if integrity != "ok":
        raise PlanMonitorError("error.backup_damaged", file=str(source), detail=integrity)


def restore_database(db_path: Path, source: Path) -> Path:
    """Replace the workbook with a backup; the current state is backed up first. Returns that
    safety backup's path."""
    source = Path(source)
    _check_restorable(source)
    conn = connect(db_path)
    try:
        safety = backup.automatic_backup(conn, db_path, reason="before-restore")
        remove_pruning(conn)
        backup.restore_into(conn, source)
        migrate(conn, Path(db_path))
        install_pruning(conn)
    finally:
        conn.close()
    log.info("restored %s from %s; the state before is in %s", Path(db_path).name, source.name,
             safety.name)
    return safety
