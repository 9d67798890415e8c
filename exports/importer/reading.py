"""Reading an exchange file: the zip safety check, `_meta`, and the sheets' rows.

python-calamine parses a sheet without holding Python's lock, so the sheets are read on a worker
thread (SheetPrefetch) while the import does what it can meanwhile: the scan of the XML parts,
the file's SHA-256, the database reads. Nothing read is used unless the safety checks passed."""

from __future__ import annotations

import sqlite3
import threading
from datetime import datetime
from pathlib import Path
from typing import Any

from python_calamine import CalamineError, CalamineWorkbook

from db.errors import PlanMonitorError, UnreadableFile
from exports import xlsx_safety
from exports.xlsx_common import META_SHEET, check_meta, meta_from_rows

MAX_META_ROWS = 1000
LANGUAGES = ("ru", "kk", "en")


def read_sheet(book: CalamineWorkbook, title: str, file: str) -> list[list[Any]]:
    """All rows of a sheet from A1 (numbers come back as float, blanks as ''); refuses sheets
    wider or longer than the limits before building the rows."""
    sheet = book.get_sheet_by_name(title)
    width, height = sheet.end[1] + 1 if sheet.end else 0, sheet.end[0] + 1 if sheet.end else 0
    if width > xlsx_safety.MAX_COLUMNS:
        raise PlanMonitorError("xlsx.sheet_too_wide", file=file, sheet=title, count=width,
                               limit=xlsx_safety.MAX_COLUMNS)
    if height > xlsx_safety.MAX_ROWS:
        raise PlanMonitorError("xlsx.sheet_too_long", file=file, sheet=title, count=height,
                               limit=xlsx_safety.MAX_ROWS)
    return sheet.to_python(skip_empty_area=False)


class SheetPrefetch:
    """Every sheet of a workbook but `_meta`, read to Python rows on a worker thread in the
    workbook's order. Start it only once `xlsx_safety.check_container` passed (sizes bounded).
    With `start=False` the caller runs `read` on a thread of its own (a batch's reader)."""

    def __init__(self, path: Path, start: bool = True) -> None:
        self.path = Path(path)
        self._rows: dict[str, list[list[Any]]] = {}
        self._errors: dict[str, BaseException] = {}
        self._error: BaseException | None = None  # the workbook could not be opened at all
        self._done = False
        self._ready = threading.Condition()
        if start:
            threading.Thread(target=self.read, name=f"read {self.path.name}",
                             daemon=True).start()

    def read(self) -> None:
        try:
            book = CalamineWorkbook.from_path(str(self.path))
            for title in book.sheet_names:
                if title != META_SHEET:
                    self._read_one(book, title)
        except Exception as exc:  # noqa: BLE001 - raised where any sheet is asked for
            self._error = exc
        finally:
            with self._ready:
                self._done = True
                self._ready.notify_all()

    def _read_one(self, book: CalamineWorkbook, title: str) -> None:
        try:
            rows = read_sheet(book, title, self.path.name)
        except Exception as exc:  # noqa: BLE001 - raised where the sheet is asked for
            with self._ready:
                self._errors[title] = exc
                self._ready.notify_all()
            return
        with self._ready:
            self._rows[title] = rows
            self._ready.notify_all()

    def rows(self, title: str) -> list[list[Any]]:
        """The sheet's rows, once read (waits for them); raises what reading it raised."""
        with self._ready:
            self._ready.wait_for(lambda: self._done or title in self._rows
                                 or title in self._errors)
        if title in self._rows:
            return self._rows[title]
        if title in self._errors:
            raise self._errors[title]
        if self._error is not None:
            raise self._error
        raise PlanMonitorError("xlsx.missing_sheet_named", file=self.path.name, sheet=title)

    @classmethod
    def checked(cls, path: Path) -> SheetPrefetch | None:
        """A reader (not started) for a file that passes `check_container`; None if it does
        not (its plan refuses it, with the reason)."""
        try:
            xlsx_safety.check_container(path)
        except Exception:  # noqa: BLE001 - the plan checks the file again and says why
            return None
        return cls(path, start=False)


def open_book(path: Path) -> tuple[list[str], dict[str, str], xlsx_safety.FormulaCells]:
    """Scan the parts (the sheets are being read meanwhile), then read and check `_meta`.
    Returns the sheet titles, `_meta` and the formula cells of each worksheet part."""
    formulas = xlsx_safety.scan_parts(path)
    try:
        book = CalamineWorkbook.from_path(str(path))
        if META_SHEET not in book.sheet_names:
            raise PlanMonitorError("xlsx.not_exchange", file=path.name)
        meta = meta_from_rows(read_sheet(book, META_SHEET, path.name)[:MAX_META_ROWS])
        titles = list(book.sheet_names)
    except CalamineError as exc:
        raise UnreadableFile("xlsx.damaged", file=path.name, detail=str(exc)[:200]) from exc
    check_meta(meta, path.name)
    check_common_meta(meta, path.name)
    return titles, meta, formulas


def _bad(file: str, key: str, value: str) -> PlanMonitorError:
    shown = value if len(value) <= 80 else value[:77] + "..."
    return PlanMonitorError("xlsx.bad_meta", file=file, key=key, value=shown)


def check_common_meta(meta: dict[str, str], file: str) -> None:
    """The keys every kind shares, each refused with its own message when missing, empty or
    out of range (kind-specific keys such as `region` are checked by the kind)."""
    for key in ("kind", "source"):
        value = meta.get(key, "")
        if not value or len(value) > 64 or not value.isprintable():
            raise _bad(file, key, value)
    language = meta.get("language", "")
    if language and language not in LANGUAGES:
        raise _bad(file, "language", language)
    exported_at = meta.get("exported_at", "")
    if exported_at and parse_when(exported_at) is None:
        raise _bad(file, "exported_at", exported_at)
    for key in ("package_id", "catalog_version"):
        value = meta.get(key, "")
        if len(value) > 200 or not value.isprintable():
            raise _bad(file, key, value)
    for key, value in meta.items():
        if key.startswith("sheet.") and (not value or len(value) > 31 or value == META_SHEET):
            raise _bad(file, key, value)


def parse_when(text: str | None) -> datetime | None:
    """An ISO 8601 time as an aware datetime (a naive one is taken as local time)."""
    try:
        value = datetime.fromisoformat(str(text))
    except (TypeError, ValueError):
        return None
    try:
        return value if value.tzinfo else value.astimezone()
    except (OverflowError, OSError, ValueError):
        return None


def state_token(conn: sqlite3.Connection) -> int:
    """Grows with every audited write: a plan is applied only if nothing was written since."""
    return conn.execute("SELECT COALESCE(MAX(id), 0) FROM operation").fetchone()[0]
