"""The `review` package written: the center's decision on one region's return for one period, sent
back to the region as a file (read there by exports.importer.review_kind).

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
from db.errors import PlanMonitorError
from db.periods import parse_period
from exports.xlsx_book import ExchangeBook, base_meta
from exports.xlsx_common import (
    FIRST_DATA_ROW,
)
from resources.text import clean_text
from resources.words import tr

KIND = "review"
REMARK_COLUMNS = ("item_kind", "item_key", "item", "reported_value", "remark")
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


def _write_remarks(book: ExchangeBook, title: str, rows: list[list[str]], lang: str) -> None:
    fmt = book.formats
    sheet = book.workbook.add_worksheet(title)
    sheet.set_row(0, None, fmt.key, {"hidden": True})
    sheet.freeze_panes(FIRST_DATA_ROW - 1, 0)
    for col, key in enumerate(REMARK_COLUMNS):  # rows in order: the book streams them
        sheet.set_column(col, col, WIDTHS[key])
        sheet.write_string(0, col, key, fmt.key)
    for col, key in enumerate(REMARK_COLUMNS):
        sheet.write_string(1, col, tr(f"center.xlsx.col.{key}", lang), fmt.header)
    for offset, values in enumerate(rows):
        for col, value in enumerate(values):
            values[col] = value = clean_text(value)  # the signature covers it as written
            sheet.write_string(FIRST_DATA_ROW - 1 + offset, col, value, fmt.text)
    book.cover("remarks", REMARK_COLUMNS, rows)


def export_review(conn: sqlite3.Connection, region: str, period: str, lang: str, path: Path,
                  progress: Any = None) -> Path:
    """Write the center's decision on `region`'s return for `period`; returns the path."""
    path = Path(path)
    period = parse_period(period).code
    decision = review.get_review(conn, region, period)
    if decision.state is None:
        raise PlanMonitorError("center.review.nothing_to_send", region=region, period=period)
    meta = base_meta(conn, KIND, lang)
    titles = {"review": tr("center.xlsx.sheet.review", lang),
              "remarks": tr("center.xlsx.sheet.remarks", lang)}
    meta.update(region=region, period=period, review_state=decision.state,
                review_revision=str(decision.revision), review_remark=decision.remark,
                reviewed_at=decision.updated_at or "", reviewed_by=decision.updated_by,
                **{f"sheet.{key}": title for key, title in titles.items()})
    rows = [[kind, key, review.item_label(conn, (kind, key), lang),
             review.reported_value(conn, region, period, (kind, key), lang), text]
            for (kind, key), text in decision.remarks.items()]
    with ExchangeBook(conn, path, meta) as book:
        fmt = book.formats
        sheet = book.workbook.add_worksheet(titles["review"])  # the letter: for people only
        sheet.set_column(0, 0, 110)
        for row, line in enumerate(_decision_lines(conn, decision, lang)):
            sheet.write_string(row, 0, line, fmt.title if row == 0 else fmt.text)
        sheet.activate()
        _write_remarks(book, titles["remarks"], rows, lang)
    return path
