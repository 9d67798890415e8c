"""The `review` package: the center's decision on one region's return for one period, sent back to
the region as a file. The region imports it: it stores the decision (state, general remark and a
remark per action, gender body or indicator) exactly as the center made it, and an accepted period
locks. A region cannot import another region's review; an older decision after a newer one is stale.

Layout (docs/exchange-format.md, "Package kind `review`"): `_meta` carries the decision
(`review_state`, `review_revision`, `review_remark`, `reviewed_at`, `reviewed_by`); a visible
sheet states it for people; the data sheet `remarks` lists each remark beside the item and the
figure the center received.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from db import queries, review
from db.audit import OpChanges, OpInfo
from db.errors import PlanMonitorError
from db.office import Office
from db.periods import parse_period
from exports import xlsx_export
from exports.importer.freshness import check_freshness
from exports.importer.plan import (
    FieldChange,
    ImportPlan,
    KindHandler,
    PlanContext,
    register_kind,
)
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
    missing_columns,
)
from resources.text import clean_text
from resources.words import tr

KIND = "review"
REMARK_COLUMNS = ("item_kind", "item_key", "item", "reported_value", "remark")
REQUIRED_COLUMNS = ("item_kind", "item_key", "remark")
WIDTHS = {"item_kind": 14, "item_key": 16, "item": 50, "reported_value": 40, "remark": 60}


# --- Writing (center) ----------------------------------------------------------------------------

def _decision_lines(conn: sqlite3.Connection, decision: review.Review, lang: str) -> list[str]:
    state = tr(f"center.state.{decision.state}", lang)
    lines = [tr("center.xlsx.review_title", lang),
             tr("center.xlsx.review_about", lang,
                region=queries.region_name(conn, decision.region, lang), code=decision.region,
                period=decision.period),
             tr("center.xlsx.review_state", lang, state=state)]
    if decision.remark:
        lines.append(tr("center.xlsx.review_remark", lang, remark=decision.remark))
    lines.append(tr("center.xlsx.review_when", lang, at=(decision.updated_at or "")[:16].replace(
        "T", " "), by=decision.updated_by, revision=decision.revision))
    if decision.remarks:
        lines.append(tr("center.xlsx.review_see_remarks", lang, count=len(decision.remarks)))
    lines.append(tr(f"center.xlsx.review_next_{decision.state}", lang))
    return lines


def _write_remarks(book: Any, fmt: Any, title: str, rows: list[list[str]], lang: str) -> None:
    sheet = book.add_worksheet(title)
    sheet.set_row(0, None, fmt.key, {"hidden": True})
    sheet.freeze_panes(FIRST_DATA_ROW - 1, 0)
    for col, key in enumerate(REMARK_COLUMNS):  # rows in order: the book streams them
        sheet.set_column(col, col, WIDTHS[key])
        sheet.write_string(0, col, key, fmt.key)
    for col, key in enumerate(REMARK_COLUMNS):
        sheet.write_string(1, col, tr(f"center.xlsx.col.{key}", lang), fmt.header)
    for offset, values in enumerate(rows):
        for col, value in enumerate(values):
            sheet.write_string(FIRST_DATA_ROW - 1 + offset, col, clean_text(value), fmt.text)


def export_review(conn: sqlite3.Connection, region: str, period: str, lang: str, path: Path,
                  progress: Any = None) -> Path:
    """Write the center's decision on `region`'s return for `period`; returns the path."""
    path = Path(path)
    period = parse_period(period).code
    decision = review.get_review(conn, region, period)
    if decision.state is None:
        raise PlanMonitorError("center.review.nothing_to_send", region=region, period=period)
    meta = xlsx_export._base_meta(conn, KIND, lang)
    titles = {"review": tr("center.xlsx.sheet.review", lang),
              "remarks": tr("center.xlsx.sheet.remarks", lang)}
    meta.update(region=region, period=period, review_state=decision.state,
                review_revision=str(decision.revision), review_remark=decision.remark,
                reviewed_at=decision.updated_at or "", reviewed_by=decision.updated_by,
                **{f"sheet.{key}": title for key, title in titles.items()})
    rows = [[kind, key, review.item_label(conn, (kind, key), lang),
             review.reported_value(conn, region, period, (kind, key), lang), text]
            for (kind, key), text in decision.remarks.items()]
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".part")
    book = xlsx_export._new_book(tmp)
    try:
        fmt = xlsx_export._formats(book)
        sheet = book.add_worksheet(titles["review"])
        sheet.set_column(0, 0, 110)
        for row, line in enumerate(_decision_lines(conn, decision, lang)):
            sheet.write_string(row, 0, line, fmt.title if row == 0 else fmt.text)
        sheet.activate()
        _write_remarks(book, fmt, titles["remarks"], rows, lang)
        xlsx_export._write_meta(book, meta)
        sha256 = xlsx_export._finish(book, tmp, path)
    except BaseException:
        xlsx_export._discard(book, tmp)
        raise
    xlsx_export._log_export(conn, meta, path, sha256)
    return path


# --- Reading (region): the `review` kind of the import dispatch ---------------------------------

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
    try:
        revision = bounded_whole(float(meta.get("review_revision", "")), "", 0)
    except (ValueError, OverflowError, CellProblem):
        raise PlanMonitorError("xlsx.bad_meta", file=file, key="review_revision",
                               value=meta.get("review_revision", "")) from None
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
    check_freshness(ctx.conn, ctx.plan)
    remarks = _remarks(ctx, ctx.conn)
    if not ctx.plan.ok:
        return
    decision = _decision(ctx.plan.meta, remarks, ctx.file, region, period)
    stored = review.get_review(ctx.conn, region, period)
    if decision.revision < stored.revision:
        ctx.plan.stale = True
        ctx.plan.newer_exported_at = stored.updated_at
        return
    _describe_change(ctx.plan, stored, decision)
    ctx.plan.payload = decision


def apply_review_kind(conn: sqlite3.Connection, plan: ImportPlan, info: OpInfo,
                      _take_file: set[str]) -> OpChanges:
    if plan.payload is None:  # an older decision than the stored one: nothing changes
        return OpChanges()
    return review.receive_review(conn, plan.payload, info)


register_kind(KIND, KindHandler(plan_review_kind, apply_review_kind))


def plan_review(conn: sqlite3.Connection, path: Path, office: Office) -> ImportPlan:
    """Read and check a review file (the import dispatch's plan); touches nothing."""
    from exports.importer import plan_import

    return plan_import(conn, path, office)
