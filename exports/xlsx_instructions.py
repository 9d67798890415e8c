"""The instructions sheet that opens every exchange workbook, sized to print on one A4
landscape page (its rows are given heights: LibreOffice would not grow them for wrapped text)."""

from __future__ import annotations

import sqlite3
from typing import Any

import xlsxwriter

from db import queries
from exports.xlsx_print import (
    CHARS_PER_WIDTH,
    LINE_HEIGHT,
    page_title,
    row_height,
    setup_print,
    text_lines,
)
from resources.words import tr

INSTRUCTIONS_WIDTH = 100  # one A4 landscape page wide, in any font


def write_instructions(book: xlsxwriter.Workbook, fmt: Any, conn: sqlite3.Connection,
                       meta: dict[str, str], lang: str, template: bool) -> None:
    """The first sheet: what the file is, for whom, when written, and how to fill it in; a
    demo return says so in red under the title. `fmt` is xlsx_export's formats."""
    sheet = book.add_worksheet(tr("xlsx.sheet.instructions", lang))
    width = INSTRUCTIONS_WIDTH
    sheet.set_column(0, 0, width)
    demo_mark = tr("demo.mark", lang) if meta.get("demo") == "1" else ""
    setup_print(sheet, header_rows=0, demo_mark=demo_mark, title=page_title(conn, meta, lang))
    kind = "template" if template else meta["kind"]
    lines = [(tr(f"xlsx.instructions.title_{kind}", lang), fmt.title)]
    if demo_mark:
        lines.append((tr("demo.instructions", lang), fmt.demo))
    if meta.get("region"):
        lines.append((tr("xlsx.instructions.about", lang,
                         region=queries.region_name(conn, meta["region"], lang),
                         code=meta["region"], period=meta["period"]), fmt.text))
    lines.append((tr("xlsx.instructions.written", lang,
                     at=meta["exported_at"][:16].replace("T", " "), package=meta["package_id"]),
                  fmt.text))
    step_keys = ("fill", "status", "numbers", "keep", "send") if kind != "catalog" else (
        "catalog_import", "keep")
    lines += [(tr(f"xlsx.instructions.{key}", lang), fmt.text) for key in step_keys]
    for row, (line, cell_format) in enumerate(lines):
        big = cell_format is not fmt.text  # the title and the demo line: 14 pt
        count = text_lines(line, width, CHARS_PER_WIDTH * (10 / 14 if big else 1))
        sheet.set_row(row, row_height(count, LINE_HEIGHT * (1.45 if big else 1)))
        sheet.write_string(row, 0, line, cell_format)
    sheet.activate()
