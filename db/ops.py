"""The one write path for regional figures. Every call is one transaction, audited, bumps the
row's revision, and returns an OpChanges that says what changed (views refresh from it)."""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from db import rules, validation
from db.audit import (
    Change,
    OpChanges,
    OpInfo,
    begin_operation,
    drop_empty_operation,
    now_iso,
    record,
)
from db.connection import transaction
from db.errors import PeriodLocked, PlanMonitorError, ValidationFailed
from db.periods import ensure_period
from db.tables import REGIONAL, TEXT_FIELDS
from resources.text import clean_text


@dataclass(frozen=True)
class RowWrite:
    """Set `values` (a subset of the table's fields) on the row at `key`."""

    table: str
    key: tuple
    values: Mapping[str, Any]


def review_state(conn: sqlite3.Connection, region: str, period: str) -> str | None:
    row = conn.execute("SELECT state FROM review WHERE region_code = ? AND period_code = ?",
                       (region, period)).fetchone()
    return row[0] if row else None


def ensure_unlocked(conn: sqlite3.Connection, region: str, period: str) -> None:
    if review_state(conn, region, period) == "accepted":
        raise PeriodLocked("error.period_locked", region=region, period=period)


def current_row(conn: sqlite3.Connection, table: str, key: tuple) -> sqlite3.Row | None:
    spec = REGIONAL[table]
    where = " AND ".join(f"{k} = ?" for k in spec.keys)
    return conn.execute(f"SELECT * FROM {table} WHERE {where}", key).fetchone()


def _unit_of(conn: sqlite3.Connection, indicator: str) -> str:
    row = conn.execute("SELECT unit FROM indicator WHERE code = ?", (indicator,)).fetchone()
    if row is None:
        raise PlanMonitorError("error.unknown_indicator", indicator=indicator)
    return row[0]


def validate_row(conn: sqlite3.Connection, write: RowWrite,
                 merged: Mapping[str, Any]) -> list[rules.Problem]:
    """Check the row as it would be after the write (see validation.row_problems)."""
    unknown = set(write.values) - set(REGIONAL[write.table].fields)
    if unknown:
        raise PlanMonitorError("error.unknown_field", field=", ".join(sorted(unknown)))
    unit = (_unit_of(conn, write.key[2])
            if write.table == "indicator_value" and "value" in write.values else None)
    return validation.row_problems(write.table, merged, write.values, unit)


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


def write_row(conn: sqlite3.Connection, write: RowWrite, user: str,
              check_lock: bool = True) -> list[Change]:
    """Apply one row write inside the caller's transaction; returns field changes (and raises
    ValidationFailed without writing when a rule is broken)."""
    spec = REGIONAL[write.table]
    values = normalise(write.table, write.values)
    region, period = write.key[0], write.key[1]
    if check_lock:
        ensure_unlocked(conn, region, period)
    row = current_row(conn, write.table, write.key)
    stored = {f: (row[f] if row else spec.defaults[f]) for f in spec.fields}
    merged = {**stored, **values}
    problems = validate_row(conn, write, merged)
    if problems:
        raise ValidationFailed(problems)
    diffs = {f: v for f, v in values.items() if not validation.same(stored[f], v)}
    if not diffs:
        return []
    stamp = now_iso()
    if row is None:
        ensure_period(conn, period)
        cols = (*spec.keys, *spec.fields, "revision", "updated_at", "updated_by")
        conn.execute(f"INSERT INTO {write.table}({', '.join(cols)}) "
                     f"VALUES ({', '.join('?' * len(cols))})",
                     (*write.key, *(merged[f] for f in spec.fields), 1, stamp, user))
    else:
        sets = ", ".join(f"{f} = ?" for f in diffs)
        where = " AND ".join(f"{k} = ?" for k in spec.keys)
        conn.execute(f"UPDATE {write.table} SET {sets}, revision = revision + 1, updated_at = ?, "
                     f"updated_by = ? WHERE {where}", (*diffs.values(), stamp, user, *write.key))
    return [Change(write.table, write.key, f, stored[f], v) for f, v in diffs.items()]


def apply_writes(conn: sqlite3.Connection, writes: Iterable[RowWrite], info: OpInfo,
                 check_lock: bool = True) -> OpChanges:
    """Apply many row writes as one audited, all-or-nothing operation."""
    result = OpChanges()
    with transaction(conn):
        op_id = begin_operation(conn, info)
        for write in writes:
            result.changes.extend(write_row(conn, write, info.user, check_lock))
        record(conn, op_id, result.changes)
        drop_empty_operation(conn, op_id)
        result.op_id = op_id if result.changes else None
    return result


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
