"""How an exchange workbook prints and reads: row heights for wrapped text, A4 landscape one page
wide with the header rows on every page, the region and period at the top of every page, and
the "ДЕМО / DEMO" mark on demo returns.

xlsxwriter cannot measure text, and LibreOffice does not grow a row for wrapped text it did not
lay out itself (the lines overlap), so a row's height is estimated here from each wrapped cell's
length and its column's width. The estimate errs on the tall side: a line too many costs a little
paper, a line too few hides text.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from typing import Any

from db import queries
from db.periods import parse_period
from exports.xlsx_common import ColumnSpec
from resources.words import tr

# Characters of the cell font (10 pt) that fit in one unit of column width: a width unit is the
# '0' of the default 11 pt font, a little wider than an average letter at 10 pt; kept below the
# true figure because words wrap whole, and for LibreOffice without Calibri or Carlito, whose
# fallback font (DejaVu Sans) is wider.
CHARS_PER_WIDTH = 0.9
LINE_HEIGHT = 12.75  # points, one line of 10 pt text
ROW_PADDING = 3.0
MAX_ROW_HEIGHT = 409.0  # the largest row height Excel accepts
A4 = 9  # xlsxwriter's paper code
WRAPPED_ROLES = ("info", "input")


def text_lines(text: str, width: float, chars_per_width: float = CHARS_PER_WIDTH) -> int:
    """Lines `text` takes in a wrapped cell of `width` (column width units)."""
    per_line = max(1, int(width * chars_per_width))
    return sum(max(1, -(-len(part) // per_line)) for part in text.split("\n"))


def row_height(lines: int, line_height: float = LINE_HEIGHT) -> float:
    return min(MAX_ROW_HEIGHT, lines * line_height + ROW_PADDING)


class RowHeights:
    """Estimates the height each data row needs; None for a row of single lines (the default
    height). Catalog texts repeat from row to row (an indicator's name for each breakdown), so a
    cell's line count is remembered by its text."""

    def __init__(self, columns: Sequence[ColumnSpec]) -> None:
        self.wrapped = [(index, column.width) for index, column in enumerate(columns)
                        if column.role in WRAPPED_ROLES and column.parse == "text"]
        self._lines: dict[tuple[str, float], int] = {}

    def for_row(self, values: Sequence[Any]) -> float | None:
        most = 1
        cache = self._lines
        for index, width in self.wrapped:
            value = values[index] if index < len(values) else None
            if value.__class__ is not str or len(value) <= width:
                continue  # not text, or short enough for one line
            lines = cache.get((value, width))
            if lines is None:
                lines = cache[(value, width)] = text_lines(value, width)
            most = max(most, lines)
        return row_height(most) if most > 1 else None


def frozen_columns(columns: Sequence[ColumnSpec]) -> int:
    """Columns kept in view when scrolling right: up to the row's name (the first wide catalog
    text), or the first column when there is none."""
    for index, column in enumerate(columns):
        if column.role == "info" and column.width >= 30:
            return index + 1
    return 1


def page_title(conn: sqlite3.Connection, meta: dict[str, str], lang: str) -> str:
    """What every printed page of a region's file says it is about: «Алматы — 3-й квартал 2026
    года» ("" for a file of no region, such as the catalog)."""
    if not meta.get("region") or not meta.get("period"):
        return ""
    period = parse_period(meta["period"])
    when = tr(f"report.period.{period.kind}", lang, n=period.index, year=period.year)
    return tr("prints.xlsx.page_title", lang,
              region=queries.region_name(conn, meta["region"], lang), period=when)


def setup_print(sheet: Any, *, header_rows: int = 2, demo_mark: str = "",
                footer: bool = True, title: str = "") -> None:
    """A4 landscape, fit to one page wide (as many tall as needed), the first `header_rows` rows
    (machine keys and headers) printed on every page; the region and period (`title`, see
    page_title) at the top left of every page, the demo mark in the middle."""
    sheet.set_landscape()
    sheet.set_paper(A4)
    sheet.fit_to_pages(1, 0)
    sheet.set_margins(left=0.4, right=0.4, top=0.7, bottom=0.6)
    if header_rows:
        sheet.repeat_rows(0, header_rows - 1)
    header = f"&L&10{_escape(title)}" if title else ""
    if demo_mark:
        header += f'&C&"-,Bold"&14{_escape(demo_mark)}'
    if header:
        sheet.set_header(header)
    if footer:
        sheet.set_footer("&L&A&R&P / &N")


def _escape(text: str) -> str:
    return text.replace("&", "&&")
