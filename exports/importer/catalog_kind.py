"""The `catalog` kind: sections, actions, indicators and gender bodies, sent by the center."""

from __future__ import annotations

import sqlite3
from typing import Any

from db import rules
from db.audit import OpChanges, OpInfo
from db.catalog import (
    CATALOG_TABLES,
    CatalogData,
    apply_catalog,
    catalog_version,
    validate_catalog,
)
from db.catalog_version import is_newer, next_version
from db.errors import PlanMonitorError
from exports.importer.plan import FieldChange, ImportPlan, PlanContext
from exports.xlsx_common import (
    FIRST_DATA_ROW,
    CellError,
    CellProblem,
    bounded_whole,
    cell,
    cell_text,
    column_letter,
    find_columns,
    is_blank,
    parse_date,
    parse_number,
    parse_text,
)
from resources.text import clean_text


def _column_types(conn: sqlite3.Connection, table: str) -> dict[str, tuple[str, bool]]:
    return {r[1]: (r[2].upper(), bool(r[3])) for r in conn.execute(f"PRAGMA table_info({table})")}


def _value(name: str, kind: str, not_null: bool, value: Any) -> Any:
    if name == "due_date":
        day = parse_date(value)
        return day.isoformat() if day else None
    if kind == "INTEGER":
        number = parse_number(value)
        if number is None:
            return 0 if not_null else None
        if not number.is_integer():
            raise CellProblem("xlsx.not_whole", value=cell_text(number))
        return bounded_whole(number, value)
    if kind == "REAL":
        return parse_number(value)
    if is_blank(value):
        return "" if not_null else None
    return clean_text(parse_text(value, rules.MAX_NOTE_CHARS)).strip()


def _parse_sheet(ctx: PlanContext, table: str) -> list[dict[str, Any]]:
    found = ctx.sheet_rows(table)
    if found is None:
        return []
    title, rows = found
    types = _column_types(ctx.conn, table)
    cols = find_columns(rows[0]) if rows else {}
    missing = [name for name in types if name not in cols]
    for name in missing:
        ctx.plan.add_error(CellError(ctx.file, title, 1, "", "xlsx.missing_column", {"key": name}))
    if missing:
        return []
    out = []
    for index in range(FIRST_DATA_ROW - 1, len(rows)):
        row = rows[index]
        if all(is_blank(cell(row, cols[k])) for k in CATALOG_TABLES[table]):
            continue
        item: dict[str, Any] = {}
        for name, (kind, not_null) in types.items():
            try:
                item[name] = _value(name, kind, not_null, cell(row, cols[name]))
            except CellProblem as problem:
                ctx.plan.add_error(CellError(ctx.file, title, index + 1,
                                             column_letter(cols[name]), problem.key,
                                             problem.params))
        out.append(item)
    return out


def plan_catalog(ctx: PlanContext) -> None:
    plan = ctx.plan
    if plan.source != "center":
        raise PlanMonitorError("xlsx.catalog_not_center", file=ctx.file, source=plan.source or "")
    version, held = plan.meta.get("catalog_version", ""), catalog_version(ctx.conn)
    if not ctx.office.is_center and not is_newer(version, held):
        # no replay: an older (or the same) ministry catalog changes nothing, and says so
        plan.notice = ("sig.catalog_not_newer", {"file": ctx.file, "version": version,
                                                   "held": held})
        return
    data = CatalogData(version=version)
    for table in CATALOG_TABLES:
        data.rows[table] = _parse_sheet(ctx, table)
    if not plan.ok:
        return
    validate_catalog(data)
    plan.payload = data
    if ctx.office.is_center and not is_newer(version, held):
        # The center's own catalog, edited in Excel: its changes get the next version, so the
        # catalog it sends next is newer than the one the regions hold.
        data.version = held
        _diff(ctx.conn, plan, data)
        if plan.has_changes:
            data.version = next_version(held)
            plan.changed.append(FieldChange("meta", ("catalog_version",), "value", held,
                                            data.version))
        return
    _diff(ctx.conn, plan, data)


def _diff(conn: sqlite3.Connection, plan: ImportPlan, data: CatalogData) -> None:
    """The change a catalog would make: applied in a transaction that is rolled back."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        changes = apply_catalog(conn, data, OpInfo(user="", source="catalog"))
    finally:
        conn.execute("ROLLBACK")
    touched = set()
    for change in changes:
        target = plan.added if change.old is None else plan.changed
        target.append(FieldChange(change.table, change.key, change.field, change.old, change.new))
        touched.add((change.table, change.key))
    plan.unchanged = sum(len(rows) for rows in data.rows.values()) - len(touched)


def apply_catalog_plan(conn: sqlite3.Connection, plan: ImportPlan, info: OpInfo,
                       take_file: set[str]) -> OpChanges:
    del take_file  # a catalog has no conflicts
    if plan.payload is None:  # not newer than the catalog held: nothing changes
        return OpChanges()
    catalog_info = OpInfo(user=info.user, source="catalog", description=info.description,
                          file_name=info.file_name, file_sha256=info.file_sha256)
    changes = apply_catalog(conn, plan.payload, catalog_info)
    op = conn.execute("SELECT MAX(id) FROM operation").fetchone()[0] if changes else None
    return OpChanges(op_id=op, changes=changes)

