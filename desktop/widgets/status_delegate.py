"""A status shown as a coloured dot and its word, so colour is never the only signal.

The item's background, selection and focus are drawn by the base delegate (with the word taken
out of its text), then the dot and the word beside it; so the delegate needs no QStyle of its
own (whose many enums cost the first page that uses it ~10 ms to create)."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QSize, Qt
from PySide6.QtGui import QFontMetrics, QPainter
from PySide6.QtWidgets import QAbstractItemView, QStyledItemDelegate, QStyleOptionViewItem

from db import rules
from desktop.widgets.labels import status_colour

STATUS_ROLE = Qt.ItemDataRole.UserRole + 1  # the status key ("completed"); display role: the word

Index = QModelIndex | QPersistentModelIndex


class StatusDelegate(QStyledItemDelegate):
    def initStyleOption(self, option: QStyleOptionViewItem,  # noqa: N802 - Qt's name
                        index: Index) -> None:
        super().initStyleOption(option, index)
        if index.data(STATUS_ROLE):
            option.text = ""  # the word is drawn beside the dot, in paint()

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        super().paint(painter, option, index)
        status = index.data(STATUS_ROLE)
        if not status:
            return
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        metrics = option.fontMetrics
        size = max(8, metrics.height() // 2)
        rect = option.rect.adjusted(6, 0, -4, 0)
        dot = QRect(rect.left(), rect.center().y() - size // 2, size, size)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(status_colour(status))
        painter.drawEllipse(dot)
        palette = option.palette
        painter.setPen(palette.highlightedText().color() if self._selected(index)
                       else palette.text().color())
        text_rect = rect.adjusted(size + 8, 0, 0, 0)
        word = metrics.elidedText(str(index.data() or ""), Qt.TextElideMode.ElideRight,
                                  text_rect.width())
        painter.drawText(text_rect, int(Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft),
                         word)
        painter.restore()

    def _selected(self, index: Index) -> bool:
        view = self.parent()
        selection = view.selectionModel() if isinstance(view, QAbstractItemView) else None
        return bool(selection and selection.isSelected(index))

    @staticmethod
    def word_width(metrics: QFontMetrics, word: str) -> int:
        """Room for the dot and `word` (as paint() lays them out) with the item's margins."""
        return metrics.horizontalAdvance(word) + max(8, metrics.height() // 2) + 8 + 6 + 4 + 12

    @classmethod
    def widest(cls, metrics: QFontMetrics, lang: str | None = None) -> int:
        """The width the longest status word of the language needs, whichever statuses the rows
        hold now: a column sized to its rows cut «Исполне…» once a row became «Исполнено»."""
        return max(cls.word_width(metrics, rules.status_label(status, lang))
                   for status in rules.STATUSES)

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:  # noqa: N802
        hint = super().sizeHint(option, index)
        word = str(index.data() or "") if index.data(STATUS_ROLE) else ""
        extra = option.fontMetrics.horizontalAdvance(word) + option.fontMetrics.height() + 10
        return QSize(hint.width() + extra, hint.height())
