"""The one write path for regional figures. Every call is one transaction, audited, bumps each
changed row's revision once, and returns an OpChanges that says what changed (views refresh from
it). A UI edit, the command line, the demo, an undo and an import all write through
`apply_writes`; an import also hands it the rows it adds (`new_rows`, inserted set-based by
db.bulk) and what it received of each row (`marks`, db.received).

An undo or redo names the values it expects each field to hold (`RowWrite.expected`); they are
compared with the stored row under the write lock, and a field that moved since refuses the
whole write (db.changed_since.ChangedSince): an undo never writes over someone else's change."""

from __future__ import annotations

import hashlib
import sqlite3
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
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
    scope_of,
)
from db.bulk import check_new_rows, insert_new_rows
from db.changed_since import ChangedSince, moved_fields
from db.connection import transaction
from db.errors import PeriodLocked, PlanMonitorError, ValidationFailed
from db.periods import ensure_period
from db.received import ReceivedMark, write_marks
from db.tables import REGIONAL, TEXT_FIELDS
from resources.text import clean_text

# Up to this many rows of one table, region and period are read one by one; more, all at once.
FEW_ROWS = 64


@dataclass(frozen=True)
class RowWrite:
    """Set `values` (a subset of the table's fields) on the row at `key`; with `expected`, only
    if each of those fields still holds that value (an undo's or redo's guard)."""

    table: str
    key: tuple
    values: Mapping[str, Any]
    expected: Mapping[str, Any] | None = field(default=None, compare=False)


def review_state(conn: sqlite3.Connection, region: str, period: str) -> str | None:
    row = conn.execute("SELECT state FROM review WHERE region_code = ? AND period_code = ?",
                       (region, period)).fetchone()
    return row[0] if row else None


def ensure_unlocked(conn: sqlite3.Connection, region: str, period: str) -> None:
    if review_state(conn, region, period) == "accepted":
        raise PeriodLocked("error.period_locked", region=region, period=period)


def normalise(table: str, values: Mapping[str, Any]) -> dict[str, Any]:
    out = dict(values)
    if table == "gender_figure":
        for name in ("women", "total"):
            if isinstance(out.get(name), float) and out[name].is_integer():
                out[name] = int(out[name])
    for name in TEXT_FIELDS:
        if name in out and out[name] is None:
            out[name] = ""
        elif isinstance(out.get(name), str):  # typed or pasted: no control characters
            out[name] = clean_text(out[name])
    return out


def apply_writes(conn: sqlite3.Connection, writes: Iterable[RowWrite], info: OpInfo,
                 check_lock: bool = True, *,
                 new_rows: Mapping[str, list[tuple]] | None = None,
                 marks: Sequence[ReceivedMark] = ()) -> OpChanges:
    """Apply row writes as one audited, all-or-nothing operation. `new_rows` (an import's):
    table -> rows `(*key, *fields, received_from, received_revision, received_base)` not stored
    when the plan was made (the importer checks under the write lock that nothing was written
    since). Raises ValidationFailed with every problem, or ChangedSince, and writes nothing."""
    writes = merge_same_row(writes)
    new_rows = {table: rows for table, rows in (new_rows or {}).items() if rows}
    result = OpChanges()
    with transaction(conn):
        units = _units(conn, writes, new_rows)
        op_id = begin_operation(conn, info)
        scopes = {table: Counter(map(scope_of, rows)) for table, rows in new_rows.items()}
        for table, counts in scopes.items():
            _prepare_scopes(conn, counts, check_lock)
            check_new_rows(table, new_rows[table], units)
        changes = _write_updates(conn, writes, info.user, units, check_lock)
        insert_new_rows(conn, new_rows, scopes, op_id, info.user)
        write_marks(conn, marks)
        record(conn, op_id, changes)
        drop_empty_operation(conn, op_id)
        result.changes = changes
        result.op_id = op_id if changes or new_rows else None
    return result


def merge_same_row(writes: Iterable[RowWrite]) -> list[RowWrite]:
    """Writes to one row become one (later values win), so its revision grows once."""
    merged: dict[tuple[str, tuple], tuple[dict[str, Any], dict[str, Any]]] = {}
    for write in writes:
        values, expected = merged.setdefault((write.table, write.key), ({}, {}))
        values.update(write.values)
        expected.update(write.expected or {})
    return [RowWrite(table, key, values, expected or None)
            for (table, key), (values, expected) in merged.items()]


def _units(conn: sqlite3.Connection, writes: list[RowWrite],
           new_rows: Mapping[str, list[tuple]]) -> dict[str, str]:
    """Each named indicator's unit: all of them for an import's new rows, else those written."""
    if new_rows.get("indicator_value"):
        return dict(conn.execute("SELECT code, unit FROM indicator").fetchall())
    codes = sorted({w.key[2] for w in writes if w.table == "indicator_value"})
    units: dict[str, str] = {}
    for start in range(0, len(codes), 500):
        part = codes[start:start + 500]
        units.update(conn.execute("SELECT code, unit FROM indicator WHERE code IN "
                                  f"({', '.join('?' * len(part))})", part).fetchall())
    return units


def _prepare_scopes(conn: sqlite3.Connection, scopes: Iterable[tuple[str, str]],
                    check_lock: bool) -> None:
    for region, period in scopes:
        if check_lock:
            ensure_unlocked(conn, region, period)
        ensure_period(conn, period)


def _stored_rows(conn: sqlite3.Connection, table: str, scope: tuple[str, str],
                 keys: list[tuple]) -> dict[tuple, dict[str, Any]]:
    """The stored fields of the rows at `keys` of one region and period: row by row for a few,
    the whole scope in one statement for many (an import)."""
    spec = REGIONAL[table]
    cols = ", ".join((*spec.keys, *spec.fields))
    n = len(spec.keys)
    if len(keys) <= FEW_ROWS:
        where = " AND ".join(f"{k} = ?" for k in spec.keys)
        found = (conn.execute(f"SELECT {cols} FROM {table} WHERE {where}", key).fetchone()
                 for key in keys)
        rows: Iterable[tuple] = (row for row in found if row is not None)
    else:
        rows = conn.execute(f"SELECT {cols} FROM {table} WHERE region_code = ? "
                            "AND period_code = ?", scope)
    return {tuple(row[:n]): dict(zip(spec.fields, row[n:], strict=True)) for row in rows}


def _stored_by_scope(conn: sqlite3.Connection, writes: list[RowWrite],
                     check_lock: bool) -> dict[tuple[str, str, str], dict[tuple, dict[str, Any]]]:
    keys: dict[tuple[str, str, str], list[tuple]] = {}
    for write in writes:
        unknown = write.values.keys() - REGIONAL[write.table].fields
        if unknown:
            raise PlanMonitorError("error.unknown_field", field=", ".join(sorted(unknown)))
        keys.setdefault((write.table, write.key[0], write.key[1]), []).append(write.key)
    _prepare_scopes(conn, {scope[1:] for scope in keys}, check_lock)
    return {scope: _stored_rows(conn, scope[0], scope[1:], scope_keys)
            for scope, scope_keys in keys.items()}


def _moved(write: RowWrite, stored: Mapping[str, Any]) -> list[tuple]:
    """The fields whose stored value is not the one `write` expects (an undo's guard)."""
    expected = normalise(write.table, write.expected or {})
    return [(write.table, write.key, name, value, stored[name])
            for name, value in expected.items() if not validation.same(stored[name], value)]


def _write_updates(conn: sqlite3.Connection, writes: list[RowWrite], user: str,
                   units: Mapping[str, str], check_lock: bool) -> list[Change]:
    """Check each write against its stored row (its guard, then every rule), then write the rows
    that change with one statement per table and set of fields."""
    stored_by_scope = _stored_by_scope(conn, writes, check_lock)
    inserts: dict[str, list[tuple]] = {}
    updates: dict[tuple[str, tuple[str, ...]], list[tuple]] = {}
    problems, changes, moved = [], [], []
    stamp = now_iso()
    for write in writes:
        spec = REGIONAL[write.table]
        stored_rows = stored_by_scope[(write.table, write.key[0], write.key[1])]
        row = stored_rows.get(write.key)
        stored = row if row is not None else dict(spec.defaults)
        moved += _moved(write, stored)
        values = normalise(write.table, write.values)
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
        stored_rows[write.key] = merged
        changes += [Change(write.table, write.key, f, stored[f], v) for f, v in diffs.items()]
    if moved:
        raise ChangedSince(moved_fields(conn, moved))
    if problems:
        raise ValidationFailed(problems)
    for table, rows in inserts.items():
        spec = REGIONAL[table]
        cols = (*spec.keys, *spec.fields, "revision", "updated_at", "updated_by")
        conn.executemany(f"INSERT INTO {table}({', '.join(cols)}) "
                         f"VALUES ({', '.join('?' * len(cols))})", rows)
    for (table, fields), rows in updates.items():
        sets = ", ".join(f"{f} = ?" for f in fields)
        where = " AND ".join(f"{k} = ?" for k in REGIONAL[table].keys)
        conn.executemany(f"UPDATE {table} SET {sets}, revision = revision + 1, updated_at = ?, "
                         f"updated_by = ? WHERE {where}", rows)
    return changes


# --- Small operations the UI and the CLI call ------------------------------------------------------

def update_action(conn: sqlite3.Connection, region: str, period: str, action_no: int,
                  info: OpInfo, **values: Any) -> OpChanges:
    return apply_writes(conn, [RowWrite("action_report", (region, period, int(action_no)), values)],
                        info)


def update_gender(conn: sqlite3.Connection, region: str, period: str, body: str,
                  info: OpInfo, **values: Any) -> OpChanges:
    return apply_writes(conn, [RowWrite("gender_figure", (region, period, body), values)], info)


def update_indicator(conn: sqlite3.Connection, region: str, period: str, indicator: str,
                     disaggregation: str, info: OpInfo, **values: Any) -> OpChanges:
    return apply_writes(
        conn, [RowWrite("indicator_value", (region, period, indicator, disaggregation), values)],
        info)


# --- Attachments ---------------------------------------------------------------------------------

MAX_ATTACHMENT_BYTES = 50 * 1024 * 1024


def add_attachment(conn: sqlite3.Connection, region: str, period: str, action_no: int,
                   path: Path, info: OpInfo) -> OpChanges:
    path = Path(path)
    size = path.stat().st_size
    if size > MAX_ATTACHMENT_BYTES:
        raise PlanMonitorError("error.attachment_too_large", file=path.name,
                               limit_mb=MAX_ATTACHMENT_BYTES // (1024 * 1024))
    content = path.read_bytes()
    digest = hashlib.sha256(content).hexdigest()
    result = OpChanges()
    with transaction(conn):
        ensure_unlocked(conn, region, period)
        ensure_period(conn, period)
        op_id = begin_operation(conn, info)
        cur = conn.execute(
            "INSERT INTO attachment(region_code, period_code, action_no, name, size, sha256, "
            "content, added_at, added_by) VALUES (?,?,?,?,?,?,?,?,?)",
            (region, period, action_no, path.name, size, digest, content, now_iso(), info.user))
        change = Change("attachment", (region, period, action_no, cur.lastrowid), "file", None,
                        f"{path.name} ({size} B, sha256 {digest[:12]})")
        record(conn, op_id, [change])
        result.op_id, result.changes = op_id, [change]
    return result


def remove_attachment(conn: sqlite3.Connection, attachment_id: int, info: OpInfo) -> OpChanges:
    result = OpChanges()
    with transaction(conn):
        row = conn.execute("SELECT region_code, period_code, action_no, name, size, sha256 "
                           "FROM attachment WHERE id = ?", (attachment_id,)).fetchone()
        if row is None:
            return result
        ensure_unlocked(conn, row[0], row[1])
        op_id = begin_operation(conn, info)
        conn.execute("DELETE FROM attachment WHERE id = ?", (attachment_id,))
        change = Change("attachment", (row[0], row[1], row[2], attachment_id), "file",
                        f"{row[3]} ({row[4]} B, sha256 {row[5][:12]})", None)
        record(conn, op_id, [change])
        result.op_id, result.changes = op_id, [change]
    return result


def attachment_content(conn: sqlite3.Connection, attachment_id: int) -> tuple[str, bytes]:
    row = conn.execute("SELECT name, content FROM attachment WHERE id = ?",
                       (attachment_id,)).fetchone()
    if row is None:
        raise PlanMonitorError("error.no_attachment", id=attachment_id)
    return row[0], bytes(row[1])
