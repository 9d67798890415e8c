"""Reading an exchange file: the zip safety check, `_meta`, and the sheets' rows.

python-calamine parses a sheet without holding Python's lock, so the sheets are read on a worker
thread (SheetPrefetch) while the import does what it can meanwhile: the judge of the XML parts,
the file's SHA-256, the database reads. No sheet is parsed before the judge passed its part
(`xlsx_safety.judge_parts`: its extent within the limits), so a file that would not fit in
memory is refused from its XML, never parsed."""

from __future__ import annotations

import logging
import re
import sqlite3
import threading
from datetime import datetime
from pathlib import Path
from typing import Any

from python_calamine import CalamineError, CalamineWorkbook

from db.errors import PlanMonitorError, UnreadableFile
from exports import xlsx_safety
from exports.xlsx_common import META_SHEET, CellError, check_meta, meta_from_rows

MAX_META_ROWS = 1000
_log = logging.getLogger(__name__)
_CELL = re.compile(r"^([A-Z]*)(\d+)$")
LANGUAGES = ("ru", "kk", "en")


def read_sheet(book: CalamineWorkbook, title: str, file: str) -> list[list[Any]]:
    """All rows of a sheet from A1 (numbers come back as float, blanks as ''). Only for a sheet
    `xlsx_safety.judge_parts` passed: its extent is within the limits before calamine sees it."""
    return book.get_sheet_by_name(title).to_python(skip_empty_area=False)


class SheetPrefetch:
    """Every sheet of a workbook but `_meta`, read to Python rows on a worker thread in the
    workbook's order, each only once `judge` passed its XML part (so a sheet too big for the
    limits is never parsed); a refusal, or `stop`, ends all reading of the file. Start it only
    once `xlsx_safety.check_container` passed (sizes bounded). With `start=False` the caller runs
    `read` on a thread of its own (a batch's reader, which judges the file first)."""

    def __init__(self, path: Path, start: bool = True) -> None:
        self.path = Path(path)
        self._rows: dict[str, list[list[Any]]] = {}
        self._errors: dict[str, BaseException] = {}
        self._error: BaseException | None = None  # the workbook could not be opened at all
        self._done = False
        self._ready = threading.Condition()
        self._judge_lock = threading.Lock()
        self._judged: xlsx_safety.Judged | None = None
        self._refusal: BaseException | None = None
        self._passed: dict[str, bool] = {}  # part -> may be parsed (judged so far)
        self._stopped = False
        if start:
            threading.Thread(target=self.read, name=f"read {self.path.name}",
                             daemon=True).start()

    def judge(self) -> xlsx_safety.Judged:
        """Judge the file's parts once (whoever asks first; others wait and get the same
        verdict): raises the refusal, which stops the reader."""
        with self._judge_lock:
            if self._judged is None and self._refusal is None:
                try:
                    self._judged = xlsx_safety.judge_parts(self.path, self._part_judged)
                except BaseException as exc:
                    self._refusal = exc
                    self.stop()
            if self._refusal is not None:
                raise self._refusal
            assert self._judged is not None
            return self._judged

    @property
    def weight(self) -> int:
        """The judged file's rows' memory, about (`xlsx_safety.Judged.weight`); 0 before."""
        return self._judged.weight if self._judged is not None else 0

    def _part_judged(self, part: str, ok: bool) -> None:
        with self._ready:
            self._passed[part] = ok
            self._ready.notify_all()

    def stop(self) -> None:
        """Read no further sheet of this file (a sheet being parsed finishes)."""
        with self._ready:
            self._stopped = True
            self._ready.notify_all()

    def read(self, judge: bool = False) -> None:
        try:
            if judge:
                self.judge()
            book = CalamineWorkbook.from_path(str(self.path))
            parts = xlsx_safety.sheet_xml_paths(self.path)
            for title in book.sheet_names:
                if title != META_SHEET and self._may_read(parts.get(title, "")):
                    self._read_one(book, title)
        except Exception as exc:  # noqa: BLE001 - raised where any sheet is asked for
            self._error = self._refusal or exc
        finally:
            with self._ready:
                self._done = True
                self._ready.notify_all()

    def _may_read(self, part: str) -> bool:
        """Wait for the part's verdict; False once the file is refused or reading stopped."""
        with self._ready:
            self._ready.wait_for(lambda: self._stopped or part in self._passed
                                 or self._judged is not None)
            if self._stopped:
                raise self._refusal or PlanMonitorError("xlsx.cancelled")
            if part in self._passed:
                return self._passed[part]
            return self._judged is not None and not self._judged.strays  # a part not named


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
        self.judge()  # nothing is handed out of a file not judged (raises its refusal)
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


def open_book(path: Path) -> tuple[list[str], dict[str, str]]:
    """Read and check `_meta` (after `SheetPrefetch.judge` passed the file). Returns the sheet
    titles and `_meta`."""
    try:
        book = CalamineWorkbook.from_path(str(path))
        if META_SHEET not in book.sheet_names:
            raise PlanMonitorError("xlsx.not_exchange", file=path.name)
        meta = meta_from_rows(read_sheet(book, META_SHEET, path.name)[:MAX_META_ROWS])
        titles = list(book.sheet_names)
    except CalamineError as exc:
        _log.info("%s: %s", path.name, exc)
        raise UnreadableFile("xlsx.damaged", file=path.name, detail=str(exc)[:200]) from exc
    check_meta(meta, path.name)
    check_common_meta(meta, path.name)
    return titles, meta


def stray_errors(path: Path, judged: xlsx_safety.Judged) -> list[CellError]:
    """A cell error at each value that lies outside the form (a slip far from the data)."""
    try:
        titles = {part: title for title, part in xlsx_safety.sheet_xml_paths(path).items()}
    except Exception:  # noqa: BLE001 - the part names the place when the workbook does not
        titles = {}
    errors = []
    for part, cells in judged.strays.items():
        for name in cells:
            found = _CELL.match(name)
            row, column = (int(found[2]), found[1]) if found else (0, "")
            errors.append(CellError(path.name, titles.get(part, part), row, column,
                                    "xlsx.outside_form", {"cell": name}))
    return errors


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
