"""Writing exchange workbooks: a region's return (or an empty template) and the catalog.

Written with xlsxwriter in constant-memory mode (rows streamed in order): it is fast, it writes
data validation and sheet protection, and `write_string` never turns a person's text into a
formula.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import xlsxwriter

from db import queries, rules
from db.audit import now_iso
from db.catalog import CATALOG_TABLES, catalog_version
from db.connection import transaction
from db.demo_rows import scope_has_demo
from db.errors import PlanMonitorError
from db.office import load_office
from db.periods import ensure_period, parse_period
from exports.xlsx_common import (
    FIRST_DATA_ROW,
    FORMAT,
    FORMAT_VERSION,
    META_SHEET,
    RETURN_SHEETS,
    Cancelled,
    ColumnSpec,
    Progress,
    SheetSpec,
    column_letter,
    report_progress,
)
from exports.xlsx_instructions import write_instructions
from exports.xlsx_print import RowHeights, frozen_columns, row_height, setup_print, text_lines
from resources.text import clean_text
from resources.words import tr

PROGRESS_EVERY = 2000
PROTECT_OPTIONS = {
    "select_locked_cells": True, "select_unlocked_cells": True, "format_cells": True,
    "format_columns": True, "format_rows": True, "autofilter": True, "sort": True,
}


@dataclass
class _Formats:
    key: Any
    header: Any
    info: Any
    input: Any
    number: Any
    whole: Any
    percent: Any
    title: Any
    text: Any
    demo: Any


def _formats(book: xlsxwriter.Workbook) -> _Formats:
    base = {"valign": "top", "font_size": 10}
    return _Formats(
        key=book.add_format({**base, "font_color": "#808080", "font_size": 8}),
        header=book.add_format({**base, "bold": True, "text_wrap": True, "bg_color": "#DDE6F0",
                                "border": 1}),
        info=book.add_format({**base, "text_wrap": True, "bg_color": "#F3F3F3"}),
        input=book.add_format({**base, "text_wrap": True, "locked": False}),
        number=book.add_format({**base, "locked": False, "num_format": "General"}),
        whole=book.add_format({**base, "locked": False, "num_format": "0"}),
        percent=book.add_format({**base, "num_format": "0.0%", "bg_color": "#F3F3F3"}),
        title=book.add_format({"bold": True, "font_size": 14, "text_wrap": True, "valign": "top"}),
        text=book.add_format({"text_wrap": True, "valign": "top"}),
        demo=book.add_format({"bold": True, "font_size": 14, "font_color": "#B00020",
                              "text_wrap": True, "valign": "top"}),
    )


def _new_book(path: Path) -> xlsxwriter.Workbook:
    return xlsxwriter.Workbook(str(path), {
        "constant_memory": True, "strings_to_formulas": False, "strings_to_numbers": False,
        "strings_to_urls": False, "default_date_format": "dd.mm.yyyy",
    })


def _write_meta(book: xlsxwriter.Workbook, meta: dict[str, str]) -> None:
    sheet = book.add_worksheet(META_SHEET)
    sheet.set_column(0, 0, 24)
    sheet.set_column(1, 1, 40)
    for row, (key, value) in enumerate(meta.items()):
        sheet.write_string(row, 0, clean_text(key))
        sheet.write_string(row, 1, clean_text(str(value)))
    sheet.hide()


def _finish(book: xlsxwriter.Workbook, tmp: Path, path: Path) -> str:
    book.close()
    os.replace(tmp, path)
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _log_export(conn: sqlite3.Connection, meta: dict[str, str], path: Path, sha256: str) -> None:
    with transaction(conn):
        conn.execute(
            "INSERT INTO exchange_log(direction, kind, package_id, source, region_code, "
            "period_code, exported_at, file_name, file_sha256, at, result) "
            "VALUES ('export', ?, ?, ?, ?, ?, ?, ?, ?, ?, 'written')",
            (meta["kind"], meta["package_id"], meta["source"], meta.get("region") or None,
             meta.get("period") or None, meta["exported_at"], path.name, sha256, now_iso()))


def exported_at_now() -> str:
    return datetime.now().astimezone().isoformat(timespec="microseconds")


def _base_meta(conn: sqlite3.Connection, kind: str, lang: str) -> dict[str, str]:
    office = load_office(conn)
    return {"format": FORMAT, "format_version": str(FORMAT_VERSION), "kind": kind,
            "source": office.source_code, "region": "", "period": "",
            "catalog_version": catalog_version(conn), "exported_at": exported_at_now(),
            "package_id": str(uuid.uuid4()), "language": lang}


def _write_sheet(book: xlsxwriter.Workbook, fmt: _Formats, spec: SheetSpec, title: str,
                 headers: list[str], rows: list[list[Any]], lang: str,
                 tick: Iterator[None], demo_mark: str = "") -> None:
    sheet = book.add_worksheet(title)
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
    setup_print(sheet, demo_mark=demo_mark)
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
                _write_share(sheet, spec, row, values, fmt)
            elif value is None or value == "":
                continue  # an empty cell takes its column's format
            elif type(value) is str:
                # text, never a formula; no control character (xlsxwriter would escape it, and
                # a lone surrogate would stop it)
                write_string(row, col, clean_text(value), cell_formats[col])
            else:
                write_number(row, col, float(value), cell_formats[col])
        next(tick)
    _validate_inputs(sheet, spec, len(rows), lang)
    sheet.protect("", PROTECT_OPTIONS)


def _header_height(spec: SheetSpec, headers: list[str]) -> float:
    lines = max((text_lines(h, c.width) for h, c in zip(headers, spec.columns, strict=True)
                 if c.shown),
                default=1)
    return row_height(max(2, lines))


def _cell_format(fmt: _Formats, column: ColumnSpec) -> Any:
    if column.role != "input":
        return fmt.key if column.role == "revision" else fmt.info
    return {"whole": fmt.whole, "decimal": fmt.number}.get(column.parse, fmt.input)


def _write_share(sheet: Any, spec: SheetSpec, row: int, values: list[Any], fmt: _Formats) -> None:
    women = f"{column_letter(spec.index('women'))}{row + 1}"
    total = f"{column_letter(spec.index('total'))}{row + 1}"
    share = rules.share_percent(values[spec.index("women")], values[spec.index("total")])
    sheet.write_formula(row, spec.index("share"),
                        f'=IF(AND(ISNUMBER({women}),ISNUMBER({total}),N({total})>0),'
                        f'{women}/{total},"")', fmt.percent,
                        "" if share is None else share / 100)


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
        status = "" if template else rules.status_label(a.status, lang)
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
    heads = {code: (code, label, units.get(unit, unit), _with_year(base, base_year),
                    _with_year(target, target_year))
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


def _with_year(value: float | None, year: int | None) -> str:
    if value is None:
        return ""
    number = str(int(value)) if float(value).is_integer() else str(value)
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
    meta = _base_meta(conn, "return", lang)
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
    tmp = path.with_name(path.name + ".part")
    book = _new_book(tmp)
    try:
        fmt = _formats(book)
        write_instructions(book, fmt, conn, meta, lang, template)
        tick = _ticker(progress, total)
        for spec in RETURN_SHEETS:
            headers = [tr(f"xlsx.col.{c.key}", lang) for c in spec.columns]
            _write_sheet(book, fmt, spec, titles[spec.data_key], headers, data[spec.data_key],
                         lang, tick, demo_mark)
        _write_meta(book, meta)
        sha256 = _finish(book, tmp, path)
    except BaseException:
        _discard(book, tmp)
        raise
    if not template:
        with transaction(conn):
            ensure_period(conn, period)
    _log_export(conn, meta, path, sha256)
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


def _discard(book: xlsxwriter.Workbook, tmp: Path) -> None:
    try:
        book.close()
    except Exception:  # noqa: BLE001 - the file is being thrown away
        pass
    tmp.unlink(missing_ok=True)


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
    meta = _base_meta(conn, "catalog", lang)
    specs = [catalog_sheet_spec(conn, t) for t in CATALOG_TABLES]
    data = {}
    for spec in specs:
        names = [c.key for c in spec.columns]
        order = ", ".join(CATALOG_TABLES[spec.table])
        data[spec.table] = [list(r) for r in conn.execute(
            f"SELECT {', '.join(names)} FROM {spec.table} ORDER BY {order}")]
    titles = {t: tr(f"xlsx.sheet.{t}", lang) for t in CATALOG_TABLES}
    meta.update({f"sheet.{t}": title for t, title in titles.items()})
    tmp = path.with_name(path.name + ".part")
    book = _new_book(tmp)
    try:
        fmt = _formats(book)
        write_instructions(book, fmt, conn, meta, lang, False)
        tick = _ticker(progress, sum(len(v) for v in data.values()))
        for spec in specs:
            headers = [c.key for c in spec.columns]
            _write_sheet(book, fmt, spec, titles[spec.table], headers, data[spec.table], lang,
                         tick)
        _write_meta(book, meta)
        sha256 = _finish(book, tmp, path)
    except BaseException:
        _discard(book, tmp)
        raise
    _log_export(conn, meta, path, sha256)
    return path


__all__ = ["export_return", "export_catalog", "Cancelled"]
