"""Horizontal progress bars drawn with QPainter (no chart module): one row per item, a label, a
bar split by status, and the percentage. A row can be clicked (or chosen with the keyboard).

Drawn by hand rather than with QtCharts: two simple shapes do not justify a heavy module, and the
rows must be clickable and reachable from the keyboard."""

from __future__ import annotations

from dataclasses import dataclass, field

from PySide6.QtCore import QRect, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QFocusEvent,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPalette,
)
from PySide6.QtWidgets import QSizePolicy, QToolTip, QWidget

from desktop.widgets.labels import STATUS_COLOURS, percent_number

TRACK_COLOUR = "#e7e9ee"
MARK_COLOUR = "#333333"
OTHER_STATUS_COLOUR = "#8a8f98"  # labels.status_colour's colour for an unknown status


@dataclass
class Bar:
    """One row of the chart."""
    key: object
    label: str
    percent: float
    parts: list[tuple[str, int]] = field(default_factory=list)  # (status, count), drawn in order
    tooltip: str = ""


class BarChart(QWidget):
    activated = Signal(object)  # the key of the clicked bar

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.bars: list[Bar] = []
        self.current = -1
        self.setMouseTracking(True)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)

    def set_bars(self, bars: list[Bar]) -> None:
        self.bars = bars
        self.current = min(self.current, len(bars) - 1)
        self.updateGeometry()
        self.update()

    # --- geometry ---------------------------------------------------------------------------------
    def row_height(self) -> int:
        return int(self.fontMetrics().height() * 2.6)

    def sizeHint(self) -> QSize:  # noqa: N802
        return QSize(420, max(1, len(self.bars)) * self.row_height() + 4)

    def minimumSizeHint(self) -> QSize:  # noqa: N802
        return QSize(240, self.sizeHint().height())

    def row_at(self, y: int) -> int:
        row = y // self.row_height()
        return row if 0 <= row < len(self.bars) else -1

    # --- painting ---------------------------------------------------------------------------------
    def paintEvent(self, _event: QPaintEvent) -> None:  # noqa: N802
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        metrics = self.fontMetrics()
        percent_width = metrics.horizontalAdvance("100 %") + 8
        for index, bar in enumerate(self.bars):
            top = index * self.row_height()
            row = QRect(0, top, self.width(), self.row_height())
            if index == self.current and self.hasFocus():
                painter.fillRect(row, self.palette().alternateBase())
            text_rect = QRect(4, top + 2, self.width() - 8, metrics.height())
            label = metrics.elidedText(bar.label, Qt.TextElideMode.ElideRight, text_rect.width())
            painter.setPen(self.palette().color(QPalette.ColorRole.Text))
            painter.drawText(text_rect, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                             label)
            bar_top = top + metrics.height() + 6
            bar_height = max(8, int(metrics.height() * 0.7))
            track = QRectF(4, bar_top, self.width() - 8 - percent_width, bar_height)
            painter.save()
            self._paint_bar(painter, track, bar)
            painter.restore()
            painter.drawText(QRect(int(track.right()) + 6, bar_top - 3, percent_width,
                                   bar_height + 6),
                             Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                             f"{percent_number(bar.percent)} %")
        painter.end()

    @staticmethod
    def _paint_bar(painter: QPainter, track: QRectF, bar: Bar) -> None:
        radius = track.height() / 2
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(TRACK_COLOUR))
        painter.drawRoundedRect(track, radius, radius)
        total = sum(count for _status, count in bar.parts)
        if not total:
            return
        painter.save()
        painter.setClipRect(track)
        x = track.left()
        for status, count in bar.parts:
            width = track.width() * count / total
            painter.fillRect(QRectF(x, track.top(), width, track.height()),
                             QColor(STATUS_COLOURS.get(status, OTHER_STATUS_COLOUR)))
            x += width
        painter.restore()

    # --- interaction ------------------------------------------------------------------------------
    def mouseMoveEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        row = self.row_at(int(event.position().y()))
        self.setCursor(Qt.CursorShape.PointingHandCursor if row >= 0 else Qt.CursorShape.ArrowCursor)
        if row >= 0 and self.bars[row].tooltip:
            QToolTip.showText(event.globalPosition().toPoint(), self.bars[row].tooltip, self)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        row = self.row_at(int(event.position().y()))
        if row >= 0 and event.button() == Qt.MouseButton.LeftButton:
            self.current = row
            self.activated.emit(self.bars[row].key)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        key = event.key()
        if key in (Qt.Key.Key_Down, Qt.Key.Key_Up) and self.bars:
            step = 1 if key == Qt.Key.Key_Down else -1
            self.current = max(0, min(len(self.bars) - 1, self.current + step))
            self.update()
        elif key in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space) and self.current >= 0:
            self.activated.emit(self.bars[self.current].key)
        else:
            super().keyPressEvent(event)

    def focusInEvent(self, event: QFocusEvent) -> None:  # noqa: N802
        if self.current < 0 and self.bars:
            self.current = 0
        self.update()
        super().focusInEvent(event)

    def focusOutEvent(self, event: QFocusEvent) -> None:  # noqa: N802
        self.update()
        super().focusOutEvent(event)


class ShareGauge(QWidget):
    """One bar filled to a share (0-100 %) with a mark at the target, drawn with QPainter."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.share: float | None = None
        self.target = 30.0
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)

    def set_share(self, share: float | None, target: float) -> None:
        self.share, self.target = share, target
        self.update()

    def sizeHint(self) -> QSize:  # noqa: N802
        return QSize(300, int(self.fontMetrics().height() * 1.6))

    def paintEvent(self, _event: QPaintEvent) -> None:  # noqa: N802
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        height = max(10, int(self.fontMetrics().height() * 0.8))
        track = QRectF(2, (self.height() - height) / 2, self.width() - 4, height)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(TRACK_COLOUR))
        painter.drawRoundedRect(track, height / 2, height / 2)
        if self.share is not None:
            met = self.share >= self.target
            fill = QRectF(track.left(), track.top(), track.width() * min(self.share, 100) / 100,
                          track.height())
            painter.setBrush(QColor(STATUS_COLOURS["completed" if met else "in_progress"]))
            painter.drawRoundedRect(fill, height / 2, height / 2)
        x = int(track.left() + track.width() * self.target / 100)
        painter.setPen(QColor(MARK_COLOUR))
        painter.drawLine(x, int(track.top()) - 3, x, int(track.bottom()) + 3)
        painter.end()
