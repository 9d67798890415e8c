"""What the exchange workbooks share: the contract's constants, the `_meta` sheet, columns found
by machine key, tolerant cell parsing and cell errors that name file, sheet, row and column.

These are small public helpers: other package kinds (the center's review, the consolidated
workbook) read their files with them too.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from db.errors import PlanMonitorError
from resources.text import clean_text
from resources.words import tr

FORMAT = "planmonitor-exchange"
FORMAT_VERSION = 1
META_SHEET = "_meta"
FIRST_DATA_ROW = 3  # 1-based, as a person sees it: row 1 holds machine keys, row 2 headers
MAX_ERRORS = 500  # errors listed per file; the rest are counted

Progress = Callable[[int, int], bool]


class Cancelled(PlanMonitorError):
    """The user cancelled through a progress callback; nothing was written."""


def report_progress(progress: Progress | None, done: int, total: int) -> None:
    if progress is not None and progress(done, total) is False:
        raise Cancelled("xlsx.cancelled")


# --- Cell errors ---------------------------------------------------------------------------------

def column_letter(index: int) -> str:
    """0-based column index -> `A`, `B`, ..., `AA`."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


@dataclass(frozen=True)
class CellError:
    """One problem at one place in a file; `row` is 1-based, `column` a letter ('' for the whole
    sheet or row)."""

    file: str
    sheet: str
    row: int
    column: str
    key: str
    params: dict[str, Any] = field(default_factory=dict)

    def what(self, lang: str | None = None) -> str:
        return tr(self.key, lang, **self.params)

    def message(self, lang: str | None = None) -> str:
        if self.column and self.row:
            return tr("xlsx.at_cell", lang, file=self.file, sheet=self.sheet, row=self.row,
                      column=self.column, what=self.what(lang))
        if self.row:
            return tr("xlsx.at_row", lang, file=self.file, sheet=self.sheet, row=self.row,
                      what=self.what(lang))
        return tr("xlsx.at_sheet", lang, file=self.file, sheet=self.sheet, what=self.what(lang))

    def as_dict(self, lang: str | None = None) -> dict[str, Any]:
        return {"file": self.file, "sheet": self.sheet, "row": self.row, "column": self.column,
                "key": self.key, "message": self.message(lang)}


class CellProblem(ValueError):
    """Raised by the parsers below; the caller turns it into a CellError at its cell."""

    def __init__(self, key: str, /, **params: Any) -> None:
        super().__init__(key)
        self.key = key
        self.params = params


# --- The _meta sheet -----------------------------------------------------------------------------

def meta_from_rows(rows: Sequence[Sequence[Any]]) -> dict[str, str]:
    """Keys in column A, values in column B; blank keys ignored, values as text."""
    meta: dict[str, str] = {}
    for row in rows:
        if not row:
            continue
        key = cell_text(row[0]).strip()
        if key:
            value = row[1] if len(row) > 1 else ""
            # a TRUE/FALSE cell is no number, no code: kept as the word, so it is refused
            text = str(value).upper() if isinstance(value, bool) else cell_text(value).strip()
            meta[key] = clean_text(text)  # no control character reaches a message or the data
    return meta


def check_meta(meta: dict[str, str], file: str) -> None:
    """The file says it is an exchange package of a version we read."""
    if meta.get("format") != FORMAT:
        raise PlanMonitorError("xlsx.not_exchange", file=file)
    text = meta.get("format_version", "")
    try:
        number = float(text)
        version = int(number)
    except (ValueError, OverflowError):
        raise PlanMonitorError("xlsx.bad_meta", file=file, key="format_version",
                               value=short(text)) from None
    if version != number or version < 1:
        raise PlanMonitorError("xlsx.bad_meta", file=file, key="format_version", value=short(text))
    if version > FORMAT_VERSION:
        raise PlanMonitorError("xlsx.format_too_new", file=file, found=version,
                               supported=FORMAT_VERSION)


# --- Columns by machine key ----------------------------------------------------------------------

def find_columns(key_row: Sequence[Any]) -> dict[str, int]:
    """Machine key -> 0-based column index, from row 1. Unknown keys are kept (callers ignore
    them); the first occurrence of a key wins."""
    found: dict[str, int] = {}
    for index, value in enumerate(key_row):
        key = cell_text(value).strip()
        if key and key not in found:
            found[key] = index
    return found


def missing_columns(columns: dict[str, int], required: Sequence[str]) -> list[str]:
    return [key for key in required if key not in columns]


def cell(row: Sequence[Any], index: int | None) -> Any:
    if index is None or index >= len(row):
        return None
    value = row[index]
    return None if value == "" else value


def is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


# --- Tolerant parsing ----------------------------------------------------------------------------

_SPACES = dict.fromkeys(map(ord, " \u00a0\u202f\u2009\u2007\t'"), None)
_NUMBER = re.compile(r"^[+-]?(\d+([.,]\d+)?|[.,]\d+)$")
_DATE_DMY = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})$")
EXCEL_EPOCH = date(1899, 12, 30)


def cell_text(value: Any) -> str:
    """A cell as text: numbers without a trailing `.0`, dates as ISO."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, timedelta):
        return str(value)
    return str(value)


def parse_number(value: Any) -> float | None:
    """A number from a cell: numbers as they are; text such as `12,5`, `1 234` (with ordinary or
    non-breaking spaces) or `-3.5`. Blank is None; anything else raises CellProblem."""
    if is_blank(value):
        return None
    if isinstance(value, bool):
        raise CellProblem("xlsx.bad_number", value=cell_text(value))
    if isinstance(value, (int, float)):
        if not math.isfinite(value):
            raise CellProblem("xlsx.bad_number", value=cell_text(value))
        return float(value)
    text = str(value).strip().translate(_SPACES)
    if not _NUMBER.match(text):
        raise CellProblem("xlsx.bad_number", value=short(str(value)))
    number = float(text.replace(",", "."))
    if not math.isfinite(number):
        raise CellProblem("xlsx.bad_number", value=short(str(value)))
    return number


MAX_WHOLE = 2**53  # the largest whole number a cell (a float) holds exactly; SQLite takes it


def bounded_whole(number: float, value: Any, low: int = -MAX_WHOLE) -> int:
    """A whole number within [low, MAX_WHOLE], or CellProblem naming the range (a figure from a
    file is never handed on as an int SQLite cannot store)."""
    if not low <= number <= MAX_WHOLE:
        raise CellProblem("xlsx.number_out_of_range", value=short(cell_text(value)), low=low,
                          high=MAX_WHOLE)
    return int(number)


def parse_whole(value: Any) -> int | None:
    number = parse_number(value)
    if number is None:
        return None
    if not number.is_integer():
        raise CellProblem("xlsx.not_whole", value=cell_text(number))
    if number < 0:
        raise CellProblem("xlsx.negative", value=cell_text(number))
    return bounded_whole(number, value, 0)


def parse_date(value: Any) -> date | None:
    """A date from a cell: a date, an Excel serial number, `31.12.2026` or `2026-12-31`."""
    if is_blank(value):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if 1 <= value < 2958466:
            return EXCEL_EPOCH + timedelta(days=int(value))
        raise CellProblem("xlsx.bad_date", value=cell_text(value))
    text = str(value).strip()
    match = _DATE_DMY.match(text)
    try:
        if match:
            return date(int(match[3]), int(match[2]), int(match[1]))
        return date.fromisoformat(text[:10])
    except ValueError:
        raise CellProblem("xlsx.bad_date", value=short(text)) from None


def parse_text(value: Any, limit: int) -> str:
    text = cell_text(value)
    if len(text) > limit:
        raise CellProblem("xlsx.too_long", length=len(text), limit=limit)
    return text


def short(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[:limit] + "…"


# --- Writing -------------------------------------------------------------------------------------

def safe_file_name(name: str) -> str:
    """A file name valid on Windows: no `:` or other reserved characters."""
    return re.sub(r'[<>:"/\\|?*\x00-\x1f]', "-", name).strip(" .") or "export"


# --- The return's data sheets ---
# Widths (in Excel's units) are chosen so each sheet prints one A4 landscape page wide at a scale
# that stays readable; wrapped text grows the row instead.-----------------------------------------------------------------

@dataclass(frozen=True)
class ColumnSpec:
    """One column of a data sheet. `role`: key (identifies the row), info (catalog text, locked),
    input (a person fills it), formula (computed, ignored on reading), revision. A column that is
    not `shown` holds machine codes people do not need: it is hidden (readers find it by key)."""

    key: str
    width: float
    role: str
    parse: str = "text"  # input cells: text | status | whole | decimal
    shown: bool = True


@dataclass(frozen=True)
class SheetSpec:
    data_key: str
    table: str
    columns: tuple[ColumnSpec, ...]

    @property
    def key_columns(self) -> tuple[str, ...]:
        return tuple(c.key for c in self.columns if c.role == "key")

    @property
    def inputs(self) -> tuple[ColumnSpec, ...]:
        return tuple(c for c in self.columns if c.role == "input")

    @property
    def required(self) -> tuple[str, ...]:
        return (*self.key_columns, *(c.key for c in self.inputs), "revision")

    def index(self, key: str) -> int:
        return next(i for i, c in enumerate(self.columns) if c.key == key)


RETURN_SHEETS: tuple[SheetSpec, ...] = (
    SheetSpec("actions", "action_report", (
        ColumnSpec("action_no", 5, "key"),
        ColumnSpec("section", 7, "info"),
        ColumnSpec("action", 40, "info"),
        ColumnSpec("outcome", 24, "info"),
        ColumnSpec("deadline", 13, "info"),
        ColumnSpec("agencies", 15, "info"),
        ColumnSpec("status", 14, "input", "status"),
        ColumnSpec("progress_note", 42, "input"),
        ColumnSpec("evidence", 24, "input"),
        ColumnSpec("officer", 16, "input"),
        ColumnSpec("revision", 8, "revision"),
    )),
    SheetSpec("gender", "gender_figure", (
        ColumnSpec("body", 14, "key", shown=False),
        ColumnSpec("body_name", 45, "info"),
        ColumnSpec("women", 11, "input", "whole"),
        ColumnSpec("total", 11, "input", "whole"),
        ColumnSpec("share", 12, "formula"),
        ColumnSpec("note", 40, "input"),
        ColumnSpec("revision", 8, "revision"),
    )),
    SheetSpec("indicators", "indicator_value", (
        ColumnSpec("indicator", 9, "key", shown=False),
        ColumnSpec("indicator_name", 50, "info"),
        ColumnSpec("disaggregation", 12, "key", shown=False),
        ColumnSpec("disaggregation_name", 18, "info"),
        ColumnSpec("unit", 12, "info"),
        ColumnSpec("baseline", 11, "info"),
        ColumnSpec("target", 11, "info"),
        ColumnSpec("value", 12, "input", "decimal"),
        ColumnSpec("note", 30, "input"),
        ColumnSpec("source", 25, "input"),
        ColumnSpec("revision", 8, "revision"),
    )),
)
RETURN_SHEET_BY_KEY = {s.data_key: s for s in RETURN_SHEETS}
