"""The dashboard's charts paint without PySide6's `Qt` namespace (whose first use costs a start
~15 ms, see desktop/widgets/qt_ints.py), and paint the same pixels as with QPainter's pens and
brushes; their elision is Qt's, character for character."""

from __future__ import annotations

import sqlite3

import pytest

pytest.importorskip("PySide6")

from PySide6.QtCore import QRect, QRectF, Qt  # noqa: E402
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter  # noqa: E402

from desktop.widgets import qt_ints  # noqa: E402
from desktop.widgets.bar_chart import (  # noqa: E402
    TRACK_COLOUR,
    Bar,
    BarChart,
    ShareGauge,
    elided,
)
from desktop.widgets.labels import status_colour  # noqa: E402

STATUSES = ("completed", "in_progress", "not_started", "not_applicable")


class QtPaintedChart(BarChart):
    """The chart as painted before, with setPen/setBrush/drawRoundedRect/drawRect/elidedText."""

    def paintEvent(self, _event) -> None:  # noqa: N802
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        metrics = self.fontMetrics()
        percent_width = metrics.horizontalAdvance("100 %") + 8
        for index, bar in enumerate(self.bars):
            top = index * self.row_height()
            text_rect = QRect(4, top + 2, self.width() - 8, metrics.height())
            label = metrics.elidedText(bar.label, Qt.TextElideMode.ElideRight, text_rect.width())
            painter.setPen(self.palette().color(self.palette().ColorRole.Text))
            painter.drawText(text_rect, int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
                             label)
            bar_top = top + metrics.height() + 6
            bar_height = max(8, int(metrics.height() * 0.7))
            track = QRectF(4, bar_top, self.width() - 8 - percent_width, bar_height)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(QColor(TRACK_COLOUR))
            painter.drawRoundedRect(track, track.height() / 2, track.height() / 2)
            total = sum(count for _status, count in bar.parts)
            if total:
                painter.save()
                painter.setClipRect(track)
                x = track.left()
                for status, count in bar.parts:
                    width = track.width() * count / total
                    painter.setBrush(status_colour(status))
                    painter.drawRect(QRectF(x, track.top(), width, track.height()))
                    x += width
                painter.restore()
            painter.setPen(self.palette().color(self.palette().ColorRole.Text))
            painter.drawText(QRect(int(track.right()) + 6, bar_top - 3, percent_width,
                                   bar_height + 6),
                             int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter),
                             f"{bar.percent:.0f} %")
        painter.end()


class QtPaintedGauge(ShareGauge):
    def paintEvent(self, _event) -> None:  # noqa: N802
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
            painter.setBrush(status_colour("completed" if met else "in_progress"))
            painter.drawRoundedRect(fill, height / 2, height / 2)
        x = track.left() + track.width() * self.target / 100
        painter.setPen(QColor("#333333"))
        painter.drawLine(int(x), int(track.top()) - 3, int(x), int(track.bottom()) + 3)
        painter.end()


def catalog_texts(conn: sqlite3.Connection) -> list[str]:
    texts = []
    for lang in ("ru", "kk", "en"):
        texts += [f"{no}. {name}" for no, name in conn.execute(
            f"SELECT no, name_{lang} FROM section ORDER BY no")]
        texts += [name for (name,) in conn.execute(f"SELECT name_{lang} FROM action")]
    return texts


def test_the_int_values_are_qt_s() -> None:
    for name, member in qt_ints.STANDS_FOR.items():
        enum_name, value_name = member.split(".")
        assert getattr(qt_ints, name) == getattr(getattr(Qt, enum_name), value_name).value, name


def test_elision_is_qt_s(qapp, region_db: sqlite3.Connection) -> None:
    texts = catalog_texts(region_db) + ["", "a", "ab", "W" * 60, "«Кавычки» — тире № 5…",
                                        "tab\tinside", "emoji 👩‍👩‍👧 family", "שלום עולם"]
    for font in (QFont(), QFont("DejaVu Serif", 13), QFont("DejaVu Sans", 8)):
        metrics = QFontMetrics(font)
        for text in texts:
            for width in range(0, 640, 7):
                assert elided(metrics, text, width) == metrics.elidedText(
                    text, Qt.TextElideMode.ElideRight, width), (text, width)


@pytest.mark.parametrize("width", [240, 467, 613, 900])
def test_the_charts_paint_the_pixels_of_qt_s_pens_and_brushes(
        qtbot, region_db: sqlite3.Connection, width: int) -> None:
    bars = [Bar(key=i, label=text, percent=100.0 * (i % 7) / 6,
                parts=[(s, (i * (n + 3)) % 5) for n, s in enumerate(STATUSES)])
            for i, text in enumerate(catalog_texts(region_db)[:24])]
    bars.append(Bar(key="empty", label="—", percent=0.0, parts=[(s, 0) for s in STATUSES]))
    for new, old in ((BarChart(), QtPaintedChart()), (ShareGauge(), QtPaintedGauge())):
        for widget in (new, old):
            qtbot.addWidget(widget)
            if isinstance(widget, BarChart):
                widget.set_bars(bars)
            widget.resize(width, widget.sizeHint().height())
        shares = [None, 0.0, 12.5, 30.0, 47.3, 100.0, 130.0] if isinstance(new, ShareGauge) else [0]
        for share in shares:
            if isinstance(new, ShareGauge):
                new.set_share(share, 30.0)
                old.set_share(share, 30.0)
            assert new.grab().toImage() == old.grab().toImage(), (type(new).__name__, share)
