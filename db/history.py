"""A regional row's field values by revision, read back from the audit trail.

Each audited operation on a row is one revision. A row added field by field (a UI edit, the
command line) has its first values in `audit`; a row added by a bulk import names the operation
that added it in `created_op`, and its first values are not copied into `audit` (see
`db.audit.record_added`): they are the row's values until a later change, whose audit entry
keeps the value it replaced. Either way the history here is the same.

The History page's list of changes (`audit_entries`) reads the same trail.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from typing import Any

from db.audit import as_text, key_text
from db.tables import REGIONAL

# (op_id, field, new value as text) in the order the row went through them
Entry = tuple[int, str, str | None]


class RowHistory:
    """Reads each row's history once (read only for rows that differ, so one query per row)."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        self.cache: dict[tuple[str, tuple], list[Entry]] = {}

    def entries(self, table: str, key: tuple) -> list[Entry]:
        if (table, key) not in self.cache:
            self.cache[(table, key)] = self._read(table, key)
        return self.cache[(table, key)]

    def _read(self, table: str, key: tuple) -> list[Entry]:
        audited = self.conn.execute(
            "SELECT op_id, field, old_value, new_value FROM audit WHERE tbl = ? AND key = ? "
            "ORDER BY id", (table, key_text(key))).fetchall()
        entries: list[Entry] = [(op, name, new) for op, name, _, new in audited]
        return self._added_in_bulk(table, key, audited) + entries

    def _added_in_bulk(self, table: str, key: tuple, audited: list[tuple]) -> list[Entry]:
        """The row's first revision, when a bulk import added it: each field's first value is
        the one its first audited change replaced, or else the value it still has."""
        spec = REGIONAL[table]
        where = " AND ".join(f"{k} = ?" for k in spec.keys)
        row = self.conn.execute(f"SELECT created_op, {', '.join(spec.fields)} FROM {table} "
                                f"WHERE {where}", key).fetchone()
        if row is None or row[0] is None:
            return []
        op_id = int(row[0])
        first: dict[str, str | None] = {}
        for _, name, old, _ in audited:
            first.setdefault(name, old)
        return [(op_id, name, first[name] if name in first else as_text(value))
                for name, value in zip(spec.fields, row[1:], strict=True)]

    def value_at(self, table: str, key: tuple, name: str, revision: int) -> Any:
        """The field's value when the row was at `revision`."""
        ops: list[int] = []
        value: Any = REGIONAL[table].defaults[name]
        for op_id, entry_field, new_value in self.entries(table, key):
            if not ops or ops[-1] != op_id:
                ops.append(op_id)
                if len(ops) > revision:
                    break
            if entry_field == name:
                value = new_value
        return typed(name, value)


def typed(name: str, value: Any) -> Any:
    """Audit values are text; numbers come back as numbers."""
    if value is None or name not in ("women", "total", "value"):
        return value
    try:
        number = float(value)
    except ValueError:
        return value
    return int(number) if name in ("women", "total") and number.is_integer() else number


@dataclass(frozen=True)
class AuditEntry:
    """A field's change in the audit trail, with the operation that made it."""
    id: int
    at: str
    user: str
    source: str
    description: str
    file_name: str | None
    file_sha256: str | None
    table: str
    key: str
    field: str
    old_value: str | None
    new_value: str | None


def audit_entries(conn: sqlite3.Connection, *, table: str | None = None,
                  key_prefix: str | None = None, source: str | None = None,
                  text: str | None = None, limit: int = 5000) -> list[AuditEntry]:
    # The initial catalog is one entry, its version: workbooks made before it was audited so
    # keep each of its ~1,800 fields in the trail, which History does not list.
    clauses, args = ["(o.source <> 'seed' OR a.tbl = 'meta')"], []
    if table:
        clauses.append("a.tbl = ?")
        args.append(table)
    if key_prefix:
        clauses.append("a.key LIKE ? ESCAPE '\\'")
        args.append(key_prefix.replace("%", "\\%").replace("_", "\\_") + "%")
    if source:
        clauses.append("o.source = ?")
        args.append(source)
    if text:
        clauses.append("(a.old_value LIKE ? OR a.new_value LIKE ? OR o.user LIKE ? "
                       "OR o.file_name LIKE ? OR a.key LIKE ?)")
        args.extend([f"%{text}%"] * 5)
    where = ("WHERE " + " AND ".join(clauses)) if clauses else ""
    return [AuditEntry(*r) for r in conn.execute(
        f"""SELECT a.id, o.at, o.user, o.source, o.description, o.file_name, o.file_sha256,
                   a.tbl, a.key, a.field, a.old_value, a.new_value
            FROM audit a JOIN operation o ON o.id = a.op_id {where}
            ORDER BY a.id DESC LIMIT ?""", (*args, limit))]
