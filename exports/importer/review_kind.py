"""The `review` kind read at a region: the center's decision on the region's return for one
period. The region stores the decision (state, general remark and a remark per action, gender
body or indicator) exactly as the center made it, and an accepted period locks. A region cannot
import another region's review; a decision whose `review_revision` is not above the one stored
changes nothing (no replay). Whether the file is the ministry's is exports.importer.trust's
judgement, made after this plan."""

from __future__ import annotations

import sqlite3

from db import review
from db.audit import OpChanges, OpInfo
from db.errors import PlanMonitorError
from db.periods import parse_period
from exports.importer.plan import FieldChange, ImportPlan, PlanContext
from exports.xlsx_common import (
    FIRST_DATA_ROW,
    CellError,
    cell,
    cell_text,
    column_letter,
    find_columns,
    is_blank,
    missing_columns,
)
from resources.text import clean_text

REQUIRED_COLUMNS = ("item_kind", "item_key", "remark")
MAX_REVISION = 2 ** 31 - 1


def _remarks(ctx: PlanContext, conn: sqlite3.Connection) -> dict[review.ItemRef, str]:
    found = ctx.sheet_rows("remarks")
    if found is None:
        return {}
    title, rows = found
    columns = find_columns(rows[0] if rows else [])
    lacking = missing_columns(columns, REQUIRED_COLUMNS)
    if lacking:
        for key in lacking:
            ctx.plan.add_error(CellError(ctx.file, title, 1, "", "xlsx.missing_column",
                                         {"column": key}))
        return {}
    out: dict[review.ItemRef, str] = {}
    for number, row in enumerate(rows[FIRST_DATA_ROW - 1:], start=FIRST_DATA_ROW):
        kind = cell_text(cell(row, columns["item_kind"])).strip().lower()
        key = cell_text(cell(row, columns["item_key"])).strip()
        text = clean_text(cell_text(cell(row, columns["remark"]))).strip()
        if not kind and not key and not text:
            continue
        if kind not in review.ITEM_KINDS or not review.item_exists(conn, (kind, key)):
            column = columns["item_kind"] if kind not in review.ITEM_KINDS else columns["item_key"]
            ctx.plan.add_error(CellError(ctx.file, title, number, column_letter(column),
                                         "center.review.bad_item",
                                         {"kind": kind or "-", "item": key or "-"}))
        elif not is_blank(text):
            out[(kind, key)] = text
    return out


def _decision(meta: dict[str, str], remarks: dict[review.ItemRef, str], file: str,
              region: str, period: str) -> review.Review:
    state = meta.get("review_state", "")
    if state not in review.STATES:
        raise PlanMonitorError("xlsx.bad_meta", file=file, key="review_state", value=state)
    text = meta.get("review_revision", "")
    try:
        number: float | None = float(text)
        revision = int(number)
    except (ValueError, OverflowError):  # not a number, or infinite
        number, revision = None, -1
    if revision != number or not 1 <= revision <= MAX_REVISION:
        raise PlanMonitorError("xlsx.bad_meta", file=file, key="review_revision",
                               value=text[:80])
    return review.Review(region, period, state, meta.get("review_remark", ""), revision,
                         meta.get("reviewed_at") or None, meta.get("reviewed_by", ""), remarks)


def _scope(ctx: PlanContext) -> tuple[str, str]:
    """Whose decision this is: the center's, on our own region's return."""
    meta, office, file = ctx.plan.meta, ctx.office, ctx.file
    if meta.get("source") != "center":
        raise PlanMonitorError("center.review.not_from_center", file=file,
                               source=meta.get("source", ""))
    if office.is_center:
        raise PlanMonitorError("center.review.center_cannot_import", file=file)
    region = (meta.get("region") or "").strip().upper()
    if region != office.region_code:
        raise PlanMonitorError("center.review.other_region", file=file, region=region,
                               own=office.region_code)
    try:
        period = parse_period(meta.get("period", "")).code
    except PlanMonitorError:
        raise PlanMonitorError("xlsx.bad_meta", file=file, key="period",
                               value=meta.get("period", "")) from None
    ctx.plan.region, ctx.plan.period = region, period
    return region, period


def _describe_change(plan: ImportPlan, stored: review.Review, decision: review.Review) -> None:
    """What applying the decision would change, for the import summary."""
    key = (decision.region, decision.period)
    target = plan.added if stored.state is None else plan.changed
    for name, old, new in (("state", stored.state, decision.state),
                           ("remark", stored.remark, decision.remark)):
        if old != new:
            target.append(FieldChange("review", key, name, old, new))
        else:
            plan.unchanged += 1
    for item in sorted(set(stored.remarks) | set(decision.remarks)):
        old, new = stored.remarks.get(item), decision.remarks.get(item)
        if old == new:
            plan.unchanged += 1
            continue
        change = FieldChange("review_remark", (*key, *item), "remark", old, new)
        (plan.added if old is None else plan.changed).append(change)


def plan_review_kind(ctx: PlanContext) -> None:
    region, period = _scope(ctx)
    remarks = _remarks(ctx, ctx.conn)
    if not ctx.plan.ok:
        return
    decision = _decision(ctx.plan.meta, remarks, ctx.file, region, period)
    stored = review.get_review(ctx.conn, region, period)
    if decision.revision <= stored.revision:
        # not newer than the decision stored: nothing changes (no replay). An identical copy is
        # simply "nothing to change"; a different one is said to be older.
        if (decision.revision < stored.revision
                or (decision.state, decision.remark, decision.remarks)
                != (stored.state, stored.remark, stored.remarks)):
            ctx.plan.notice = ("sig.review_not_newer", {
                "file": ctx.file, "revision": decision.revision, "held": stored.revision})
        return
    _describe_change(ctx.plan, stored, decision)
    ctx.plan.payload = decision


def apply_review_kind(conn: sqlite3.Connection, plan: ImportPlan, info: OpInfo,
                      _take_file: set[str]) -> OpChanges:
    if plan.payload is None:  # an older decision than the stored one: nothing changes
        return OpChanges()
    return review.receive_review(conn, plan.payload, info)
