"""The audit trail as a table: when, who, from where (and which file), what changed, old and new
value. A read-only QAbstractTableModel over `db.history.audit_entries`, with its filters."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt

from db import queries, review, rules
from db.history import AuditEntry, audit_entries
from db.names import period_name
from desktop.context import AppContext
from desktop.widgets.labels import format_number, format_when
from resources.words import messages, tr

WHEN, USER, SOURCE, ITEM, FIELD, OLD, NEW, FILE = range(8)
COLUMN_KEYS = ("ui.history.col_when", "ui.history.col_user", "ui.history.col_source",
               "ui.history.col_item", "ui.history.col_field", "ui.history.col_old",
               "ui.history.col_new", "field.file")
TABLES = ("", "action_report", "gender_figure", "indicator_value", "attachment", "review")
SOURCES = ("", "ui", "import", "cli", "catalog", "review", "demo", "seed", "restore")
ROW_LIMIT = 3000
NUMERIC_FIELDS = {"value", "women", "total", "baseline_value", "target_value"}
ENTRY_ROLE = Qt.ItemDataRole.UserRole + 1

Index = QModelIndex | QPersistentModelIndex
ROOT = QModelIndex()


@dataclass
class HistoryFilter:
    table: str = ""
    source: str = ""
    text: str = ""
    this_period_only: bool = False


def catalog_version_entry(entry: AuditEntry) -> bool:
    """The entry that stands for a whole catalog installed or updated: its version."""
    return entry.table == "meta" and entry.key == "catalog_version"


def word_or(key: str, fallback: str) -> str:
    """The word for `key` if there is one, else `fallback` (catalog fields have no words)."""
    return tr(key) if key in messages() else fallback


class HistoryModel(QAbstractTableModel):
    def __init__(self, ctx: AppContext, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.filter = HistoryFilter()
        self.entries: list[AuditEntry] = []
        self.region_names: dict[str, str] = {}
        self.reload()

    def reload(self) -> None:
        f, sel = self.filter, self.ctx.selection
        prefix = f"{sel.region}|{sel.period}|" if f.this_period_only else None
        entries = audit_entries(self.ctx.conn, table=f.table or None, key_prefix=prefix,
                                        source=f.source or None, text=f.text.strip() or None,
                                        limit=ROW_LIMIT)
        self.beginResetModel()
        self.region_names = {r.code: r.name for r in queries.regions(self.ctx.conn,
                                                                     self.ctx.language)}
        self.item_names = self._item_names()
        self.entries = entries
        self.endResetModel()

    def set_filter(self, **changes: Any) -> None:
        for name, value in changes.items():
            setattr(self.filter, name, value)
        self.reload()

    # --- Qt model ---------------------------------------------------------------------------------
    def rowCount(self, parent: Index = ROOT) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self.entries)

    def columnCount(self, parent: Index = ROOT) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(COLUMN_KEYS)

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(COLUMN_KEYS):
            return self.ctx.tr(COLUMN_KEYS[section])
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.entries):
            return None
        entry = self.entries[index.row()]
        if role == ENTRY_ROLE:
            return entry
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(entry, index.column())
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(entry, index.column())
        return None

    def _display(self, entry: AuditEntry, column: int) -> str:
        if column == WHEN:
            return format_when(entry.at, self.ctx.language)
        if column == USER:
            return self.ctx.tr("prints.history.app") if entry.source == "seed" else entry.user
        if column == SOURCE:
            return word_or(f"ui.history.source_{entry.source}", entry.source)
        if column == ITEM:
            return self.item_label(entry)
        if column == FIELD:
            if catalog_version_entry(entry):
                return ""
            return word_or(f"field.{entry.field}", entry.field)
        if column in (OLD, NEW):
            return self.value_text(entry, entry.old_value if column == OLD else entry.new_value)
        return entry.file_name or ""

    def _tooltip(self, entry: AuditEntry, column: int) -> str:
        if column == FILE and entry.file_name:
            return f"{entry.file_name}\nSHA-256 {entry.file_sha256 or '—'}"
        if column == SOURCE and entry.description and self.ctx.language == "en":
            return entry.description  # the audit's own note, kept in English
        return self._display(entry, column)

    def _item_names(self) -> dict[str, str]:
        """Readable names of gender bodies and indicator breakdowns, keyed like audit keys."""
        sel, lang = self.ctx.selection, self.ctx.language
        names = {g.body_code: g.name for g in queries.gender_rows(self.ctx.conn, sel.region,
                                                                   sel.period, lang)}
        for row in queries.indicator_rows(self.ctx.conn, sel.region, sel.period, lang):
            names[f"{row.code}|{row.disaggregation_code}"] = f"{row.code} ({row.disaggregation})"
        return names

    def item_label(self, entry: AuditEntry) -> str:
        """'Мероприятие 5 — Алматы, 3 квартал 2026 г.' from the key 'KZ-75|2026-Q3|5'."""
        if catalog_version_entry(entry):  # «Каталог 2026.2 установлен» / «… обновлён до …»
            key = "installed" if entry.source == "seed" else "updated"
            return self.ctx.tr(f"prints.history.catalog_{key}", version=entry.new_value or "")
        table = word_or(f"ui.history.table_{entry.table}", entry.table)
        if entry.table == "trusted_key":  # whose signing key: the ministry's or a region's
            return f"{table} — {self.region_names.get(entry.key) or tr('sig.history.ministry')}"
        parts = entry.key.split("|")
        if len(parts) >= 2 and parts[0] in self.region_names:
            where = f"{self.region_names[parts[0]]}, {period_name(parts[1], self.ctx.language)}"
            item = "|".join(parts[2:])
            if item in ("", "*"):  # a review (region and period), or rows a bulk import added
                return f"{table} — {where}"
            if entry.table == "review_remark":  # "action|5": the remarked item by its name
                kind, _, key = item.partition("|")
                item = f"{tr(f'center.item.{kind}')}: " \
                       f"{review.item_label(self.ctx.conn, (kind, key), self.ctx.language)}"
                return f"{table} — {item} — {where}"
            item = self.item_names.get(item, item.replace("|", " / "))
            return f"{table} {item} — {where}"
        return f"{table}: {entry.key}"

    @staticmethod
    def value_text(entry: AuditEntry, value: str | None) -> str:
        if value is None:
            return "—"
        if entry.field == "status":
            return rules.status_label(value)
        if entry.field == "signature":  # the technical detail stays in the audit trail
            return tr("sig.history.accepted_unsigned")
        if entry.field == "state" and value in review.STATES:  # the ministry's decision
            return tr(f"center.state.{value}")
        if entry.field in NUMERIC_FIELDS:
            try:
                return format_number(float(value), decimals=3)  # in the interface's locale
            except ValueError:
                return value
        return value.replace("\n", " ")
