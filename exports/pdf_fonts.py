"""The fonts of the PDF summaries: DejaVu Sans shipped in resources/fonts (never the system's).

The 14 standard PDF fonts cannot draw Cyrillic, let alone Ә Ғ Қ Ң Ө Ұ Ү Һ І; DejaVu Sans covers
them all. `register_fonts()` registers the family once so `<b>` works in paragraphs."""

from __future__ import annotations

from functools import cache

from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from resources.paths import resource_path

REGULAR = "PlanMonitorSans"
BOLD = "PlanMonitorSans-Bold"
FONT_FILES = {REGULAR: "DejaVuSans.ttf", BOLD: "DejaVuSans-Bold.ttf"}


@cache
def register_fonts() -> tuple[str, str]:
    """Register the shipped family with reportlab (once) and return (regular, bold) names."""
    for name, file_name in FONT_FILES.items():
        pdfmetrics.registerFont(TTFont(name, str(resource_path("fonts", file_name))))
    pdfmetrics.registerFontFamily(REGULAR, normal=REGULAR, bold=BOLD, italic=REGULAR,
                                  boldItalic=BOLD)
    addMapping(REGULAR, 0, 0, REGULAR)
    addMapping(REGULAR, 1, 0, BOLD)
    return REGULAR, BOLD


def missing_glyphs(text: str, font_name: str = REGULAR) -> set[str]:
    """The characters of `text` that the registered font has no glyph for (whitespace aside)."""
    register_fonts()
    covered = pdfmetrics.getFont(font_name).face.charToGlyph
    return {ch for ch in set(text) if not ch.isspace() and ord(ch) not in covered}
