"""What the editable grids share: reading what a person typed, running one edit through the
context (so it is audited, undoable and announced once), remembering refused cells so the view
can show them red with the reason in a tooltip, and the grid model both grids derive from."""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Hashable
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor

from db.audit import OpChanges
from db.errors import PlanMonitorError, ValidationFailed
from desktop.context import AppContext
from desktop.review_watch import (
    REMARK_BACKGROUND,
    REMARK_MARKER,
    ReviewWatch,
    remark_tip,
)
from desktop.widgets.labels import REFUSED_BACKGROUND, locale_number

REFUSED_FOREGROUND = QColor("#8b1a1a")
_SPACES = re.compile(r"[\s\u00a0\u202f]")
AnyIndex = QModelIndex | QPersistentModelIndex


def parse_typed_number(text: Any) -> Any:
    """A number from what was typed ("12,5", "1 234", " 7 "); None for an empty cell. Text that is
    not a number is passed on unchanged so the core's rules refuse it with their own message."""
    if text is None or isinstance(text, (int, float)):
        return text
    compact = _SPACES.sub("", str(text)).replace(",", ".")
    if not compact:
        return None
    try:
        number = float(compact)
    except ValueError:
        return str(text).strip()
    return int(number) if number.is_integer() else number


def format_number(value: float | int | None, lang: str) -> str:
    """1234.5 -> "1 234,5" (ru, kk) or "1,234.5" (en); whole numbers without decimals."""
    return "" if value is None else locale_number(value, lang, decimals=2, grouped=True)


def edit_text(value: float | int | None, lang: str | None = None) -> str:
    """The value as the editor starts with it: no grouping, so it can be retyped; the decimal
    separator of the interface's language (parse_typed_number reads either)."""
    if value is None:
        return ""
    return locale_number(value, lang, decimals=6)


def run_edit(ctx: AppContext, op: Callable[..., OpChanges], *args: object,
             **values: object) -> str | None:
    """Apply one edit through the context (saved at once, audited, undoable, announced once);
    returns None when accepted, else the refusal in the user's language (also put in the status
    bar)."""
    try:
        ctx.run_op(op, *args, **values)
    except ValidationFailed as exc:
        message = "; ".join(p.message(ctx.language) for p in exc.problems) or exc.message(
            ctx.language)
    except PlanMonitorError as exc:
        message = exc.message(ctx.language)
    else:
        return None
    ctx.status_message.emit(message)
    return message


def cell_flags(index: QModelIndex | QPersistentModelIndex, editable_columns: Collection[int],
               editable: bool) -> Qt.ItemFlag:
    """Flags of a grid cell: selectable, and editable in the given columns while editing is on."""
    if not index.isValid():
        return Qt.ItemFlag.NoItemFlags
    flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
    if index.column() in editable_columns and editable:
        flags |= Qt.ItemFlag.ItemIsEditable
    return flags


class RefusedCells:
    """Cells whose last edit was refused, keyed by (row key, column), with the reason and the
    value the cell held when it was refused. The mark is about that value: once the cell holds
    another (an edit, an import, an undo or redo, the ministry's decision: whatever the route),
    the refusal no longer applies and the mark is gone."""

    def __init__(self) -> None:
        self._reasons: dict[tuple[Hashable, int], tuple[str, object]] = {}

    def refuse(self, key: Hashable, column: int, reason: str, held: object = None) -> None:
        self._reasons[(key, column)] = (reason, held)

    def accept(self, key: Hashable, column: int) -> None:
        self._reasons.pop((key, column), None)

    def reason(self, key: Hashable, column: int, holds: object = None) -> str | None:
        """The refusal's reason while the cell still `holds` the value it was refused over."""
        found = self._reasons.get((key, column))
        if found is None:
            return None
        if found[1] != holds:  # the value was replaced since: the mark follows it away
            del self._reasons[(key, column)]
            return None
        return found[0]

    def clear(self) -> None:
        self._reasons.clear()

    def __len__(self) -> int:
        return len(self._reasons)


class GridModel(QAbstractTableModel):
    """What the gender and indicator grids share: one row per item of the selected region and
    period, headers from i18n keys, a few editable columns saved through db.ops, refused cells
    shown red with the reason, and the center's review: no edits while the period is locked, a
    remarked item's row tinted with the remark in its tooltip.

    A subclass sets HEADER_KEYS, EDITABLE (column -> field), REMARK_KIND and MARKER_COLUMN, and
    gives `_row_key`, `_display`, `_edit_value` and `_save`; `_tooltip`, `_foreground`,
    `_alignment` and `_header_tip` are optional."""

    HEADER_KEYS: tuple[str, ...] = ()
    EDITABLE: dict[int, str] = {}
    REMARK_KIND = ""
    MARKER_COLUMN = 0

    def __init__(self, ctx: AppContext, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._rows: list[Any] = []
        self.refused = RefusedCells()
        self.review = ReviewWatch(ctx, self)  # before the subclass connects its own reloads
        self.review.changed.connect(self._review_changed)

    # --- what the view asks ----------------------------------------------------------------------
    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.HEADER_KEYS)

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(self.HEADER_KEYS):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self._header_text(section)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._header_tip(section)
        return None

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        return cell_flags(index, self.EDITABLE, self.editable)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row, column = self._rows[index.row()], index.column()
        key = self._row_key(row)
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(row, column)
        if role == Qt.ItemDataRole.EditRole:
            return self._edit_value(row, column)
        if role == Qt.ItemDataRole.UserRole:
            return key
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return self._alignment(column)
        reason = self.refused.reason(key, column, self._edit_value(row, column)) \
            if len(self.refused) else None
        remark = self.remark_of(row)
        if role == Qt.ItemDataRole.ToolTipRole:
            return reason or remark_tip(self._ctx, remark, self._tooltip(row, column))
        if role == Qt.ItemDataRole.BackgroundRole:
            return REFUSED_BACKGROUND if reason else (REMARK_BACKGROUND if remark else None)
        if role == Qt.ItemDataRole.ForegroundRole:
            return REFUSED_FOREGROUND if reason else self._foreground(row, column)
        if role == Qt.ItemDataRole.DecorationRole and remark and column == self.MARKER_COLUMN:
            return REMARK_MARKER
        return None

    def setData(self, index: AnyIndex, value: object,  # noqa: N802
                role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or not index.isValid() or \
                index.column() not in self.EDITABLE or not self.editable:
            return False
        row, column = self._rows[index.row()], index.column()
        reason = self._save(row, column, value)
        if reason:
            self.refused.refuse(self._row_key(row), column, reason, self._edit_value(row, column))
        else:
            self.refused.accept(self._row_key(row), column)
        self._row_changed(index.row())
        return reason is None

    # --- for the page ----------------------------------------------------------------------------
    @property
    def editable(self) -> bool:
        """Edits are offered for a region's own workbook while its period is not locked."""
        return (bool(self._ctx.selection.region) and not self._ctx.office.is_center
                and not self.review.locked)

    @property
    def locked(self) -> bool:
        return self.review.locked

    def remark_of(self, row: Any) -> str:
        if not self.review.decision.remarks:  # the usual case: no key to build per cell
            return ""
        return self.review.remark_for(self.REMARK_KIND, self._remark_key(row))

    # --- what a subclass gives -------------------------------------------------------------------
    def _row_key(self, row: Any) -> Hashable:
        raise NotImplementedError

    def _remark_key(self, row: Any) -> str:
        return str(self._row_key(row))

    def _display(self, row: Any, column: int) -> str:
        raise NotImplementedError

    def _edit_value(self, row: Any, column: int) -> str:
        return self._display(row, column)

    def _save(self, row: Any, column: int, value: object) -> str | None:
        """Write a typed value through db.ops; None when saved, else the refusal."""
        raise NotImplementedError

    def _header_text(self, section: int) -> str:
        return self._ctx.tr(self.HEADER_KEYS[section])

    def _header_tip(self, section: int) -> str | None:
        return None

    def _tooltip(self, row: Any, column: int) -> str | None:
        return None

    def _foreground(self, row: Any, column: int) -> QColor | None:
        return None

    def _alignment(self, column: int) -> int | None:
        return None

    # --- keeping up ------------------------------------------------------------------------------
    def _row_changed(self, row: int) -> None:
        self.dataChanged.emit(self.index(row, 0), self.index(row, len(self.HEADER_KEYS) - 1))

    def _review_changed(self) -> None:
        """The lock or the remarks changed: every row may look (and edit) differently."""
        if self._rows:
            self.dataChanged.emit(self.index(0, 0),
                                  self.index(len(self._rows) - 1, len(self.HEADER_KEYS) - 1))
