"""The center page's "women over time" tab: per gender body a small line chart of the national
share of women over the last eight periods, the 30 % target dashed, all on one scale so their
slopes compare (data: db.comparisons; the national PDF draws the same)."""

from __future__ import annotations

import math

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QWidget

from db import rules
from db.comparisons import ShareSeries, women_share_history
from db.names import period_name
from desktop.context import AppContext

PER_ROW = 5
PANEL_HEIGHT = 150  # at most: smaller when the tab is short
GAP = 10
GOOD, WEAK, TARGET = QColor("#2e7d32"), QColor("#c62828"), QColor("#1a237e")


def fmt_share(value: float, lang: str) -> str:
    text = f"{value:.1f}".removesuffix(".0")
    return (text if lang == "en" else text.replace(".", ",")) + " %"


class ShareLines(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.periods: list[str] = []
        self.series: list[ShareSeries] = []
        self.scale = (0.0, 60.0)

    def refresh(self) -> None:
        self.periods, self.series = women_share_history(
            self.ctx.conn, self.ctx.selection.period, self.ctx.language)
        known = [v for s in self.series for v in s.shares if v is not None]
        target = rules.GENDER_TARGET_PERCENT
        self.scale = (math.floor(min([*known, target]) - 3), math.ceil(max([*known, target]) + 3))
        span = self.ctx.tr("comparisons.span", first=period_name(self.periods[0],
                                                                  self.ctx.language),
                           last=period_name(self.periods[-1], self.ctx.language))
        self.setToolTip(self.ctx.tr("comparisons.women_note", span=span,
                                    target=f"{target:g}"))
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt's name
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        width = (self.width() - GAP * (PER_ROW + 1)) / PER_ROW
        rows = max(1, math.ceil(len(self.series) / PER_ROW))
        height = min(PANEL_HEIGHT, (self.height() - GAP * (rows + 1)) / rows)  # all in view
        for n, item in enumerate(self.series):
            x = GAP + (n % PER_ROW) * (width + GAP)
            y = GAP + (n // PER_ROW) * (height + GAP)
            self._panel(painter, QRectF(x, y, width, height), item)
        painter.end()

    def _panel(self, painter: QPainter, box: QRectF, item: ShareSeries) -> None:
        painter.setPen(QPen(QColor("#cfd3da")))
        painter.drawRect(box)
        painter.setPen(QPen(QColor("#1f2933")))
        title = painter.fontMetrics().elidedText(item.name, Qt.TextElideMode.ElideRight,
                                                 int(box.width() - 8))
        painter.drawText(QPointF(box.x() + 4, box.y() + 16), title)
        plot = QRectF(box.x() + 8, box.y() + 26, box.width() - 16, box.height() - 52)
        low, high = self.scale

        def at(index: int, share: float) -> QPointF:
            step = plot.width() / max(1, len(self.periods) - 1)
            return QPointF(plot.x() + index * step,
                           plot.bottom() - plot.height() * (share - low) / max(1.0, high - low))

        target = at(0, rules.GENDER_TARGET_PERCENT).y()
        painter.setPen(QPen(TARGET, 1, Qt.PenStyle.DashLine))
        painter.drawLine(QPointF(plot.left(), target), QPointF(plot.right(), target))
        points = [at(i, s) for i, s in enumerate(item.shares) if s is not None]
        painter.setPen(QPen(QColor("#1f2933"), 1.6))
        for a, b in zip(points, points[1:], strict=False):
            painter.drawLine(a, b)
        known = [s for s in item.shares if s is not None]
        if known:
            painter.setPen(QPen(QColor("#666666")))
            painter.drawText(QPointF(box.x() + 4, box.bottom() - 6), fmt_share(known[0], self.ctx.language))
            painter.setPen(QPen(GOOD if known[-1] >= rules.GENDER_TARGET_PERCENT else WEAK))
            text = fmt_share(known[-1], self.ctx.language)
            painter.drawText(QPointF(box.right() - 4 - painter.fontMetrics().horizontalAdvance(
                text), box.bottom() - 6), text)
