"""Refuse hostile or broken workbooks quickly and with bounded memory, before any parser sees
them: not a zip (a CSV renamed), truncated, encrypted or old .xls (OLE files), macros, zip bombs
(sizes checked from the zip directory before anything is unpacked), XML with a DTD (entity bombs),
and formulas in cells where values belong (scanned in the sheet XML).
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterable
from pathlib import Path

from db.errors import PlanMonitorError, UnreadableFile

MAX_FILE_BYTES = 200 * 1024 * 1024
MAX_UNPACKED_BYTES = 600 * 1024 * 1024
MAX_RATIO = 200  # unpacked / packed, for members larger than RATIO_FLOOR
RATIO_FLOOR = 8 * 1024 * 1024
MAX_MEMBERS = 5000
PROLOG_BYTES = 64 * 1024
MAX_COLUMNS = 200
MAX_ROWS = 1_100_000

ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTED_NAMES = ("EncryptedPackage".encode("utf-16-le"), "EncryptionInfo".encode("utf-16-le"))
_DTD = re.compile(rb"<!(DOCTYPE|ENTITY)", re.IGNORECASE)
_FIRST_ELEMENT = re.compile(rb"<[A-Za-z_]")
_FORMULA = re.compile(rb"<(?:\w+:)?f[\s>/]")
_CELL_START = re.compile(rb"<(?:\w+:)?c\s[^>]*?\br=\"([A-Z]+)(\d+)\"")


def _mb(size: int) -> int:
    return max(1, round(size / (1024 * 1024)))


def check_workbook_file(path: Path) -> None:
    """Raise UnreadableFile / PlanMonitorError naming the file if it is not a safe .xlsx."""
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
    try:
        with zipfile.ZipFile(path) as archive:
            _check_archive(archive, name)
    except zipfile.BadZipFile as exc:
        raise UnreadableFile("xlsx.damaged", file=name, detail=str(exc)) from exc
    except (OSError, EOFError, zipfile.LargeZipFile, NotImplementedError) as exc:
        raise UnreadableFile("xlsx.damaged", file=name, detail=str(exc)) from exc


def _check_archive(archive: zipfile.ZipFile, name: str) -> None:
    members = archive.infolist()
    if len(members) > MAX_MEMBERS:
        raise PlanMonitorError("xlsx.zip_bomb", file=name, size_mb=len(members),
                               limit_mb=MAX_MEMBERS)
    names = {m.filename for m in members}
    if "[Content_Types].xml" not in names or not any(n.startswith("xl/") for n in names):
        raise UnreadableFile("xlsx.not_xlsx", file=name)
    unpacked = sum(m.file_size for m in members)
    if unpacked > MAX_UNPACKED_BYTES or any(_too_compressed(m) for m in members):
        raise PlanMonitorError("xlsx.zip_bomb", file=name, size_mb=_mb(unpacked),
                               limit_mb=_mb(MAX_UNPACKED_BYTES))
    if any(n.lower().endswith(("vbaproject.bin", ".bin")) and "vba" in n.lower() for n in names):
        raise PlanMonitorError("xlsx.macros", file=name)
    with archive.open("[Content_Types].xml") as fh:
        types = fh.read(PROLOG_BYTES * 4)
    if b"macroEnabled" in types or b"vbaProject" in types:
        raise PlanMonitorError("xlsx.macros", file=name)
    for member in members:
        if member.filename.lower().endswith((".xml", ".rels", ".vml")):
            _check_prolog(archive, member, name)


def _too_compressed(member: zipfile.ZipInfo) -> bool:
    return (member.file_size > RATIO_FLOOR
            and member.file_size > MAX_RATIO * max(member.compress_size, 1))


def _check_prolog(archive: zipfile.ZipFile, member: zipfile.ZipInfo, name: str) -> None:
    """A DTD can only come before the first element; read up to it (bounded) and refuse any."""
    with archive.open(member) as fh:
        head = fh.read(PROLOG_BYTES)
    first = _FIRST_ELEMENT.search(head)
    prolog = head if first is None else head[:first.start()]
    if _DTD.search(prolog) or (first is None and len(head) == PROLOG_BYTES):
        raise PlanMonitorError("xlsx.xml_dtd", file=name, part=member.filename)


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


def formula_cells(path: Path, part: str, columns: Iterable[str]) -> list[tuple[int, str]]:
    """(row, column letter) of cells holding a formula in the given columns of one sheet part.
    Bounded: the part's size was checked by `check_workbook_file`; a sheet without any formula
    is passed over with one search."""
    wanted = set(columns)
    with zipfile.ZipFile(path) as archive:
        data = archive.read(part)
    found: list[tuple[int, str]] = []
    if b"<f" not in data and b":f" not in data:
        return found  # no formula element at all (the usual case): one fast search
    for match in _FORMULA.finditer(data):
        cell_open = _last_cell_start(data, match.start())
        if cell_open is None:
            found.append((0, ""))  # a cell without its reference: report the sheet
        elif cell_open[0] in wanted:
            found.append((cell_open[1], cell_open[0]))
    return found


def _last_cell_start(data: bytes, before: int) -> tuple[str, int] | None:
    window_start = max(0, before - 4096)
    last = None
    for match in _CELL_START.finditer(data, window_start, before):
        last = match
    if last is None:
        return None
    return last.group(1).decode("ascii"), int(last.group(2))
