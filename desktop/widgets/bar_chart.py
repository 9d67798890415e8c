"""Horizontal progress bars drawn with QPainter (no chart module): one row per item, a label, a
bar split by status, and the percentage. A row can be clicked (or chosen with the keyboard).

They are the dashboard's, so they paint in the first frame of every start: without the `Qt`
namespace, whose first use costs ~15 ms (see `desktop.widgets.qt_ints`). QPainter's overloaded
setters (setPen, setBrush, fillRect) touch it, so the painting uses calls with one signature:
the text in the painter's first pen (the widget's foreground role is the palette's text),
shapes filled with fillPath / eraseRect, the target mark stroked with strokePath; the same
pixels as setPen/setBrush/drawRoundedRect/drawRect/drawLine (tests/test_desktop_startup.py
compares them). Clicks, keys and the focused row's highlight use `Qt` as usual."""

from __future__ import annotations

import re
from dataclasses import field
from functools import cache
from typing import TYPE_CHECKING

from PySide6.QtCore import QRect, QRectF, QSize, Signal
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFontMetrics,
    QFontMetricsF,
    QPainter,
    QPainterPath,
    QPalette,
    QPen,
)
from PySide6.QtWidgets import QSizePolicy, QToolTip, QWidget

from db.records import record
from desktop.widgets.labels import STATUS_COLOURS
from desktop.widgets.qt_ints import ALIGN_LEFT, ALIGN_RIGHT, ALIGN_VCENTER, STRONG_FOCUS

if TYPE_CHECKING:  # a PySide6 class's first use sets it up (QFocusEvent and QKeyEvent ~1 ms):
    # these are in annotations only, and arrive with the first key press, click or focus
    from PySide6.QtGui import QFocusEvent, QKeyEvent, QMouseEvent, QPaintEvent

TRACK_COLOUR = "#e7e9ee"
MARK_COLOUR = "#333333"
OTHER_STATUS_COLOUR = "#8a8f98"  # labels.status_colour's colour for an unknown status


@cache
def solid_brush(colour: str) -> QBrush:
    """A solid brush of `colour` (QBrush(QColor) would touch the Qt namespace)."""
    palette = QPalette()
    palette.setColor(QPalette.ColorRole.Base, QColor(colour))
    return palette.brush(QPalette.ColorRole.Base)


def fill_rounded(painter: QPainter, rect: QRectF, radius: float, brush: QBrush) -> None:
    """drawRoundedRect(rect, radius, radius) without a pen, in `brush`."""
    path = QPainterPath()
    path.addRoundedRect(rect, radius, radius)
    painter.fillPath(path, brush)


def fill_rect(painter: QPainter, rect: QRectF, brush: QBrush) -> None:
    """drawRect(rect) without a pen, in `brush` (fillRect(QRectF, QBrush) is what both do)."""
    painter.save()
    painter.setBackground(brush)
    painter.eraseRect(rect)
    painter.restore()


# What Qt's elision treats specially (control characters such as tabs, variable-length text,
# right-to-left scripts, joiners, bidi controls) or counts in UTF-16 units (beyond U+FFFF): left
# to Qt itself. A pattern, compiled (by `re`, once) only when a label must be elided.
_LEFT_TO_QT = ("[\x00-\x1f\x7f-\x9f\u0590-\u08ff\u200d-\u200f\u202a-\u202e\u2066-\u2069"
               "\U00010000-\U0010ffff]")


def elided(metrics: QFontMetrics, text: str, width: int) -> str:
    """metrics.elidedText(text, Qt.TextElideMode.ElideRight, width), worked out as Qt does it
    (QTextEngine::elidedText): the whole graphemes whose advances, summed from the start, stay
    below the width less the ellipsis', then "…" (or "..." where the font has no "…"). Qt's
    running sum after a grapheme is the advance of the text up to its end, which QFontMetricsF
    gives; where graphemes end does not depend on the font (QTextLayout of the text)."""
    exact = QFontMetricsF(metrics)
    if len(text) <= 1 or ("\x9c" not in text and exact.horizontalAdvance(text) <= width):
        return text
    if re.search(_LEFT_TO_QT, text):
        from PySide6.QtCore import Qt

        return metrics.elidedText(text, Qt.TextElideMode.ElideRight, width)
    if exact.inFontUcs4(0x2026):
        ellipsis, ellipsis_width = "\u2026", exact.horizontalAdvance("\u2026")
    else:
        ellipsis, ellipsis_width = "...", 3 * exact.horizontalAdvance(".")
    available = width - ellipsis_width
    if available < 0:
        return ""
    from PySide6.QtGui import QTextLayout  # ~0.4 ms to set up, only when a label is elided

    layout = QTextLayout(text)
    ends = [layout.nextCursorPosition(0)]
    while ends[-1] < len(text):
        ends.append(layout.nextCursorPosition(ends[-1]))
    # the first grapheme whose end reaches the available width (else the last): it goes
    low, high = 0, len(ends) - 1
    while low < high:
        middle = (low + high) // 2
        if exact.horizontalAdvance(text, ends[middle]) >= available:
            high = middle
        else:
            low = middle + 1
    return text[:ends[low - 1] if low else 0] + ellipsis


@cache
def mark_pen() -> QPen:
    """setPen(QColor(MARK_COLOUR))'s pen: QPen(colour) is QPen() (width 1, solid) in that colour."""
    pen = QPen()
    pen.setColor(QColor(MARK_COLOUR))
    return pen


@record()
class Bar:
    """One row of the chart."""
    key: object
    label: str
    percent: float
    parts: list[tuple[str, int]] = field(default_factory=list)  # (status, count), drawn in order
    tooltip: str = ""

    def __init__(self, key: object, label: str, percent: float,
                 parts: list[tuple[str, int]] | None = None, tooltip: str = "") -> None:
        self.key = key
        self.label = label
        self.percent = percent
        self.parts = [] if parts is None else parts
        self.tooltip = tooltip


class BarChart(QWidget):
    activated = Signal(object)  # the key of the clicked bar

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.bars: list[Bar] = []
        self.current = -1
        self.setMouseTracking(True)
        self.setProperty("focusPolicy", STRONG_FOCUS)  # not Qt.FocusPolicy: see the docstring
        self.setForegroundRole(QPalette.ColorRole.Text)  # the painter's first pen: text colour
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
            label = elided(metrics, bar.label, text_rect.width())
            painter.drawText(text_rect, ALIGN_LEFT | ALIGN_VCENTER, label)  # in the text colour
            bar_top = top + metrics.height() + 6
            bar_height = max(8, int(metrics.height() * 0.7))
            track = QRectF(4, bar_top, self.width() - 8 - percent_width, bar_height)
            self._paint_bar(painter, track, bar)
            painter.drawText(QRect(int(track.right()) + 6, bar_top - 3, percent_width,
                                   bar_height + 6),
                             ALIGN_RIGHT | ALIGN_VCENTER, f"{bar.percent:.0f} %")
        painter.end()

    @staticmethod
    def _paint_bar(painter: QPainter, track: QRectF, bar: Bar) -> None:
        radius = track.height() / 2
        fill_rounded(painter, track, radius, solid_brush(TRACK_COLOUR))
        total = sum(count for _status, count in bar.parts)
        if not total:
            return
        painter.save()
        painter.setClipRect(track)
        x = track.left()
        for status, count in bar.parts:
            width = track.width() * count / total
            fill_rect(painter, QRectF(x, track.top(), width, track.height()),
                      solid_brush(STATUS_COLOURS.get(status, OTHER_STATUS_COLOUR)))
            x += width
        painter.restore()

    # --- interaction ------------------------------------------------------------------------------
    def mouseMoveEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        from PySide6.QtCore import Qt  # here, not at start: see the docstring

        row = self.row_at(int(event.position().y()))
        self.setCursor(Qt.CursorShape.PointingHandCursor if row >= 0 else Qt.CursorShape.ArrowCursor)
        if row >= 0 and self.bars[row].tooltip:
            QToolTip.showText(event.globalPosition().toPoint(), self.bars[row].tooltip, self)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        from PySide6.QtCore import Qt  # here, not at start: see the docstring

        row = self.row_at(int(event.position().y()))
        if row >= 0 and event.button() == Qt.MouseButton.LeftButton:
            self.current = row
            self.activated.emit(self.bars[row].key)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        from PySide6.QtCore import Qt  # here, not at start: see the docstring

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
        fill_rounded(painter, track, height / 2, solid_brush(TRACK_COLOUR))
        if self.share is not None:
            met = self.share >= self.target
            fill = QRectF(track.left(), track.top(), track.width() * min(self.share, 100) / 100,
                          track.height())
            fill_rounded(painter, fill, height / 2,
                         solid_brush(STATUS_COLOURS["completed" if met else "in_progress"]))
        x = track.left() + track.width() * self.target / 100
        mark = QPainterPath()  # drawLine in a 1-pixel pen of MARK_COLOUR
        mark.moveTo(int(x), int(track.top()) - 3)
        mark.lineTo(int(x), int(track.bottom()) + 3)
        painter.strokePath(mark, mark_pen())
        painter.end()
