"""Comparisons page of the national PDF: per action a small region x period heat map of status
over the last eight periods, and per gender body a small line chart of the national share of
women over the same periods, against the 30 % target (data: db.comparisons). Small multiples
drawn with reportlab.graphics shapes, one page each. No Qt."""

from __future__ import annotations

import math
import sqlite3

from reportlab.graphics.shapes import Circle, Drawing, Line, PolyLine, Rect, String
from reportlab.lib import colors
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, PageBreak, Spacer

from db import rules
from db.comparisons import HEAT_COLOURS, HEAT_ORDER, status_history, women_share_history
from exports.pdf_charts import TARGET_LINE, fit_text
from exports.pdf_fonts import register_fonts
from exports.pdf_layout import CONTENT_WIDTH, esc, fmt_number, heading, para, period_label, styles
from resources.words import tr

PANELS_PER_ROW = 6
LABEL_WIDTH = 80
GAP = 6
CELL_HEIGHT = 6.0
TITLE_HEIGHT = 10
LINE_PANELS_PER_ROW = 5
LINE_PANEL_HEIGHT = 84
EDGE = colors.HexColor("#cfd3da")


def comparisons_block(conn: sqlite3.Connection, period: str, lang: str) -> list[Flowable]:
    history = status_history(conn, period, lang)
    periods, series = women_share_history(conn, period, lang)
    span = tr("comparisons.span", lang, first=period_label(periods[0], lang),
              last=period_label(periods[-1], lang))
    return [PageBreak(), *heading(tr("comparisons.heatmap_title", lang)),
            para(esc(tr("comparisons.heatmap_note", lang, span=span)), styles().small),
            Spacer(1, 4), heatmap_drawing(history, lang), legend(lang),
            PageBreak(), *heading(tr("comparisons.women_title", lang)),
            para(esc(tr("comparisons.women_note", lang, span=span,
                        target=fmt_number(rules.GENDER_TARGET_PERCENT, lang))), styles().small),
            Spacer(1, 4), share_lines(series, periods, lang)]


def heatmap_drawing(history, lang: str) -> Drawing:
    font, bold = register_fonts()
    panel = (CONTENT_WIDTH - LABEL_WIDTH - GAP * (PANELS_PER_ROW - 1)) / PANELS_PER_ROW
    cell = panel / max(1, len(history.periods))
    block = TITLE_HEIGHT + CELL_HEIGHT * len(history.regions) + GAP
    rows = math.ceil(len(history.actions) / PANELS_PER_ROW)
    drawing = Drawing(CONTENT_WIDTH, rows * block)
    for r in range(rows):
        top = drawing.height - r * block - TITLE_HEIGHT
        for j, region in enumerate(history.regions):
            y = top - (j + 1) * CELL_HEIGHT
            drawing.add(String(0, y + 1.2, fit_text(region.name, LABEL_WIDTH - 3, font, 5),
                               fontName=font, fontSize=5))
        for i, (no, name) in enumerate(history.actions[r * PANELS_PER_ROW:(r + 1) * PANELS_PER_ROW]):
            x = LABEL_WIDTH + i * (panel + GAP)
            drawing.add(String(x, top + 2.5, fit_text(f"{no}. {name}", panel, bold, 5.5),
                               fontName=bold, fontSize=5.5))
            for j, region in enumerate(history.regions):
                y = top - (j + 1) * CELL_HEIGHT
                for k, code in enumerate(history.periods):
                    status = history.status(no, region.code, code)
                    drawing.add(Rect(x + k * cell, y, cell - 0.5, CELL_HEIGHT - 0.5,
                                     fillColor=colors.HexColor(HEAT_COLOURS[status]),
                                     strokeColor=EDGE if status is None else None,
                                     strokeWidth=0.3))
    return drawing


def legend(lang: str) -> Drawing:
    font, _ = register_fonts()
    drawing = Drawing(CONTENT_WIDTH, 14)
    x = LABEL_WIDTH
    for status in HEAT_ORDER:
        drawing.add(Rect(x, 3, 8, 7, fillColor=colors.HexColor(HEAT_COLOURS[status]),
                         strokeColor=EDGE, strokeWidth=0.3))
        text = (rules.status_label(status, lang) if status is not None
                else tr("comparisons.not_reported", lang))
        drawing.add(String(x + 11, 4, text, fontName=font, fontSize=7))
        x += 22 + stringWidth(text, font, 7)
    return drawing


def share_lines(series, periods: list[str], lang: str) -> Drawing:
    """One small chart per body: the share over the periods, the target as a dashed line; every
    chart on the same scale (around the values and the target), so their slopes compare."""
    known = [v for item in series for v in item.shares if v is not None]
    scale = (math.floor(min([*known, rules.GENDER_TARGET_PERCENT]) - 3),
             math.ceil(max([*known, rules.GENDER_TARGET_PERCENT]) + 3))
    width = (CONTENT_WIDTH - GAP * (LINE_PANELS_PER_ROW - 1)) / LINE_PANELS_PER_ROW
    rows = math.ceil(len(series) / LINE_PANELS_PER_ROW)
    drawing = Drawing(CONTENT_WIDTH, rows * (LINE_PANEL_HEIGHT + GAP))
    for n, item in enumerate(series):
        x = (n % LINE_PANELS_PER_ROW) * (width + GAP)
        y = drawing.height - (n // LINE_PANELS_PER_ROW + 1) * (LINE_PANEL_HEIGHT + GAP)
        _line_panel(drawing, (x, y, width), item, len(periods), scale, lang)
    return drawing


def _line_panel(drawing: Drawing, box: tuple[float, float, float], item, count: int,
                scale: tuple[float, float], lang: str) -> None:
    font, bold = register_fonts()
    x, y, width = box
    low, high = scale
    plot_x, plot_y, plot_w, plot_h = x + 4, y + 10, width - 8, LINE_PANEL_HEIGHT - 30
    drawing.add(Rect(x, y, width, LINE_PANEL_HEIGHT, fillColor=None, strokeColor=EDGE,
                     strokeWidth=0.4))
    drawing.add(String(x + 3, y + LINE_PANEL_HEIGHT - 9, fit_text(item.name, width - 6, bold, 6),
                       fontName=bold, fontSize=6))

    def at(index: int, share: float) -> tuple[float, float]:
        step = plot_w / max(1, count - 1)
        return plot_x + index * step, plot_y + plot_h * (share - low) / max(1.0, high - low)

    target_y = at(0, rules.GENDER_TARGET_PERCENT)[1]
    drawing.add(Line(plot_x, target_y, plot_x + plot_w, target_y, strokeColor=TARGET_LINE,
                     strokeWidth=0.5, strokeDashArray=[2, 2]))
    points = [at(i, s) for i, s in enumerate(item.shares) if s is not None]
    if len(points) > 1:
        drawing.add(PolyLine([c for p in points for c in p], strokeColor=colors.black,
                             strokeWidth=0.9))
    for px, py in points:
        drawing.add(Circle(px, py, 1.1, fillColor=colors.black, strokeColor=None))
    known = [s for s in item.shares if s is not None]
    if known:
        last = fmt_number(known[-1], lang)
        colour = colors.HexColor("#2e7d32") if known[-1] >= rules.GENDER_TARGET_PERCENT \
            else colors.HexColor("#c62828")
        drawing.add(String(x + width - 3, y + 2, f"{last} %", fontName=bold, fontSize=6.5,
                           fillColor=colour, textAnchor="end"))
        drawing.add(String(x + 3, y + 2, f"{fmt_number(known[0], lang)} %", fontName=font,
                           fontSize=6, fillColor=colors.HexColor("#666666")))
