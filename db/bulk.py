"""The import's write path: what `db.ops.apply_writes` does (validated, audited, revision + 1, all
or nothing), set-based for a file of national size.

An import brings three kinds of writes:
- changes to stored rows (`RowWrite`s, few): each validated against the stored row, written with
  executemany and audited field by field;
- rows not stored yet (`new_rows`, up to 100,000): validated column by column, inserted naming
  the operation that added them (`created_op`) and audited as one `rows_added` entry per table,
  region and period (db.audit.record_added), not one per field;
- for a file from another office, what this database received of each row (`marks`; see
  db.received): the sender's revision and the values it had there, the base of the next merge.
"""

from __future__ import annotations

import sqlite3
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from db import validation
from db.audit import (
    Change,
    OpChanges,
    OpInfo,
    begin_operation,
    drop_empty_operation,
    now_iso,
    record,
    record_added,
    scope_of,
)
from db.connection import transaction
from db.errors import PlanMonitorError, ValidationFailed
from db.ops import RowWrite, ensure_unlocked, normalise
from db.periods import ensure_period
from db.received import RECEIVED_COLUMNS, ReceivedMark, write_marks
from db.search_index import index_added
from db.tables import REGIONAL

# The columns a new row carries after its key and fields: what was received (None for a file of
# this office's own), then the revision, time, user and operation that added it.
NEW_ROW_TAIL = (*RECEIVED_COLUMNS, "revision", "updated_at", "updated_by", "created_op")


def apply_writes_bulk(conn: sqlite3.Connection, writes: Iterable[RowWrite], info: OpInfo, *,
                      check_lock: bool = True,
                      new_rows: Mapping[str, list[tuple]] | None = None,
                      marks: Sequence[ReceivedMark] = ()) -> OpChanges:
    """Apply an import in one transaction. `new_rows`: table -> rows `(*key, *fields,
    received_from, received_revision, received_base)` that were not stored when the plan was
    made (the caller checks under the write lock that nothing was written since). Raises
    ValidationFailed with every problem and writes nothing when a rule is broken."""
    writes = _merge_same_row(list(writes))
    new_rows = new_rows or {}
    units = dict(conn.execute("SELECT code, unit FROM indicator").fetchall())
    result = OpChanges()
    with transaction(conn):
        op_id = begin_operation(conn, info)
        scopes = {table: Counter(map(scope_of, rows)) for table, rows in new_rows.items() if rows}
        for table, counts in scopes.items():
            _prepare_scopes(conn, counts, check_lock)
            _check_new_rows(table, new_rows[table], units)
        changes = _write_updates(conn, writes, info.user, units, check_lock)
        stamp = now_iso()
        for table, rows in new_rows.items():
            _insert_new(conn, table, rows, (1, stamp, info.user, op_id))
            index_added(conn, table, op_id)
        write_marks(conn, marks)
        record(conn, op_id, changes)
        for table, counts in scopes.items():
            record_added(conn, op_id, table, counts)
        drop_empty_operation(conn, op_id)
        added = any(new_rows.values())
        result.changes = changes
        result.op_id = op_id if changes or added else None
    return result


def _merge_same_row(writes: list[RowWrite]) -> list[RowWrite]:
    """Writes to one row become one (later values win), so its revision grows once."""
    merged: dict[tuple[str, tuple], dict[str, Any]] = {}
    for write in writes:
        merged.setdefault((write.table, write.key), {}).update(write.values)
    return [RowWrite(table, key, values) for (table, key), values in merged.items()]


def _prepare_scopes(conn: sqlite3.Connection, scopes: Iterable[tuple[str, str]],
                    check_lock: bool) -> None:
    for region, period in scopes:
        if check_lock:
            ensure_unlocked(conn, region, period)
        ensure_period(conn, period)


def _check_new_rows(table: str, rows: list[tuple], units: Mapping[str, str]) -> None:
    """Every rule over the new rows' columns at once; row by row only to name what is wrong."""
    spec = REGIONAL[table]
    n = len(spec.keys)
    row_units: list[str] = []
    if table == "indicator_value":
        row_units = [units.get(row[2], "") for row in rows]
        if "" in row_units:
            raise PlanMonitorError("error.unknown_indicator",
                                   indicator=rows[row_units.index("")][2])
    columns = {name: [row[n + i] for row in rows] for i, name in enumerate(spec.fields)}
    if validation.columns_ok(table, columns, row_units):
        return
    problems = []
    for index, row in enumerate(rows):
        values = dict(zip(spec.fields, row[n:n + len(spec.fields)], strict=True))
        unit = row_units[index] if row_units else None
        problems += validation.row_problems(table, values, spec.fields, unit)
    if problems:
        raise ValidationFailed(problems)


def _stored_rows(conn: sqlite3.Connection, table: str, region: str,
                 period: str) -> dict[tuple, dict[str, Any]]:
    spec = REGIONAL[table]
    cols = ", ".join((*spec.keys, *spec.fields))
    n = len(spec.keys)
    return {tuple(row[:n]): dict(zip(spec.fields, row[n:], strict=True)) for row in conn.execute(
        f"SELECT {cols} FROM {table} WHERE region_code = ? AND period_code = ?", (region, period))}


def _write_updates(conn: sqlite3.Connection, writes: list[RowWrite], user: str,
                   units: Mapping[str, str], check_lock: bool) -> list[Change]:
    """Validate each write against its stored row (read once per table and scope), then write
    the rows that change with one statement per table and set of fields."""
    stored_by_scope: dict[tuple[str, str, str], dict[tuple, dict[str, Any]]] = {}
    inserts: dict[str, list[tuple]] = {}
    updates: dict[tuple[str, tuple[str, ...]], list[tuple]] = {}
    problems, changes = [], []
    stamp = now_iso()
    for write in writes:
        spec = REGIONAL[write.table]
        unknown = write.values.keys() - spec.fields
        if unknown:
            raise PlanMonitorError("error.unknown_field", field=", ".join(sorted(unknown)))
        scope = (write.table, write.key[0], write.key[1])
        if scope not in stored_by_scope:
            _prepare_scopes(conn, [scope[1:]], check_lock)
            stored_by_scope[scope] = _stored_rows(conn, *scope)
        values = normalise(write.table, write.values)
        row = stored_by_scope[scope].get(write.key)
        stored = row if row is not None else dict(spec.defaults)
        merged = {**stored, **values}
        unit = None
        if write.table == "indicator_value":
            unit = units.get(write.key[2])
            if unit is None:
                raise PlanMonitorError("error.unknown_indicator", indicator=write.key[2])
        found = validation.row_problems(write.table, merged, values, unit)
        if found:
            problems += found
            continue
        diffs = {f: v for f, v in values.items() if not validation.same(stored[f], v)}
        if not diffs:
            continue
        if row is None:
            inserts.setdefault(write.table, []).append(
                (*write.key, *(merged[f] for f in spec.fields), 1, stamp, user))
        else:
            updates.setdefault((write.table, tuple(diffs)), []).append(
                (*diffs.values(), stamp, user, *write.key))
        stored_by_scope[scope][write.key] = merged
        changes += [Change(write.table, write.key, f, stored[f], v) for f, v in diffs.items()]
    if problems:
        raise ValidationFailed(problems)
    for table, rows in inserts.items():
        _insert(conn, table, ("revision", "updated_at", "updated_by"), rows)
    for (table, fields), rows in updates.items():
        sets = ", ".join(f"{f} = ?" for f in fields)
        where = " AND ".join(f"{k} = ?" for k in REGIONAL[table].keys)
        conn.executemany(f"UPDATE {table} SET {sets}, revision = revision + 1, updated_at = ?, "
                         f"updated_by = ? WHERE {where}", rows)
    return changes


def _insert(conn: sqlite3.Connection, table: str, tail: tuple[str, ...],
            rows: Iterable[tuple]) -> None:
    """Insert rows `(*key, *fields, *tail)` (every value bound, none spliced into the text)."""
    spec = REGIONAL[table]
    cols = (*spec.keys, *spec.fields, *tail)
    conn.executemany(f"INSERT INTO {table}({', '.join(cols)}) "
                     f"VALUES ({', '.join('?' * len(cols))})", rows)


def _insert_new(conn: sqlite3.Connection, table: str, rows: list[tuple],
                tail: tuple[int, str, str, int]) -> None:
    _insert(conn, table, NEW_ROW_TAIL, (row + tail for row in rows))
