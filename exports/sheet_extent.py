"""How much memory a sheet will take once parsed, judged from its XML while it streams past.

python-calamine allocates a sheet as one rectangle from A1 to its farthest cell, and copies a
shared string into every cell that names it: a 5 KB file with cells at A1 and XFD1048576 asks for
half a terabyte and aborts the process. So the farthest cell of every sheet (and the text its
shared-string cells will hold) is counted from the XML `xlsx_safety.scan_parts` reads anyway,
before any parser sees the sheet, and a sheet too big for the limits is refused, or its few
stray cells named, instead of parsed.

Cheap on the usual file: only references with two or more column letters (column AA on) or six
or more row digits (row 100000 on) are looked at one by one, and a file whose cells all lie
before them is small by construction. Only when that bound is too loose (wide foreign sheets) is
the sheet read through again, every reference counted.
"""

from __future__ import annotations

import re
import zipfile
from array import array
from dataclasses import dataclass, field

MAX_COLUMNS = 200  # a cell beyond column GR lies outside any form
MAX_ROWS = 200_000  # ... and a cell below row 200000 (a national return has about 100000)
MAX_SHEET_CELLS = 3_000_000  # rows x columns from A1 to the farthest cell, per sheet
MAX_BOOK_CELLS = 4_000_000  # the same, all sheets of a file together
MAX_SHARED_TEXT = 160 * 1024 * 1024  # bytes of shared strings copied into cells, per file
MAX_STRAYS = 20  # this many cells outside the form are named; more, and the file is refused
NEAR_COLUMNS = 26  # the column a reference not looked at one by one can reach
TAIL = 64  # bytes of a chunk looked at again with the next (a reference cut in two)

# Each pattern starts with its literal `r="`, so the regex engine jumps from one to the next (a
# leading `\b` or `\s*` would make it try every byte). A reference spelt otherwise (`r='..'`,
# `r = ".."`) is not in the count of `r="`, so the sheet falls to the bound of unnamed cells.
_FAR_REF = re.compile(rb'r="([A-Za-z]{2,}|[A-Za-z]?(?=\d{6}))(\d+)"')
_ANY_REF = re.compile(rb'r=["\']([A-Za-z]*)(\d+)["\']')
_DIMENSION = re.compile(rb'<(?:\w+:)?dimension\s+ref="([^"]{0,40})"')
_SHARED_CELL = re.compile(rb'\bt="s"[^>]{0,200}>\s*<(?:\w+:)?v>(\d{1,9})<')
_NEAR = {k: re.compile(rb'r=["\']?[A-Za-z]?\d{%d}["\']' % k) for k in range(1, 6)}
_SI_END = re.compile(rb"</(?:\w+:)?si>")


def column_number(letters: bytes | str) -> int:
    """`A` -> 1, `AA` -> 27 (a reference's letters as 1-based column)."""
    number = 0
    for char in letters.upper() if isinstance(letters, str) else letters.decode().upper():
        number = number * 26 + ord(char) - 64
    return number


def cell_name(row: int, column: int) -> str:
    letters = ""
    while column:
        column, rest = divmod(column - 1, 26)
        letters = chr(65 + rest) + letters
    return f"{letters}{row}"


@dataclass
class SheetExtent:
    """What one worksheet part holds, as counted: the farthest row and column inside the form,
    the cells outside it (by name), the cells that name a shared string, the declared
    `<dimension>` (as written, for the log) and whether the far bound is exact."""

    part: str
    rows: int = 0
    columns: int = 0
    near: int = 0  # digits of the longest row number before row 100000 (not counted one by one)
    outside: dict[str, None] = field(default_factory=dict)
    outside_count: int = 0
    shared_cells: int = 0
    declared: str = ""
    exact: bool = False
    cell_tags: int = 0  # cell and row elements, and `r=` attributes, counted roughly: a sheet
    row_tags: int = 0  # whose cells lack references is bounded by its counts instead
    references: int = 0

    @property
    def cells(self) -> int:
        """Rows x columns from A1 to the farthest cell (a bound unless `exact`)."""
        if self.references < self.cell_tags:  # cells placed by their order, not named
            return self.cell_tags * max(self.rows, 10 ** self.near - 1, self.row_tags)
        if self.exact:
            return self.rows * self.columns
        rows = max(self.rows, 10 ** self.near - 1)
        return rows * max(self.columns, NEAR_COLUMNS if self.near else 0)

    def feed(self, tail: bytes, chunk: bytes, first: bool) -> None:
        """Count the references of one chunk (looked at with the previous chunk's tail, where a
        reference may begin; elements are counted in the chunk alone)."""
        data = tail + chunk
        if first:
            found = _DIMENSION.search(data)
            self.declared = found[1].decode("ascii", "replace") if found else ""
        self.shared_cells += chunk.count(b't="s"')
        # (a cell element with a namespace prefix, `<x:c>`, is not counted: a known gap)
        self.cell_tags += chunk.count(b"<c ") + chunk.count(b"<c>")
        self.row_tags += chunk.count(b"<row")
        self.references += chunk.count(b'r="')
        for digits in range(5, self.near, -1):  # the row numbers' length: a cheap bound
            if _NEAR[digits].search(data):
                self.near = digits
                break
        for letters, digits in _FAR_REF.findall(data):
            self._cell(column_number(letters) if letters else 0,
                       int(digits) if len(digits) <= 9 else 10**9)

    def _cell(self, column: int, row: int) -> None:
        if not column and row > MAX_ROWS:
            return  # a row element: its cells, named, are what count
        if column > MAX_COLUMNS or row > MAX_ROWS:
            name = cell_name(row, column)
            if name not in self.outside:
                self.outside_count += 1
                if len(self.outside) < MAX_STRAYS + 1:
                    self.outside[name] = None
            return
        self.rows, self.columns = max(self.rows, row), max(self.columns, column)

    def count_exactly(self, archive: zipfile.ZipFile, chunk: int) -> None:
        """Read the part again, every reference counted (a wide sheet's true extent)."""
        rows = columns = 0
        tail = b""
        with archive.open(self.part) as fh:
            while data := fh.read(chunk):
                data, tail = tail + data, data[-TAIL:]
                refs = _ANY_REF.findall(data)
                if not refs:
                    continue
                if any(name.encode() in data for name in self.outside):  # strays: not counted
                    refs = [(c, d) for c, d in refs
                            if cell_name(int(d), column_number(c) if c else 0)
                            not in self.outside and (not c or column_number(c) <= MAX_COLUMNS)
                            and int(d) <= MAX_ROWS]
                rows = max(rows, max(int(d) if len(d) <= 9 else 0 for _, d in refs))
                letters = {c for c, _ in refs if c}
                width = max(map(column_number, letters), default=0)
                columns = max(columns, width if width <= MAX_COLUMNS else 0)
        self.rows, self.columns = rows, columns
        self.exact = True

    def shared_text(self, archive: zipfile.ZipFile, lengths: array, chunk: int) -> int:
        """Bytes of shared strings this sheet's cells will hold, each copy counted."""
        longest = max(lengths, default=0)
        if self.shared_cells * longest <= MAX_SHARED_TEXT:
            return self.shared_cells * longest
        total, tail = 0, b""
        with archive.open(self.part) as fh:
            while data := fh.read(chunk):
                # a cell cut between chunks is looked at with the next one, and only there
                cut = data.rfind(b"<", max(0, len(data) - 256))
                data, tail = tail + (data[:cut] if cut > 0 else data), (
                    data[cut:] if cut > 0 else b"")
                for index in _SHARED_CELL.findall(data):
                    number = int(index)
                    total += lengths[number] if number < len(lengths) else 0
        return total


def shared_string_lengths(archive: zipfile.ZipFile, member: zipfile.ZipInfo,
                          chunk: int) -> array:
    """The length in bytes of each `<si>` of the shared-string table (its XML, a bound on the
    text it holds), read in chunks."""
    lengths = array("q")
    last, consumed, tail = 0, 0, b""
    with archive.open(member) as fh:
        while data := fh.read(chunk):
            data, base = tail + data, consumed - len(tail)
            for end in _SI_END.finditer(data):
                position = base + end.end()
                if position > last:
                    lengths.append(position - last)
                    last = position
            consumed += len(data) - len(tail)
            tail = data[-8:]
    return lengths

