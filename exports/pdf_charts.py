"""Charts of the PDF summaries, drawn with reportlab.graphics in the shipped font."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from reportlab.graphics.charts.barcharts import HorizontalBarChart
from reportlab.graphics.shapes import Drawing, Line, String
from reportlab.lib import colors
from reportlab.pdfbase.pdfmetrics import stringWidth

from exports.pdf_fonts import register_fonts

ROW_HEIGHT = 12.5
LABEL_SIZE = 7
AXIS_SPACE = 16
TITLE_SPACE = 14
GOOD = colors.HexColor("#2e7d32")
MIDDLE = colors.HexColor("#f0a800")
WEAK = colors.HexColor("#c62828")
TARGET_LINE = colors.HexColor("#1a237e")


@dataclass(frozen=True)
class Bar:
    label: str
    value: float | None  # None: no data, drawn empty with `missing` as its label
    color: colors.Color = GOOD


def fit_text(text: str, width: float, font: str, size: float) -> str:
    """`text`, shortened with an ellipsis so it fits `width` points."""
    if stringWidth(text, font, size) <= width:
        return text
    while text and stringWidth(text + "…", font, size) > width:
        text = text[:-1]
    return text.rstrip() + "…"


def progress_color(percent: float | None) -> colors.Color:
    if percent is None:
        return colors.lightgrey
    if percent >= 75:
        return GOOD
    return MIDDLE if percent >= 40 else WEAK


def bar_chart(bars: Sequence[Bar], width: float, title: str, *,
              value_text: Callable[[float | None], str], target: float | None = None, value_max: float = 100.0) -> Drawing:
    """Horizontal bars, first bar on top, value at the end of each bar, an optional target line."""
    font, bold = register_fonts()
    label_width = min(width * 0.45, max(stringWidth(b.label, font, LABEL_SIZE) for b in bars) + 4)
    plot_height = ROW_HEIGHT * len(bars)
    drawing = Drawing(width, plot_height + AXIS_SPACE + TITLE_SPACE)
    chart = _chart(list(reversed(bars)), label_width, width, plot_height, font, value_max,
                   value_text)
    drawing.add(chart)
    if target is not None:
        x = chart.x + chart.width * target / value_max
        drawing.add(Line(x, chart.y - 2, x, chart.y + plot_height + 2, strokeColor=TARGET_LINE,
                         strokeWidth=1, strokeDashArray=[3, 2]))
    drawing.add(String(0, plot_height + AXIS_SPACE + 3, title, fontName=bold, fontSize=8))
    return drawing


def _chart(bars: list[Bar], label_width: float, width: float, plot_height: float, font: str,
           value_max: float, value_text: Callable[[float | None], str]) -> HorizontalBarChart:
    chart = HorizontalBarChart()
    chart.x, chart.y = label_width + 6, AXIS_SPACE
    chart.width, chart.height = width - chart.x - 28, plot_height
    chart.data = [[b.value or 0.0 for b in bars]]
    chart.barLabelFormat = "values"
    chart.barLabelArray = [[value_text(b.value) for b in bars]]
    chart.barLabels.fontName, chart.barLabels.fontSize = font, 6.5
    chart.barLabels.boxAnchor, chart.barLabels.dx = "w", 3
    chart.bars.strokeColor = None
    for index, bar in enumerate(bars):
        chart.bars[(0, index)].fillColor = bar.color
    chart.valueAxis.valueMin, chart.valueAxis.valueMax = 0, value_max
    chart.valueAxis.valueStep = value_max / 5
    chart.valueAxis.labels.fontName, chart.valueAxis.labels.fontSize = font, LABEL_SIZE
    chart.valueAxis.visibleGrid = True
    chart.valueAxis.gridStrokeColor = colors.HexColor("#dddddd")
    axis = chart.categoryAxis
    axis.categoryNames = [fit_text(b.label, label_width, font, LABEL_SIZE) for b in bars]
    axis.labels.fontName, axis.labels.fontSize = font, LABEL_SIZE
    axis.labels.boxAnchor, axis.labels.dx = "e", -3
    axis.visibleTicks = False
    return chart
