"""Which regional rows still hold demo data, and removing them.

Demo data is written by operations whose source is `demo`. A field still holds demo data while
the last audited change to it came from such an operation; a row is a demo row while any of its
fields does. Later edits (a person's, an import's) take a field out of the demo, so "is there demo
data" is answered from the audit trail, not from a flag that could go stale. The answer for the
whole workbook is cached in `meta.demo_rows` (the band on every page reads it at each refresh);
filling sets it, removing recomputes it.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING

from db.connection import transaction
from db.errors import PlanMonitorError
from db.office import get_meta, load_office, set_meta
from db.tables import REGIONAL

if TYPE_CHECKING:  # the band asks has_demo() at every start: the write path loads these itself
    from db.audit import Change, OpChanges, OpInfo

REGIONAL_TABLES = tuple(REGIONAL)
DEMO_SOURCE = "demo"
DEMO_FLAG = "demo_rows"

_LATEST_DEMO = """
SELECT DISTINCT a.tbl, a.key FROM audit a
WHERE a.op_id IN (SELECT id FROM operation WHERE source = 'demo') AND {tbl} = ? {scope}
  AND a.field <> 'rows_added'
  AND NOT EXISTS (SELECT 1 FROM audit b WHERE b.tbl = a.tbl AND b.key = a.key
                  AND b.field = a.field AND b.op_id > a.op_id)
"""
# Rows a bulk write added (an imported demo return) name their operation instead of auditing
# each field (its one audit entry per scope, key `region|period|*`, names no row and is skipped
# above): such a row is demo data as a whole.
_CREATED_DEMO = """
SELECT {keys} FROM {table}
WHERE created_op IN (SELECT id FROM operation WHERE source = 'demo') {scope}
"""


def _scope(region: str | None, period: str | None) -> tuple[str, tuple]:
    """An SQL condition on the audit key (`region|period|...`) and its parameters."""
    if region and period:
        prefix = f"{region}|{period}|"
        return "AND a.key >= ? AND a.key < ?", (prefix, prefix[:-1] + "}")  # '}' follows '|'
    if region:
        return "AND a.key >= ? AND a.key < ?", (f"{region}|", f"{region}}}")
    if period:
        return "AND a.key LIKE ?", (f"%|{period}|%",)
    return "", ()


def demo_keys(conn: sqlite3.Connection, region: str | None = None,
              period: str | None = None, limit: int | None = None) -> list[tuple[str, str]]:
    """(table, audit key) of the rows still holding demo values, in a region and/or period."""
    if not conn.execute("SELECT 1 FROM operation WHERE source = ? LIMIT 1",
                        (DEMO_SOURCE,)).fetchone():
        return []  # never any demo data: no need to look through the audit trail
    found: dict[tuple[str, str], None] = {}  # ordered, without repeats
    for table in REGIONAL_TABLES:
        for key in (*_audited_demo(conn, table, region, period, limit),
                    *_created_demo(conn, table, region, period, limit)):
            found[key] = None
        if limit and len(found) >= limit:
            break
    return list(found)


def _audited_demo(conn: sqlite3.Connection, table: str, region: str | None,
                  period: str | None, limit: int | None) -> list[tuple[str, str]]:
    condition, params = _scope(region, period)
    # By region, the key index finds the rows; otherwise the demo operations' own audit rows
    # are fewer than a table's ('+' keeps SQLite off the key index).
    sql = _LATEST_DEMO.format(tbl="a.tbl" if region else "+a.tbl", scope=condition)
    sql += f" LIMIT {int(limit)}" if limit else ""
    return [(r[0], r[1]) for r in conn.execute(sql, (table, *params))]


def _created_demo(conn: sqlite3.Connection, table: str, region: str | None,
                  period: str | None, limit: int | None) -> list[tuple[str, str]]:
    wanted = [(c, v) for c, v in (("region_code", region), ("period_code", period)) if v]
    scope = "".join(f" AND {column} = ?" for column, _ in wanted)
    sql = _CREATED_DEMO.format(keys=", ".join(REGIONAL[table].keys), table=table, scope=scope)
    sql += f" LIMIT {int(limit)}" if limit else ""
    rows = conn.execute(sql, tuple(v for _, v in wanted))
    return [(table, "|".join(map(str, r))) for r in rows]


def scope_has_demo(conn: sqlite3.Connection, region: str | None = None,
                   period: str | None = None) -> bool:
    """Whether a return (region and period), a period or a region holds any demo row."""
    return bool(demo_keys(conn, region, period, limit=1))


def has_demo(conn: sqlite3.Connection) -> bool:
    """Whether the workbook holds any demo row (cached in meta; computed once if absent, e.g. in
    a workbook filled before the cache existed)."""
    flag = get_meta(conn, DEMO_FLAG)
    if flag is None:
        flag = "1" if scope_has_demo(conn) else "0"
        with transaction(conn):
            set_meta(conn, DEMO_FLAG, flag)
    return flag == "1"


def mark_demo(conn: sqlite3.Connection, present: bool) -> None:
    with transaction(conn):
        set_meta(conn, DEMO_FLAG, "1" if present else "0")


def real_rows_exist(conn: sqlite3.Connection) -> bool:
    """Whether any regional row holds no demo value (a real return's row)."""
    if not written_by_other_than_demo(conn):
        return False  # everything ever written here is demo data: no need to count rows
    total = sum(conn.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0] for t in REGIONAL_TABLES)
    return total > len(demo_keys(conn))


def written_by_other_than_demo(conn: sqlite3.Connection) -> bool:
    """Whether any operation but a demo one ever wrote a regional row (a field audited, or a row
    added in bulk): one pass over the audit trail, where counting demo rows walks it per row."""
    tables = ", ".join("?" * len(REGIONAL_TABLES))
    if conn.execute(f"SELECT 1 FROM audit a JOIN operation o ON o.id = a.op_id "
                    f"WHERE o.source <> ? AND a.tbl IN ({tables}) LIMIT 1",
                    (DEMO_SOURCE, *REGIONAL_TABLES)).fetchone():
        return True
    return any(conn.execute(f"SELECT 1 FROM {table} WHERE created_op IS NOT NULL AND created_op "
                            f"NOT IN (SELECT id FROM operation WHERE source = ?) LIMIT 1",
                            (DEMO_SOURCE,)).fetchone() for table in REGIONAL_TABLES)


def _typed_key(table: str, key_text: str) -> tuple:
    parts = key_text.split("|", len(REGIONAL[table].keys) - 1)
    return (parts[0], parts[1], int(parts[2])) if table == "action_report" else tuple(parts)


def _last_sources(conn: sqlite3.Connection, table: str, key_text: str) -> dict[str, str]:
    """field -> the source of the operation that last changed it, for one row."""
    rows = conn.execute(
        "SELECT a.field, o.source FROM audit a JOIN operation o ON o.id = a.op_id "
        "WHERE a.tbl = ? AND a.key = ? ORDER BY a.op_id, a.id", (table, key_text)).fetchall()
    return {field: source for field, source in rows}


def _created_by_demo(conn: sqlite3.Connection, op_id: int | None) -> bool:
    if op_id is None:
        return False
    found = conn.execute("SELECT source FROM operation WHERE id = ?", (op_id,)).fetchone()
    return found is not None and found[0] == DEMO_SOURCE


def _remove_row(conn: sqlite3.Connection, table: str, key_text: str, user: str) -> list[Change]:
    """Delete a row that holds only demo values; blank the demo fields of one a person also
    edited (their own values stay)."""
    from db.audit import Change

    spec = REGIONAL[table]
    key = _typed_key(table, key_text)
    where = " AND ".join(f"{k} = ?" for k in spec.keys)
    row = conn.execute(f"SELECT * FROM {table} WHERE {where}", key).fetchone()
    if row is None:
        return []
    last = _last_sources(conn, table, key_text)
    unaudited = DEMO_SOURCE if _created_by_demo(conn, row["created_op"]) else None
    demo = {f for f in spec.fields if last.get(f, unaudited) == DEMO_SOURCE}
    kept = [f for f in spec.fields if f in last and f not in demo]
    if not kept:
        conn.execute(f"DELETE FROM {table} WHERE {where}", key)
        return [Change(table, key, f, row[f], None) for f in spec.fields
                if row[f] not in (None, "")]
    blanks = {f: spec.defaults[f] for f in demo if row[f] != spec.defaults[f]}
    if blanks:
        sets = ", ".join(f"{f} = ?" for f in blanks)
        conn.execute(f"UPDATE {table} SET {sets}, revision = revision + 1, updated_by = ? "
                     f"WHERE {where}", (*blanks.values(), user, *key))
    return [Change(table, key, f, row[f], v) for f, v in blanks.items()]


def remove_demo_rows(conn: sqlite3.Connection, info: OpInfo) -> OpChanges:
    """Remove every demo value in one audited operation (the caller backs up first); clears the
    workbook's demo mark. `info.source` must not be `demo`."""
    from db.audit import OpChanges, begin_operation, record

    if info.source == DEMO_SOURCE:
        raise ValueError("a removal is not itself demo data")
    result = OpChanges()
    with transaction(conn):
        keys = demo_keys(conn)
        op_id = begin_operation(conn, info)
        for table, key_text in keys:
            result.changes.extend(_remove_row(conn, table, key_text, info.user))
        record(conn, op_id, result.changes)
        if not result.changes:
            conn.execute("DELETE FROM operation WHERE id = ?", (op_id,))
        result.op_id = op_id if result.changes else None
        set_meta(conn, DEMO_FLAG, "0")
    return result


def remove_demo(conn: sqlite3.Connection, db_path: Path, info: OpInfo) -> tuple[OpChanges, Path]:
    """Back up the workbook, then remove the demo data. Returns the changes and the backup."""
    from db.backup import automatic_backup  # only when removing

    backup = automatic_backup(conn, db_path, reason="before-demo-removal")
    return remove_demo_rows(conn, info), backup


def is_demo_meta(meta: dict) -> bool:
    """Whether an exchange file's `_meta` says its figures are demo data (`demo` = 1)."""
    return str(meta.get("demo", "") or "").strip() in ("1", "1.0")


def refuse_demo_return(conn: sqlite3.Connection, meta: dict, file: str) -> None:
    """A center that holds real returns refuses a return marked as demo data, so sample figures
    never mix with reported ones. (A workbook with no real figures yet, e.g. one trying the
    program, may still read one.) Raises PlanMonitorError naming the file; returns otherwise."""
    if not is_demo_meta(meta) or str(meta.get("kind", "return")) != "return":
        return
    if load_office(conn).is_center and real_rows_exist(conn):
        raise PlanMonitorError("error.demo_return_refused", file=file,
                               region=str(meta.get("region", "")),
                               period=str(meta.get("period", "")))
