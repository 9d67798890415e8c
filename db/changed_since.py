"""Why an undo or redo was refused: a field no longer holds the value the step wrote.

An undo writes a step's old values back and a redo its new ones. Either is safe only where each
field still holds what the step left there; otherwise someone changed it since (an import, the
ministry's decision, another edit) and writing over it would destroy that change. The write path
(`db.ops.apply_writes`) compares a `RowWrite`'s `expected` values with the stored row under the
write lock and raises `ChangedSince`, naming each such field and the operation that set it, so the
app can say in words what happened. Nothing is written then.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from typing import Any

from db.errors import PlanMonitorError
from db.history import RowHistory


@dataclass(frozen=True)
class Origin:
    """The operation that last set a field: where it came from and who made it."""

    source: str  # db.audit.SOURCES: "ui", "import", "review", ...
    user: str
    file_name: str | None
    at: str


@dataclass(frozen=True)
class Moved:
    """A field that holds `current` where the step expected `expected`."""

    table: str
    key: tuple
    field: str
    expected: Any
    current: Any
    origin: Origin | None


class ChangedSince(PlanMonitorError):
    """Refused: fields changed since the step being undone or redone; nothing was written."""

    def __init__(self, moved: list[Moved]) -> None:
        first = moved[0]
        super().__init__("undo_status.changed_since_plain", field=first.field,
                         count=len(moved))
        self.moved = moved


def origin_of(conn: sqlite3.Connection, history: RowHistory, table: str, key: tuple,
              name: str) -> Origin | None:
    """The operation that last set `name` of the row (its audit entry, or the bulk import that
    added the row); None when the trail says nothing (a value older than the trail)."""
    ops = [op for op, field, _ in history.entries(table, key) if field == name]
    if not ops:
        return None
    row = conn.execute("SELECT source, user, file_name, at FROM operation WHERE id = ?",
                       (ops[-1],)).fetchone()
    return Origin(row[0], row[1], row[2], row[3]) if row else None


def moved_fields(conn: sqlite3.Connection,
                 found: list[tuple[str, tuple, str, Any, Any]]) -> list[Moved]:
    """`found`: (table, key, field, expected, current) of each field that moved; each with the
    operation that moved it."""
    history = RowHistory(conn)
    return [Moved(table, key, name, expected, current,
                  origin_of(conn, history, table, key, name))
            for table, key, name, expected, current in found]
