"""The `return` kind: one region's figures for one period (region to center, or a region's own
file coming back to it after people filled it in)."""

from __future__ import annotations

import sqlite3
from dataclasses import replace
from typing import Any

from db.audit import OpChanges, OpInfo
from db.demo_rows import is_demo_meta, refuse_demo_return, written_by_other_than_demo
from db.errors import PeriodLocked, PlanMonitorError
from db.ops import RowWrite, apply_writes, review_state
from db.periods import parse_period
from db.received import ReceivedMark
from exports.importer.freshness import check_freshness
from exports.importer.plan import (
    AddedRows,
    ImportChanges,
    ImportPlan,
    PlanContext,
)
from exports.importer.return_merge import ReturnPayload, merge_return
from exports.importer.return_parse import Catalog, ParsedSheet, SheetReader
from exports.xlsx_common import (
    FIRST_DATA_ROW,
    RETURN_SHEETS,
    CellError,
    SheetSpec,
    column_letter,
    find_columns,
    report_progress,
)


def _scope(ctx: PlanContext) -> tuple[str, str]:
    plan, meta, conn = ctx.plan, ctx.plan.meta, ctx.conn
    region = (meta.get("region") or "").strip().upper()
    if not conn.execute("SELECT 1 FROM region WHERE code = ?", (region,)).fetchone():
        raise PlanMonitorError("xlsx.bad_meta", file=ctx.file, key="region", value=region[:80])
    try:
        period = parse_period(meta.get("period", "")).code
    except PlanMonitorError:
        raise PlanMonitorError("xlsx.bad_meta", file=ctx.file, key="period",
                               value=meta.get("period", "")[:80]) from None
    plan.region, plan.period = region, period
    if not ctx.office.is_center and region != ctx.office.region_code:
        raise PlanMonitorError("xlsx.other_region", file=ctx.file, region=region,
                               own=ctx.office.region_code)
    if review_state(conn, region, period) == "accepted":
        raise PeriodLocked("error.period_locked", region=region, period=period)
    return region, period


def _formula_errors(ctx: PlanContext, spec: SheetSpec, title: str, rows: list[list[Any]]) -> None:
    """A formula in a cell the import reads is refused: a person's figure is a value."""
    cols = find_columns(rows[0]) if rows else {}
    read = [*spec.key_columns, *(c.key for c in spec.inputs), "revision"]
    letters = {column_letter(cols[k]) for k in read if k in cols}
    part = ctx.sheet_part(title)
    for row, letter in ctx.formulas.get(part or "", []):
        if row == 0 or (row >= FIRST_DATA_ROW and letter in letters):
            ctx.plan.add_error(CellError(ctx.file, title, row, letter, "xlsx.formula_in_value"))


def plan_return(ctx: PlanContext) -> None:
    _scope(ctx)
    refuse_demo_return(ctx.conn, ctx.plan.meta, ctx.file)
    check_freshness(ctx.conn, ctx.plan)
    catalog = ctx.catalog_cache or Catalog.load(ctx.conn)
    found = [(spec, *sheet) for spec in RETURN_SHEETS
             if (sheet := ctx.sheet_rows(spec.data_key)) is not None]
    total, done = sum(len(rows) for _, _, rows in found), 0
    parsed: list[ParsedSheet] = []
    for spec, title, rows in found:
        parsed.append(SheetReader(ctx, spec, title, catalog).parse(rows))
        _formula_errors(ctx, spec, title, rows)
        done += len(rows)
        report_progress(ctx.progress, done, total)
    if not ctx.plan.ok:
        return
    own = ctx.plan.source == ctx.office.source_code
    payload = merge_return(ctx.conn, ctx.plan, own, parsed, catalog.units)
    ctx.plan.added_rows = AddedRows(payload.inserts)
    ctx.plan.payload = payload


def _marks(payload: ReturnPayload, take_file: set[str]) -> list[ReceivedMark]:
    """What each row of a file from elsewhere received, now that its conflicts are resolved."""
    taken = {(taken.table, taken.key, taken.field) for taken in
             (payload.conflict_values[c] for c in take_file)}
    marks = []
    for mark in payload.marks:
        kept = {name for name in mark.kept if (mark.table, mark.key, name) not in taken}
        marks.append(ReceivedMark(mark.table, mark.key, str(payload.source), mark.revision,
                                  mark.values if kept else None))
    return marks


def apply_return(conn: sqlite3.Connection, plan: ImportPlan, info: OpInfo,
                 take_file: set[str]) -> OpChanges:
    payload: ReturnPayload = plan.payload
    writes = list(payload.writes)
    for conflict_id in sorted(take_file):
        taken = payload.conflict_values[conflict_id]
        writes.append(RowWrite(taken.table, taken.key, {taken.field: taken.value}))
    # demo figures stay demo (db.demo_rows finds them) only in a workbook that holds nothing
    # else: this workbook decides, not the file, so real figures never turn into demo ones
    if is_demo_meta(plan.meta) and not written_by_other_than_demo(conn):
        info = replace(info, source="demo")
    result = apply_writes(conn, writes, info, new_rows=payload.inserts,
                          marks=_marks(payload, take_file))
    result.changes = ImportChanges(result.changes, plan.added_rows)
    return result

