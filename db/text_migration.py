"""Schema v6: text stored before control characters were kept out (a note pasted with a vertical
tab, a file's `_x0007_`) is cleaned once, in one audited operation, so every report prints it.

Every TEXT column of the workbook's own tables is looked at (the audit trail and the operations
are history and stay as written; the search index follows its tables through their triggers).
"""

from __future__ import annotations

import sqlite3

from db.audit import Change, OpInfo, begin_operation, drop_empty_operation, record
from resources.text import clean_text

SKIPPED = ("audit", "operation", "meta")
MIGRATION_USER = "Plan Monitor"


def _tables(conn: sqlite3.Connection) -> list[str]:
    rows = conn.execute("SELECT name, sql FROM sqlite_master WHERE type = 'table' "
                        "AND name NOT LIKE 'sqlite%' ORDER BY name").fetchall()
    virtual = {name for name, sql in rows if (sql or "").upper().startswith("CREATE VIRTUAL")}
    # an FTS table's shadow tables are named after it
    return [name for name, _ in rows if name not in virtual and name not in SKIPPED
            and not name.startswith("search")  # the index follows its tables (triggers)
            and not any(name.startswith(f"{v}_") for v in virtual)]


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def clean_stored_text(conn: sqlite3.Connection) -> int:
    """Clean every stored text value (inside the migration's transaction); returns how many
    values changed, each audited as a change of the operation `schema v6`."""
    op_id = begin_operation(conn, OpInfo(user=MIGRATION_USER, source="migration",
                                         description="schema v6: control characters removed"))
    changes: list[Change] = []
    for table in _tables(conn):
        info = conn.execute(f"PRAGMA table_info({_quoted(table)})").fetchall()
        texts = [row[1] for row in info if "TEXT" in (row[2] or "").upper() and not row[5]]
        keys = [row[1] for row in sorted(info, key=lambda r: r[5]) if row[5]] or ["rowid"]
        if not texts:
            continue
        columns = ", ".join(map(_quoted, [*keys, *texts]))
        for row in conn.execute(f"SELECT {columns} FROM {_quoted(table)}").fetchall():
            key = tuple(row[:len(keys)])
            for name, value in zip(texts, row[len(keys):], strict=True):
                if isinstance(value, str) and clean_text(value) != value:
                    changes.append(Change(table, key, name, value, clean_text(value)))
    for table, key, name, _, new in changes:
        names = [row[1] for row in sorted(conn.execute(
            f"PRAGMA table_info({_quoted(table)})").fetchall(), key=lambda r: r[5]) if row[5]]
        names = names or ["rowid"]
        where = " AND ".join(f"{_quoted(k)} = ?" for k in names)
        conn.execute(f"UPDATE {_quoted(table)} SET {_quoted(name)} = ? WHERE {where}",
                     (new, *key))
    record(conn, op_id, changes)
    drop_empty_operation(conn, op_id)
    return len(changes)
