"""Writing exchange workbooks: a region's return (or an empty template) and the catalog.

Written with xlsxwriter in constant-memory mode (rows streamed in order): it is fast, it writes
data validation and sheet protection, and `write_string` never turns a person's text into a
formula.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from db import queries, rules
from db.catalog import CATALOG_TABLES
from db.connection import transaction
from db.demo_rows import scope_has_demo
from db.errors import PlanMonitorError
from db.office import load_office
from db.periods import ensure_period, parse_period
from exports.xlsx_book import ExchangeBook, Formats, base_meta
from exports.xlsx_common import (
    FIRST_DATA_ROW,
    RETURN_SHEETS,
    Cancelled,
    ColumnSpec,
    Progress,
    SheetSpec,
    column_letter,
    report_progress,
)
from exports.xlsx_instructions import write_instructions
from exports.xlsx_print import (
    RowHeights,
    frozen_columns,
    page_title,
    row_height,
    setup_print,
    text_lines,
)
from resources import formatting
from resources.text import clean_text
from resources.words import tr

PROGRESS_EVERY = 2000
PROTECT_OPTIONS = {
    "select_locked_cells": True, "select_unlocked_cells": True, "format_cells": True,
    "format_columns": True, "format_rows": True, "autofilter": True, "sort": True,
}


def _write_sheet(book: ExchangeBook, spec: SheetSpec, title: str, headers: list[str],
                 rows: list[list[Any]], lang: str, tick: Iterator[None],
                 demo_mark: str = "", print_title: str = "") -> None:
    """One data sheet; its keys and values as written are covered by the file's signature."""
    fmt = book.formats
    sheet = book.workbook.add_worksheet(title)
    cell_formats = [_cell_format(fmt, column) for column in spec.columns]
    for col, column in enumerate(spec.columns):
        # The column's format covers its empty cells (input cells stay unlocked unwritten).
        sheet.set_column(col, col, column.width, cell_formats[col],
                         {"hidden": column.role == "revision" or not column.shown})
    sheet.set_row(0, None, fmt.key, {"hidden": True})
    for col, column in enumerate(spec.columns):
        sheet.write_string(0, col, column.key, fmt.key)
    sheet.set_row(1, _header_height(spec, headers))
    for col, header in enumerate(headers):
        sheet.write_string(1, col, header, fmt.header)
    sheet.freeze_panes(FIRST_DATA_ROW - 1, frozen_columns(spec.columns))
    setup_print(sheet, demo_mark=demo_mark, title=print_title)
    share_col = next((i for i, c in enumerate(spec.columns) if c.role == "formula"), None)
    write_string, write_number = sheet.write_string, sheet.write_number
    height_of, set_row = RowHeights(spec.columns).for_row, sheet.set_row
    for offset, values in enumerate(rows):
        row = FIRST_DATA_ROW - 1 + offset
        height = height_of(values)
        if height is not None:
            set_row(row, height)  # wrapped text: LibreOffice would not grow the row itself
        for col, value in enumerate(values):
            if col == share_col:
                values[col] = _write_share(sheet, spec, row, values, fmt)
            elif value is None or value == "":
                continue  # an empty cell takes its column's format
            elif type(value) is str:
                # text, never a formula; no control character (xlsxwriter would escape it, and
                # a lone surrogate would stop it)
                values[col] = value = clean_text(value)  # the signature covers it as written
                write_string(row, col, value, cell_formats[col])
            else:
                write_number(row, col, float(value), cell_formats[col])
        next(tick)
    _validate_inputs(sheet, spec, len(rows), lang)
    sheet.protect("", PROTECT_OPTIONS)
    book.cover(spec.data_key, [c.key for c in spec.columns], rows)


def _header_height(spec: SheetSpec, headers: list[str]) -> float:
    lines = max((text_lines(h, c.width) for h, c in zip(headers, spec.columns, strict=True)
                 if c.shown),
                default=1)
    return row_height(max(2, lines))


def _cell_format(fmt: Formats, column: ColumnSpec) -> Any:
    if column.role != "input":
        return fmt.key if column.role == "revision" else fmt.info
    return {"whole": fmt.whole, "decimal": fmt.number}.get(column.parse, fmt.input)


def _write_share(sheet: Any, spec: SheetSpec, row: int, values: list[Any],
                 fmt: Formats) -> float | str:
    """The share formula with, as its cached value, exactly what a spreadsheet computes
    (women/total), so the signature still holds once LibreOffice or Excel recalculates it.
    Returns that value."""
    women = f"{column_letter(spec.index('women'))}{row + 1}"
    total = f"{column_letter(spec.index('total'))}{row + 1}"
    w, t = values[spec.index("women")], values[spec.index("total")]
    share: float | str = ""
    if isinstance(w, (int, float)) and isinstance(t, (int, float)) and t > 0:
        share = w / t
    sheet.write_formula(row, spec.index("share"),
                        f'=IF(AND(ISNUMBER({women}),ISNUMBER({total}),N({total})>0),'
                        f'{women}/{total},"")', fmt.percent, share)
    return share


def _validate_inputs(sheet: Any, spec: SheetSpec, count: int, lang: str) -> None:
    if not count:
        return
    first, last = FIRST_DATA_ROW - 1, FIRST_DATA_ROW - 2 + count
    for col, column in enumerate(spec.columns):
        if column.parse == "status":
            words = [rules.status_label(s, lang) for s in rules.STATUSES]
            sheet.data_validation(first, col, last, col, {
                "validate": "list", "source": words, "error_type": "warning",
                "error_title": tr("xlsx.validation_title", lang),
                "error_message": tr("xlsx.validation_status", lang)})
        elif column.parse == "whole":
            sheet.data_validation(first, col, last, col, {
                "validate": "integer", "criteria": ">=", "value": 0, "error_type": "warning",
                "error_title": tr("xlsx.validation_title", lang),
                "error_message": tr("xlsx.validation_whole", lang)})
        elif column.parse == "decimal":
            sheet.data_validation(first, col, last, col, {
                "validate": "decimal", "criteria": ">=", "value": 0, "error_type": "warning",
                "error_title": tr("xlsx.validation_title", lang),
                "error_message": tr("xlsx.validation_decimal", lang)})


# --- Return and template -------------------------------------------------------------------------

def _action_rows(conn: sqlite3.Connection, region: str, period: str, lang: str,
                 template: bool) -> list[list[Any]]:
    out = []
    for a in queries.action_rows(conn, region, period, lang):
        deadline = a.deadline or (a.due_date or "")
        status = "" if template or not a.status else rules.status_label(a.status, lang)
        inputs = ["", "", ""] if template else [a.progress_note, a.evidence, a.officer]
        out.append([a.no, a.section_code, a.name, a.outcome, deadline, a.agencies, status,
                    *inputs, 0 if template else a.revision])
    return out


def _gender_rows(conn: sqlite3.Connection, region: str, period: str, lang: str,
                 template: bool) -> list[list[Any]]:
    out = []
    for g in queries.gender_rows(conn, region, period, lang):
        if template:
            out.append([g.body_code, g.name, None, None, None, "", 0])
        else:
            out.append([g.body_code, g.name, g.women, g.total, None, g.note, g.revision])
    return out


def _indicator_rows(conn: sqlite3.Connection, region: str, period: str, lang: str,
                    template: bool) -> list[list[Any]]:
    """The return's indicator rows. Its own query rather than `queries.indicator_rows`: a return
    needs no previous-period values. An indicator's text (name, unit, baseline, target) is read
    and formatted once, not once per breakdown: the sorted query carries only keys and values
    (at national size 100,000 rows share 10,000 indicators)."""
    units = {u: tr(f"unit.{u}", lang) for u in rules.UNITS}
    name = queries.col("name", lang)
    cursor = conn.cursor()
    cursor.row_factory = None
    heads = {code: (code, label, units.get(unit, unit), _with_year(base, base_year, lang),
                    _with_year(target, target_year, lang))
             for code, label, unit, base, base_year, target, target_year in cursor.execute(
                 f"SELECT code, {name}, unit, baseline_value, baseline_year, target_value, "
                 "target_year FROM indicator")}
    breakdowns = dict(cursor.execute(f"SELECT code, {name} FROM disaggregation"))
    rows = cursor.execute(
        """SELECT idg.indicator_code, idg.disaggregation_code, v.value, COALESCE(v.note, ''),
                  COALESCE(v.source, ''), COALESCE(v.revision, 0)
           FROM indicator_disaggregation idg
           JOIN indicator i ON i.code = idg.indicator_code
           LEFT JOIN indicator_value v ON v.region_code = ? AND v.period_code = ?
                AND v.indicator_code = idg.indicator_code
                AND v.disaggregation_code = idg.disaggregation_code
           ORDER BY i.ord, idg.ord""", (region, period)).fetchall()
    out = []
    last = None
    for indicator, breakdown, value, note, source, revision in rows:
        if indicator != last:  # rows come grouped by indicator
            last = indicator
            code, label, unit, base, target = heads[indicator]
        inputs = (None, "", "", 0) if template else (value, note, source, revision)
        out.append([code, label, breakdown, breakdowns[breakdown], unit, base, target, *inputs])
    return out


def _with_year(value: float | None, year: int | None, lang: str) -> str:
    """«21,4 (2021)» in Russian and Kazakh, «21.4 (2021)» in English: a text cell for people
    (not a column the exchange reads), written as the app writes the number."""
    if value is None:
        return ""
    number = formatting.number(value, lang, decimals=6)
    return f"{number} ({year})" if year else number


_ROW_BUILDERS = {"actions": _action_rows, "gender": _gender_rows, "indicators": _indicator_rows}


def _check_region(conn: sqlite3.Connection, region: str) -> None:
    if not conn.execute("SELECT 1 FROM region WHERE code = ?", (region,)).fetchone():
        raise PlanMonitorError("error.unknown_region", region=region)


def export_return(conn: sqlite3.Connection, region: str, period: str, lang: str, path: Path, *,
                  template: bool = False, progress: Progress | None = None) -> Path:
    """Write the region's return for the period (or, with `template`, an empty one to fill by
    hand) in `lang`. Returns the path written. A cancelled export leaves no file."""
    path = Path(path)
    _check_region(conn, region)
    period = parse_period(period).code
    meta = base_meta(conn, "return", lang)
    meta.update(region=region, period=period)
    demo_mark = ""
    if not template and scope_has_demo(conn, region, period):
        meta["demo"] = "1"  # the contract's optional key: these figures are not a report
        demo_mark = tr("demo.mark", lang)
    data = {s.data_key: _ROW_BUILDERS[s.data_key](conn, region, period, lang, template)
            for s in RETURN_SHEETS}
    titles = {s.data_key: tr(f"xlsx.sheet.{s.data_key}", lang) for s in RETURN_SHEETS}
    meta.update({f"sheet.{key}": title for key, title in titles.items()})
    total = sum(len(rows) for rows in data.values())
    with ExchangeBook(conn, path, meta) as book:
        write_instructions(book.workbook, book.formats, conn, book.meta, lang, template)
        tick = _ticker(progress, total)
        for spec in RETURN_SHEETS:
            headers = [tr(f"xlsx.col.{c.key}", lang) for c in spec.columns]
            _write_sheet(book, spec, titles[spec.data_key], headers, data[spec.data_key],
                         lang, tick, demo_mark, page_title(conn, meta, lang))
    if not template:
        with transaction(conn):
            ensure_period(conn, period)
    return path


def _ticker(progress: Progress | None, total: int) -> Iterator[None]:
    """Call next() once per row written; reports progress every PROGRESS_EVERY rows."""

    def ticks() -> Iterator[None]:
        done = 0
        report_progress(progress, 0, total)
        while True:
            yield
            done += 1
            if done % PROGRESS_EVERY == 0 or done == total:
                report_progress(progress, done, total)

    tick = ticks()
    next(tick)
    return tick


# --- Catalog -------------------------------------------------------------------------------------

def _table_columns(conn: sqlite3.Connection, table: str) -> list[str]:
    return [r[1] for r in conn.execute(f"PRAGMA table_info({table})")]


def catalog_sheet_spec(conn: sqlite3.Connection, table: str) -> SheetSpec:
    """A catalog sheet's columns are the table's columns, keys first."""
    keys = CATALOG_TABLES[table]
    columns = [ColumnSpec(k, 14, "key") for k in keys]
    for name in _table_columns(conn, table):
        if name not in keys:
            columns.append(ColumnSpec(name, 40 if name[-3:] in ("_ru", "_kk", "_en") else 14,
                                      "info"))
    return SheetSpec(table, table, tuple(columns))


def export_catalog(conn: sqlite3.Connection, lang: str, path: Path,
                   progress: Progress | None = None) -> Path:
    """Write the catalog as a package the regions import (center mode)."""
    path = Path(path)
    office = load_office(conn)
    if not office.is_center:
        raise PlanMonitorError("xlsx.catalog_center_only")
    meta = base_meta(conn, "catalog", lang)
    specs = [catalog_sheet_spec(conn, t) for t in CATALOG_TABLES]
    data = {}
    for spec in specs:
        names = [c.key for c in spec.columns]
        order = ", ".join(CATALOG_TABLES[spec.table])
        data[spec.table] = [list(r) for r in conn.execute(
            f"SELECT {', '.join(names)} FROM {spec.table} ORDER BY {order}")]
    titles = {t: tr(f"xlsx.sheet.{t}", lang) for t in CATALOG_TABLES}
    meta.update({f"sheet.{t}": title for t, title in titles.items()})
    with ExchangeBook(conn, path, meta) as book:
        write_instructions(book.workbook, book.formats, conn, book.meta, lang, False)
        tick = _ticker(progress, sum(len(v) for v in data.values()))
        for spec in specs:
            headers = [c.key for c in spec.columns]
            _write_sheet(book, spec, titles[spec.table], headers, data[spec.table], lang, tick)
    return path


__all__ = ["export_return", "export_catalog", "Cancelled"]
