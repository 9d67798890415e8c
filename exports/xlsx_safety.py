"""Refuse hostile or broken workbooks quickly and with bounded memory, before any parser sees
them: not a zip (a CSV renamed), truncated, encrypted or old .xls (OLE files), macros, zip bombs
(sizes checked from the zip directory before anything is unpacked), XML with a DTD (entity bombs),
sheets too big to parse (their extent counted from the sheet XML, `exports/sheet_extent.py`)
and formulas in cells where values belong (scanned in the same pass).
"""

from __future__ import annotations

import logging
import re
import zipfile
from array import array
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from db.errors import PlanMonitorError, UnreadableFile
from exports.sheet_extent import (
    MAX_BOOK_CELLS,
    MAX_SHARED_TEXT,
    MAX_SHEET_CELLS,
    MAX_STRAYS,
    TAIL,
    SheetExtent,
    cell_name,
    shared_string_lengths,
)

_log = logging.getLogger(__name__)

MAX_FILE_BYTES = 200 * 1024 * 1024
MAX_UNPACKED_BYTES = 600 * 1024 * 1024
MAX_RATIO = 200  # unpacked / packed, for members larger than RATIO_FLOOR
RATIO_FLOOR = 8 * 1024 * 1024
MAX_MEMBERS = 5000
PROLOG_BYTES = 64 * 1024
CHUNK_BYTES = 1 << 20
OVERLAP_BYTES = 8192
MAX_SHEET_XML_BYTES = 120 * 1024 * 1024  # all worksheets and shared strings, unpacked

ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTED_NAMES = ("EncryptedPackage".encode("utf-16-le"), "EncryptionInfo".encode("utf-16-le"))
_DTD = re.compile(rb"<!(DOCTYPE|ENTITY)", re.IGNORECASE)
_FIRST_ELEMENT = re.compile(rb"<[A-Za-z_]")
_FORMULA = re.compile(rb"<(?:\w+:)?f[\s>/]")
_CELL_START = re.compile(rb"<(?:\w+:)?c\s[^>]*?\br=\"([A-Z]+)(\d+)\"")


def _mb(size: int) -> int:
    return max(1, round(size / (1024 * 1024)))


FormulaCells = dict[str, list[tuple[int, str]]]


def check_workbook_file(path: Path) -> FormulaCells:
    """Raise UnreadableFile / PlanMonitorError naming the file if it is not a safe .xlsx.

    Every XML part is read through once, one chunk at a time (zipfile stops at the size the zip
    directory declares and checks the CRC, so a part that lies about its size is refused before
    any parser unpacks it). Returns the formula cells found in each worksheet part:
    part -> [(row, column letter)], row 0 for a formula cell without a reference."""
    check_container(path)
    return scan_parts(path)


def check_container(path: Path) -> None:
    """The checks made from the file's head and the zip directory alone (fast, nothing unpacked
    but `[Content_Types].xml`): not a zip, encrypted, too big, a zip bomb by its declared sizes,
    macros (a VBA project part), an OpenDocument or binary workbook. A file that passes has
    bounded sizes; `judge_parts` then reads its parts through before any sheet is parsed."""
    path = Path(path)
    name = path.name
    if not path.is_file():
        raise UnreadableFile("xlsx.no_file", file=str(path))
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise PlanMonitorError("xlsx.too_big", file=name, size_mb=_mb(size),
                               limit_mb=_mb(MAX_FILE_BYTES))
    with path.open("rb") as fh:
        head = fh.read(1 << 20)
    if head.startswith(OLE_MAGIC):
        if any(marker in head for marker in _ENCRYPTED_NAMES):
            raise PlanMonitorError("xlsx.encrypted", file=name)
        raise UnreadableFile("xlsx.old_xls", file=name)
    if not head.startswith(ZIP_MAGIC):
        raise UnreadableFile("xlsx.not_xlsx", file=name)
    with _archive(path) as archive:
        _check_directory(archive, name)


def _check_directory(archive: zipfile.ZipFile, name: str) -> None:
    """What the zip directory says: its kind (an OpenDocument or binary workbook is told so),
    its sizes, macros (a VBA project part, whatever the content type says)."""
    members = archive.infolist()
    if len(members) > MAX_MEMBERS:
        raise PlanMonitorError("xlsx.zip_bomb", file=name, size_mb=len(members),
                               limit_mb=MAX_MEMBERS)
    names = {m.filename for m in members}
    lowered = {n.lower() for n in names}
    if "mimetype" in names and any(n.endswith("content.xml") for n in lowered):
        raise UnreadableFile("xlsx.ods", file=name)
    if "xl/workbook.bin" in lowered:
        raise UnreadableFile("xlsx.xlsb", file=name)
    if "[Content_Types].xml" not in names or "xl/workbook.xml" not in lowered:
        raise UnreadableFile("xlsx.not_xlsx", file=name)
    unpacked = sum(m.file_size for m in members)
    if unpacked > MAX_UNPACKED_BYTES or any(_too_compressed(m) for m in members):
        raise PlanMonitorError("xlsx.zip_bomb", file=name, size_mb=_mb(unpacked),
                               limit_mb=_mb(MAX_UNPACKED_BYTES))
    sheets = sum(m.file_size for m in members if m.filename.lower().startswith(
        ("xl/worksheets/", "xl/sharedstrings")))
    if sheets > MAX_SHEET_XML_BYTES:
        raise PlanMonitorError("xlsx.zip_bomb", file=name, size_mb=_mb(sheets),
                               limit_mb=_mb(MAX_SHEET_XML_BYTES))
    if any(n.endswith("vbaproject.bin") for n in lowered):
        raise PlanMonitorError("xlsx.macros", file=name)


def scan_parts(path: Path) -> FormulaCells:
    """Read every XML part through (after `check_container`): a DTD anywhere is refused, and the
    formula cells of each part are returned (see `check_workbook_file`)."""
    return judge_parts(path).formulas


@dataclass
class Judged:
    """What reading the parts through found: each worksheet part's formula cells, its extent,
    and the cells outside the form (part -> cell names) of a file otherwise within the limits."""

    formulas: FormulaCells = field(default_factory=dict)
    extents: dict[str, SheetExtent] = field(default_factory=dict)
    strays: dict[str, list[str]] = field(default_factory=dict)
    sheet_bytes: int = 0  # the worksheets' and shared strings' XML, unpacked

    @property
    def cells(self) -> int:
        return sum(extent.cells for extent in self.extents.values())

    @property
    def weight(self) -> int:
        """About the memory the file's rows take once read, in bytes: a slot and a number per
        cell, and the text (which the XML holds, its markup about as big as a string's header)."""
        return 32 * self.cells + self.sheet_bytes * 3 // 2


def judge_parts(path: Path, on_part: Callable[[str, bool], None] | None = None) -> Judged:
    """Read every part through once, the shared strings first: a DTD anywhere is refused; each
    worksheet's formula cells are found and its extent counted, and a sheet (or the file) larger
    than the limits is refused before any parser reads it. `on_part(part, ok)` is called once a
    part passed (`ok`: a reader may parse it; False for a sheet with cells outside the form);
    a refusal raises PlanMonitorError."""
    path = Path(path)
    judged = Judged()
    with _archive(path) as archive:
        members = sorted((m for m in archive.infolist()
                          if m.filename.lower().endswith((".xml", ".rels", ".vml"))),
                         key=lambda m: not _is_shared_strings(m.filename))
        lengths = array("q")
        for member in members:
            if _is_shared_strings(member.filename):
                judged.sheet_bytes += member.file_size
                _scan_part(archive, member, path.name)
                lengths = shared_string_lengths(archive, member, CHUNK_BYTES)
            elif member.filename.startswith("xl/worksheets/"):
                judged.sheet_bytes += member.file_size
                extent = SheetExtent(member.filename)
                judged.formulas[member.filename] = _scan_part(archive, member, path.name,
                                                              extent)
                judged.extents[member.filename] = extent
                _judge_sheet(archive, extent, lengths, judged, path)
            else:
                judged.formulas[member.filename] = _scan_part(archive, member, path.name)
            if on_part is not None:
                on_part(member.filename, member.filename not in judged.strays)
    return judged


def _is_shared_strings(part: str) -> bool:
    return part.lower() == "xl/sharedstrings.xml"


def _judge_sheet(archive: zipfile.ZipFile, extent: SheetExtent, lengths: array, judged: Judged,
                 path: Path) -> None:
    """Refuse a sheet (or the file so far) that would not fit the limits once parsed; note the
    few cells outside the form of one that otherwise would."""
    name = path.name
    if extent.outside_count > MAX_STRAYS:
        raise PlanMonitorError("xlsx.sheet_outside_form", file=name,
                               sheet=_sheet_title(path, extent.part), count=extent.outside_count,
                               cell=next(iter(extent.outside)))
    if extent.cells > MAX_SHEET_CELLS:
        extent.count_exactly(archive, CHUNK_BYTES)
    if extent.cells > MAX_SHEET_CELLS or judged.cells > MAX_BOOK_CELLS:
        sheet = _sheet_title(path, extent.part)
        _log.info("%s: sheet %s reaches %s, declared %s", name, sheet,
                  cell_name(extent.rows, extent.columns), extent.declared or "-")
        whole = extent.cells <= MAX_SHEET_CELLS
        raise PlanMonitorError("xlsx.book_too_big" if whole else "xlsx.sheet_too_big",
                               file=name, sheet=sheet,
                               cell=cell_name(extent.rows, extent.columns),
                               count=judged.cells if whole else extent.cells,
                               limit=MAX_BOOK_CELLS if whole else MAX_SHEET_CELLS)
    if extent.shared_text(archive, lengths, CHUNK_BYTES) > MAX_SHARED_TEXT:
        raise PlanMonitorError("xlsx.text_too_big", file=name,
                               sheet=_sheet_title(path, extent.part),
                               size_mb=_mb(MAX_SHARED_TEXT))
    if extent.outside:
        judged.strays[extent.part] = list(extent.outside)


def _sheet_title(path: Path, part: str) -> str:
    """The sheet's title for a message (the part's name if the workbook does not say)."""
    try:
        titles = {target: title for title, target in sheet_xml_paths(path).items()}
    except Exception:  # noqa: BLE001 - the title only names the place; the part does too
        return part
    return titles.get(part, part)


@contextmanager
def _archive(path: Path) -> Iterator[zipfile.ZipFile]:
    """The file as a zip; a damaged one is refused naming the file (the reason to the log)."""
    name = path.name
    try:
        with zipfile.ZipFile(path) as archive:
            yield archive
    except (zipfile.BadZipFile, OSError, EOFError, zipfile.LargeZipFile,
            NotImplementedError) as exc:
        _log.info("%s is damaged: %s", name, exc)
        raise UnreadableFile("xlsx.damaged", file=name, detail=str(exc)[:200]) from exc


def _too_compressed(member: zipfile.ZipInfo) -> bool:
    return (member.file_size > RATIO_FLOOR
            and member.file_size > MAX_RATIO * max(member.compress_size, 1))


def _check_prolog(head: bytes, part: str, name: str) -> None:
    """A DTD can only come before the first element; refuse any (entity bombs)."""
    first = _FIRST_ELEMENT.search(head)
    prolog = head if first is None else head[:first.start()]
    if _DTD.search(prolog) or (first is None and len(head) >= PROLOG_BYTES):
        raise PlanMonitorError("xlsx.xml_dtd", file=name, part=part)


def _scan_part(archive: zipfile.ZipFile, member: zipfile.ZipInfo, name: str,
               extent: SheetExtent | None = None) -> list[tuple[int, str]]:
    """Read one part through in chunks: its prolog checked, its formula cells found, and (a
    worksheet's) its references counted into `extent`."""
    is_sheet = member.filename.startswith("xl/worksheets/")
    found: list[tuple[int, str]] = []
    seen: set[int] = set()
    tail, consumed = b"", 0
    with archive.open(member) as fh:
        while chunk := fh.read(CHUNK_BYTES):
            if consumed == 0:
                _check_prolog(chunk[:PROLOG_BYTES], member.filename, name)
            if extent is not None:
                extent.feed(tail[-TAIL:], chunk, consumed == 0)
            if is_sheet:
                # a tag may start at the previous chunk's end: its last two bytes are looked
                # at again (the regex needs the byte after `f` too)
                if _formula_tag(tail[-2:] + chunk[:1]) or _formula_tag(chunk):
                    _formulas_in(tail + chunk, consumed - len(tail), seen, found)
                tail = (tail + chunk)[-OVERLAP_BYTES:] if len(chunk) < OVERLAP_BYTES else (
                    chunk[-OVERLAP_BYTES:])
            consumed += len(chunk)
    return found


MANY_F = 4096


def _formula_tag(data: bytes) -> bool:
    """Whether `<f` or `:f` (a formula element, perhaps with a namespace prefix) occurs. Sheet XML
    has few `f` bytes (tags are c, v, is, t, row), so the `f`s are found with memchr and their
    previous byte looked at, rather than searching for the two-byte needles in XML made of
    `<`s. Text with many `f`s gets the plain searches."""
    at, seen = data.find(b"f", 1), 0
    while at != -1:
        if data[at - 1] in (60, 58):  # '<' or ':'
            return True
        seen += 1
        if seen > MANY_F:
            return b"<f" in data[at:] or b":f" in data[at:]
        at = data.find(b"f", at + 1)
    return False


def _formula_matches(data: bytes) -> Iterator[re.Match[bytes]]:
    """The matches of _FORMULA in `data` (perhaps some twice), found from the `f` bytes as in
    `_formula_tag` and matched where they are, not by a regex run over the whole chunk (the
    data validations at a sheet's end name `<formula1>`, which brings every sheet here)."""
    if data.count(b"f") > MANY_F:
        yield from _FORMULA.finditer(data)
        return
    at = data.find(b"f", 1)
    while at != -1:
        before = data[at - 1]
        if before in (60, 58):  # '<f', or ':f' after a namespace prefix such as '<x:f'
            start = at - 1 if before == 60 else data.rfind(b"<", max(0, at - 256), at)
            if start == -1:  # a prefix of 256 characters or more: the regex looks everywhere
                yield from _FORMULA.finditer(data)
                return
            match = _FORMULA.match(data, start)
            if match is not None and match.end() == at + 2:
                yield match
        at = data.find(b"f", at + 1)


def _formulas_in(data: bytes, base: int, seen: set[int], found: list[tuple[int, str]]) -> None:
    for match in _formula_matches(data):
        if base + match.start() in seen:
            continue
        seen.add(base + match.start())
        cell_open = _last_cell_start(data, match.start())
        found.append((0, "") if cell_open is None else (cell_open[1], cell_open[0]))


def sheet_xml_paths(path: Path) -> dict[str, str]:
    """Sheet title -> its XML part in the zip (from workbook.xml and its relationships)."""
    import defusedxml.ElementTree as ET

    main_ns = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
    rel_ns = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
    with zipfile.ZipFile(path) as archive:
        book = ET.fromstring(archive.read("xl/workbook.xml"))
        rels = ET.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    targets = {}
    for rel in rels:
        target = rel.get("Target", "")
        target = target.lstrip("/") if target.startswith("/") else "xl/" + target
        targets[rel.get("Id")] = target
    out = {}
    for sheet in book.iter(f"{main_ns}sheet"):
        rid = sheet.get(f"{rel_ns}id")
        if rid in targets:
            out[sheet.get("name", "")] = targets[rid]
    return out


def _last_cell_start(data: bytes, before: int) -> tuple[str, int] | None:
    window_start = max(0, before - 4096)
    last = None
    for match in _CELL_START.finditer(data, window_start, before):
        last = match
    if last is None:
        return None
    return last.group(1).decode("ascii"), int(last.group(2))
