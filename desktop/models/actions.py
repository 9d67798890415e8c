"""The actions of the plan grouped by section, for the selected region and period: a two-level item
model over `db.queries.action_rows`, and a filter (status, overdue, free-text search that ignores
case and the difference between Kazakh-specific and Russian letters)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import (
    QAbstractItemModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QColor, QFont

from db import queries, rules
from desktop.context import AppContext
from desktop.review_watch import REMARK_BACKGROUND, REMARK_MARKER, ReviewWatch, remark_tip
from desktop.widgets.labels import OVERDUE_COLOUR, percent_number, roman
from desktop.widgets.status_delegate import STATUS_ROLE

NO, NAME, STATUS, DEADLINE, OFFICER, FILES = range(6)
COLUMN_KEYS = ("ui.actions.col_no", "ui.actions.col_name", "field.status", "ui.actions.col_deadline",
               "field.officer", "ui.actions.col_files")
ACTION_ROLE = Qt.ItemDataRole.UserRole + 2  # the ActionRow of an action row; None for a section
SECTION_ROLE = Qt.ItemDataRole.UserRole + 3  # the section number of any row
DUE_SOON_COLOUR = "#a86400"
_LETTERS = str.maketrans({"ә": "а", "ғ": "г", "қ": "к", "ң": "н", "ө": "о", "ұ": "у", "ү": "у",
                          "һ": "х", "і": "и", "ё": "е", "\u00a0": " "})

Index = QModelIndex | QPersistentModelIndex
ROOT = QModelIndex()


def fold(text: str) -> str:
    """Case-insensitive and forgiving of a missing Kazakh keyboard: 'Қазақ' matches 'казак'."""
    return " ".join(text.casefold().translate(_LETTERS).split())


def search_text(row: queries.ActionRow) -> str:
    return fold(" ".join((str(row.no), row.name, row.outcome, row.progress_note, row.evidence,
                          row.officer, row.agencies, row.deadline)))


class ActionsModel(QAbstractItemModel):
    def __init__(self, ctx: AppContext, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.sections: list[queries.Section] = []
        self.rows: list[list[queries.ActionRow]] = []  # per section, in section order
        self.review = ReviewWatch(ctx, self)  # the center's remarks, shown beside their actions
        self.review.changed.connect(self.refresh)
        self._load()
        ctx.changed.connect(self._data_changed)
        ctx.selection_changed.connect(self.refresh)
        ctx.language_changed.connect(self._language_changed)

    # --- loading ----------------------------------------------------------------------------------
    def _fetch(self) -> tuple[list[queries.Section], list[list[queries.ActionRow]]]:
        sel, lang = self.ctx.selection, self.ctx.language
        sections = queries.sections(self.ctx.conn, lang)
        actions = queries.action_rows(self.ctx.conn, sel.region, sel.period, lang)
        grouped = [[a for a in actions if a.section_no == s.no] for s in sections]
        return sections, grouped

    def _load(self) -> None:
        self.sections, self.rows = self._fetch()
        self._missing: set[int] | None = None

    def refresh(self) -> None:
        sections, rows = self._fetch()
        self._missing = None
        same_shape = ([s.no for s in sections] == [s.no for s in self.sections]
                      and [[a.no for a in g] for g in rows] == [[a.no for a in g] for g in self.rows])
        if not same_shape:
            self.beginResetModel()
            self.sections, self.rows = sections, rows
            self.endResetModel()
            return
        self.sections, self.rows = sections, rows
        last = self.columnCount() - 1
        if self.sections:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self.sections) - 1, last))
        for s_index, group in enumerate(self.rows):
            if group:
                parent = self.index(s_index, 0)
                self.dataChanged.emit(self.index(0, 0, parent), self.index(len(group) - 1, last,
                                                                           parent))

    def _language_changed(self, _lang: str) -> None:
        self.refresh()
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, self.columnCount() - 1)

    def _data_changed(self, changes: Any) -> None:
        if changes.tables & {"action_report", "attachment", "action", "section"}:
            self.refresh()

    # --- structure --------------------------------------------------------------------------------
    def index(self, row: int, column: int, parent: Index = ROOT) -> QModelIndex:
        """Bounds checked here, not through hasIndex() (which calls back into rowCount and
        columnCount): the view asks for thousands of indexes while it lays the tree out."""
        if not 0 <= column < len(COLUMN_KEYS) or row < 0:
            return QModelIndex()
        if not parent.isValid():
            return self.createIndex(row, column, 0) if row < len(self.sections) else QModelIndex()
        if parent.internalId() == 0 and parent.column() == 0 \
                and row < len(self.rows[parent.row()]):
            return self.createIndex(row, column, parent.row() + 1)
        return QModelIndex()

    def parent(self, index: Index = ROOT) -> QModelIndex:  # type: ignore[override]
        if not index.isValid() or index.internalId() == 0:
            return QModelIndex()
        return self.createIndex(index.internalId() - 1, 0, 0)

    def rowCount(self, parent: Index = ROOT) -> int:  # noqa: N802
        if not parent.isValid():
            return len(self.sections)
        if parent.internalId() == 0 and parent.column() == 0:
            return len(self.rows[parent.row()])
        return 0

    def columnCount(self, parent: Index = ROOT) -> int:  # noqa: N802
        return len(COLUMN_KEYS)

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole \
                and 0 <= section < len(COLUMN_KEYS):
            return self.ctx.tr(COLUMN_KEYS[section])
        return None

    # --- data -------------------------------------------------------------------------------------
    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        if index.internalId() == 0:
            return self._section_data(index.row(), index.column(), role)
        row = self.rows[index.internalId() - 1][index.row()]
        return self._action_data(row, index.column(), role)

    def _section_data(self, row: int, column: int, role: int) -> Any:
        section = self.sections[row]
        if role == SECTION_ROLE:
            return section.no
        if role == Qt.ItemDataRole.FontRole:
            font = QFont()
            font.setBold(True)
            return font
        if column != NO:
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            progress = rules.progress_of(a.status for a in self.rows[row])
            return self.ctx.tr("ui.actions.section_row", no=roman(section.no), name=section.name,
                               percent=percent_number(progress.percent))
        return None

    def _action_data(self, row: queries.ActionRow, column: int, role: int) -> Any:
        if role == ACTION_ROLE:
            return row
        if role == SECTION_ROLE:
            return row.section_no
        if role == STATUS_ROLE:
            return row.status if column == STATUS else None
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(row, column)
        remark = self.review.remark_for("action", row.no)
        if role == Qt.ItemDataRole.ToolTipRole:
            return remark_tip(self.ctx, remark, self._tooltip(row, column))
        if role == Qt.ItemDataRole.BackgroundRole and remark:
            return REMARK_BACKGROUND
        if role == Qt.ItemDataRole.DecorationRole and remark and column == NAME:
            return REMARK_MARKER
        if role == Qt.ItemDataRole.ForegroundRole and column == DEADLINE:
            if row.overdue:
                return QColor(OVERDUE_COLOUR)
            return QColor(DUE_SOON_COLOUR) if row.due_soon else None
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (NO, FILES):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def _display(self, row: queries.ActionRow, column: int) -> str:
        if column == NO:
            return str(row.no)
        if column == NAME:
            return row.name
        if column == STATUS:
            return rules.status_label(row.status, self.ctx.language)
        if column == DEADLINE:
            return f"\u26a0 {row.deadline}" if row.overdue else row.deadline
        if column == OFFICER:
            return row.officer
        return str(row.attachments) if row.attachments else ""

    def _deadline_text(self, row: queries.ActionRow) -> str:
        if row.overdue or row.due_soon:
            key = "ui.actions.deadline_overdue" if row.overdue else "ui.actions.deadline_soon"
            return self.ctx.tr(key, deadline=row.deadline)
        return row.deadline

    def _tooltip(self, row: queries.ActionRow, column: int) -> str:
        if column == DEADLINE:
            return self._deadline_text(row)
        if column == STATUS:
            return rules.status_label(row.status, self.ctx.language)
        return f"{row.no}. {row.name}"

    def missing_actions(self) -> set[int]:
        """Numbers of the actions the period's report still lacks (the core's completeness)."""
        if self._missing is None:
            sel = self.ctx.selection
            report = queries.completeness(self.ctx.conn, sel.region, sel.period, self.ctx.language)
            self._missing = {int(m.key) for m in report.missing if m.kind == "action"}
        return self._missing

    def find_action(self, action_no: int) -> QModelIndex:
        for s_index, group in enumerate(self.rows):
            for a_index, action in enumerate(group):
                if action.no == action_no:
                    return self.index(a_index, 0, self.index(s_index, 0))
        return QModelIndex()

    def find_section(self, section_no: int) -> QModelIndex:
        for s_index, section in enumerate(self.sections):
            if section.no == section_no:
                return self.index(s_index, 0)
        return QModelIndex()


FILTERS = ("all", "not_started", "in_progress", "completed", "not_applicable", "overdue",
           "due_soon", "missing")


class ActionFilter(QSortFilterProxyModel):
    """Shows the actions that match the status filter and every word of the search text; a
    section shows when any of its actions does."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.words: list[str] = []
        self.kind = "all"
        self.setRecursiveFilteringEnabled(True)

    def set_search(self, text: str) -> None:
        self.beginFilterChange()
        self.words = fold(text).split()
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def set_kind(self, kind: str) -> None:
        self.beginFilterChange()
        self.kind = kind if kind in FILTERS else "all"
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def active(self) -> bool:
        return bool(self.words) or self.kind != "all"

    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:  # noqa: N802
        if not source_parent.isValid():
            return not self.active()
        index = self.sourceModel().index(source_row, 0, source_parent)
        row = index.data(ACTION_ROLE)
        return row is not None and self.matches(row)

    def matches(self, row: queries.ActionRow) -> bool:
        if not self._kind_matches(row):
            return False
        haystack = search_text(row)
        return all(word in haystack for word in self.words)

    def _kind_matches(self, row: queries.ActionRow) -> bool:
        if self.kind == "all":
            return True
        if self.kind == "overdue":
            return row.overdue
        if self.kind == "due_soon":
            return row.due_soon
        if self.kind == "missing":
            source = self.sourceModel()
            return isinstance(source, ActionsModel) and row.no in source.missing_actions()
        return row.status == self.kind
