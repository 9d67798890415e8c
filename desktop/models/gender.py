"""Gender representation grid: one row per decision-making body, women and total editable, the
women's share computed against the 30% target, the previous period beside the current."""

from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor

from db import ops, queries, rules
from db.audit import OpChanges
from desktop.context import AppContext
from desktop.models.editing import (
    REFUSED_BACKGROUND,
    REFUSED_FOREGROUND,
    RefusedCells,
    cell_flags,
    edit_text,
    format_number,
    parse_typed_number,
    run_edit,
)

BODY, WOMEN, TOTAL, SHARE, GAP, PREVIOUS, NOTE = range(7)
HEADER_KEYS = ("uib.gender.body", "field.women", "field.total", "field.share", "uib.gender.gap",
               "uib.gender.previous", "field.note")
EDITABLE = {WOMEN: "women", TOTAL: "total", NOTE: "note"}
BELOW_TARGET = QColor("#b35c00")
AT_TARGET = QColor("#2e7d32")

AnyIndex = QModelIndex | QPersistentModelIndex


class GenderModel(QAbstractTableModel):
    def __init__(self, ctx: AppContext, parent: object | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._rows: list[queries.GenderRow] = []
        self.refused = RefusedCells()
        self.reload()
        ctx.changed.connect(self._on_changed)
        ctx.selection_changed.connect(self.reload)
        ctx.language_changed.connect(self._on_language)

    # --- what the view asks ----------------------------------------------------------------------
    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(HEADER_KEYS)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(HEADER_KEYS):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self._ctx.tr(HEADER_KEYS[section], target=self._target_text())
        if role == Qt.ItemDataRole.ToolTipRole and section == GAP:
            return self._ctx.tr("uib.gender.gap_tip", target=self._target_text())
        return None

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        return cell_flags(index, EDITABLE, self.editable)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row, column = self._rows[index.row()], index.column()
        reason = self.refused.reason(row.body_code, column)
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(row, column)
        if role == Qt.ItemDataRole.EditRole:
            return self._edit_value(row, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            return reason or (f"{row.name}\n{row.description}".strip() if column == BODY
                              else None)
        if role == Qt.ItemDataRole.BackgroundRole and reason:
            return REFUSED_BACKGROUND
        if role == Qt.ItemDataRole.ForegroundRole:
            return REFUSED_FOREGROUND if reason else self._share_colour(row, column)
        if role == Qt.ItemDataRole.TextAlignmentRole and column not in (BODY, NOTE):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.UserRole:
            return row.body_code
        return None

    def setData(self, index: AnyIndex, value: object,
                role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or not index.isValid() or \
                index.column() not in EDITABLE or not self.editable:
            return False
        row, column = self._rows[index.row()], index.column()
        name = EDITABLE[column]
        typed = str(value or "") if column == NOTE else parse_typed_number(value)
        region, period = self._ctx.selection.region, self._ctx.selection.period
        reason = run_edit(self._ctx, ops.update_gender, region, period, row.body_code,
                          self._ctx.op_info(), **{name: typed})
        if reason:
            self.refused.refuse(row.body_code, column, reason)
            self._row_changed(index.row())
            return False
        self.refused.accept(row.body_code, column)
        self._row_changed(index.row())
        return True

    # --- things the page shows around the grid ---------------------------------------------------
    @property
    def editable(self) -> bool:
        return bool(self._ctx.selection.region) and not self._ctx.office.is_center

    def rows(self) -> list[queries.GenderRow]:
        return list(self._rows)

    def totals(self) -> tuple[int, int, float | None]:
        women, total = queries.gender_totals(self._rows)
        return women, total, rules.share_percent(women, total)

    # --- keeping up with the database ------------------------------------------------------------
    def reload(self) -> None:
        self.beginResetModel()
        self.refused.clear()
        self._rows = self._query()
        self.endResetModel()

    def _query(self) -> list[queries.GenderRow]:
        region, period = self._ctx.selection.region, self._ctx.selection.period
        if not region:
            return []
        return queries.gender_rows(self._ctx.conn, region, period, self._ctx.language)

    def _on_changed(self, changes: OpChanges) -> None:
        if not changes.tables & {"gender_figure", "gender_body"}:
            return
        fresh = self._query()
        if [r.body_code for r in fresh] != [r.body_code for r in self._rows]:
            self.reload()
            return
        self._rows = fresh
        if self._rows:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._rows) - 1, NOTE))

    def _on_language(self, _lang: str) -> None:
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(HEADER_KEYS) - 1)
        self.reload()

    def _row_changed(self, row: int) -> None:
        self.dataChanged.emit(self.index(row, 0), self.index(row, NOTE))

    # --- words and colours -----------------------------------------------------------------------
    def _target_text(self) -> str:
        return format_number(rules.GENDER_TARGET_PERCENT, self._ctx.language)

    def _display(self, row: queries.GenderRow, column: int) -> str:
        lang = self._ctx.language
        if column == BODY:
            return row.name
        if column == WOMEN:
            return format_number(row.women, lang)
        if column == TOTAL:
            return format_number(row.total, lang)
        if column == SHARE:
            return format_number(row.share, lang)
        if column == GAP:
            return self._gap_text(row.share)
        if column == PREVIOUS:
            return self._previous_text(row)
        return row.note

    def _edit_value(self, row: queries.GenderRow, column: int) -> str:
        if column == WOMEN:
            return edit_text(row.women)
        if column == TOTAL:
            return edit_text(row.total)
        if column == NOTE:
            return row.note
        return self._display(row, column)

    def _gap_text(self, share: float | None) -> str:
        if share is None:
            return ""
        gap = round(share - rules.GENDER_TARGET_PERCENT, 1)
        sign = "+" if gap > 0 else ("−" if gap < 0 else "")
        return self._ctx.tr("uib.gender.points", value=sign + format_number(abs(gap),
                                                                            self._ctx.language))

    def _previous_text(self, row: queries.GenderRow) -> str:
        if row.prev_total is None and row.prev_women is None:
            return ""
        lang = self._ctx.language
        share = format_number(row.prev_share, lang)
        return self._ctx.tr("uib.gender.previous_value", women=format_number(row.prev_women, lang),
                            total=format_number(row.prev_total, lang), share=share or "—")

    @staticmethod
    def _share_colour(row: queries.GenderRow, column: int) -> QColor | None:
        if column not in (SHARE, GAP) or row.share is None:
            return None
        return AT_TARGET if row.share >= rules.GENDER_TARGET_PERCENT else BELOW_TARGET
