"""A return's rows merged with the database, field by field, three ways (see docs/exchange-format.md,
"Merging"): the base (the row as the file's `revision` knew it), the database now, the file.

- the file's value equals the database's, or the base's: nothing to do (the file did not change
  it; a newer value in the database stays);
- the database's value equals the base's: the file's value applies (a fast-forward);
- otherwise both changed it, differently: a conflict for a person to resolve.

The base of a file this office wrote is the row's own history at that revision (db.history); of a
file from another office, what this database received of the row from there (db.received)."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from db import validation
from db.audit import key_text
from db.history import RowHistory
from db.ops import RowWrite
from db.received import STORED_RECEIVED, UNKNOWN, Received
from db.tables import REGIONAL
from exports.importer.plan import Conflict, FieldChange, ImportPlan, item_label
from exports.importer.return_parse import ParsedSheet
from exports.xlsx_common import CellError


@dataclass
class MarkCandidate:
    """A row of a file from another office whose receipt is recorded when the file is applied:
    its values there, and the fields where this database keeps other values (`kept`), unless a
    conflict among them is resolved for the file."""

    table: str
    key: tuple
    revision: int
    values: tuple
    kept: frozenset[str]


class FileValue(NamedTuple):
    """The file's side of a conflict: written if a person takes the file's value."""

    table: str
    key: tuple
    field: str
    value: Any


@dataclass
class ReturnPayload:
    writes: list[RowWrite] = field(default_factory=list)
    inserts: dict[str, list[tuple]] = field(default_factory=dict)
    conflict_values: dict[str, FileValue] = field(default_factory=dict)
    marks: list[MarkCandidate] = field(default_factory=list)
    source: str | None = None  # the sender, for a file from another office


@dataclass(frozen=True)
class RowParts:
    """Where each part of a table's row tuples sits. A parsed file row (return_parse) is
    `(*key, *values, revision)`; a stored row (`_stored`) `(*key, *values, revision,
    *received)`. They stay plain tuples, as the parser and the database give them (a national
    sheet has 100,000 rows): these named slices say which part the code reads."""

    key: slice  # the row's key within its region and period
    values: slice  # its fields, in REGIONAL order
    key_and_values: slice  # both: what an insert writes after region and period
    file_revision: int  # of a parsed row: the revision the file was exported at
    received: slice  # of a stored row: STORED_RECEIVED's values

    @classmethod
    def of(cls, table: str) -> RowParts:
        spec = REGIONAL[table]
        keys, width = len(spec.scoped_keys), len(spec.scoped_keys) + len(spec.fields)
        return cls(slice(0, keys), slice(keys, width), slice(0, width), -1,
                   slice(width + 1, width + 1 + len(STORED_RECEIVED)))


def _stored(conn: sqlite3.Connection, table: str, region: str, period: str,
            received: bool) -> dict[tuple, tuple]:
    """Stored rows of one region and period: scoped key -> `(*key, *values, revision,
    *received)` (see RowParts; what was received only for a file from another office, which is
    the only one that needs it)."""
    spec = REGIONAL[table]
    cols = ", ".join((*spec.scoped_keys, *spec.fields, "revision",
                      *(STORED_RECEIVED if received else ())))
    key = RowParts.of(table).key
    cursor = conn.cursor()
    cursor.row_factory = None
    rows = cursor.execute(f"SELECT {cols} FROM {table} WHERE region_code = ? AND period_code = ?",
                          (region, period)).fetchall()
    return {row[key]: row for row in rows}


class TableMerge:
    """Merges one parsed data sheet into the plan."""

    def __init__(self, conn: sqlite3.Connection, plan: ImportPlan, own: bool,
                 history: RowHistory, payload: ReturnPayload, sheet: ParsedSheet,
                 units: dict[str, str]) -> None:
        self.plan, self.own, self.history, self.payload = plan, own, history, payload
        self.units, self.sheet = units, sheet
        self.table = sheet.spec.table
        spec = REGIONAL[self.table]
        self.fields, self.defaults = spec.fields, spec.defaults
        self.parts = RowParts.of(self.table)
        self.prefix = (str(plan.region), str(plan.period))
        self.stored = _stored(conn, self.table, *self.prefix, received=not own)
        self.inserts = payload.inserts.setdefault(self.table, [])

    def merge(self, sheet: ParsedSheet) -> None:
        key, values, stored = self.parts.key, self.parts.values, self.stored
        if not stored:  # nothing stored yet for the region and period: a first import
            self._new(sheet.rows)
            return
        new = []
        for index, row in enumerate(sheet.rows):
            found = stored.get(row[key])
            if found is None:
                new.append(row)
            elif found[values] == row[values] or self._same_values(found, row):
                self.plan.unchanged += 1
                if not self.own:
                    self._mark_if_newer(found, row, frozenset())
            else:
                self._decide(found, row, sheet.row_number(index))
        self._new(new)

    def _same_values(self, found: tuple, row: tuple) -> bool:
        values = self.parts.values
        return all(value is None and name == "status" or validation.same(value, stored)
                   for name, value, stored in zip(self.fields, row[values], found[values],
                                                  strict=True))

    def _new(self, rows: list[tuple]) -> None:
        """Rows not stored yet: each one holding anything is inserted as the file gives it
        (a blank status as the default one); a row of nothing but empty values is not. (The
        parser gives blank texts as '' and blank numbers as None, the defaults' own shape.)"""
        parts, prefix = self.parts, self.prefix
        if "status" in self.fields:  # actions: a few dozen rows
            at = parts.values.start + self.fields.index("status")
            rows = [row[:at] + (self.defaults["status"],) + row[at + 1:]
                    if row[at] is None else row for row in rows]
        empty = tuple(self.defaults[name] for name in self.fields)
        values, written, revision = parts.values, parts.key_and_values, parts.file_revision
        kept = [row for row in rows if row[values] != empty]
        self.plan.unchanged += len(rows) - len(kept)
        if self.own:
            tail = (None, None, None)
            self.inserts += [prefix + row[written] + tail for row in kept]
        else:
            source = self.payload.source
            self.inserts += [prefix + row[written] + (source, row[revision], 1) for row in kept]

    def _base(self, key: tuple, found: tuple, revision: int) -> Any:
        """The row's values as the file's revision knew them: a dict, or UNKNOWN."""
        if self.own:
            return _HistoryBase(self.history, self.table, key, revision)
        received = Received(*found[self.parts.received])
        return received.base(self.history, self.table, key, str(self.payload.source), revision)

    def _decide(self, found: tuple, row: tuple, number: int) -> None:
        parts = self.parts
        key = (*self.prefix, *row[parts.key])
        base = self._base(key, found, row[parts.file_revision])
        apply: dict[str, Any] = {}
        kept: set[str] = set()
        for name, value, local in zip(self.fields, row[parts.values], found[parts.values],
                                      strict=True):
            if (value is None and name == "status") or validation.same(value, local):
                continue
            if base is not UNKNOWN and validation.same(value, base[name]):
                kept.add(name)  # the file did not change it: the database's value stays
            elif base is not UNKNOWN and validation.same(local, base[name]):
                apply[name] = value
            else:
                kept.add(name)
                self._conflict(key, name, None if base is UNKNOWN else base[name], local, value)
        if apply and not self._still_valid(key, found, apply, number):
            return
        if apply:
            old = dict(zip(self.fields, found[self.parts.values], strict=True))
            self.payload.writes.append(RowWrite(self.table, key, apply))
            self.plan.changed += [FieldChange(self.table, key, name, old[name], new)
                                  for name, new in apply.items()]
        elif not kept:
            self.plan.unchanged += 1
        self._mark_if_newer(found, row, frozenset(kept))

    def _still_valid(self, key: tuple, found: tuple, apply: dict[str, Any], number: int) -> bool:
        """The row as the merge would leave it keeps every rule (the file's women against the
        database's newer total, say); else an error at the file's cell, and nothing applies."""
        row = {**dict(zip(self.fields, found[self.parts.values], strict=True)), **apply}
        unit = self.units.get(key[2]) if self.table == "indicator_value" else None
        problems = validation.row_problems(self.table, row, apply, unit)
        for problem in problems:
            self.plan.add_error(CellError(self.plan.file_name, self.sheet.title, number,
                                          self.sheet.letters.get(problem.field, ""),
                                          problem.key, problem.params))
        return not problems

    def _conflict(self, key: tuple, name: str, base: Any, local: Any, value: Any) -> None:
        conflict_id = f"{self.table}|{key_text(key)}|{name}"
        self.plan.conflicts.append(Conflict(
            id=conflict_id, table=self.table, key=key, field=name, base=base, local=local,
            file=value, label=item_label(self.table, key)))
        self.payload.conflict_values[conflict_id] = FileValue(self.table, key, name, value)

    def _mark_if_newer(self, found: tuple, row: tuple, kept: frozenset[str]) -> None:
        """A file from another office at a newer revision than the one received (or received
        from elsewhere, or never): its values become the base of the next merge."""
        if self.own:
            return
        parts = self.parts
        received, revision = Received(*found[parts.received]), row[parts.file_revision]
        if received.source == self.payload.source and received.revision is not None \
                and revision <= received.revision:
            return
        values = tuple(local if value is None and name == "status" else value
                       for name, value, local in zip(self.fields, row[parts.values],
                                                     found[parts.values], strict=True))
        self.payload.marks.append(MarkCandidate(self.table, (*self.prefix, *row[parts.key]),
                                                revision, values, kept))


class _HistoryBase:
    """A row's values at a revision of this database, read from its history field by field."""

    def __init__(self, history: RowHistory, table: str, key: tuple, revision: int) -> None:
        self.history, self.table, self.key, self.revision = history, table, key, revision

    def __getitem__(self, name: str) -> Any:
        return self.history.value_at(self.table, self.key, name, self.revision)


def merge_return(conn: sqlite3.Connection, plan: ImportPlan, own: bool,
                 sheets: list[ParsedSheet], units: dict[str, str]) -> ReturnPayload:
    """The plan's changes, conflicts and (for rules a merged row would break) errors."""
    payload = ReturnPayload(source=None if own else plan.source)
    history = RowHistory(conn)
    for sheet in sheets:
        TableMerge(conn, plan, own, history, payload, sheet, units).merge(sheet)
    return payload
