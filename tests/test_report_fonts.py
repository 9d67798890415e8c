"""The shipped font draws every letter the catalog and the translations use."""

from __future__ import annotations

import tomllib
from collections.abc import Iterator
from pathlib import Path

import pytest
from reportlab.pdfbase import pdfmetrics

from exports.pdf_fonts import BOLD, FONT_FILES, REGULAR, missing_glyphs, register_fonts
from exports.pdf_report import TREND_ARROWS
from resources.paths import resource_path

KAZAKH_LETTERS = "ӘҒҚҢӨҰҮҺІәғқңөұүһі"


def strings(node: object) -> Iterator[str]:
    if isinstance(node, str):
        yield node
    elif isinstance(node, dict):
        for value in node.values():
            yield from strings(value)
    elif isinstance(node, list):
        for value in node:
            yield from strings(value)


def resource_text(folder: str) -> str:
    files = sorted(resource_path(folder).glob("*.toml"))
    assert files
    return "".join(s for f in files for s in strings(tomllib.loads(f.read_text("utf-8"))))


@pytest.mark.parametrize("folder", ["catalog", "i18n", "demo"])
@pytest.mark.parametrize("font", [REGULAR, BOLD])
def test_every_character_used_has_a_glyph(folder: str, font: str) -> None:
    text = resource_text(folder)
    assert missing_glyphs(text, font) == set()
    assert missing_glyphs(KAZAKH_LETTERS, font) == set()


def test_the_words_really_use_kazakh_letters() -> None:
    used = set(resource_text("catalog") + resource_text("i18n"))
    assert set(KAZAKH_LETTERS.lower()) <= used


def test_a_missing_glyph_is_noticed() -> None:
    assert missing_glyphs("Қ 中", REGULAR) == {"中"}


def test_the_layouts_own_symbols_have_glyphs() -> None:
    symbols = "●↑↓→…·—«»№" + "".join(TREND_ARROWS.values())
    for font in (REGULAR, BOLD):
        assert missing_glyphs(symbols, font) == set()
        assert 0x202F in pdfmetrics.getFont(font).face.charToGlyph  # thousands separator


def test_fonts_come_from_the_resources_with_their_licence() -> None:
    register_fonts()
    folder: Path = resource_path("fonts")
    for font in (REGULAR, BOLD):
        assert Path(pdfmetrics.getFont(font).face.filename).parent == folder
    for file_name in FONT_FILES.values():
        assert (folder / file_name).stat().st_size > 100_000
    assert "Bitstream Vera" in (folder / "DejaVu-LICENSE.txt").read_text("utf-8")
