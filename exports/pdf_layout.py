"""Shared layout of the PDF summaries: page, styles, header, footer with "page x of y" and the
data fingerprint, key-figure boxes, tables, the signature block, and the safe write.

Every word comes from resources/i18n (report.toml, core.toml); no text for people lives here."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from reportlab import rl_config
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    CondPageBreak,
    Flowable,
    Frame,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from db import rules
from db.errors import PlanMonitorError
from db.names import period_name
from exports.pdf_fonts import register_fonts
from exports.pdf_keep import Heading, keep_headings
from resources import formatting
from resources.files import atomic_write
from resources.text import clean_text
from resources.words import tr

# Binary (Flate) streams instead of ASCII85 text around them: smaller files, and the embedded
# font subsets are not re-encoded in pure Python on every report.
rl_config.useA85 = 0

PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN = 15 * mm
CONTENT_WIDTH = PAGE_WIDTH - 2 * MARGIN
FINGERPRINT_CHARS = 12
HEADING_ROOM = 90  # points a heading needs below it, else it starts a new page
HEADER_FILL = colors.HexColor("#e8eaf6")
SECTION_FILL = colors.HexColor("#f1f3f9")
OVERDUE_FILL = colors.HexColor("#fdecea")
GRID = colors.HexColor("#b0b4c0")
MUTED = "#666666"
STATUS_COLORS = {"completed": "#2e7d32", "in_progress": "#f0a800", "not_started": "#9e9e9e",
                 "not_applicable": "#607d8b", rules.NO_ANSWER_KEY: "#c9ced6"}
OVERDUE_COLOR = "#c62828"
DEMO_COLOR = "#b00020"
DUE_SOON_COLOR = "#e65100"

Progress = Callable[[int, int], bool] | None


# --- Words and numbers ---------------------------------------------------------------------------

def esc(text: object) -> str:
    """Text made safe for a reportlab Paragraph (which reads a little XML)."""
    return escape(clean_text(str(text))).replace("\n", "<br/>")


def fmt_date(value: str | date | datetime | None, lang: str) -> str:
    return formatting.date(value, lang, empty=tr("report.none", lang))


def period_label(code: str, lang: str) -> str:
    """The period named as a document names it (db.names, its long form)."""
    return period_name(code, lang, "long")


def fmt_number(value: float | None, lang: str, decimals: int = 1) -> str:
    """resources.formatting's number, with the report's word for no value."""
    return formatting.number(value, lang, decimals, empty=tr("report.none", lang))


def fmt_percent(value: float | None, lang: str) -> str:
    if value is None:
        return tr("report.none", lang)
    return tr("report.figures.percent", lang,
              value=formatting.percent_number(value, lang))


def fingerprint(payload: Any) -> str:
    """A short SHA-256 of the data a document was made from (language-independent JSON)."""
    text = json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":"),
                      default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:FINGERPRINT_CHARS]


# --- Styles --------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Styles:
    title: ParagraphStyle
    subtitle: ParagraphStyle
    h2: ParagraphStyle
    body: ParagraphStyle
    small: ParagraphStyle
    cell: ParagraphStyle
    cell_bold: ParagraphStyle
    cell_right: ParagraphStyle
    figure_number: ParagraphStyle
    figure_label: ParagraphStyle


@cache
def styles() -> Styles:
    font, bold = register_fonts()

    def style(name: str, size: float, face: str = font, **kw: Any) -> ParagraphStyle:
        return ParagraphStyle(name, fontName=face, fontSize=size, leading=size * 1.22, **kw)

    return Styles(
        title=style("title", 13.5, bold, spaceAfter=3),
        subtitle=style("subtitle", 10, bold, textColor=colors.HexColor("#303f9f"), spaceAfter=4),
        h2=style("h2", 11, bold, spaceBefore=8, spaceAfter=4),
        body=style("body", 8.5),
        small=style("small", 7, textColor=colors.HexColor(MUTED)),
        cell=style("cell", 7),
        cell_bold=style("cell_bold", 7, bold),
        cell_right=style("cell_right", 7, alignment=2),
        figure_number=style("figure_number", 15, bold, alignment=1),
        figure_label=style("figure_label", 6.5, alignment=1, textColor=colors.HexColor("#333333")),
    )


def para(text: str, style: ParagraphStyle | None = None) -> Paragraph:
    """A paragraph of already-escaped markup."""
    return Paragraph(text, style or styles().body)


def heading(text: str) -> list[Flowable]:
    """A section heading that never sits alone at the foot of a page."""
    return [CondPageBreak(HEADING_ROOM), Heading(esc(text), styles().h2)]


def status_markup(status: str, lang: str) -> str:
    colour = STATUS_COLORS[rules.status_key(status)]
    return f'<font color="{colour}">●</font> {esc(rules.status_label(status, lang))}'


# --- Blocks --------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Figure:
    label: str
    value: str
    color: str = "#1a237e"


def title_block(kind: str, place: str, period: str, as_of: str, printed: str) -> list[Flowable]:
    """Title, the report kind, the place (region or country), the period and both dates."""
    s = styles()
    lang_lines = [para(esc(kind), s.subtitle), para(esc(place), s.title)]
    dates = Table([[para(esc(period), s.body), para(esc(as_of), s.body),
                    para(esc(printed), s.body)]],
                  colWidths=[CONTENT_WIDTH * 0.37, CONTENT_WIDTH * 0.34, CONTENT_WIDTH * 0.29])
    dates.setStyle(TableStyle([("LEFTPADDING", (0, 0), (-1, -1), 0),
                               ("VALIGN", (0, 0), (-1, -1), "TOP"),
                               ("LINEBELOW", (0, 0), (-1, -1), 0.8, colors.HexColor("#303f9f"))]))
    return [*lang_lines, dates, Spacer(1, 6)]


def figure_size(text: str, width: float) -> float:
    """The big number's font size, smaller when the text would not fit its box on one line."""
    _, bold = register_fonts()
    size = styles().figure_number.fontSize
    return round(min(size, size * (width - 8) / stringWidth(text, bold, size)), 1)


def figures_table(figures: Sequence[Figure]) -> Table:
    s = styles()
    width = CONTENT_WIDTH / len(figures)
    numbers = [para(f'<font color="{f.color}" size="{figure_size(f.value, width)}">'
                    f'{esc(f.value)}</font>', s.figure_number) for f in figures]
    labels = [para(esc(f.label), s.figure_label) for f in figures]
    table = Table([numbers, labels], colWidths=[width] * len(figures))
    table.setStyle(TableStyle([
        ("BOX", (0, 0), (-1, -1), 0.6, GRID), ("LINEAFTER", (0, 0), (-2, -1), 0.4, GRID),
        ("BACKGROUND", (0, 0), (-1, -1), colors.HexColor("#fafbff")),
        ("VALIGN", (0, 0), (-1, -1), "TOP"), ("TOPPADDING", (0, 0), (-1, 0), 5),
        ("LEFTPADDING", (0, 0), (-1, -1), 2), ("RIGHTPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 1), (-1, 1), 5)]))
    return table


def data_table(header: Sequence[str], rows: list[list[Any]], widths: Sequence[float],
               extra: Sequence[tuple] = ()) -> Table:
    """A table with a repeated header row and a light grid. Cells are paragraphs, or plain
    strings (much cheaper to lay out) for short figures that never need wrapping."""
    s = styles()
    font, _ = register_fonts()
    head = [para(esc(h), s.cell_bold) for h in header]
    table = Table([head, *rows], colWidths=list(widths), repeatRows=1)
    table.setStyle(TableStyle([
        ("FONT", (0, 1), (-1, -1), font, s.cell.fontSize, s.cell.leading),
        ("GRID", (0, 0), (-1, -1), 0.35, GRID), ("BACKGROUND", (0, 0), (-1, 0), HEADER_FILL),
        ("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3), ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3), *extra]))
    return table


def signature_block(lang: str, prepared_by: str) -> Table:
    s = styles()
    line = "_" * 16
    cells = [para(f"<b>{esc(tr('report.sign.prepared_by', lang))}:</b> "
                  f"{esc(prepared_by) if prepared_by else line}", s.body),
             para(f"<b>{esc(tr('report.sign.date', lang))}:</b> {line}", s.body),
             para(f"<b>{esc(tr('report.sign.signature', lang))}:</b> {line}", s.body)]
    table = Table([cells], colWidths=[CONTENT_WIDTH * 0.44, CONTENT_WIDTH * 0.28,
                                      CONTENT_WIDTH * 0.28])
    table.setStyle(TableStyle([("TOPPADDING", (0, 0), (-1, -1), 16),
                               ("LEFTPADDING", (0, 0), (-1, -1), 0)]))
    return table


class KeepWithTail(Flowable):
    """`body` (the last table, which may run over several pages) followed by `tail` (the
    signature block), laid out so that the tail always shares its page with the body's last
    rows. reportlab's KeepTogether moves a whole group to a new page, which does not help a group
    longer than a page: here, when the body's last piece fits a page but the tail does not, the
    body is split earlier so that some of its rows go on with the tail."""

    def __init__(self, body: Flowable, tail: Flowable) -> None:
        super().__init__()
        self.body, self.tail = body, tail
        self._tail_height = 0.0

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        body_width, body_height = self.body.wrap(avail_width, avail_height)
        tail_width, self._tail_height = self.tail.wrap(avail_width, avail_height)
        self.width, self.height = max(body_width, tail_width), body_height + self._tail_height
        return self.width, self.height

    def split(self, avail_width: float, avail_height: float) -> list[Flowable]:
        _, body_height = self.body.wrap(avail_width, avail_height)
        _, tail_height = self.tail.wrap(avail_width, avail_height)
        room = avail_height - tail_height if body_height <= avail_height else avail_height
        pieces = self.body.split(avail_width, room) if room > 0 else []
        if len(pieces) < 2:
            return []  # nothing fits here: the whole goes to the next page
        return [*pieces[:-1], KeepWithTail(pieces[-1], self.tail)]

    def drawOn(self, canvas: Canvas, x: float, y: float, _sW: float = 0) -> None:  # noqa: N802, N803
        self.body.drawOn(canvas, x, y + self._tail_height, _sW)
        self.tail.drawOn(canvas, x, y, _sW)


def with_signature(story: list[Flowable], signature: Flowable) -> list[Flowable]:
    """The story ending with the signature block kept with its last table (or chart)."""
    if not story:
        return [signature]
    return [*story[:-1], KeepWithTail(story[-1], signature)]


# --- Progress and cancel -------------------------------------------------------------------------

class Steps:
    """Reports progress as (done, total); a callback returning False cancels the report."""

    def __init__(self, progress: Progress, total: int) -> None:
        self.progress, self.total, self.done = progress, total, 0

    def step(self) -> None:
        self.done = min(self.done + 1, self.total)
        if self.progress is not None and self.progress(self.done, self.total) is False:
            raise PlanMonitorError("report.error.cancelled")


# --- Writing -------------------------------------------------------------------------------------

@dataclass(frozen=True)
class PageFrame:
    """What every page carries: a running header line and the footer words."""

    running_header: str
    fingerprint: str
    lang: str
    demo_mark: str = ""  # "ДЕМО / DEMO" on every page of a summary made from demo data


def _numbered_canvas(frame: PageFrame) -> type[Canvas]:
    class NumberedCanvas(Canvas):
        """Holds pages back until the end, so each footer can say "page x of y"."""

        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._held: list[dict] = []

        def showPage(self) -> None:  # noqa: N802 - reportlab's name
            self._held.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            for state in self._held:
                self.__dict__.update(state)
                _draw_frame(self, frame, self._pageNumber, len(self._held))
                super().showPage()
            super().save()

    return NumberedCanvas


def _draw_frame(canvas: Canvas, frame: PageFrame, page: int, pages: int) -> None:
    font, _ = register_fonts()
    canvas.saveState()
    canvas.setFont(font, 7)
    canvas.setFillColor(colors.HexColor(MUTED))
    if page > 1:
        canvas.drawString(MARGIN, PAGE_HEIGHT - MARGIN + 12, frame.running_header)
    y = MARGIN - 14
    canvas.setStrokeColor(GRID)
    canvas.line(MARGIN, y + 9, PAGE_WIDTH - MARGIN, y + 9)
    canvas.drawString(MARGIN, y, tr("report.footer.fingerprint", frame.lang,
                                    hash=frame.fingerprint))
    canvas.drawRightString(PAGE_WIDTH - MARGIN, y, tr("report.footer.page", frame.lang,
                                                      page=page, pages=pages))
    canvas.restoreState()
    if frame.demo_mark:
        _draw_demo_mark(canvas, frame.demo_mark)


def _draw_demo_mark(canvas: Canvas, mark: str) -> None:
    """The demo mark at the top of the page, and faintly across it."""
    _, bold = register_fonts()
    canvas.saveState()
    canvas.setFillColor(colors.HexColor(DEMO_COLOR))
    canvas.setFont(bold, 10)
    canvas.drawCentredString(PAGE_WIDTH / 2, PAGE_HEIGHT - MARGIN + 11, mark)
    canvas.setFillAlpha(0.07)
    canvas.setFont(bold, 64)
    canvas.translate(PAGE_WIDTH / 2, PAGE_HEIGHT / 2)
    canvas.rotate(45)
    canvas.drawCentredString(0, 0, mark)
    canvas.restoreState()


def write_pdf(path: Path, story: list[Flowable], frame: PageFrame, title: str) -> Path:
    """Lay the story out on A4 and write it; a half-written file never replaces `path`."""
    path = Path(path)
    try:
        with atomic_write(path) as partial:
            doc = BaseDocTemplate(str(partial), pagesize=A4, leftMargin=MARGIN,
                                  rightMargin=MARGIN, topMargin=MARGIN,
                                  bottomMargin=MARGIN + 4, title=title,
                                  author=frame.running_header, creator="Plan Monitor",
                                  subject=frame.fingerprint, invariant=True)
            # No padding inside the frame: paragraphs, tables and charts all start at the
            # margin, so the title and the tables below it line up (tables are CONTENT_WIDTH).
            body = Frame(doc.leftMargin, doc.bottomMargin, doc.width, doc.height, id="body",
                         leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
            doc.addPageTemplates([PageTemplate(id="page", frames=[body])])
            doc.build(keep_headings(story, doc.height), canvasmaker=_numbered_canvas(frame))
    except OSError as exc:
        raise PlanMonitorError("report.error.cannot_write", file=str(path),
                               reason=exc.strerror or str(exc)) from exc
    return path
