"""A column whose texts wrap onto as many lines as they need (an action's full name), so nothing
is cut short with "…". The view sizes a row by its delegate's size hint, which by Qt's default
does not know the column's width; this one measures the wrapped text at that width."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QSize, Qt
from PySide6.QtWidgets import QStyledItemDelegate, QStyleOptionViewItem, QTreeView

PADDING = 8  # the item's text margins, left and right together


class WrapDelegate(QStyledItemDelegate):
    def __init__(self, view: QTreeView, column: int) -> None:
        super().__init__(view)
        self.view = view
        self.column = column

    def initStyleOption(self, option: QStyleOptionViewItem,  # noqa: N802 - Qt's name
                        index: QModelIndex | QPersistentModelIndex) -> None:
        super().initStyleOption(option, index)
        option.features |= QStyleOptionViewItem.ViewItemFeature.WrapText
        option.textElideMode = Qt.TextElideMode.ElideNone

    def sizeHint(self, option: QStyleOptionViewItem,  # noqa: N802 - Qt's name
                 index: QModelIndex | QPersistentModelIndex) -> QSize:
        line = option.fontMetrics.height() + 6  # one line, as the other columns' rows
        text = index.data()
        width = self.view.columnWidth(self.column) - PADDING
        if not text or width <= 0:
            return QSize(option.fontMetrics.horizontalAdvance(str(text or "")), line)
        bounds = option.fontMetrics.boundingRect(QRect(0, 0, width, 10_000),
                                                 int(Qt.TextFlag.TextWordWrap), str(text))
        return QSize(width, max(line, bounds.height() + 6))
