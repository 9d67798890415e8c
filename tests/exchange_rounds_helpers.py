"""Helpers for the many-rounds exchange tests (issue 14): importing a file, a plain model of the
specified three-way merge (its equality is the app's own, db.validation.same), reading the regional rows of a database, and editing an exported
return as a person would (openpyxl)."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import openpyxl

from db.office import load_office
from db.ops import REGIONAL
from db.validation import same
from exports.importer import import_one
from resources.words import tr

PERIOD = "2026-Q3"
STATUSES = ("not_started", "in_progress", "completed", "not_applicable")
LANGS = ("ru", "kk", "en")
DATA_KEY = {"action_report": "actions", "gender_figure": "gender", "indicator_value": "indicators"}
ROW_COLUMNS = {"action_report": ("action_no",), "gender_figure": ("body",),
               "indicator_value": ("indicator", "disaggregation")}
# The rows the property test edits (every other row of a return stays at its defaults everywhere).
TRACKED = (
    ("action_report", (1,)), ("action_report", (2,)), ("action_report", (3,)),
    ("gender_figure", ("akim_deputies",)), ("gender_figure", ("rural_akims",)),
    ("indicator_value", ("IND-02", "total")),  # percent
    ("indicator_value", ("IND-03", "total")),  # count
)
UNKNOWN = object()  # a base the database cannot know (an older copy than one already received)


def import_file(conn: sqlite3.Connection, path: Path, take: str | None = None,
                dry_run: bool = False, accept_unsigned: bool = False) -> Any:
    """`accept_unsigned`: a person at the center accepts a copy edited outside the program."""
    return import_one(conn, Path(path), load_office(conn), dry_run=dry_run, take=take, lang="en",
                      accept_unsigned=accept_unsigned)


def defaults(table: str) -> dict[str, Any]:
    return dict(REGIONAL[table].defaults)


def same_values(a: dict[str, Any], b: dict[str, Any]) -> bool:
    return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)


def read_rows(conn: sqlite3.Connection, region: str, period: str = PERIOD
              ) -> dict[tuple, tuple[dict[str, Any], int]]:
    """(table, row key) -> (fields, revision) for every stored regional row of region/period."""
    out: dict[tuple, tuple[dict[str, Any], int]] = {}
    for table, spec in REGIONAL.items():
        cols = ", ".join((*spec.keys[2:], *spec.fields, "revision"))
        sql = f"SELECT {cols} FROM {table} WHERE region_code = ? AND period_code = ?"
        nkeys = len(spec.keys) - 2
        for row in conn.execute(sql, (region, period)):
            row = tuple(row)
            values = dict(zip(spec.fields, row[nkeys:-1], strict=True))
            out[(table, row[:nkeys])] = (values, row[-1])
    return out


def regional_dump(conn: sqlite3.Connection) -> list[tuple]:
    """Every regional row with its revision (the log and operations left out)."""
    rows = []
    for table in REGIONAL:
        rows += [(table, *tuple(r)) for r in conn.execute(
            f"SELECT * FROM {table} ORDER BY 1, 2, 3")]
    return sorted(rows, key=repr)


# --- The model of one database -------------------------------------------------------------------

@dataclass
class Received:
    source: str
    s: int
    snapshot: dict[str, Any]


@dataclass
class ModelDB:
    """What a database should hold: per row, its values at every revision (index = revision);
    at a database that receives foreign files, per row the source, s and base snapshot."""

    source_code: str  # a region code, or 'center'
    history: dict[tuple, list[dict[str, Any]]] = field(default_factory=dict)
    received: dict[tuple, Received] = field(default_factory=dict)
    newest: dict[tuple, int] = field(default_factory=dict)  # (source, region) -> newest seq taken

    def rows_of(self, region: str, tk: tuple) -> list[dict[str, Any]]:
        return self.history.setdefault((region, *tk), [defaults(tk[0])])

    def current(self, region: str, tk: tuple) -> dict[str, Any]:
        return self.rows_of(region, tk)[-1]

    def revision(self, region: str, tk: tuple) -> int:
        return len(self.rows_of(region, tk)) - 1

    def write(self, region: str, tk: tuple, values: dict[str, Any]) -> bool:
        now = self.current(region, tk)
        new = {**now, **values}
        if same_values(new, now):
            return False
        self.rows_of(region, tk).append(new)
        return True

    def expected(self, region: str) -> dict[tuple, tuple[dict[str, Any], int]]:
        return {key[1:]: (hist[-1], len(hist) - 1) for key, hist in self.history.items()
                if key[0] == region and len(hist) > 1}


@dataclass
class FileModel:
    """An exported return and what people did to it. rows: (table, row key) -> (revision,
    carried values); a cleared status is not carried. edited: the fields a person typed into."""

    path: Path
    source: str
    region: str
    lang: str
    rows: dict[tuple, tuple[int, dict[str, Any]]]
    seq: int = 0  # the export's order (its exported_at), kept by copies
    edited: set[tuple] = field(default_factory=set)
    errors: dict[tuple, str] = field(default_factory=dict)  # (tk, field) -> why

    def copy_to(self, path: Path) -> FileModel:
        return FileModel(path, self.source, self.region, self.lang,
                         {k: (r, dict(v)) for k, (r, v) in self.rows.items()}, self.seq,
                         set(self.edited), dict(self.errors))


@dataclass
class Expectation:
    result: str  # applied | unchanged | refused | conflicts
    conflicts: set[tuple]  # (table, row key, field)
    bases: dict[tuple, Any]  # (tk, field) -> base (UNKNOWN when unknown)
    stale: bool = False  # exported before a file already applied (or found unchanged) here


def base_row(db: ModelDB, f: FileModel, tk: tuple, rev: int) -> dict[str, Any] | object:
    if f.source == db.source_code:  # own file: the row at the file's revision
        hist = db.rows_of(f.region, tk)
        return hist[rev] if rev < len(hist) else UNKNOWN
    rec = db.received.get((f.region, *tk))
    if rec is None or rec.source != f.source or rev == 0:
        # revision 0: the sender had nothing in that row (the lead's refinement of "as first
        # seen", which would take a person's edit in the first copy received for the sender's)
        return defaults(tk[0])
    return rec.snapshot if rev >= rec.s else UNKNOWN


def merge(db: ModelDB, f: FileModel, take: str | None, commit: bool) -> Expectation:
    """The specified merge of file `f` into `db` (and, with commit, its effect on the model)."""
    bases: dict[tuple, Any] = {}
    if f.errors or (db.source_code != "center" and f.region != db.source_code):
        return Expectation("refused", set(), bases)
    conflicts: set[tuple] = set()
    writes: dict[tuple, dict[str, Any]] = {}
    for tk, (rev, values) in f.rows.items():
        d = db.current(f.region, tk)
        base = base_row(db, f, tk, rev)
        for name, fv in values.items():
            bases[(tk, name)] = UNKNOWN if base is UNKNOWN else base[name]
            if same(fv, d[name]):
                continue
            if base is not UNKNOWN and same(fv, base[name]):
                continue
            if base is not UNKNOWN and same(d[name], base[name]):
                writes.setdefault(tk, {})[name] = fv
                continue
            conflicts.add((tk[0], tk[1], name))
            if take == "file":
                writes.setdefault(tk, {})[name] = fv
    stale = f.seq < db.newest.get((f.source, f.region), -1)
    if conflicts and take is None:
        return Expectation("conflicts", conflicts, bases, stale)
    changed = any(not same_values({**db.current(f.region, tk), **w}, db.current(f.region, tk))
                  for tk, w in writes.items())
    if commit:
        newest = db.newest.get((f.source, f.region), -1)
        db.newest[(f.source, f.region)] = max(newest, f.seq)
        for tk, w in writes.items():
            db.write(f.region, tk, w)
        if f.source != db.source_code:
            for tk, (rev, values) in f.rows.items():
                key = (f.region, *tk)
                rec = db.received.get(key)
                # Only a stored row remembers what it received (a row the file leaves at its
                # defaults, absent here, stays "never received"); a status the file does not
                # carry is taken as this database's. (Both: the lead's reading; the spec is
                # silent.)
                if db.revision(f.region, tk) == 0:
                    continue
                if rec is None or rec.source != f.source or rev > rec.s:
                    db.received[key] = Received(f.source, rev,
                                                {**db.current(f.region, tk), **values})
    return Expectation("applied" if changed else "unchanged", conflicts, bases, stale)


# --- Files ----------------------------------------------------------------------------------------

def status_words(lang: str) -> dict[str, str]:
    return {key: tr(f"status.{key}", lang) for key in STATUSES}


def _sheet_and_row(book: openpyxl.Workbook, lang: str, tk: tuple) -> tuple[Any, int]:
    sheet = book[tr(f"xlsx.sheet.{DATA_KEY[tk[0]]}", lang)]
    cols = [column_of(sheet, name) for name in ROW_COLUMNS[tk[0]]]
    for row in range(3, sheet.max_row + 1):
        if all(sheet.cell(row, c).value == v for c, v in zip(cols, tk[1], strict=True)):
            return sheet, row
    raise KeyError(tk)


def column_of(sheet: Any, key: str) -> int:
    for cell in sheet[1]:
        if cell.value == key:
            return cell.column
    raise KeyError(key)


def type_cells(path: Path, lang: str, cells: list[tuple[tuple, str, Any]],
               out: Path | None = None) -> Path:
    """Type values into a return as a person would: [(tk, field, typed)], a str typed stays text
    (also '12,5' or '=text'), None clears the cell."""
    book = openpyxl.load_workbook(path)
    for tk, name, typed in cells:
        sheet, row = _sheet_and_row(book, lang, tk)
        cell = sheet.cell(row, column_of(sheet, name))
        cell.value = typed
        if isinstance(typed, str):
            cell.data_type = "s"
    target = out or path
    book.save(target)
    return target


def read_meta(path: Path) -> dict[str, Any]:
    book = openpyxl.load_workbook(path, read_only=True)
    try:
        return {row[0]: row[1] for row in book["_meta"].iter_rows(values_only=True)}
    finally:
        book.close()


def file_of_export(db: ModelDB, path: Path, region: str, lang: str, seq: int) -> FileModel:
    """The model of a return just exported from a region's database (the seq-th export)."""
    rows = {tk: (db.revision(region, tk), carried(db.current(region, tk))) for tk in TRACKED}
    return FileModel(path, db.source_code, region, lang, rows, seq)


def carried(values: dict[str, Any]) -> dict[str, Any]:
    """What an exported row carries: no status given is an empty cell, which is not carried."""
    return {name: value for name, value in values.items()
            if not (name == "status" and value == "")}


def dropped_unseen(f: FileModel, before: dict[tuple, dict[str, Any]], after: ModelDB,
                   after_rows: dict[tuple, tuple[dict[str, Any], int]], outcome: Any,
                   bases: dict[tuple, Any]) -> list[tuple]:
    """Fields a person edited in f, different from the database before the import, that were
    neither applied, nor reported (conflict, error, refusal), nor equal to the base."""
    if outcome.result in ("refused", "conflicts"):
        return []  # nothing applied: the whole file is refused, or waits for its conflicts
    reported = {(c.table, tuple(c.key)[2:], c.field) for c in outcome.plan.conflicts}
    lost = []
    for tk, name in sorted(f.edited, key=repr):
        if name not in f.rows[tk][1]:
            continue  # a cleared status is not carried
        fv = f.rows[tk][1][name]
        if same(fv, before[tk][name]) or (tk[0], tk[1], name) in reported:
            continue
        base = bases.get((tk, name), UNKNOWN)
        if base is not UNKNOWN and same(fv, base):
            continue
        stored = after_rows.get(tk, (defaults(tk[0]), 0))[0]
        if not same(stored[name], fv):
            lost.append((tk, name, fv, before[tk][name], stored[name]))
    return lost
