"""Text from the world made safe for every place it goes, in one place.

Control characters other than tab and newline (C0, DEL, C1), lone surrogates and Unicode
non-characters have no meaning in a note and break writers: python-docx raises ValueError on
them, a terminal obeys them (clear the screen, recolour a line), XML cannot hold most of them.
They are removed where text enters (the app's editors through the db write path, imported
cells, catalog files) and, independently, by every writer, so stored text that predates the
rule never stops a report. Excel writes such a character in a file as `_x0007_`; python-calamine
gives it back as the character itself, so the same rule covers it (a non-character it leaves
spelled `_xFFFE_`, harmless text). A carriage return is dropped too (`\r\n` becomes `\n`).
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator
from contextlib import contextmanager, redirect_stderr, redirect_stdout
from typing import Any, TextIO

_UNWANTED = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef\ufffe\uffff"
    + "".join(f"{chr(plane * 0x10000 + 0xFFFE)}{chr(plane * 0x10000 + 0xFFFF)}"
              for plane in range(1, 17))
    + "]")


def clean_text(text: str) -> str:
    """`text` without control characters (tab and newline kept), lone surrogates and
    non-characters; `\r\n` becomes `\n`."""
    if not isinstance(text, str):
        return text
    if text.isprintable():  # the usual case: nothing to remove, no regex run
        return text
    return _UNWANTED.sub("", text.replace("\r\n", "\n"))


def cleaned(text: str) -> tuple[str, bool]:
    """The cleaned text and whether anything was removed (for a warning at that place)."""
    result = clean_text(text)
    return result, result != text


class CleanWriter:
    """A text stream that passes on what it is given with the control characters removed (a
    file's text printed by the command line can neither clear the screen nor recolour it)."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream

    def write(self, text: str) -> int:
        self.stream.write(clean_text(str(text)))
        return len(text)

    def flush(self) -> None:
        self.stream.flush()

    def __getattr__(self, name: str) -> Any:
        return getattr(self.stream, name)


@contextmanager
def terminal_text() -> Iterator[None]:
    """Everything printed meanwhile (stdout and stderr) goes through CleanWriter."""
    with redirect_stdout(CleanWriter(sys.stdout)), redirect_stderr(CleanWriter(sys.stderr)):
        yield
