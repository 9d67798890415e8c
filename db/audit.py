"""The audit trail and the value every operation returns: what changed.

Every write (UI edit, command line, import, catalog update) opens one `operation` row and writes
one `audit` row per changed field, inside the same transaction as the change itself. One
exception keeps national imports fast: rows a bulk import adds are audited as one `rows_added`
entry per table, region and period (`record_added`), and each such row names the operation that
added it in its `created_op` column; its first values are the row's own until a later change,
whose audit row keeps the value it replaced (`db.history` reads both alike).
"""

from __future__ import annotations

import operator
import sqlite3
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, NamedTuple

SOURCES = ("ui", "cli", "import", "demo", "seed", "catalog", "review", "restore")


def now_iso() -> str:
    return datetime.now().isoformat(timespec="seconds")


def key_text(key: tuple) -> str:
    try:
        return "|".join(key)  # the usual key: all text
    except TypeError:
        return "|".join(map(str, key))


class Change(NamedTuple):
    """One field one operation changed (a named tuple: a national import makes 100,000s)."""

    table: str
    key: tuple
    field: str
    old: Any
    new: Any


@dataclass
class OpChanges:
    """What one operation changed; views refresh from this instead of polling the database."""

    op_id: int | None = None
    changes: list[Change] = field(default_factory=list)

    @property
    def tables(self) -> set[str]:
        return {c.table for c in self.changes}

    @property
    def keys(self) -> set[tuple[str, tuple]]:
        return {(c.table, c.key) for c in self.changes}

    def __bool__(self) -> bool:
        return bool(self.changes)

    def extend(self, other: OpChanges) -> None:
        self.changes.extend(other.changes)


@dataclass(frozen=True)
class OpInfo:
    """Who makes a change and from where (the UI, the CLI, or an imported file)."""

    user: str
    source: str = "ui"
    description: str = ""
    file_name: str | None = None
    file_sha256: str | None = None


def begin_operation(conn: sqlite3.Connection, info: OpInfo) -> int:
    cur = conn.execute(
        "INSERT INTO operation(at, user, source, description, file_name, file_sha256) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        (now_iso(), info.user, info.source, info.description, info.file_name, info.file_sha256),
    )
    return int(cur.lastrowid)


def as_text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _audit_rows(op_id: int, changes: Iterable[Change]) -> Iterable[tuple]:
    """Audit rows for `changes`, built in one tight loop (a national import audits every field):
    the key's text is made once per row, not per field; values as `as_text` writes them."""
    last_key: tuple | None = None
    text = ""
    for table, key, name, old, new in changes:
        if key is not last_key:
            last_key, text = key, key_text(key)
        if old is not None and type(old) is not str:
            old = as_text(old)
        if new is not None and type(new) is not str:
            new = as_text(new)
        yield (op_id, table, text, name, old, new)


def record(conn: sqlite3.Connection, op_id: int, changes: Iterable[Change]) -> None:
    conn.executemany(
        "INSERT INTO audit(op_id, tbl, key, field, old_value, new_value) VALUES (?, ?, ?, ?, ?, ?)",
        _audit_rows(op_id, changes))


scope_of = operator.itemgetter(0, 1)  # (region, period) of a regional key or row
ROWS_ADDED = "rows_added"  # the field of a bulk import's one audit entry per table and scope


def record_added(conn: sqlite3.Connection, op_id: int, table: str,
                 counts: Mapping[tuple[str, str], int]) -> None:
    """Audit rows added in bulk by `op_id` (their `created_op`): one entry per region and period
    (key `region|period|*`) with the number of rows added (`counts`: (region, period) -> rows;
    `Counter(map(scope_of, rows))`), instead of one per field."""
    conn.executemany(
        "INSERT INTO audit(op_id, tbl, key, field, old_value, new_value) VALUES (?, ?, ?, ?, ?, ?)",
        [(op_id, table, f"{region}|{period}|*", ROWS_ADDED, None, str(count))
         for (region, period), count in sorted(counts.items())])


def drop_empty_operation(conn: sqlite3.Connection, op_id: int) -> None:
    """An operation that changed nothing leaves no trace (importing a file twice stays silent)."""
    conn.execute("DELETE FROM operation WHERE id = ? AND NOT EXISTS "
                 "(SELECT 1 FROM audit WHERE op_id = ?)", (op_id, op_id))
