"""The rows an import adds, set-based: a national return adds up to 100,000 rows that were not
stored yet. `db.ops.apply_writes` (the one write path) hands them here inside its transaction:
they are validated column by column, inserted with one statement per table naming the operation
that added them (`created_op`), indexed for search in two statements, and audited as one
`rows_added` entry per table, region and period (db.audit.record_added), not one per field.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping

from db import validation
from db.audit import now_iso, record_added
from db.errors import PlanMonitorError, ValidationFailed
from db.received import RECEIVED_COLUMNS
from db.search_index import index_added
from db.tables import REGIONAL

# The columns a new row carries after its key and fields: what was received (None for a file of
# this office's own), then the revision, time, user and operation that added it.
NEW_ROW_TAIL = (*RECEIVED_COLUMNS, "revision", "updated_at", "updated_by", "created_op")


def check_new_rows(table: str, rows: list[tuple], units: Mapping[str, str]) -> None:
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


def insert_new_rows(conn: sqlite3.Connection, new_rows: Mapping[str, list[tuple]],
                    scopes: Mapping[str, Mapping[tuple[str, str], int]], op_id: int,
                    user: str) -> None:
    """Insert, index and audit the checked `new_rows` (table -> rows) of operation `op_id`
    (`scopes`: table -> (region, period) -> rows added there)."""
    tail = (1, now_iso(), user, op_id)
    for table, rows in new_rows.items():
        spec = REGIONAL[table]
        cols = (*spec.keys, *spec.fields, *NEW_ROW_TAIL)
        conn.executemany(f"INSERT INTO {table}({', '.join(cols)}) "
                         f"VALUES ({', '.join('?' * len(cols))})", (row + tail for row in rows))
        index_added(conn, table, op_id)
        record_added(conn, op_id, table, scopes[table])
