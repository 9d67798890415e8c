"""Charts of the PDF summaries, drawn with reportlab.graphics shapes in the shipped font.

A horizontal bar chart built from plain shapes (rectangles, lines, strings): simpler and quicker
than reportlab's chart widgets, which matters for a report built in one click."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from reportlab.graphics.shapes import Drawing, Line, Rect, String
from reportlab.lib import colors
from reportlab.pdfbase.pdfmetrics import stringWidth

from exports.pdf_fonts import register_fonts

ROW_HEIGHT = 12.5  # a row whose label takes one line
BAR_SHARE = 0.72  # of a one-line row's height
LABEL_SIZE = 7
LABEL_LEADING = 8.2
MAX_LABEL_LINES = 3
VALUE_SIZE = 6.5
AXIS_SPACE = 16
TITLE_SPACE = 14
VALUE_SPACE = 28  # right of the plot, for the value of a full bar
TICKS = 5
GOOD = colors.HexColor("#2e7d32")
MIDDLE = colors.HexColor("#f0a800")
WEAK = colors.HexColor("#c62828")
TARGET_LINE = colors.HexColor("#1a237e")
GRID_LINE = colors.HexColor("#dddddd")


@dataclass(frozen=True)
class Bar:
    label: str
    value: float | None  # None: no data, drawn as an empty row with value_text(None)
    color: colors.Color = GOOD


def fit_text(text: str, width: float, font: str, size: float) -> str:
    """`text`, shortened with an ellipsis so it fits `width` points."""
    if stringWidth(text, font, size) <= width:
        return text
    while text and stringWidth(text + "…", font, size) > width:
        text = text[:-1]
    return text.rstrip() + "…"


def wrap_text(text: str, width: float, font: str, size: float,
              max_lines: int = MAX_LABEL_LINES) -> list[str]:
    """`text` broken into lines of at most `width` points at spaces (a long name reads whole
    instead of being cut); only past `max_lines` is the last line shortened with an ellipsis."""
    lines: list[str] = []
    for word in text.split():
        candidate = f"{lines[-1]} {word}" if lines else word
        if lines and stringWidth(candidate, font, size) <= width:
            lines[-1] = candidate
        else:
            lines.append(word)
    if len(lines) > max_lines:
        lines = [*lines[:max_lines - 1], " ".join(lines[max_lines - 1:])]
    return [fit_text(line, width, font, size) for line in lines] or [""]


def row_height(lines: int) -> float:
    return max(ROW_HEIGHT, lines * LABEL_LEADING + 4)


def progress_color(percent: float | None) -> colors.Color:
    if percent is None:
        return colors.lightgrey
    if percent >= 75:
        return GOOD
    return MIDDLE if percent >= 40 else WEAK


@dataclass(frozen=True)
class _Plot:
    x: float
    y: float
    width: float
    height: float
    value_max: float

    def at(self, value: float) -> float:
        return self.x + self.width * min(max(value, 0.0), self.value_max) / self.value_max


def bar_chart(bars: Sequence[Bar], width: float, title: str, *,
              value_text: Callable[[float | None], str], target: float | None = None,
              value_max: float = 100.0) -> Drawing:
    """Horizontal bars, first bar on top, the value after each bar, an axis with 5 ticks and an
    optional dashed target line. Labels wider than their column wrap, and their row grows."""
    font, bold = register_fonts()
    label_width = min(width * 0.45, max(stringWidth(b.label, font, LABEL_SIZE) for b in bars) + 4)
    labels = [wrap_text(b.label, label_width, font, LABEL_SIZE) for b in bars]
    heights = [row_height(len(lines)) for lines in labels]
    plot = _Plot(label_width + 6, AXIS_SPACE, width - label_width - 6 - VALUE_SPACE,
                 sum(heights), value_max)
    drawing = Drawing(width, plot.height + AXIS_SPACE + TITLE_SPACE)
    _axis(drawing, plot, font, value_text)
    top = plot.y + plot.height
    for bar, lines, height in zip(bars, labels, heights, strict=True):
        top -= height
        _bar(drawing, plot, _Row(top, height, lines), bar, font, value_text)
    if target is not None:
        x = plot.at(target)
        drawing.add(Line(x, plot.y - 2, x, plot.y + plot.height + 2, strokeColor=TARGET_LINE,
                         strokeWidth=1, strokeDashArray=[3, 2]))
    drawing.add(String(0, plot.y + plot.height + 3, title, fontName=bold, fontSize=8))
    return drawing


@dataclass(frozen=True)
class _Row:
    y: float  # bottom
    height: float
    lines: list[str]


def _axis(drawing: Drawing, plot: _Plot, font: str,
          value_text: Callable[[float | None], str]) -> None:
    for tick in range(TICKS + 1):
        value = plot.value_max * tick / TICKS
        x = plot.at(value)
        drawing.add(Line(x, plot.y, x, plot.y + plot.height, strokeColor=GRID_LINE,
                         strokeWidth=0.5))
        drawing.add(String(x, plot.y - 9, value_text(value), fontName=font, fontSize=LABEL_SIZE,
                           textAnchor="middle"))
    drawing.add(Line(plot.x, plot.y, plot.x + plot.width, plot.y, strokeColor=colors.black,
                     strokeWidth=0.6))
    drawing.add(Line(plot.x, plot.y, plot.x, plot.y + plot.height, strokeColor=colors.black,
                     strokeWidth=0.6))


def _bar(drawing: Drawing, plot: _Plot, row: _Row, bar: Bar, font: str,
         value_text: Callable[[float | None], str]) -> None:
    middle = row.y + row.height / 2 - LABEL_SIZE * 0.35
    first = middle + (len(row.lines) - 1) * LABEL_LEADING / 2
    for index, line in enumerate(row.lines):
        drawing.add(String(plot.x - 4, first - index * LABEL_LEADING, line, fontName=font,
                           fontSize=LABEL_SIZE, textAnchor="end"))
    end = plot.x
    if bar.value is not None and bar.value > 0:
        end = plot.at(bar.value)
        bar_height = ROW_HEIGHT * BAR_SHARE
        drawing.add(Rect(plot.x, row.y + (row.height - bar_height) / 2, end - plot.x, bar_height,
                         fillColor=bar.color, strokeColor=None))
    drawing.add(String(end + 3, middle, value_text(bar.value), fontName=font,
                       fontSize=VALUE_SIZE))
