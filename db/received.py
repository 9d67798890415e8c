"""What this database received of each regional row from another office, and so the base of a
three-way merge when a file from there arrives again.

A file's `revision` column is the sender's revision of each row: in a file this office wrote
itself, the row's own history (db.history) gives the values at that revision. A file from another
office (a region's return at the ministry) speaks of revisions this database never had, so each
row remembers, when a file from elsewhere is applied:
- `received_from`: the sender (a region code, or `center`);
- `received_revision`: the sender's revision of the row in that file;
- the sender's values at that revision, as first received: either the row's own values at a
  revision of this database (`received_base`, the usual case: the file's values were taken as
  they were), or, when this database kept other values (a conflict resolved for the local
  value, a local edit the file did not touch), the values themselves (`received_values`, JSON).

The base of a file's row at revision 0 is the row's empty values: it did not exist at the sender
(an export of rows nobody filled yet, copied to two departments). Otherwise the base of a file's
row from the same sender is those values when the file's revision is the one received or a newer
one. An older revision than the one received has no known base (a stale copy:
any difference is a conflict for a person to resolve), and so has a row received from another
sender. A row never received has its empty values as base.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from db.history import RowHistory
from db.tables import REGIONAL

RECEIVED_COLUMNS = ("received_from", "received_revision", "received_base")

# The columns of a regional row that say what was received (read with its key and fields).
STORED_RECEIVED = ("received_from", "received_revision", "received_base", "received_values")

UNKNOWN = object()  # a base that cannot be known: any difference is a conflict


@dataclass(frozen=True)
class Received:
    """What a stored row says it received: `STORED_RECEIVED`'s four values."""

    source: str | None
    revision: int | None
    base_revision: int | None
    values_json: str | None

    def base(self, history: RowHistory, table: str, key: tuple, source: str,
             revision: int) -> Mapping[str, Any] | object:
        """The sender's values at the file's `revision`, or UNKNOWN."""
        spec = REGIONAL[table]
        if self.source is None or revision == 0:
            return spec.defaults  # revision 0: the row did not exist there, its values empty
        if self.source != source or self.revision is None or revision < self.revision:
            return UNKNOWN
        if self.values_json is not None:
            return dict(zip(spec.fields, json.loads(self.values_json), strict=True))
        return {name: history.value_at(table, key, name, self.base_revision or 0)
                for name in spec.fields}


@dataclass(frozen=True)
class ReceivedMark:
    """Set on an existing row when a file from elsewhere is applied: the sender, its revision
    and, when the row's values after the apply are not the file's, the file's values."""

    table: str
    key: tuple
    source: str | None  # None (with revision None): never received, see `forgotten`
    revision: int | None
    values: tuple | None  # the file's values in field order; None: the row now holds them


def forgotten(table: str, key: tuple) -> ReceivedMark:
    """The mark of a row whose import was undone: never received, so the next file from
    anywhere merges against the row's empty values and lands or asks, never passes as
    'unchanged' because the undone file's values were once received."""
    return ReceivedMark(table, key, None, None, None)


def write_marks(conn: sqlite3.Connection, marks: Sequence[ReceivedMark]) -> None:
    """Record the marks, after the apply's updates (so `received_base` is the row's revision
    after them)."""
    by_table: dict[str, list[tuple]] = {}
    for mark in marks:
        values = None if mark.values is None else json.dumps(list(mark.values),
                                                             ensure_ascii=False)
        by_table.setdefault(mark.table, []).append(
            (mark.source, mark.revision, values, *mark.key))
    for table, rows in by_table.items():
        keys = REGIONAL[table].keys
        where = " AND ".join(f"{k} = ?{i}" for i, k in enumerate(keys, start=4))
        conn.executemany(
            f"UPDATE {table} SET received_from = ?1, received_revision = ?2, "
            f"received_values = ?3, received_base = CASE WHEN ?3 IS NULL THEN revision END "
            f"WHERE {where}", rows)

