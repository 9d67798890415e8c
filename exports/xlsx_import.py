"""Reading exchange workbooks back: plan (read, validate, diff; touches nothing), then apply (one
transaction, backup first, audited with the file's name and SHA-256).

Each package kind has a handler (`KIND_HANDLERS`): `return` and `catalog` live here; other kinds
(the center's review, a consolidated workbook) register their own with `register_kind`.

How a return's field is decided (see docs/exchange-format.md, "Conflicts"):
- the file's value equals the database's: unchanged;
- the file came from this database (`source` is us): the row's `revision` in the file is the
  revision it had when written. If the row is still at that revision, the change fast-forwards.
  Otherwise the value at that revision (from the audit trail) is the base: a field the file did
  not change is left alone, a field only the file changed applies, a field both changed is a
  conflict;
- the file came from elsewhere (a region's return at the center): the file's value applies unless
  this database changed that field by hand since it last imported it, which is a conflict.
"""

from __future__ import annotations

import functools
import gc
import hashlib
import importlib
import math
import operator
import sqlite3
import sys
import threading
from collections import deque
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from python_calamine import CalamineError, CalamineWorkbook

from db import rules
from db.audit import Change, OpChanges, OpInfo, key_text, now_iso
from db.backup import BackgroundBackup, automatic_backup
from db.catalog import CATALOG_TABLES, CatalogData, apply_catalog, validate_catalog
from db.connection import large_cache, transaction
from db.errors import PeriodLocked, PlanMonitorError, UnreadableFile
from db.history import RowHistory
from db.office import Office
from db.ops import (
    REGIONAL,
    RowWrite,
    apply_writes_bulk,
    indicator_values_ok,
    review_state,
)
from db.periods import parse_period
from exports import xlsx_safety
from exports.xlsx_common import (
    FIRST_DATA_ROW,
    MAX_ERRORS,
    META_SHEET,
    RETURN_SHEETS,
    CellError,
    CellProblem,
    Progress,
    SheetSpec,
    cell,
    cell_text,
    check_meta,
    column_letter,
    find_columns,
    is_blank,
    meta_from_rows,
    parse_date,
    parse_number,
    parse_text,
    parse_whole,
    report_progress,
)
from resources.words import current_language, tr

PROGRESS_EVERY = 5000


# --- What a plan holds ---------------------------------------------------------------------------

def _shown(value: Any, lang: str | None) -> str:
    if value is None or value == "":
        return tr("xlsx.empty", lang)
    if isinstance(value, str) and value in rules.STATUSES:
        return rules.status_label(value, lang)
    return cell_text(value)


def _field_word(name: str, lang: str | None) -> str:
    word = tr(f"field.{name}", lang)
    return word if word != f"field.{name}" else name


class FieldChange(Change):
    """One field a plan would set (a named tuple: national files make hundreds of thousands). It is
    a db.audit.Change, so an apply audits and returns the plan's own changes."""

    __slots__ = ()

    @property
    def label(self) -> str:
        """A human label in the current language, e.g. "Мероприятие 3"."""
        return self.label_in(None)

    def label_in(self, lang: str | None) -> str:
        data_key = _DATA_KEY_OF_TABLE.get(self.table)
        if data_key is None:
            return f"{self.table} {key_text(self.key)}"
        return _label(data_key, self.key, lang)

    def describe(self, lang: str | None = None) -> str:
        return tr("xlsx.cli.change", lang, label=self.label_in(lang),
                  field=_field_word(self.field, lang), old=_shown(self.old, lang),
                  new=_shown(self.new, lang))

    def as_dict(self, lang: str | None = None) -> dict[str, Any]:
        return {"table": self.table, "key": list(self.key), "field": self.field,
                "old": self.old, "new": self.new, "label": self.label_in(lang)}


@dataclass(frozen=True)
class Conflict:
    id: str
    table: str
    key: tuple
    field: str
    base: Any
    local: Any
    file: Any
    label: str

    def describe(self, lang: str | None = None) -> str:
        return tr("xlsx.cli.conflict", lang, label=self.label, field=_field_word(self.field, lang),
                  base=_shown(self.base, lang), local=_shown(self.local, lang),
                  file=_shown(self.file, lang))

    def as_dict(self) -> dict[str, Any]:
        return {"id": self.id, "table": self.table, "key": list(self.key), "field": self.field,
                "base": self.base, "local": self.local, "file": self.file, "label": self.label}


@dataclass
class ImportPlan:
    path: Path
    kind: str = ""
    region: str | None = None
    period: str | None = None
    package_id: str | None = None
    source: str | None = None
    exported_at: str | None = None
    sha256: str = ""
    meta: dict[str, str] = field(default_factory=dict)
    errors: list[CellError] = field(default_factory=list)
    more_errors: int = 0
    added: list[FieldChange] = field(default_factory=list)
    changed: list[FieldChange] = field(default_factory=list)
    unchanged: int = 0
    conflicts: list[Conflict] = field(default_factory=list)
    stale: bool = False
    newer_exported_at: str | None = None
    already_applied: bool = False
    refused: PlanMonitorError | None = None
    state_token: int = 0
    payload: Any = None  # the handler's own data for apply (row writes, a CatalogData, ...)

    @property
    def ok(self) -> bool:
        return not self.errors and self.refused is None

    @property
    def file_name(self) -> str:
        return self.path.name

    def add_error(self, error: CellError) -> None:
        if len(self.errors) < MAX_ERRORS:
            self.errors.append(error)
        else:
            self.more_errors += 1

    def summary(self, lang: str | None = None) -> str:
        kind = tr(f"xlsx.kind.{self.kind}", lang)
        kind = self.kind if kind.startswith("xlsx.kind.") else kind
        return tr("xlsx.cli.plan", lang, file=self.file_name, kind=kind,
                  region=self.region or "", period=self.period or "", added=len(self.added),
                  changed=len(self.changed), unchanged=self.unchanged,
                  conflicts=len(self.conflicts), errors=len(self.errors) + self.more_errors)

    def as_dict(self, lang: str | None = None) -> dict[str, Any]:
        return {
            "file": str(self.path), "kind": self.kind, "region": self.region,
            "period": self.period, "package_id": self.package_id, "source": self.source,
            "exported_at": self.exported_at, "sha256": self.sha256, "ok": self.ok,
            "stale": self.stale, "already_applied": self.already_applied,
            "refused": self.refused.message(lang) if self.refused else None,
            "errors": [e.as_dict(lang) for e in self.errors], "more_errors": self.more_errors,
            "added": [c.as_dict(lang) for c in self.added],
            "changed": [c.as_dict(lang) for c in self.changed], "unchanged": self.unchanged,
            "conflicts": [c.as_dict() for c in self.conflicts],
        }


@dataclass
class PlanContext:
    conn: sqlite3.Connection
    office: Office
    book: CalamineWorkbook
    plan: ImportPlan
    progress: Progress | None
    formulas: xlsx_safety.FormulaCells = field(default_factory=dict)
    _parts: dict[str, str] | None = None
    batch: ImportBatch | None = None
    sheets: SheetPrefetch | None = None

    @property
    def file(self) -> str:
        return self.plan.file_name

    def sheet_parts(self) -> dict[str, str]:
        """Sheet title -> its XML part in the zip (read once)."""
        if self._parts is None:
            self._parts = xlsx_safety.sheet_xml_paths(self.plan.path)
        return self._parts

    def sheet_rows(self, data_key: str) -> tuple[str, list[list[Any]]] | None:
        """The rows of the data sheet the meta names for `data_key`, or None (error recorded)."""
        title = self.plan.meta.get(f"sheet.{data_key}") or data_key
        if title not in self.book.sheet_names:
            self.plan.add_error(CellError(self.file, title, 0, "", "xlsx.missing_sheet"))
            return None
        if self.sheets is not None:
            return title, self.sheets.rows(title)
        return title, read_sheet(self.book, title, self.file)


@dataclass(frozen=True)
class KindHandler:
    plan: Callable[[PlanContext], None]
    apply: Callable[[sqlite3.Connection, ImportPlan, OpInfo, set[str]], OpChanges]


KIND_HANDLERS: dict[str, KindHandler] = {}
# Kinds whose handler lives in its own module, `exports.xlsx_<kind>`, loaded when the first file of
# that kind arrives (so `planmonitor import` and the import wizard need nothing imported first).
# A whitelist: a file's `kind` never names an arbitrary module.
LAZY_KINDS = frozenset({"review"})


def register_kind(kind: str, handler: KindHandler) -> None:
    KIND_HANDLERS[kind] = handler


def kind_handler(kind: str) -> KindHandler | None:
    """The handler of a package kind, loading its module first if it is one of LAZY_KINDS."""
    if kind not in KIND_HANDLERS and kind in LAZY_KINDS:
        importlib.import_module(f"exports.xlsx_{kind}")
    return KIND_HANDLERS.get(kind)


# --- Reading -------------------------------------------------------------------------------------

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
    """Every sheet of a workbook (but `_meta`) read to Python rows on a worker thread, in the
    workbook's order. python-calamine parses without holding the GIL, so on a second core the
    parse overlaps what the import does meanwhile: the safety scan of the parts, the file's
    SHA-256, the database reads, the checks of the sheets read before, or (in a batch) the apply
    of the previous file. Start it only once `xlsx_safety.check_container` passed (sizes
    bounded); each sheet keeps read_sheet's limits. With `start=False` the caller runs `read`
    on a thread of its own (a batch's reader: see ImportBatch)."""

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
                if title == META_SHEET:
                    continue
                try:
                    rows = read_sheet(book, title, self.path.name)
                except Exception as exc:  # noqa: BLE001 - raised where the sheet is asked for
                    self._finish(title, error=exc)
                else:
                    self._finish(title, rows=rows)
        except Exception as exc:  # noqa: BLE001 - raised where any sheet is asked for
            self._error = exc
        finally:
            with self._ready:
                self._done = True
                self._ready.notify_all()

    def _finish(self, title: str, rows: list[list[Any]] | None = None,
                error: BaseException | None = None) -> None:
        with self._ready:
            if error is not None:
                self._errors[title] = error
            else:
                self._rows[title] = rows or []
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
        raise KeyError(title)  # callers ask only for sheets the workbook names

    @classmethod
    def checked(cls, path: Path) -> SheetPrefetch | None:
        """A reader (not started) for a file that passes `check_container`; None if it does
        not (its plan refuses it, with the reason)."""
        try:
            xlsx_safety.check_container(path)
        except Exception:  # noqa: BLE001 - the plan checks the file again and says why
            return None
        return cls(path, start=False)


def open_book(path: Path, sheets: SheetPrefetch | None = None
              ) -> tuple[CalamineWorkbook, dict[str, str], xlsx_safety.FormulaCells]:
    """Check the file is a safe workbook, open it, read and check `_meta`. Also returns the
    formula cells of each worksheet part (see `xlsx_safety.check_workbook_file`). With `sheets`
    (started after `xlsx_safety.check_container` passed) the scan of the parts runs while those
    are read."""
    formulas = (xlsx_safety.scan_parts(path) if sheets is not None
                else xlsx_safety.check_workbook_file(path))
    try:
        book = CalamineWorkbook.from_path(str(path))
        if META_SHEET not in book.sheet_names:
            raise PlanMonitorError("xlsx.not_exchange", file=path.name)
        meta = meta_from_rows(read_sheet(book, META_SHEET, path.name)[:1000])
    except CalamineError as exc:
        raise UnreadableFile("xlsx.damaged", file=path.name, detail=str(exc)[:200]) from exc
    check_meta(meta, path.name)
    return book, meta, formulas


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def state_token(conn: sqlite3.Connection) -> int:
    """Grows with every audited write: a plan is applied only if nothing was written since."""
    return conn.execute("SELECT COALESCE(MAX(id), 0) FROM operation").fetchone()[0]


@contextmanager
def gc_paused() -> Iterator[None]:
    """Cyclic garbage collection paused while a file is planned or applied: a national file
    makes hundreds of thousands of rows and tuples (no cycles among them), and each collection
    would walk them all again. On the way out, what was made meanwhile is moved to the oldest
    generation without being walked (promote_young_objects): re-enabled as it was, the collector
    would walk all of it at once at the next allocation (measured: 139 ms after the plan of a
    100,000-value return)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            promote_young_objects()
            gc.enable()


def promote_young_objects() -> None:
    """Move every object the collector tracks into its oldest generation, unwalked: gc.freeze
    moves them all to the permanent generation and resets the young generations' counts, and
    gc.unfreeze puts them back, into the oldest one. They stay collectable: a full collection
    (which Python runs when the oldest generation has grown by a quarter) still walks them.
    Objects frozen for good before (desktop's start) become ordinary old objects too.
    Measured, interleaved medians: import of a 100,000-value return 1.70 -> 1.58 s (7 runs),
    20 returns consolidated 1.33 -> 1.28 s (9 runs)."""
    gc.freeze()
    gc.unfreeze()


@contextmanager
def quick_thread_switches(interval: float = 0.0005) -> Iterator[None]:
    """Python hands the GIL to a waiting thread every 5 ms by default; while the sheets are read
    on a worker thread (SheetPrefetch, ImportBatch) the worker wants it back after each sheet
    python-calamine parses without it, and waited up to 5 ms each time. A shorter interval for
    the import (process-wide, restored after) measured: 20 returns consolidated in 1.44 s at
    5 ms, 1.33 s at 1 ms, 1.28 s at 0.2 ms (medians of 9, read alone 0.89 s)."""
    before = sys.getswitchinterval()
    sys.setswitchinterval(min(before, interval))
    try:
        yield
    finally:
        sys.setswitchinterval(before)


def plan_import(conn: sqlite3.Connection, path: Path, office: Office,
                progress: Progress | None = None, batch: ImportBatch | None = None) -> ImportPlan:
    """Read and validate the whole file and compute the change; writes nothing. A file that
    cannot be taken at all comes back with `refused` set. In a batch, the next file is read
    ahead while this one is applied (ImportBatch.read_ahead)."""
    path = Path(path)
    with gc_paused(), quick_thread_switches():
        try:
            return _plan_import(conn, path, office, progress, batch)
        finally:
            if batch is not None:
                batch.read_ahead(path)


def _plan_import(conn: sqlite3.Connection, path: Path, office: Office,
                 progress: Progress | None, batch: ImportBatch | None) -> ImportPlan:
    plan = ImportPlan(path=path)
    try:
        sheets = batch.prefetched(path) if batch is not None else None
        if sheets is None:
            xlsx_safety.check_container(path)
            sheets = SheetPrefetch(path)
        book, meta, formulas = open_book(path, sheets)
        plan.sha256 = file_sha256(path)
        plan.meta = meta
        plan.kind = meta.get("kind", "")
        plan.package_id = meta.get("package_id") or None
        plan.source = meta.get("source") or None
        plan.exported_at = meta.get("exported_at") or None
        handler = kind_handler(plan.kind)
        if handler is None:
            raise PlanMonitorError("xlsx.unknown_kind", file=path.name, kind=plan.kind)
        plan.state_token = state_token(conn)
        handler.plan(PlanContext(conn, office, book, plan, progress, formulas, batch=batch,
                                 sheets=sheets))
    except CalamineError as exc:
        plan.refused = UnreadableFile("xlsx.damaged", file=path.name, detail=str(exc)[:200])
    except PlanMonitorError as exc:
        if exc.key == "xlsx.cancelled":
            raise
        plan.refused = exc
    return plan


# --- Stale files and files already applied -------------------------------------------------------

def _parse_when(text: str | None) -> datetime | None:
    try:
        value = datetime.fromisoformat(str(text))
    except (TypeError, ValueError):
        return None
    return value if value.tzinfo else value.astimezone()


def check_freshness(conn: sqlite3.Connection, plan: ImportPlan) -> None:
    """Mark the plan already applied (same package) or stale (older than one applied)."""
    if plan.package_id and conn.execute(
            "SELECT 1 FROM exchange_log WHERE direction = 'import' AND package_id = ? "
            "AND result IN ('applied', 'unchanged')", (plan.package_id,)).fetchone():
        plan.already_applied = True
        return
    mine = _parse_when(plan.exported_at)
    newest = None
    for (text,) in conn.execute(
            "SELECT exported_at FROM exchange_log WHERE direction = 'import' AND kind = ? "
            "AND result IN ('applied', 'unchanged') AND source IS ? AND region_code IS ? "
            "AND period_code IS ?", (plan.kind, plan.source, plan.region, plan.period)):
        when = _parse_when(text)
        if when and (newest is None or when > newest[0]):
            newest = (when, text)
    if mine and newest and newest[0] > mine:
        plan.stale, plan.newer_exported_at = True, newest[1]


# --- Return: parse -------------------------------------------------------------------------------

@dataclass(slots=True)
class FileRow:
    key: tuple
    values: dict[str, Any]
    revision: int
    row: int


def plain_rows(conn: sqlite3.Connection, sql: str, args: tuple = ()) -> list[tuple]:
    """Rows as plain tuples (no sqlite3.Row per row): for reads of national size."""
    cursor = conn.cursor()
    cursor.row_factory = None
    return cursor.execute(sql, args).fetchall()


@dataclass
class _Catalog:
    actions: set[int]
    bodies: set[str]
    pairs: set[tuple[str, str]]  # (indicator, breakdown): the rows a return may have
    units: dict[str, str]  # indicator -> unit

    @classmethod
    def load(cls, conn: sqlite3.Connection) -> _Catalog:
        # the rows come back as (indicator, breakdown) tuples: the set is built from them in C
        return cls(
            actions={r[0] for r in plain_rows(conn, "SELECT no FROM action")},
            bodies={r[0] for r in plain_rows(conn, "SELECT code FROM gender_body")},
            pairs=set(plain_rows(conn, "SELECT indicator_code, disaggregation_code "
                                       "FROM indicator_disaggregation")),
            units=dict(plain_rows(conn, "SELECT code, unit FROM indicator")))

    def unit(self, key: tuple) -> str:
        return self.units[key[0]]


def _row_key(spec: SheetSpec, row: list[Any], cols: dict[str, int],
             catalog: _Catalog) -> tuple:
    if spec.data_key == "actions":
        number = parse_whole(cell(row, cols["action_no"]))
        if number not in catalog.actions:
            raise CellProblem("xlsx.unknown_action", value=cell_text(cell(row, cols["action_no"])))
        return (number,)
    if spec.data_key == "gender":
        body = cell_text(cell(row, cols["body"])).strip()
        if body not in catalog.bodies:
            raise CellProblem("xlsx.unknown_body", value=body)
        return (body,)
    indicator = cell_text(cell(row, cols["indicator"])).strip()
    breakdown = cell_text(cell(row, cols["disaggregation"])).strip()
    if (indicator, breakdown) not in catalog.pairs:
        raise CellProblem("xlsx.unknown_indicator", value=indicator, disaggregation=breakdown)
    return (indicator, breakdown)


def _parse_input(parse: str, value: Any, lang: str) -> Any:
    if parse == "status":
        status = rules.status_from_text(value)
        if status is None:
            words = ", ".join(rules.status_label(s, lang) for s in rules.STATUSES)
            raise CellProblem("xlsx.bad_status", value=cell_text(value), words=words)
        return status
    if parse == "whole":
        return parse_whole(value)
    if parse == "decimal":
        return parse_number(value)
    return parse_text(value, rules.MAX_NOTE_CHARS) if value is not None else ""


def _blank(value: Any) -> bool:
    return value == "" or value is None or (type(value) is str and not value.strip())


class _SheetReader:
    """Parses one return data sheet into FileRows, recording every cell error."""

    def __init__(self, ctx: PlanContext, spec: SheetSpec, title: str, catalog: _Catalog,
                 region: str, period: str) -> None:
        self.ctx, self.spec, self.title, self.catalog = ctx, spec, title, catalog
        self.prefix = (region, period)
        self.lang = ctx.plan.meta.get("language") or ctx.office.language
        self.statuses: dict[str, str | None] = {}

    def error(self, row: int, col: int | None, key: str, **params: Any) -> None:
        letter = column_letter(col) if col is not None else ""
        self.ctx.plan.add_error(CellError(self.ctx.file, self.title, row, letter, key, params))

    def parse(self, rows: list[list[Any]], done: int, total: int) -> list[FileRow] | _Columns:
        cols = find_columns(rows[0]) if rows else {}
        missing = [k for k in self.spec.required if k not in cols]
        for key in missing:
            self.error(1, None, "xlsx.missing_column", key=key)
        if missing:
            return []
        clean = _CleanSheet(self, cols).rows(rows[FIRST_DATA_ROW - 1:])
        if clean is not None:
            report_progress(self.ctx.progress, done + len(rows), total)
            return clean
        out: list[FileRow] = []
        seen: dict[tuple, int] = {}
        key_cols = [cols[k] for k in self.spec.key_columns]
        input_cols = [(c.key, c.parse, cols[c.key]) for c in self.spec.inputs]
        watched = [*key_cols, *(index for _, _, index in input_cols)]
        cells_of = operator.itemgetter(*watched) if len(watched) > 1 else (
            lambda row: (row[watched[0]],))
        for index in range(FIRST_DATA_ROW - 1, len(rows)):
            if (index - FIRST_DATA_ROW + 1) % PROGRESS_EVERY == 0:
                report_progress(self.ctx.progress, done + index, total)
            row = rows[index]
            cells = cells_of(row)
            if "" in cells and all(_blank(c) for c in cells):
                continue
            parsed = self._parse_row(row, index + 1, cols, key_cols, input_cols)
            if parsed is None:
                continue
            if parsed.key in seen:
                self.error(parsed.row, None, "xlsx.duplicate_row", first=seen[parsed.key])
                continue
            seen[parsed.key] = parsed.row
            out.append(parsed)
        return out

    def _parse_row(self, row: list[Any], number: int, cols: dict[str, int], key_cols: list[int],
                   input_cols: list[tuple[str, str, int]]) -> FileRow | None:
        if any(_blank(row[c]) for c in key_cols):
            if not all(_blank(row[c]) for c in key_cols) or not all(
                    _blank(row[i]) for _, _, i in input_cols):
                self.error(number, key_cols[0], "xlsx.missing_key")
            return None  # a row of blanks and spaces is skipped
        try:
            key = self._key(row, cols)
        except CellProblem as problem:
            self.error(number, key_cols[0], problem.key, **problem.params)
            return None
        values: dict[str, Any] = {}
        ok = True
        for name, parse, index in input_cols:
            raw = row[index]
            kind = type(raw)
            if parse == "text" and kind is str and len(raw) <= rules.MAX_NOTE_CHARS:
                values[name] = raw  # the usual case, without a call
                continue
            if parse == "decimal" and kind is float and math.isfinite(raw):
                values[name] = raw
                continue
            if parse == "status" and _blank(raw):
                continue  # a blank status leaves the stored one as it is
            try:
                values[name] = self._value(parse, raw)
            except CellProblem as problem:
                self.error(number, index, problem.key, **problem.params)
                ok = False
        revision = self._revision(row, number, cols["revision"])
        if not ok or revision is None:
            return None
        if not self._rules_ok(key, values, number, cols):
            return None
        return FileRow((*self.prefix, *key), values, revision, number)

    def _key(self, row: list[Any], cols: dict[str, int]) -> tuple:
        if self.spec.data_key == "indicators":
            pair = (row[cols["indicator"]], row[cols["disaggregation"]])
            if pair in self.catalog.pairs:
                return pair
        return _row_key(self.spec, row, cols, self.catalog)

    def _value(self, parse: str, raw: Any) -> Any:
        """Fast paths for the cells as our own export writes them; the rest is parsed tolerantly."""
        kind = type(raw)
        if parse == "text" and kind is str and len(raw) <= rules.MAX_NOTE_CHARS:
            return raw
        if parse == "decimal" and kind is float and math.isfinite(raw):
            return raw
        if parse == "whole" and kind is float and raw >= 0 and raw.is_integer():
            return int(raw)
        if parse == "status" and kind is str:
            if raw not in self.statuses:
                self.statuses[raw] = rules.status_from_text(raw)
            if self.statuses[raw] is not None:
                return self.statuses[raw]
        if raw == "":
            return "" if parse == "text" else None
        return _parse_input(parse, raw, self.lang)

    def _revision(self, row: list[Any], number: int, col: int) -> int | None:
        value = row[col]
        if type(value) is float and value >= 0 and value.is_integer():
            return int(value)
        try:
            return parse_whole(cell(row, col)) or 0
        except CellProblem:
            self.error(number, col, "xlsx.bad_revision", value=cell_text(cell(row, col)))
            return None

    def rule_problems(self, key: tuple, values: dict[str, Any]) -> list[rules.Problem]:
        if self.spec.data_key == "gender":
            return rules.validate_gender(values.get("women"), values.get("total"))
        if self.spec.data_key == "indicators":
            return rules.validate_indicator_value(self.catalog.unit(key), values.get("value"))
        return []

    def _rules_ok(self, key: tuple, values: dict[str, Any], number: int,
                  cols: dict[str, int]) -> bool:
        problems = self.rule_problems(key, values)
        for problem in problems:
            self.error(number, cols.get(problem.field), problem.key, **problem.params)
        return not problems


@dataclass(slots=True)
class _Columns:
    """A clean sheet, read column by column: per row its key (without region and period) and
    the row as `(*key, *values, revision)`, values in the table's field order (db.ops.REGIONAL):
    the shape `_local_rows` gives stored rows, so an unchanged row is one comparison."""

    keys: list[tuple]
    rows: list[tuple]

    def file_row(self, index: int, prefix: tuple, fields: tuple[str, ...]) -> FileRow:
        row, n = self.rows[index], len(self.keys[index])
        return FileRow((*prefix, *row[:n]), dict(zip(fields, row[n:-1], strict=True)), row[-1],
                       FIRST_DATA_ROW + index)


class _CleanSheet:
    """Reads a whole sheet column by column when every cell is exactly as our export writes it
    (numbers as numbers, known keys, no blank or repeated rows): the usual case, several times
    faster than row by row. Anything else returns None and the sheet goes to the row-by-row
    reader, which names each problem at its cell."""

    def __init__(self, reader: _SheetReader, cols: dict[str, int]) -> None:
        self.reader, self.cols = reader, cols
        self.spec, self.catalog = reader.spec, reader.catalog
        self.units_of: list[str] = []  # indicators: each row's unit

    def column(self, data: list[list[Any]], key: str) -> list[Any]:
        return list(map(operator.itemgetter(self.cols[key]), data))

    def rows(self, data: list[list[Any]]) -> _Columns | None:
        # Checks run over whole columns with C-level builtins (map, set, min, sum) where they can:
        # a national sheet has 100,000 rows.
        if not data:
            return _Columns([], [])
        try:
            found = self._keys(data)
            if found is None:
                return None
            keys, key_columns = found
            revisions = self.column(data, "revision")
            parse = {c.key: c.parse for c in self.spec.inputs}
            inputs = [self._column(parse[name], self.column(data, name))
                      for name in REGIONAL[self.spec.table].fields]
        except IndexError:  # a short row: let the row-by-row reader look at it
            return None
        if any(values is None for values in inputs) or not _whole_floats(revisions):
            return None
        if not self._rules_ok(keys, inputs):
            return None
        rows = list(zip(*key_columns, *inputs, map(int, revisions), strict=True))
        return _Columns(keys, rows)

    def _rules_ok(self, keys: list[tuple], inputs: list[list[Any]]) -> bool:
        if self.spec.data_key == "indicators":
            column = inputs[REGIONAL[self.spec.table].fields.index("value")]
            return indicator_values_ok(self.units_of, column)
        fields = REGIONAL[self.spec.table].fields
        return not any(self.reader.rule_problems(key, dict(zip(fields, row, strict=True)))
                       for key, row in zip(keys, zip(*inputs, strict=True), strict=True))

    def _keys(self, data: list[list[Any]]) -> tuple[list[tuple], list[list[Any]]] | None:
        """Each row's key, and the key columns; None if a key is unknown or repeated."""
        if self.spec.data_key == "actions":
            numbers = self.column(data, "action_no")
            if not _whole_floats(numbers):
                return None
            columns = [list(map(int, numbers))]
            known: Any = self.catalog.actions
        elif self.spec.data_key == "gender":
            columns = [self.column(data, "body")]
            known = self.catalog.bodies
        else:
            columns = [self.column(data, "indicator"), self.column(data, "disaggregation")]
            known = self.catalog.pairs
        keys = list(zip(*columns, strict=True))
        unique = set(keys)
        if len(unique) != len(keys):
            return None  # a repeated row: the row-by-row reader names it
        if self.spec.data_key == "indicators":
            if not unique <= known:
                return None  # an unknown indicator or breakdown: row by row
            self.units_of = list(map(self.catalog.units.__getitem__, columns[0]))
            return keys, columns
        return (keys, columns) if set(columns[0]) <= known else None  # unknown: row by row

    def _column(self, parse: str, cells: list[Any]) -> list[Any] | None:
        if parse == "text":
            if set(map(type, cells)) == {str} and max(map(len, cells)) <= rules.MAX_NOTE_CHARS:
                return cells
            return None
        if parse in ("decimal", "whole"):
            numbers = [None if c == "" else c for c in cells]
            floats = [c for c in numbers if c is not None]
            if not set(map(type, floats)) <= {float} or not math.isfinite(sum(floats)):
                return None  # text, or not finite (or too big to add up: row by row then)
            if parse == "decimal":
                return numbers
            if floats and not _whole_floats(floats):
                return None
            return [None if c is None else int(c) for c in numbers]
        statuses = self.reader.statuses
        for word in set(cells):
            if word not in statuses:
                statuses[word] = rules.status_from_text(word) if type(word) is str else None
        if all(statuses[c] is not None for c in cells):
            return [statuses[c] for c in cells]
        return None


def _whole_floats(cells: list[Any]) -> bool:
    """Every cell a whole float >= 0 (as numbers come back from a sheet)."""
    return (set(map(type, cells)) == {float} and min(cells) >= 0
            and all(map(float.is_integer, cells)))


# --- Return: diff --------------------------------------------------------------------------------

def _same(a: Any, b: Any) -> bool:
    if a == b:
        return True
    if a is None or b is None:
        return (a is None or a == "") and (b is None or b == "")
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return math.isclose(float(a), float(b), rel_tol=1e-12, abs_tol=1e-12)
    return a == b


def _local_rows(conn: sqlite3.Connection, table: str, region: str,
                period: str) -> dict[tuple, tuple]:
    """Stored rows of one region and period: key without region and period -> the row as
    `(*key, *values, revision)` (the shape of `_Columns.rows`). Plain tuples: national size."""
    spec = REGIONAL[table]
    cols = ", ".join((*spec.keys[2:], *spec.fields, "revision"))
    n = len(spec.keys) - 2
    return {row[:n]: row for row in plain_rows(
        conn, f"SELECT {cols} FROM {table} WHERE region_code = ? AND period_code = ?",
        (region, period))}


@functools.cache
def _label_template(data_key: str, lang: str | None) -> str:
    return tr(f"xlsx.label.{data_key}", lang)


def _label(data_key: str, key: tuple, lang: str | None = None) -> str:
    text = " / ".join(str(k) for k in key[2:])
    return _label_template(data_key, lang or current_language()).format(key=text)


_DATA_KEY_OF_TABLE = {spec.table: spec.data_key for spec in RETURN_SHEETS}


@dataclass
class _Decision:
    apply: dict[str, Any] = field(default_factory=dict)
    conflicts: list[Conflict] = field(default_factory=list)


def _decide_row(plan: ImportPlan, history: RowHistory, own_file: bool, spec: SheetSpec,
                file_row: FileRow, local: tuple[dict[str, Any], int] | None) -> _Decision:
    table = spec.table
    defaults = REGIONAL[table].defaults
    decision = _Decision()
    if local is not None and local[0] == file_row.values:
        return decision  # the usual unchanged row: one comparison
    if local is None:  # nothing stored yet: every value the file gives applies
        decision.apply = {name: value for name, value in file_row.values.items()
                          if not _same(value, defaults[name])}
        return decision
    local_values, local_rev = local
    for name, value in file_row.values.items():
        current = local_values[name]
        if _same(value, current):
            continue
        if local_rev == 0 or (own_file and local_rev == file_row.revision):
            decision.apply[name] = value
            continue
        if own_file:
            base = history.value_at(table, file_row.key, name, file_row.revision)
            if _same(value, base):
                continue  # the file kept the old value; the database's newer one stays
            if _same(current, base):
                decision.apply[name] = value
                continue
        else:
            edited_here, base = history.local_edit_since_import(table, file_row.key, name)
            if not edited_here:
                decision.apply[name] = value
                continue
        decision.conflicts.append(Conflict(
            id=f"{table}|{key_text(file_row.key)}|{name}", table=table, key=file_row.key,
            field=name, base=base, local=current, file=value,
            label=_label(spec.data_key, file_row.key)))
    return decision


@dataclass
class ReturnPayload:
    writes: list[RowWrite]  # changes to stored rows (compared again when applied)
    inserts: dict[str, list[tuple]]  # table -> new rows (*key, *fields): plan.added's rows
    new_changes: list[FieldChange]  # the field changes of `inserts` (plan.added)
    conflict_values: dict[str, tuple[str, tuple, str, Any]]


# FieldChange((table, key, field, old, new)) without the Python-level __new__ of a named tuple
_change = functools.partial(tuple.__new__, FieldChange)


class _TableDiff:
    """Compares one data sheet's rows with the stored rows of its table (see `_decide_row`)."""

    def __init__(self, ctx: PlanContext, history: RowHistory, spec: SheetSpec,
                 payload: ReturnPayload) -> None:
        plan = ctx.plan
        self.plan, self.history, self.spec, self.payload = plan, history, spec, payload
        self.own_file = plan.source == ctx.office.source_code
        self.prefix = (str(plan.region), str(plan.period))
        table = REGIONAL[spec.table]
        self.fields, self.defaults = table.fields, table.defaults
        # (index, field, default, default is blank): blank defaults take None and '' alike
        self.columns = [(i, name, table.defaults[name], table.defaults[name] in (None, ""))
                        for i, name in enumerate(table.fields)]
        self.local = _local_rows(ctx.conn, spec.table, *self.prefix)
        self.nkey = len(table.keys) - 2
        self.inserts = payload.inserts.setdefault(spec.table, [])

    def columns_diff(self, sheet: _Columns) -> None:
        """The usual case: a clean sheet; a row not stored is added, an equal one unchanged, the
        rest decided field by field. Tight loops: national files have 100,000 rows."""
        local, prefix, fields, n = self.local, self.prefix, self.fields, self.nkey
        if not local:  # nothing stored yet for the region and period (a first import)
            self.plan.unchanged += self.add_rows(sheet.rows)
            return
        unchanged, new = 0, []
        for index, (key, row) in enumerate(zip(sheet.keys, sheet.rows, strict=True)):
            stored = local.get(key)
            if stored is None:
                new.append(row)
            elif stored == row or stored[n:-1] == row[n:-1]:
                unchanged += 1  # the usual re-import: no slicing while the revision is the same
            else:
                self.compare(sheet.file_row(index, prefix, fields), stored)
        self.plan.unchanged += unchanged + self.add_rows(new)

    def add_rows(self, rows: list[tuple]) -> int:
        """Rows `(*key, *values, revision)` not stored yet: each value that differs from its
        default is added; returns how many rows hold nothing but defaults (left unwritten)."""
        prefix, n, table = self.prefix, self.nkey, self.spec.table
        added, insert = self.plan.added.append, self.inserts.append
        # (position in the row, field, default), blank defaults (None, '') apart
        blanks = [(n + i, name, default) for i, name, default, blank in self.columns if blank]
        others = [(n + i, name, default) for i, name, default, blank in self.columns if not blank]
        empty = 0
        for row in rows:
            full, wrote = (*prefix, *row[:n]), False
            for i, name, default in blanks:
                value = row[i]
                if value is not None and value != "":
                    added(_change((table, full, name, default, value)))
                    wrote = True
            for i, name, default in others:
                if row[i] != default:
                    added(_change((table, full, name, default, row[i])))
                    wrote = True
            if wrote:
                insert((*full, *row[n:-1]))
            else:
                empty += 1
        return empty

    def rows_diff(self, rows: list[FileRow]) -> None:
        for file_row in rows:
            stored = self.local.get(file_row.key[2:])
            if stored is None:
                given = file_row.values
                values = tuple(default if given.get(name) is None else given[name]
                               for name, default in self.defaults.items())
                if not self.insert(file_row.key, values):
                    self.plan.unchanged += 1
            else:
                self.compare(file_row, stored)

    def insert(self, key: tuple, values: tuple) -> bool:
        """A row not stored yet: its values that differ from the defaults are added."""
        table = self.spec.table
        changes = [FieldChange(table, key, name, default, value)
                   for i, name, default, blank in self.columns
                   if (value := values[i]) != default and not (
                       blank and (value is None or value == ""))]
        if not changes:
            return False
        self.inserts.append((*key, *values))
        self.plan.added += changes
        return True

    def compare(self, file_row: FileRow, stored: tuple) -> None:
        local = (dict(zip(self.fields, stored[self.nkey:-1], strict=True)), stored[-1])
        decision = _decide_row(self.plan, self.history, self.own_file, self.spec, file_row, local)
        if not decision.apply and not decision.conflicts:
            self.plan.unchanged += 1
            return
        if decision.apply:
            self.payload.writes.append(RowWrite(self.spec.table, file_row.key, decision.apply))
            self.plan.changed.extend(FieldChange(self.spec.table, file_row.key, name,
                                                 local[0][name], new)
                                     for name, new in decision.apply.items())
        self.plan.conflicts.extend(decision.conflicts)


def _table_diffs(ctx: PlanContext) -> tuple[ReturnPayload, dict[str, _TableDiff]]:
    """The diff of each data sheet, with the stored rows it compares against (read while the
    worker thread still reads the file's sheets: see SheetPrefetch)."""
    history = RowHistory(ctx.conn)
    payload = ReturnPayload([], {}, ctx.plan.added, {})
    return payload, {spec.data_key: _TableDiff(ctx, history, spec, payload)
                     for spec in RETURN_SHEETS}


def _diff_return(ctx: PlanContext, parsed: dict[str, list[FileRow] | _Columns],
                 payload: ReturnPayload, diffs: dict[str, _TableDiff]) -> None:
    plan = ctx.plan
    for spec in RETURN_SHEETS:
        sheet = parsed.get(spec.data_key)
        if sheet is None:
            continue
        diff = diffs[spec.data_key]
        if isinstance(sheet, _Columns):
            diff.columns_diff(sheet)
        else:
            diff.rows_diff(sheet)
    payload.conflict_values = {c.id: (c.table, c.key, c.field, c.file) for c in plan.conflicts}
    plan.payload = payload


# --- Return: the handler -------------------------------------------------------------------------

def _return_scope(ctx: PlanContext) -> tuple[str, str]:
    plan, meta, conn = ctx.plan, ctx.plan.meta, ctx.conn
    region = (meta.get("region") or "").strip().upper()
    if not conn.execute("SELECT 1 FROM region WHERE code = ?", (region,)).fetchone():
        raise PlanMonitorError("xlsx.bad_meta", file=ctx.file, key="region", value=region)
    try:
        period = parse_period(meta.get("period", "")).code
    except PlanMonitorError:
        raise PlanMonitorError("xlsx.bad_meta", file=ctx.file, key="period",
                               value=meta.get("period", "")) from None
    plan.region, plan.period = region, period
    if not ctx.office.is_center and region != ctx.office.region_code:
        raise PlanMonitorError("xlsx.other_region", file=ctx.file, region=region,
                               own=ctx.office.region_code)
    if review_state(conn, region, period) == "accepted":
        raise PeriodLocked("error.period_locked", region=region, period=period)
    return region, period


def _formula_errors(ctx: PlanContext, spec: SheetSpec, title: str, rows: list[list[Any]]) -> None:
    cols = find_columns(rows[0]) if rows else {}
    letters = {column_letter(cols[c.key]): c.key for c in spec.inputs if c.key in cols}
    letters.update({column_letter(cols[k]): k for k in (*spec.key_columns, "revision")
                    if k in cols})
    parts = ctx.sheet_parts()
    if title not in parts:
        return
    for row, letter in ctx.formulas.get(parts[title], []):
        if row == 0 or (row >= FIRST_DATA_ROW and letter in letters):
            ctx.plan.add_error(CellError(ctx.file, title, row, letter, "xlsx.formula_in_value"))


def plan_return(ctx: PlanContext) -> None:
    region, period = _return_scope(ctx)
    check_freshness(ctx.conn, ctx.plan)
    if ctx.plan.already_applied:
        return
    catalog = ctx.batch.catalog(ctx.conn) if ctx.batch else _Catalog.load(ctx.conn)
    payload, diffs = _table_diffs(ctx)
    sheets = {}
    for spec in RETURN_SHEETS:
        found = ctx.sheet_rows(spec.data_key)
        if found is not None:
            sheets[spec.data_key] = (spec, *found)
    total = sum(len(rows) for _, _, rows in sheets.values())
    parsed: dict[str, list[FileRow] | _Columns] = {}
    done = 0
    for key, (spec, title, rows) in sheets.items():
        reader = _SheetReader(ctx, spec, title, catalog, region, period)
        parsed[key] = reader.parse(rows, done, total)
        _formula_errors(ctx, spec, title, rows)
        done += len(rows)
    report_progress(ctx.progress, total, total)
    if ctx.plan.ok:
        _diff_return(ctx, parsed, payload, diffs)


def apply_return(conn: sqlite3.Connection, plan: ImportPlan, info: OpInfo,
                 take_file: set[str]) -> OpChanges:
    payload: ReturnPayload = plan.payload
    writes = list(payload.writes)
    if take_file:
        by_key = {(w.table, w.key): i for i, w in enumerate(writes)}
        for conflict_id in sorted(take_file):
            table, key, name, value = payload.conflict_values[conflict_id]
            index = by_key.get((table, key))
            if index is None:
                by_key[(table, key)] = len(writes)
                writes.append(RowWrite(table, key, {name: value}))
            else:
                old = writes[index]
                writes[index] = RowWrite(table, key, {**old.values, name: value})
    return apply_writes_bulk(conn, writes, info, new_rows=payload.inserts,
                             new_changes=payload.new_changes)


register_kind("return", KindHandler(plan_return, apply_return))


# --- Catalog -------------------------------------------------------------------------------------

def _column_types(conn: sqlite3.Connection, table: str) -> dict[str, tuple[str, bool]]:
    return {r[1]: (r[2].upper(), bool(r[3])) for r in conn.execute(f"PRAGMA table_info({table})")}


def _catalog_value(name: str, kind: str, not_null: bool, value: Any) -> Any:
    if name == "due_date":
        day = parse_date(value)
        return day.isoformat() if day else None
    if kind == "INTEGER":
        number = parse_number(value)
        if number is None:
            return 0 if not_null else None
        if not number.is_integer():
            raise CellProblem("xlsx.not_whole", value=cell_text(number))
        return int(number)
    if kind == "REAL":
        return parse_number(value)
    if is_blank(value):
        return "" if not_null else None
    return parse_text(value, rules.MAX_NOTE_CHARS).strip()


def _parse_catalog_sheet(ctx: PlanContext, table: str) -> list[dict[str, Any]]:
    found = ctx.sheet_rows(table)
    if found is None:
        return []
    title, rows = found
    types = _column_types(ctx.conn, table)
    cols = find_columns(rows[0]) if rows else {}
    missing = [name for name in types if name not in cols]
    for name in missing:
        ctx.plan.add_error(CellError(ctx.file, title, 1, "", "xlsx.missing_column", {"key": name}))
    if missing:
        return []
    out = []
    for index in range(FIRST_DATA_ROW - 1, len(rows)):
        row = rows[index]
        if all(is_blank(cell(row, cols[k])) for k in CATALOG_TABLES[table]):
            continue
        item: dict[str, Any] = {}
        for name, (kind, not_null) in types.items():
            try:
                item[name] = _catalog_value(name, kind, not_null, cell(row, cols[name]))
            except CellProblem as problem:
                ctx.plan.add_error(CellError(ctx.file, title, index + 1,
                                             column_letter(cols[name]), problem.key,
                                             problem.params))
        out.append(item)
    return out


def plan_catalog(ctx: PlanContext) -> None:
    plan = ctx.plan
    if plan.source != "center":
        raise PlanMonitorError("xlsx.catalog_not_center", file=ctx.file, source=plan.source or "")
    check_freshness(ctx.conn, plan)
    if plan.already_applied:
        return
    data = CatalogData(version=plan.meta.get("catalog_version", ""))
    for table in CATALOG_TABLES:
        data.rows[table] = _parse_catalog_sheet(ctx, table)
    if not plan.ok:
        return
    validate_catalog(data)
    plan.payload = data
    _diff_catalog(ctx.conn, plan, data)


def _diff_catalog(conn: sqlite3.Connection, plan: ImportPlan, data: CatalogData) -> None:
    """The change a catalog would make: applied in a transaction that is rolled back."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        changes = apply_catalog(conn, data, OpInfo(user="", source="catalog"))
    finally:
        conn.execute("ROLLBACK")
    touched = set()
    for change in changes:
        target = plan.added if change.old is None else plan.changed
        target.append(FieldChange(change.table, change.key, change.field, change.old, change.new))
        touched.add((change.table, change.key))
    plan.unchanged = sum(len(rows) for rows in data.rows.values()) - len(touched)


def apply_catalog_plan(conn: sqlite3.Connection, plan: ImportPlan, info: OpInfo,
                       take_file: set[str]) -> OpChanges:
    del take_file  # a catalog has no conflicts
    catalog_info = OpInfo(user=info.user, source="catalog", description=info.description,
                          file_name=info.file_name, file_sha256=info.file_sha256)
    changes = apply_catalog(conn, plan.payload, catalog_info)
    op = conn.execute("SELECT MAX(id) FROM operation").fetchone()[0] if changes else None
    return OpChanges(op_id=op, changes=changes)


register_kind("catalog", KindHandler(plan_catalog, apply_catalog_plan))


# --- Apply ---------------------------------------------------------------------------------------

def _chosen_from_file(plan: ImportPlan, take: str | None,
                      choices: dict[str, str] | None) -> set[str]:
    choices = dict(choices or {})
    if take in ("file", "local"):
        for conflict in plan.conflicts:
            choices.setdefault(conflict.id, take)
    unresolved = [c for c in plan.conflicts if choices.get(c.id) not in ("file", "local")]
    if unresolved:
        raise PlanMonitorError("xlsx.unresolved_conflicts", count=len(unresolved))
    return {c.id for c in plan.conflicts if choices[c.id] == "file"}


def database_path(conn: sqlite3.Connection) -> Path | None:
    for row in conn.execute("PRAGMA database_list"):
        if row[1] == "main" and row[2]:
            return Path(row[2])
    return None


class ImportBatch:
    """What the imports of one batch share (pass the same object to each file's plan and apply):
    one automatic backup, taken before the first apply that changes anything, and the catalog
    returns are checked against, read again only when a catalog change was recorded since.

    Given the batch's files (in the order they are planned), a reader thread reads them one
    after another, up to READ_AHEAD files ahead of the one being planned: python-calamine parses
    without the GIL, so on a second core the reading of the next files overlaps the checks and
    the apply of this one. `close` stops the reader (import_many does)."""

    READ_AHEAD = 2  # files read and held ahead of the planner (memory: two files' rows)

    def __init__(self, paths: list[Path] | None = None) -> None:
        self.backup_path: Path | None = None
        self._catalog: tuple[int, _Catalog] | None = None
        self.paths = [Path(p) for p in paths or []]
        self._read: deque[tuple[Path, SheetPrefetch | None]] = deque()
        self._planned = 0  # files planned so far (the reader stays READ_AHEAD ahead)
        self._closed = False
        self._turn = threading.Condition()
        self._reader: threading.Thread | None = None
        self._pending: BackgroundBackup | None = None

    def prefetched(self, path: Path) -> SheetPrefetch | None:
        """The reader of `path` if it is the batch's next file (else None: read it alone)."""
        if not self.paths:
            return None
        if self._reader is None:
            self._reader = threading.Thread(target=self._read_all, name="read batch",
                                            daemon=True)
            self._reader.start()
        reader = self._reader
        with self._turn:
            self._turn.wait_for(lambda: bool(self._read) or not reader.is_alive())
            if self._read:  # files are planned in the batch's order: the front is this one
                read_path, sheets = self._read.popleft()
                return sheets if read_path == Path(path) else None
        return None

    def read_ahead(self, planned: Path) -> None:
        """Called once a file of the batch is planned: the reader may go one file further."""
        with self._turn:
            self._planned += 1
            self._turn.notify_all()

    def close(self) -> None:
        """Stop the reader; a backup begun but never needed (nothing applied) is removed."""
        with self._turn:
            self._closed = True
            self._read.clear()
            self._turn.notify_all()
        if self._pending is not None:
            self._pending.discard()
            self._pending = None

    def _read_all(self) -> None:
        for index, path in enumerate(self.paths):
            with self._turn:
                self._turn.wait_for(
                    lambda index=index: self._closed or index <= self._planned + self.READ_AHEAD)
                if self._closed:
                    return
                sheets = SheetPrefetch.checked(path)
                self._read.append((path, sheets))
                self._turn.notify_all()
            if sheets is not None:
                sheets.read()

    def start_backup(self, conn: sqlite3.Connection) -> None:
        """Begin the batch's backup now, on a thread, while the first file is read and checked
        (BackgroundBackup): `take_backup` keeps it if nothing was written since, and `close`
        removes it if no file changed anything. Callers that will apply (not dry runs) call it."""
        db_path = database_path(conn)
        if self.backup_path is None and self._pending is None and db_path is not None:
            self._pending = BackgroundBackup(db_path, reason="before-import")

    def take_backup(self, conn: sqlite3.Connection, db_path: Path) -> Path:
        if self.backup_path is None and self._pending is not None:
            pending, self._pending = self._pending, None
            self.backup_path = pending.keep(state_token(conn))
        if self.backup_path is None:
            self.backup_path = automatic_backup(conn, db_path, reason="before-import")
        return self.backup_path

    def catalog(self, conn: sqlite3.Connection) -> _Catalog:
        # the catalog changes only through audited catalog updates (and seeding)
        stamp = conn.execute("SELECT COALESCE(MAX(id), 0) FROM operation "
                             "WHERE source IN ('catalog', 'seed')").fetchone()[0]
        if self._catalog is None or self._catalog[0] != stamp:
            self._catalog = (stamp, _Catalog.load(conn))
        return self._catalog[1]


def apply_import(conn: sqlite3.Connection, plan: ImportPlan, user: str, take: str | None = None,
                 choices: dict[str, str] | None = None,
                 batch: ImportBatch | None = None) -> OpChanges:
    """Apply a plan: one transaction (the changes and the exchange log), a backup first, audited
    with the file's name and SHA-256. Raises while anything is refused or unresolved. The backup
    is this apply's own unless `batch` is given (then the batch's one backup covers it)."""
    if plan.refused is not None:
        raise plan.refused
    if plan.errors:
        raise PlanMonitorError("xlsx.has_errors", file=plan.file_name,
                               count=len(plan.errors) + plan.more_errors)
    if plan.stale:
        raise PlanMonitorError("xlsx.stale", file=plan.file_name, exported_at=plan.exported_at,
                               newer=plan.newer_exported_at)
    if plan.already_applied:
        return OpChanges()
    take_file = _chosen_from_file(plan, take, choices)
    with gc_paused():
        return _apply(conn, plan, user, take_file, batch)


def _apply(conn: sqlite3.Connection, plan: ImportPlan, user: str, take_file: set[str],
           batch: ImportBatch | None) -> OpChanges:
    info = OpInfo(user=user, source="import", file_name=plan.file_name,
                  file_sha256=plan.sha256,
                  description=f"{plan.kind} {plan.region or ''} {plan.period or ''}".strip())
    db_path = database_path(conn)
    if db_path is not None and (plan.added or plan.changed or take_file):
        (batch or ImportBatch()).take_backup(conn, db_path)
    with large_cache(conn), transaction(conn):
        if state_token(conn) != plan.state_token:  # checked under the write lock
            raise PlanMonitorError("xlsx.changed_since_preview", file=plan.file_name)
        result = KIND_HANDLERS[plan.kind].apply(conn, plan, info, take_file)
        _log_import(conn, plan, "applied" if result else "unchanged", result.op_id)
    return result


def _log_import(conn: sqlite3.Connection, plan: ImportPlan, result: str,
                op_id: int | None) -> None:
    conn.execute(
        "INSERT INTO exchange_log(direction, kind, package_id, source, region_code, period_code, "
        "exported_at, file_name, file_sha256, at, result, op_id) "
        "VALUES ('import', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (plan.kind, plan.package_id, plan.source, plan.region, plan.period, plan.exported_at,
         plan.file_name, plan.sha256, now_iso(), result, op_id))


# --- One file, start to end (the command line and folder imports) --------------------------------

@dataclass
class ImportOutcome:
    path: Path
    result: str  # applied | unchanged | refused | stale | conflicts | previewed
    plan: ImportPlan | None = None
    changes: OpChanges | None = None
    message: str = ""

    def as_dict(self, lang: str | None = None) -> dict[str, Any]:
        out = {"file": str(self.path), "result": self.result, "message": self.message}
        if self.plan is not None:
            out["plan"] = self.plan.as_dict(lang)
        if self.changes is not None:
            out["applied_changes"] = len(self.changes.changes)
            out["op_id"] = self.changes.op_id
        return out


def import_one(conn: sqlite3.Connection, path: Path, office: Office, *, dry_run: bool = False,
               take: str | None = None, lang: str | None = None,
               batch: ImportBatch | None = None) -> ImportOutcome:
    """Plan one file and (unless a dry run) apply it; never raises for a bad file. `batch`: what
    the files of a batch share (see `import_many`), else the apply takes its own backup."""
    own = batch is None and not dry_run
    if own:  # a batch of one, for its backup made while the file is read (start_backup)
        batch = ImportBatch()
        batch.start_backup(conn)
    try:
        return _import_one(conn, Path(path), office, dry_run, take, lang or office.language,
                           batch)
    finally:
        if own and batch is not None:
            batch.close()


def _import_one(conn: sqlite3.Connection, path: Path, office: Office, dry_run: bool,
                take: str | None, lang: str, batch: ImportBatch | None) -> ImportOutcome:
    try:
        plan = plan_import(conn, path, office, batch=batch)
    except PlanMonitorError as exc:
        return ImportOutcome(Path(path), "refused", message=exc.message(lang))
    if plan.refused is not None:
        return ImportOutcome(plan.path, "refused", plan, message=plan.refused.message(lang))
    if plan.errors:
        return ImportOutcome(plan.path, "refused", plan, message=tr(
            "xlsx.has_errors", lang, file=plan.file_name, count=len(plan.errors) + plan.more_errors))
    if plan.stale:
        return ImportOutcome(plan.path, "stale", plan, message=tr(
            "xlsx.stale", lang, file=plan.file_name, exported_at=plan.exported_at,
            newer=plan.newer_exported_at))
    if dry_run:
        return ImportOutcome(plan.path, "previewed", plan)
    if plan.conflicts and take is None:
        return ImportOutcome(plan.path, "conflicts", plan, message=tr(
            "xlsx.unresolved_conflicts", lang, count=len(plan.conflicts)))
    try:
        changes = apply_import(conn, plan, office.user_name, take=take, batch=batch)
    except PlanMonitorError as exc:
        return ImportOutcome(plan.path, "refused", plan, message=exc.message(lang))
    return ImportOutcome(plan.path, "applied" if changes else "unchanged", plan, changes)


def import_many(conn: sqlite3.Connection, paths: list[Path], office: Office, *,
                dry_run: bool = False, take: str | None = None, lang: str | None = None,
                progress: Progress | None = None) -> list[ImportOutcome]:
    """Import files one after another, each on its own (its own plan, transaction and result),
    with one automatic backup for the whole batch, taken before the first apply that writes
    (see ImportBatch)."""
    batch = ImportBatch(paths)
    if not dry_run:
        batch.start_backup(conn)
    outcomes = []
    try:
        # one pause of the garbage collector for the batch (plan and apply pause it for each
        # file too): each resume costs a collection that walks every object still alive
        with gc_paused(), quick_thread_switches():
            for done, path in enumerate(paths):
                report_progress(progress, done, len(paths))
                outcomes.append(import_one(conn, path, office, dry_run=dry_run, take=take,
                                           lang=lang, batch=batch))
    finally:
        batch.close()
    report_progress(progress, len(paths), len(paths))
    return outcomes
