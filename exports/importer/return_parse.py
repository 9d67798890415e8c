"""A return's data sheet, parsed and checked: each row as `(*key, *values, revision)`, the key
without region and period, the values in the table's field order (db.tables.REGIONAL).

A sheet as our own export writes it (numbers as numbers, known keys, no blank or repeated rows)
is read column by column and its rules checked over whole columns (db.validation's column
forms): the usual case, and a national sheet has 100,000 rows. Anything else goes row by row,
which names each problem at its cell. A blank status cell is `None`: it leaves the stored status
as it is."""

from __future__ import annotations

import math
import operator
import sqlite3
from dataclasses import dataclass, field
from typing import Any

from db import rules, validation
from db.tables import REGIONAL
from exports.importer.plan import PlanContext
from exports.xlsx_common import (
    FIRST_DATA_ROW,
    MAX_WHOLE,
    CellError,
    CellProblem,
    SheetSpec,
    cell,
    cell_text,
    column_letter,
    find_columns,
    parse_number,
    parse_text,
    parse_whole,
)
from resources.text import clean_text, cleaned


@dataclass
class Catalog:
    """What a return's rows may name, read once (a batch keeps it between files)."""

    actions: set[int]
    bodies: set[str]
    pairs: set[tuple[str, str]]  # (indicator, breakdown)
    units: dict[str, str]  # indicator -> unit

    @classmethod
    def load(cls, conn: sqlite3.Connection) -> Catalog:
        def rows(sql: str) -> list[tuple]:  # plain tuples: the set is built from them in C
            cursor = conn.cursor()
            cursor.row_factory = None
            return cursor.execute(sql).fetchall()

        return cls(actions={r[0] for r in rows("SELECT no FROM action")},
                   bodies={r[0] for r in rows("SELECT code FROM gender_body")},
                   pairs=set(rows("SELECT indicator_code, disaggregation_code "
                                  "FROM indicator_disaggregation")),
                   units=dict(rows("SELECT code, unit FROM indicator")))


@dataclass
class ParsedSheet:
    spec: SheetSpec
    title: str = ""
    letters: dict[str, str] = field(default_factory=dict)  # field -> its column's letter
    rows: list[tuple] = field(default_factory=list)
    numbers: list[int] | None = None  # each row's sheet row; None: FIRST_DATA_ROW + index

    def row_number(self, index: int) -> int:
        return self.numbers[index] if self.numbers is not None else FIRST_DATA_ROW + index


def _blank(value: Any) -> bool:
    return value == "" or value is None or (type(value) is str and not value.strip())


class SheetReader:
    """Parses one data sheet of a return, recording every cell error in the plan."""

    def __init__(self, ctx: PlanContext, spec: SheetSpec, title: str, catalog: Catalog) -> None:
        self.ctx, self.spec, self.title, self.catalog = ctx, spec, title, catalog
        self.lang = ctx.plan.meta.get("language") or ctx.office.language
        self.fields = REGIONAL[spec.table].fields
        self.parse_of = {c.key: c.parse for c in spec.inputs}

    def error(self, row: int, col: int | None, key: str, /, **params: Any) -> None:
        letter = column_letter(col) if col is not None else ""
        self.ctx.plan.add_error(CellError(self.ctx.file, self.title, row, letter, key, params))

    def parse(self, rows: list[list[Any]]) -> ParsedSheet:
        cols = find_columns(rows[0]) if rows else {}
        missing = [k for k in (*self.spec.key_columns, *self.fields, "revision") if k not in cols]
        for key in missing:
            self.error(1, None, "xlsx.missing_column", key=key)
        if missing:
            return ParsedSheet(self.spec, self.title)
        data = rows[FIRST_DATA_ROW - 1:]
        letters = {name: column_letter(cols[name]) for name in self.fields}
        clean = ColumnReader(self, cols).read(data) if data else []
        if clean is not None:
            return ParsedSheet(self.spec, self.title, letters, clean)
        return self._row_by_row(data, cols, letters)

    def _row_by_row(self, data: list[list[Any]], cols: dict[str, int],
                    letters: dict[str, str]) -> ParsedSheet:
        out = ParsedSheet(self.spec, self.title, letters, [], [])
        seen: dict[tuple, int] = {}
        watched = [cols[k] for k in (*self.spec.key_columns, *self.fields)]
        for index, row in enumerate(data):
            number = FIRST_DATA_ROW + index
            if all(_blank(cell(row, c)) for c in watched):
                continue  # a row of blanks and spaces is skipped
            parsed = self._row(row, number, cols)
            if parsed is None:
                continue
            key = parsed[:len(self.spec.key_columns)]
            if key in seen:
                self.error(number, None, "xlsx.duplicate_row", first=seen[key])
                continue
            seen[key] = number
            out.rows.append(parsed)
            assert out.numbers is not None
            out.numbers.append(number)
        return out

    def _row(self, row: list[Any], number: int, cols: dict[str, int]) -> tuple | None:
        key_cols = [cols[k] for k in self.spec.key_columns]
        if any(_blank(cell(row, c)) for c in key_cols):
            self.error(number, key_cols[0], "xlsx.missing_key")
            return None
        try:
            key = self._key(row, cols)
        except CellProblem as problem:
            self.error(number, key_cols[0], problem.key, **problem.params)
            return None
        values, ok = [], True
        for name in self.fields:
            try:
                value = self._value(self.parse_of[name], cell(row, cols[name]))
                if isinstance(value, str):
                    value, changed = cleaned(value)
                    if changed:  # taken without them, and said at that cell
                        self.ctx.plan.add_warning(CellError(
                            self.ctx.file, self.title, number, column_letter(cols[name]),
                            "xlsx.control_chars_removed"))
                values.append(value)
            except CellProblem as problem:
                self.error(number, cols[name], problem.key, **problem.params)
                ok = False
        try:
            revision = parse_whole(cell(row, cols["revision"])) or 0
        except CellProblem:
            self.error(number, cols["revision"], "xlsx.bad_revision",
                       value=cell_text(cell(row, cols["revision"])))
            return None
        if not ok or not self._rules_ok(key, values, number, cols):
            return None
        return (*key, *values, revision)

    def _key(self, row: list[Any], cols: dict[str, int]) -> tuple:
        if self.spec.data_key == "actions":
            number = parse_whole(cell(row, cols["action_no"]))
            if number not in self.catalog.actions:
                raise CellProblem("xlsx.unknown_action",
                                  value=cell_text(cell(row, cols["action_no"])))
            return (number,)
        if self.spec.data_key == "gender":
            body = cell_text(cell(row, cols["body"])).strip()
            if body not in self.catalog.bodies:
                raise CellProblem("xlsx.unknown_body", value=body)
            return (body,)
        pair = (cell_text(cell(row, cols["indicator"])).strip(),
                cell_text(cell(row, cols["disaggregation"])).strip())
        if pair not in self.catalog.pairs:
            raise CellProblem("xlsx.unknown_indicator", value=pair[0], disaggregation=pair[1])
        return pair

    def _value(self, parse: str, raw: Any) -> Any:
        if parse == "status":
            if _blank(raw):
                return None  # a blank status leaves the stored one as it is
            status = rules.status_from_text(cell_text(raw))
            if status is None:
                words = ", ".join(rules.status_label(s, self.lang) for s in rules.STATUSES)
                raise CellProblem("xlsx.bad_status", value=cell_text(raw), words=words)
            return status
        if parse == "whole":
            return parse_whole(raw)
        if parse == "decimal":
            return parse_number(raw)
        return "" if raw is None else parse_text(raw, rules.MAX_NOTE_CHARS)

    def _rules_ok(self, key: tuple, values: list[Any], number: int,
                  cols: dict[str, int]) -> bool:
        row = dict(zip(self.fields, values, strict=True))
        unit = self.catalog.units[key[0]] if self.spec.data_key == "indicators" else None
        written = [name for name in self.fields if row[name] is not None or name != "status"]
        problems = validation.row_problems(self.spec.table, row, written, unit)
        for problem in problems:
            self.error(number, cols.get(problem.field), problem.key, **problem.params)
        return not problems


class ColumnReader:
    """Reads a clean sheet column by column; `read` returns None for anything else."""

    def __init__(self, reader: SheetReader, cols: dict[str, int]) -> None:
        self.reader, self.cols, self.spec = reader, cols, reader.spec
        self.catalog = reader.catalog

    def column(self, data: list[list[Any]], key: str) -> list[Any]:
        return list(map(operator.itemgetter(self.cols[key]), data))

    def read(self, data: list[list[Any]]) -> list[tuple] | None:
        try:
            keys = self._keys(data)
            if keys is None:
                return None
            revisions = self.column(data, "revision")
            values = {name: self._values(self.reader.parse_of[name], self.column(data, name))
                      for name in self.reader.fields}
        except IndexError:  # a short row: the row-by-row reader looks at it
            return None
        if any(v is None for v in values.values()) or not _whole_floats(revisions):
            return None
        units = ([self.catalog.units[k] for k in keys[0]]
                 if self.spec.data_key == "indicators" else None)
        if not validation.columns_ok(self.spec.table, values, units):
            return None
        return list(zip(*keys, *values.values(), map(int, revisions), strict=True))

    def _keys(self, data: list[list[Any]]) -> list[list[Any]] | None:
        """The key columns; None if a key is unknown or repeated."""
        if self.spec.data_key == "actions":
            numbers = self.column(data, "action_no")
            if not _whole_floats(numbers):
                return None
            columns, known = [list(map(int, numbers))], self.catalog.actions
            keys: Any = columns[0]
        elif self.spec.data_key == "gender":
            columns, known = [self.column(data, "body")], self.catalog.bodies
            keys = columns[0]
        else:
            columns = [self.column(data, "indicator"), self.column(data, "disaggregation")]
            known, keys = self.catalog.pairs, list(zip(*columns, strict=True))
        unique = set(keys)
        if len(unique) != len(keys) or not unique <= known:
            return None
        return columns

    def _values(self, parse: str, cells: list[Any]) -> list[Any] | None:
        if parse == "text":
            types = set(map(type, cells))
            if types != {str} or list(map(clean_text, cells)) != cells:
                return None  # the row-by-row reader cleans and says where
            return cells
        if parse in ("decimal", "whole"):
            numbers = [None if c == "" else c for c in cells]
            present = [c for c in numbers if c is not None]
            if not set(map(type, present)) <= {float} or not all(map(math.isfinite, present)):
                return None
            if parse == "decimal":
                return numbers
            if present and not _whole_floats(present):
                return None
            return [None if c is None else int(c) for c in numbers]
        words = {word: rules.status_from_text(word) if type(word) is str else None
                 for word in set(cells)}
        if all(words.values()):
            return list(map(words.__getitem__, cells))
        return None


def _whole_floats(cells: list[Any]) -> bool:
    """Every cell a whole float from 0 to MAX_WHOLE (as numbers come back from a sheet; a larger
    one goes to the row-by-row reader, which names it)."""
    return (set(map(type, cells)) == {float} and min(cells) >= 0 and max(cells) <= MAX_WHOLE
            and all(map(float.is_integer, cells)))
