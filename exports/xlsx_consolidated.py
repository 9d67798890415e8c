"""The consolidated workbook: every region's return for one period in one file, for the ministry's
own analysis (filters, pivot tables, its scripts). Written by the center, never imported.

Sheets follow the exchange conventions (docs/exchange-format.md, kind `consolidated`): a `_meta`
sheet, machine keys in row 1, headers in the file's language in row 2, data from row 3, one row per
region and item ("long" format) so a pivot table can be built without reshaping. Figures are
written exactly as the center holds them: numbers as numbers, text as text (never a formula).
"""

from __future__ import annotations

import sqlite3
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from db import consolidation, national, queries, rules
from db.catalog import catalog_version
from db.demo_rows import scope_has_demo
from db.periods import parse_period
from exports.xlsx_book import ExchangeBook, exported_at_now
from exports.xlsx_common import (
    FORMAT,
    FORMAT_VERSION,
    Progress,
    column_letter,
    report_progress,
)
from resources.text import clean_text
from resources.words import tr

KIND = "consolidated"
HEADER_FORMAT = {"bold": True, "text_wrap": True, "valign": "top", "bg_color": "#E8EAF6",
                 "border": 1}
KEY_FORMAT = {"font_color": "#808080", "font_size": 8}


@dataclass(frozen=True)
class Column:
    key: str
    width: float


SUMMARY = (Column("region", 9), Column("region_name", 30), Column("reported", 10),
           Column("completeness", 12), Column("required", 10), Column("filled", 10),
           Column("progress", 12), Column("women", 10), Column("total", 10), Column("share", 10),
           Column("review_state", 18), Column("received_at", 20), Column("file_name", 30))
ACTIONS = (Column("region", 9), Column("region_name", 24), Column("action_no", 8),
           Column("section", 8), Column("action", 50), Column("status_key", 14),
           Column("status", 16), Column("progress_note", 50), Column("evidence", 30),
           Column("officer", 20), Column("overdue", 9), Column("revision", 9),
           Column("updated_at", 20))
GENDER = (Column("region", 9), Column("region_name", 24), Column("body", 14),
          Column("body_name", 40), Column("women", 10), Column("total", 10), Column("share", 10),
          Column("note", 30), Column("revision", 9))
# Names, units, baselines and targets of indicators are on the national sheet, once each: a
# national return has about 100,000 values, and every repeated column costs as much as the values.
INDICATORS = (Column("region", 9), Column("region_name", 24), Column("indicator", 10),
              Column("disaggregation", 12), Column("value", 12), Column("note", 30),
              Column("source", 25), Column("revision", 9))
NATIONAL_GENDER = (Column("body", 14), Column("body_name", 40), Column("regions", 10),
                   Column("women", 10), Column("total", 10), Column("share", 10),
                   Column("prev_share", 12))
NATIONAL_INDICATORS = (Column("indicator", 10), Column("indicator_name", 45),
                       Column("disaggregation", 12), Column("disaggregation_name", 18),
                       Column("unit", 12), Column("baseline", 10), Column("target", 10),
                       Column("regions", 10), Column("minimum", 10), Column("median", 10),
                       Column("maximum", 10))
SHEETS: tuple[tuple[str, tuple[Column, ...]], ...] = (
    ("summary", SUMMARY), ("actions", ACTIONS), ("gender", GENDER), ("indicators", INDICATORS),
    ("national_gender", NATIONAL_GENDER), ("national_indicators", NATIONAL_INDICATORS))


def sheet_title(data_key: str, lang: str) -> str:
    return tr(f"center.xlsx.sheet.{data_key}", lang)[:31]


# --- Rows ----------------------------------------------------------------------------------------

def _summary_rows(conn: sqlite3.Connection, matrix: consolidation.SectionMatrix,
                  lang: str) -> list[list[Any]]:
    rows = []
    for region in matrix.regions:
        cell = matrix.cells[region.code]
        progress = queries.overall_progress(
            queries.section_progress(conn, region.code, matrix.period, lang))
        women, total = queries.gender_totals(queries.gender_rows(conn, region.code,
                                                                 matrix.period, lang))
        state = (("resubmitted" if cell.resubmitted else cell.review_state)
                 or ("submitted" if cell.reported else "none"))
        rows.append([
            region.code, region.name, tr("center.yes" if cell.reported else "center.no", lang),
            cell.percent if cell.reported else None, cell.required or None, cell.filled or None,
            progress.percent if cell.reported else None,
            women if cell.reported else None, total if cell.reported else None,
            rules.share_percent(women, total) if cell.reported else None,
            tr(f"center.state.{state}", lang),
            cell.receipt.at if cell.receipt else None,
            cell.receipt.file_name if cell.receipt else None])
    return rows


def _action_rows(conn: sqlite3.Connection, region: queries.Region, period: str,
                 lang: str) -> list[list[Any]]:
    return [[region.code, region.name, a.no, a.section_code, a.name, a.status,
             rules.status_label(a.status, lang), a.progress_note, a.evidence, a.officer,
             tr("center.yes", lang) if a.overdue else "", a.revision, a.updated_at]
            for a in queries.action_rows(conn, region.code, period, lang)]


def _gender_rows(conn: sqlite3.Connection, region: queries.Region, period: str,
                 lang: str) -> list[list[Any]]:
    incomplete = tr("gender_incomplete.cell", lang)
    return [[region.code, region.name, g.body_code, g.name, g.women, g.total,
             incomplete if g.incomplete else g.share, g.note, g.revision]
            for g in queries.gender_rows(conn, region.code, period, lang)]


def _indicator_rows(conn: sqlite3.Connection, region: queries.Region, period: str,
                    lang: str) -> list[list[Any]]:
    return [[region.code, region.name, i.code, i.disaggregation_code, i.value, i.note, i.source,
             i.revision]
            for i in queries.indicator_rows(conn, region.code, period, lang)
            if i.value is not None or queries.indicator_due_in(i.periodicity, period)]


def _national_gender_rows(conn: sqlite3.Connection, period: str, lang: str) -> list[list[Any]]:
    """The same sums as the national PDF (db.national): regions with both figures only."""
    return [[g.key, g.name, g.regions, g.women, g.total, g.share, g.prev_share]
            for g in national.national_gender(conn, period, lang)]


def _national_indicator_rows(conn: sqlite3.Connection, period: str,
                             lang: str) -> list[list[Any]]:
    return [[i.code, i.name, i.disaggregation_code, i.disaggregation, tr(f"unit.{i.unit}", lang),
             i.baseline_value, i.target_value, i.reported, i.minimum, i.median, i.maximum]
            for i in national.indicator_values_by_region(conn, period, lang, None)
            if i.reported or queries.indicator_due_in(i.periodicity, period)]


# --- Writing -------------------------------------------------------------------------------------

ROWS_PER_REGION_STEP = 2000  # progress: reading one region weighs as much as writing 2000 rows
TICK_ROWS = 2000


class _Ticker:
    """Progress in rows written (reading a region counts as ROWS_PER_REGION_STEP rows); raises
    Cancelled when the callback says stop."""

    def __init__(self, progress: Progress | None, total: int) -> None:
        self.progress, self.total, self.done = progress, max(total, 1), 0

    def advance(self, count: int) -> None:
        self.done += count
        report_progress(self.progress, min(self.done, self.total), self.total)

def _write_value(sheet: Any, row: int, col: int, value: Any) -> None:
    """Text always as text (never a formula), numbers as numbers, None as an empty cell."""
    if value is None or value == "":
        return
    if isinstance(value, str):
        sheet.write_string(row, col, clean_text(value))
    else:
        sheet.write_number(row, col, float(value))


def _write_sheet(book: ExchangeBook, formats: dict[str, Any], data_key: str,
                 columns: Sequence[Column], rows: Sequence[Sequence[Any]], lang: str,
                 ticker: _Ticker) -> str:
    title = sheet_title(data_key, lang)
    sheet = book.workbook.add_worksheet(title)
    for index, column in enumerate(columns):
        sheet.set_column(index, index, column.width)
    sheet.freeze_panes(2, 2 if columns[0].key == "region" else 0)
    sheet.set_row(0, None, formats["key"])
    for index, column in enumerate(columns):
        sheet.write_string(0, index, column.key, formats["key"])
    for index, column in enumerate(columns):
        sheet.write_string(1, index, tr(f"center.xlsx.col.{column.key}", lang), formats["header"])
    for offset, values in enumerate(rows, start=2):
        for index, value in enumerate(values):
            _write_value(sheet, offset, index, value)
        if offset % TICK_ROWS == 0:
            ticker.advance(TICK_ROWS)
    ticker.advance(len(rows) % TICK_ROWS)
    sheet.autofilter(f"A2:{column_letter(len(columns) - 1)}{len(rows) + 2}")
    book.cover(data_key, [column.key for column in columns], rows)
    return title


def _meta(conn: sqlite3.Connection, period: str, lang: str) -> dict[str, str]:
    meta = {"format": FORMAT, "format_version": str(FORMAT_VERSION), "kind": KIND,
            "source": "center", "period": period, "language": lang,
            "catalog_version": catalog_version(conn), "exported_at": exported_at_now(),
            "package_id": str(uuid.uuid4()),
            **{f"sheet.{key}": sheet_title(key, lang) for key, _ in SHEETS}}
    if scope_has_demo(conn, period=period):
        meta["demo"] = "1"  # the contract's optional key: some figures are demo data
    return meta


def export_consolidated(conn: sqlite3.Connection, period: str, lang: str, path: Path, *,
                        progress: Progress | None = None) -> Path:
    """Write the consolidated workbook of all regions for `period`; returns the path. A
    cancelled export (the progress callback returned False) leaves no file."""
    period = parse_period(period).code
    matrix = consolidation.section_matrix(conn, period, lang)
    reported = [r for r in matrix.regions if matrix.cells[r.code].reported]
    per_region = len(_indicator_rows(conn, reported[0], period, lang)) if reported else 0
    ticker = _Ticker(progress, len(reported) * (ROWS_PER_REGION_STEP + per_region + 40))
    data: dict[str, list[list[Any]]] = {"actions": [], "gender": [], "indicators": []}
    for region in reported:
        data["actions"] += _action_rows(conn, region, period, lang)
        data["gender"] += _gender_rows(conn, region, period, lang)
        data["indicators"] += _indicator_rows(conn, region, period, lang)
        ticker.advance(ROWS_PER_REGION_STEP)
    data["summary"] = _summary_rows(conn, matrix, lang)
    data["national_gender"] = _national_gender_rows(conn, period, lang)
    data["national_indicators"] = _national_indicator_rows(conn, period, lang)
    with ExchangeBook(conn, path, _meta(conn, period, lang), log=False) as book:
        formats = {"key": book.workbook.add_format(KEY_FORMAT),
                   "header": book.workbook.add_format(HEADER_FORMAT)}
        for key, columns in SHEETS:
            _write_sheet(book, formats, key, columns, data[key], lang, ticker)
    report_progress(progress, ticker.total, ticker.total)
    return path
