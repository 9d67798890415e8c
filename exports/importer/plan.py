"""What an import plan holds: the file's identity, its errors, and the change it would make
(values added, changed, unchanged, conflicts), (the kinds themselves: exports.importer.kinds).

A plan is made without writing anything (exports.importer.planning) and applied later in one
transaction (exports.importer.apply). A return of national size adds 100,000 values: those are
kept as the rows to insert, and the preview reads them page by page (AddedRows), instead of one
object per value."""

from __future__ import annotations

import functools
import sqlite3
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from db import rules
from db.audit import Change, OpChanges, OpInfo, key_text
from db.errors import PlanMonitorError
from db.office import Office
from db.tables import REGIONAL
from exports import xlsx_safety
from exports.xlsx_common import MAX_ERRORS, RETURN_SHEETS, CellError, Progress, cell_text
from resources.words import current_language, tr

_DATA_KEY_OF_TABLE = {spec.table: spec.data_key for spec in RETURN_SHEETS}


def shown(value: Any, lang: str | None) -> str:
    """A value as a person reads it in a preview: a status's word, "(empty)" for nothing."""
    if value is None or value == "":
        return tr("xlsx.empty", lang)
    if isinstance(value, str) and value in rules.STATUSES:
        return rules.status_label(value, lang)
    return cell_text(value)


def field_word(name: str, lang: str | None) -> str:
    word = tr(f"field.{name}", lang)
    return word if word != f"field.{name}" else name


@functools.cache
def _label_template(data_key: str, lang: str) -> str:
    return tr(f"xlsx.label.{data_key}", lang)


def item_label(table: str, key: tuple, lang: str | None = None) -> str:
    """A row as people name it, e.g. "Мероприятие 3" or "Показатель IND-01 / total"."""
    data_key = _DATA_KEY_OF_TABLE.get(table)
    if data_key is None:
        return f"{table} {key_text(key)}"
    text = " / ".join(str(k) for k in key[2:])
    return _label_template(data_key, lang or current_language()).format(key=text)


class FieldChange(Change):
    """One field a plan would set; a db.audit.Change, so an apply returns the plan's own."""

    __slots__ = ()

    @property
    def label(self) -> str:
        return item_label(self.table, self.key)

    def label_in(self, lang: str | None) -> str:
        return item_label(self.table, self.key, lang)

    def describe(self, lang: str | None = None) -> str:
        return tr("xlsx.cli.change", lang, label=self.label_in(lang),
                  field=field_word(self.field, lang), old=shown(self.old, lang),
                  new=shown(self.new, lang))

    def as_dict(self, lang: str | None = None) -> dict[str, Any]:
        return {"table": self.table, "key": list(self.key), "field": self.field,
                "old": self.old, "new": self.new, "label": self.label_in(lang)}


@dataclass(frozen=True)
class Conflict:
    """A field that both this database and the file changed, differently, since their base."""

    id: str
    table: str
    key: tuple
    field: str
    base: Any
    local: Any
    file: Any
    label: str

    def describe(self, lang: str | None = None) -> str:
        return tr("xlsx.cli.conflict", lang, label=self.label, field=field_word(self.field, lang),
                  base=shown(self.base, lang), local=shown(self.local, lang),
                  file=shown(self.file, lang))

    def as_dict(self) -> dict[str, Any]:
        return {"id": self.id, "table": self.table, "key": list(self.key), "field": self.field,
                "base": self.base, "local": self.local, "file": self.file, "label": self.label}


class AddedRows:
    """The rows a return would add (table -> rows `(*key, *fields, ...)`, the key with region
    and period: as inserted), seen as the values they add: counted at once, listed page by page
    for the preview."""

    def __init__(self, rows: dict[str, list[tuple]]) -> None:
        self.rows = rows
        self.values = sum(self._count(table, table_rows) for table, table_rows in rows.items())

    @staticmethod
    def _count(table: str, rows: list[tuple]) -> int:
        spec = REGIONAL[table]
        first_field, count = len(spec.keys), 0
        for i, name in enumerate(spec.fields):
            default, at = spec.defaults[name], first_field + i
            column = [row[at] for row in rows]
            if default in (None, ""):
                count += len(column) - column.count(None) - column.count("")
            else:
                count += len(column) - column.count(default)
        return count

    def __len__(self) -> int:
        return self.values

    def __iter__(self) -> Iterator[FieldChange]:
        for table, rows in self.rows.items():
            spec = REGIONAL[table]
            first_field = len(spec.keys)
            key, values = slice(0, first_field), slice(first_field, first_field + len(spec.fields))
            for row in rows:
                for name, value in zip(spec.fields, row[values], strict=True):
                    default = spec.defaults[name]
                    if value != default and not (default in (None, "") and value in (None, "")):
                        yield FieldChange(table, row[key], name, default, value)

    def page(self, start: int, count: int) -> list[FieldChange]:
        """Values `start` to `start + count` (made only for the page asked for)."""
        out = []
        for index, change in enumerate(self):
            if index >= start + count:
                break
            if index >= start:
                out.append(change)
        return out


class ImportChanges:
    """What an import changed, for the views (an OpChanges' `changes`): the stored rows'
    changes, then (made only when someone iterates them) the values of the rows it added. It
    holds the list rather than being one: as a list subclass it was indexed and sliced without
    the added rows (the undo menu's first change of a first import did not exist); this can
    only be iterated, counted and extended."""

    def __init__(self, changes: list[Change], added: AddedRows) -> None:
        self.stored = list(changes)
        self.added = added

    def __iter__(self) -> Iterator[Change]:
        yield from self.stored
        yield from self.added

    def __len__(self) -> int:
        return len(self.stored) + len(self.added)

    def __bool__(self) -> bool:
        return bool(self.stored) or len(self.added) > 0

    def extend(self, more: Iterable[Change]) -> None:
        """As OpChanges.extend does to its list: more changes of the same operation."""
        self.stored.extend(more)


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
    warnings: list[CellError] = field(default_factory=list)  # taken, but said (text cleaned)
    added: list[FieldChange] = field(default_factory=list)  # small kinds (catalog, review)
    added_rows: AddedRows = field(default_factory=lambda: AddedRows({}))  # a return's new rows
    changed: list[FieldChange] = field(default_factory=list)
    unchanged: int = 0
    conflicts: list[Conflict] = field(default_factory=list)
    stale: bool = False
    newer_exported_at: str | None = None
    newer_file: str | None = None
    refused: PlanMonitorError | None = None
    state_token: int = 0
    signature: Any = None  # exports.importer.trust.Signature: who signed the file, trusted or not
    notice: tuple[str, dict[str, Any]] | None = None  # a kind's own note (key, params)
    payload: Any = None  # the kind's own data for apply (row writes, a CatalogData, ...)

    @property
    def ok(self) -> bool:
        return not self.errors and self.refused is None

    @property
    def file_name(self) -> str:
        return self.path.name

    @property
    def added_count(self) -> int:
        return len(self.added) + len(self.added_rows)

    @property
    def has_changes(self) -> bool:
        """Anything to apply, conflicts aside."""
        return bool(self.added or len(self.added_rows) or self.changed)

    @property
    def nothing_to_change(self) -> bool:
        return self.ok and not self.has_changes and not self.conflicts

    def all_changes(self) -> list[FieldChange]:
        """Every change the plan would make (one object per value: for tests and small files)."""
        return [*self.changed, *self.added, *self.added_rows]

    def preview(self, limit: int = 500) -> list[FieldChange]:
        """The first `limit` changes: stored rows changed first, then values added."""
        out = self.changed[:limit] + self.added[:max(0, limit - len(self.changed))]
        return out + self.added_rows.page(0, max(0, limit - len(out)))

    def add_error(self, error: CellError) -> None:
        if len(self.errors) < MAX_ERRORS:
            self.errors.append(error)
        else:
            self.more_errors += 1

    def add_warning(self, warning: CellError) -> None:
        if len(self.warnings) < MAX_ERRORS:
            self.warnings.append(warning)

    def summary(self, lang: str | None = None) -> str:
        kind = tr(f"xlsx.kind.{self.kind}", lang)
        kind = self.kind if kind.startswith("xlsx.kind.") else kind
        return tr("xlsx.cli.plan", lang, file=self.file_name, kind=kind,
                  region=self.region or "", period=self.period or "", added=self.added_count,
                  changed=len(self.changed), unchanged=self.unchanged,
                  conflicts=len(self.conflicts), errors=len(self.errors) + self.more_errors)

    def as_dict(self, lang: str | None = None, limit: int = 10_000) -> dict[str, Any]:
        return {
            "file": str(self.path), "kind": self.kind, "region": self.region,
            "period": self.period, "package_id": self.package_id, "source": self.source,
            "exported_at": self.exported_at, "sha256": self.sha256, "ok": self.ok,
            "stale": self.stale, "newer_exported_at": self.newer_exported_at,
            "newer_file": self.newer_file,
            "refused": self.refused.message(lang) if self.refused else None,
            # a library's own words (e.g. why a zip is damaged): here and in the log, never in
            # the message a person reads
            "refused_detail": str(self.refused.params.get("detail", "")) if self.refused
            else None,
            "errors": [e.as_dict(lang) for e in self.errors], "more_errors": self.more_errors,
            "warnings": [w.as_dict(lang) for w in self.warnings],
            "added_count": self.added_count,
            "added": [c.as_dict(lang) for c in [*self.added, *self.added_rows.page(0, limit)]],
            "changed": [c.as_dict(lang) for c in self.changed], "unchanged": self.unchanged,
            "conflicts": [c.as_dict() for c in self.conflicts],
            "signature": self.signature.as_dict() if self.signature is not None else None,
        }


@dataclass
class PlanContext:
    """What a kind's planner is given: the open workbook, the checked file, where to record."""

    conn: sqlite3.Connection
    office: Office
    plan: ImportPlan
    progress: Progress | None
    sheet_titles: list[str]
    read_rows: Callable[[str], list[list[Any]]]  # sheet title -> its rows
    formulas: xlsx_safety.FormulaCells = field(default_factory=dict)
    catalog_cache: Any = None  # the batch's cache of the catalog a return is checked against
    _parts: dict[str, str] | None = None

    @property
    def file(self) -> str:
        return self.plan.file_name

    def sheet_part(self, title: str) -> str | None:
        """The XML part of the sheet `title` in the zip (the parts are listed once)."""
        if self._parts is None:
            self._parts = xlsx_safety.sheet_xml_paths(self.plan.path)
        return self._parts.get(title)

    def sheet_rows(self, data_key: str) -> tuple[str, list[list[Any]]] | None:
        """The rows of the data sheet `_meta` names for `data_key`, or None (error recorded)."""
        title = self.plan.meta.get(f"sheet.{data_key}") or data_key
        if title not in self.sheet_titles or title == "_meta":
            self.plan.add_error(CellError(self.file, title, 0, "", "xlsx.missing_sheet"))
            return None
        return title, self.read_rows(title)


@dataclass(frozen=True)
class KindHandler:
    plan: Callable[[PlanContext], None]
    apply: Callable[[sqlite3.Connection, ImportPlan, OpInfo, set[str]], OpChanges]
