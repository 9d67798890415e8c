"""Building blocks of the Word reports (exports.docx_report): an A4 document in the report's
language, real Heading 1/2 styles (Word's navigation pane and table of contents use them), a table
of contents field, tables with a repeated header row, bullets, and page numbers as PAGE/NUMPAGES
fields in the footer. python-docx is imported by the caller's first use of this module: only the
report command and the Reports page load it. No Qt."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date, datetime

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

from db.names import period_name
from resources.text import clean_text  # python-docx raises ValueError on a control char
from resources.words import tr

FONT = "Arial"  # has every Kazakh letter in Word; LibreOffice maps it to Liberation Sans
LANG_TAGS = {"ru": "ru-RU", "kk": "kk-KZ", "en": "en-GB"}
MARGIN_MM = 20
RED = RGBColor(0xC6, 0x28, 0x28)
GREY = RGBColor(0x66, 0x66, 0x66)
HEADER_FILL = "D9E2F3"


# --- Words and numbers (as in the PDF summaries) ---------------------------------------------------

def none_text(lang: str) -> str:
    return tr("report.none", lang)


def fmt_number(value: float | None, lang: str, decimals: int = 1) -> str:
    """1 234,5 in Russian and Kazakh, 1,234.5 in English; whole numbers without decimals."""
    if value is None:
        return none_text(lang)
    places = 0 if float(value).is_integer() else decimals
    text = f"{value:,.{places}f}"
    return text if lang == "en" else text.replace(",", "\u202f").replace(".", ",")


def fmt_percent(value: float | None, lang: str) -> str:
    if value is None:
        return none_text(lang)
    return tr("report.figures.percent", lang, value=fmt_number(value, lang))


def fmt_change(now: float | None, before: float | None, lang: str) -> str:
    if now is None or before is None:
        return none_text(lang)
    delta = round(now - before, 1)
    return ("+" if delta > 0 else "") + fmt_number(delta, lang)


def fmt_date(value: str | date | None, lang: str) -> str:
    if not value:
        return none_text(lang)
    day = value if isinstance(value, date) else datetime.fromisoformat(str(value))
    return day.strftime("%d.%m.%Y")


def period_label(code: str, lang: str) -> str:
    """The period named as a document names it (db.names, its long form)."""
    return period_name(code, lang, "long")


# --- The document -------------------------------------------------------------------------------

def new_document(lang: str, title: str):
    """An empty A4 portrait document whose styles speak `lang` (spelling, hyphenation)."""
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Mm(MARGIN_MM))
    for name in ("Normal", "Title", "Heading 1", "Heading 2", "List Bullet"):
        style = doc.styles[name]
        style.font.name = FONT
        fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
        for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
            fonts.set(qn(attr), FONT)
        _set_language(style.element.get_or_add_rPr(), lang)
    doc.styles["Normal"].font.size = Pt(10.5)
    doc.core_properties.title = title
    doc.core_properties.language = LANG_TAGS[lang]
    _update_fields_on_open(doc)
    return doc


def _set_language(rpr, lang: str) -> None:
    tag = rpr.find(qn("w:lang"))
    if tag is None:
        tag = OxmlElement("w:lang")
        rpr.append(tag)
    tag.set(qn("w:val"), LANG_TAGS[lang])


def _update_fields_on_open(doc) -> None:
    """Word fills the table of contents and page counts when the file is opened."""
    flag = OxmlElement("w:updateFields")
    flag.set(qn("w:val"), "true")
    doc.settings.element.append(flag)


def _field_char(paragraph, kind: str) -> None:
    mark = OxmlElement("w:fldChar")
    mark.set(qn("w:fldCharType"), kind)
    paragraph.add_run()._r.append(mark)


def _field_start(paragraph, instruction: str) -> None:
    _field_char(paragraph, "begin")
    code = OxmlElement("w:instrText")
    code.set(qn("xml:space"), "preserve")
    code.text = f" {instruction} "
    paragraph.add_run()._r.append(code)
    _field_char(paragraph, "separate")


def _field(paragraph, instruction: str, shown: str = "1") -> None:
    """A complex field (begin, instruction, separate, the text shown until updated, end)."""
    _field_start(paragraph, instruction)
    paragraph.add_run(shown)
    _field_char(paragraph, "end")


def page_footer(doc, lang: str, left: str) -> None:
    """`left` (e.g. the report's kind and period) and "Page x of y" with live fields."""
    paragraph = doc.sections[0].footer.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    run = paragraph.add_run(clean_text(f"{left}    "))
    run.font.size, run.font.color.rgb = Pt(8), GREY
    template = tr("report.footer.page", lang, page="{page}", pages="{pages}")
    for part in re.split(r"(\{page\}|\{pages\})", template):
        if part == "{page}":
            _field(paragraph, "PAGE")
        elif part == "{pages}":
            _field(paragraph, "NUMPAGES")
        elif part:
            paragraph.add_run(part)
    for item in paragraph.runs:
        item.font.size = Pt(8)


def table_of_contents(doc, title: str):
    """The contents' title and the paragraph their field goes before (see fill_contents)."""
    para(doc, title, bold=True, size=14)  # not a heading: the contents do not list themselves
    placeholder = doc.add_paragraph()
    doc.add_page_break()
    return placeholder


def fill_contents(doc, placeholder) -> None:
    """A TOC field over the Heading 1 and 2 paragraphs. Until a program refreshes it (Word does
    on opening: see _update_fields_on_open) it shows the headings as they stand, without page
    numbers, so a converter that does not update fields still prints readable contents."""
    entries = [(p.style.name == "Heading 2", p.text) for p in doc.paragraphs
               if p.style.name in ("Heading 1", "Heading 2")]
    first = True
    for nested, text in entries or [(False, "…")]:
        line = placeholder.insert_paragraph_before()
        line.paragraph_format.space_after = Pt(0)
        if nested:
            line.paragraph_format.left_indent = Mm(6)
        if first:
            _field_start(line, 'TOC \\o "1-2" \\h \\z \\u')
            first = False
        line.add_run(clean_text(text)).bold = not nested
    _field_char(placeholder, "end")


def heading(doc, text: str, level: int):
    return doc.add_heading(clean_text(text), level=level)


def para(doc, text: str = "", *, bold: bool = False, color: RGBColor | None = None,
         size: float | None = None, style: str | None = None):
    paragraph = doc.add_paragraph(style=style)
    if text:
        run = paragraph.add_run(clean_text(text))
        run.bold = bold
        if color is not None:
            run.font.color.rgb = color
        if size is not None:
            run.font.size = Pt(size)
    return paragraph


def labelled(doc, label: str, text: str, *, color: RGBColor | None = None):
    """"Label: text" with the label in bold."""
    paragraph = doc.add_paragraph()
    paragraph.add_run(clean_text(f"{label}: ")).bold = True
    run = paragraph.add_run(clean_text(text))
    if color is not None:
        run.font.color.rgb = color
    return paragraph


def bullet(doc, lead: str, text: str) -> None:
    paragraph = doc.add_paragraph(style="List Bullet")
    if lead:
        paragraph.add_run(clean_text(f"{lead}: ")).bold = True
    paragraph.add_run(clean_text(text))


CELL_PADDING_MM = 2 * 1.9 + 0.6  # Word's default left and right cell margins, and some air
TABLE_FONT_PT = 9.0
HEADER_FONT_PT = 8.0


def word_width_mm(word: str, size: float, *, bold: bool = False) -> float:
    """A word's width, measured in DejaVu Sans: wider than Arial, which Word uses, and the font
    LibreOffice falls back to where Arial is missing; a width that holds it holds it there."""
    from reportlab.lib.units import mm
    from reportlab.pdfbase import pdfmetrics

    from exports.pdf_fonts import register_fonts

    regular, heavy = register_fonts()
    return pdfmetrics.stringWidth(word, heavy if bold else regular, size) / mm


def longest_word_mm(texts: Sequence[str], size: float, *, bold: bool = False) -> float:
    """The widest stretch of `texts` a line cannot break: words, split after a hyphen or slash
    too («уголовно-» «исполнительной»), as Word and LibreOffice break them."""
    words = {w for text in texts for w in re.split(r"\s+|(?<=[-/])", text) if w}
    return max((word_width_mm(w, size, bold=bold) for w in words), default=0.0)


def column_widths(header: Sequence[str], rows: Sequence[Sequence[str]],
                  widths_mm: Sequence[float]) -> list[float]:
    """`widths_mm` changed so that no word breaks inside itself («Медиан/а», «Регион/ов»): a
    column narrower than the longest word of its header or cells takes the room it lacks from
    the columns with room to spare, the most first; the table's total width stays the same."""
    need = [max(longest_word_mm([text], HEADER_FONT_PT, bold=True),
                longest_word_mm([row[column] for row in rows], TABLE_FONT_PT)) + CELL_PADDING_MM
            for column, text in enumerate(header)]
    widths = [float(w) for w in widths_mm]
    for column, wanted in enumerate(need):
        while widths[column] < wanted - 0.01:
            spare = [(widths[j] - need[j], j) for j in range(len(widths))
                     if j != column and widths[j] - need[j] > 0.5]
            if not spare:
                break  # no room anywhere: the longest word breaks rather than the page
            room, donor = max(spare)
            give = min(room, wanted - widths[column])
            widths[donor] -= give
            widths[column] += give
    return widths


def table(doc, header: Sequence[str], rows: Sequence[Sequence[str]],
          widths_mm: Sequence[float], right: Sequence[int] = (), bold_last: bool = False):
    """A grid table, its header row shaded and repeated on every page it runs over; columns
    wide enough for every word of their header and cells (see column_widths)."""
    widths_mm = column_widths(header, rows, widths_mm)
    grid = doc.add_table(rows=1, cols=len(header))
    grid.style = "Table Grid"
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, text in zip(grid.rows[0].cells, header, strict=True):
        cell.text = ""
        cell.paragraphs[0].add_run(clean_text(text)).bold = True
        _shade(cell, HEADER_FILL)
    _repeat_header(grid.rows[0])
    for n, values in enumerate(rows):
        cells = grid.add_row().cells
        for index, (cell, text) in enumerate(zip(cells, values, strict=True)):
            run = cell.paragraphs[0].add_run(clean_text(str(text)))
            run.bold = bold_last and n == len(rows) - 1
            if index in right:
                cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
    grid.autofit = False  # the widths below, not Word's or LibreOffice's guess
    for column, width in zip(grid.columns, widths_mm, strict=True):
        column.width = Mm(width)
    for number, row in enumerate(grid.rows):
        for cell, width in zip(row.cells, widths_mm, strict=True):
            cell.width = Mm(width)
            for paragraph in cell.paragraphs:
                for run in paragraph.runs:
                    run.font.size = Pt(HEADER_FONT_PT if number == 0 else TABLE_FONT_PT)
    doc.add_paragraph()
    return grid


def _shade(cell, fill: str) -> None:
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), fill)
    cell._tc.get_or_add_tcPr().append(shading)


def _repeat_header(row) -> None:
    mark = OxmlElement("w:tblHeader")
    mark.set(qn("w:val"), "true")
    row._tr.get_or_add_trPr().append(mark)
