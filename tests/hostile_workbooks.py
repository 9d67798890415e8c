"""Workbooks from the world, generated: far-away cells, huge declared dimensions, many sheets,
long strings, many unique strings. Each is written with xlsxwriter or openpyxl (or a real export
edited where a tool cannot write it), and `peak_import` imports files in a child process and
returns its peak memory (the child's own maximum resident size, from `os.wait4`)."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import openpyxl
import xlsxwriter

from exports.sheet_extent import cell_name

MB = 1024 * 1024


def rewrite_zip(source: Path, target: Path, replace: dict[str, bytes]) -> Path:
    """A copy of a workbook with some parts replaced."""
    with zipfile.ZipFile(source) as src, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            dst.writestr(item.filename, replace.get(item.filename, src.read(item.filename)))
    return target


def sheet_part(path: Path, index: int = 1) -> str:
    return f"xl/worksheets/sheet{index}.xml"


def add_stray_cell(source: Path, target: Path, ref: str, sheet: int = 2) -> Path:
    """A real return with one value typed far away (as a person's slip), the sheet's
    `<dimension>` grown to it as Excel would write it."""
    part = sheet_part(source, sheet)
    with zipfile.ZipFile(source) as z:
        xml = z.read(part)
    row = re.match(r"[A-Z]+(\d+)", ref)
    assert row is not None
    stray = f'<row r="{row[1]}"><c r="{ref}"><v>1</v></c></row>'.encode()
    xml = xml.replace(b"</sheetData>", stray + b"</sheetData>", 1)
    xml = re.sub(rb'<dimension ref="([A-Z]+\d+):[A-Z]+\d+"/>',
                 lambda m: b'<dimension ref="' + m[1] + b":" + ref.encode() + b'"/>', xml, count=1)
    return rewrite_zip(source, target, {part: xml})


def declare_dimension(source: Path, target: Path, ref: str, sheet: int = 2) -> Path:
    """A real return whose sheet declares a huge `<dimension>` it does not fill."""
    part = sheet_part(source, sheet)
    with zipfile.ZipFile(source) as z:
        xml = z.read(part)
    xml = re.sub(rb'<dimension ref="[^"]*"/>', f'<dimension ref="{ref}"/>'.encode(), xml, count=1)
    return rewrite_zip(source, target, {part: xml})


def sparse_corners(path: Path, last: str = "XFD1048576") -> Path:
    """A 5 KB workbook whose only cells are A1 and a far corner."""
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("Data")
    sheet.write("A1", "x")
    sheet.write(last, 1)
    book.close()
    return path


def wide_and_long(path: Path, columns: int = 200, rows: int = 60_000) -> Path:
    """Numbers in every cell of a block inside the row and column limits (an honest-looking
    12 MB workbook that still holds millions of cells)."""
    book = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    sheet = book.add_worksheet("Data")
    line = list(range(columns))
    for r in range(rows):
        sheet.write_row(r, 0, line)
    book.close()
    return path


def many_sheets(path: Path, sheets: int = 250, rows: int = 2000, columns: int = 20) -> Path:
    book = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    line = list(range(columns))
    for n in range(sheets):
        sheet = book.add_worksheet(f"S{n}")
        for r in range(rows):
            sheet.write_row(r, 0, line)
    book.close()
    return path


def long_strings(path: Path, cells: int = 20_000, length: int = 32_000) -> Path:
    """One long shared string in many cells (each cell would hold its own copy once read)."""
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("Data")
    text = "Ж" * length
    for r in range(cells):
        sheet.write_string(r, 0, text)
    book.close()
    return path


def many_unique_strings(path: Path, cells: int = 300_000) -> Path:
    """Many different strings (a large shared-string table), written by openpyxl."""
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("Data")
    for r in range(cells // 4):
        sheet.append([f"строка {r}-{c} " * 6 for c in range(4)])
    book.save(path)
    return path


PROBE = """
import json, sys
from pathlib import Path
from db.office import load_office
from db.workbook import init_database, open_workbook
from exports.importer import import_many
db = Path(sys.argv[1])
init_database(db, mode=sys.argv[2], region_code=sys.argv[3] or None, user_name="probe")
conn = open_workbook(db)
outcomes = import_many(conn, [Path(p) for p in sys.argv[4:]], load_office(conn), dry_run=True)
import threading
for thread in threading.enumerate():  # a reader still parsing would be memory the app pays too
    if thread is not threading.main_thread():
        thread.join()
print(json.dumps([[o.result, o.plan.refused.key if o.plan and o.plan.refused else "",
                   [e.key for e in o.plan.errors] if o.plan else []] for o in outcomes]))
status = Path("/proc/self/status")
print([int(line.split()[1]) * 1024 for line in status.read_text().splitlines()
       if line.startswith("VmHWM")][0] if status.exists() else 0)
"""


def peak_import(db: Path, files: list[Path], mode: str = "region",
                region: str = "KZ-75") -> tuple[int, int, list]:
    """Import `files` (a dry run, as one batch; the reader threads waited for) in a child
    process. Returns its exit status, its peak resident memory in bytes and each file's
    (result, refusal key, error keys). The peak is the child's own high-water mark
    (`VmHWM`, its memory since it started Python) where Linux says it, else `ru_maxrss` from
    `os.wait4`, which on Linux also counts the parent's memory at the fork: an upper bound."""
    child = subprocess.Popen(
        [sys.executable, "-c", PROBE, str(db), mode, region if mode == "region" else "",
         *map(str, files)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=Path(__file__).resolve().parent.parent)
    assert child.stdout is not None and child.stderr is not None
    out, err = child.stdout.read(), child.stderr.read()
    _, status, usage = os.wait4(child.pid, 0)
    child.returncode = os.waitstatus_to_exitcode(status)
    peak = usage.ru_maxrss * 1024  # kilobytes on Linux
    lines = out.decode().strip().splitlines()
    results = json.loads(lines[-2]) if child.returncode == 0 else []
    if child.returncode == 0 and int(lines[-1]):
        peak = int(lines[-1])
    if child.returncode != 0:
        sys.stderr.write(err.decode(errors="replace")[-2000:])
    return child.returncode, peak, results


def wide_return(source: Path, target: Path, columns: int = 200, rows: int = 12_000) -> Path:
    """A real return whose indicator sheet gains a block of numbers inside the row and column
    limits (an honest-looking file of about 10 MB that still holds millions of cells)."""
    part = sheet_part(source, 4)
    with zipfile.ZipFile(source) as z:
        xml = z.read(part)
    block = "".join(
        f'<row r="{r}">' + "".join(f'<c r="{cell_name(r, c)}"><v>{c}</v></c>'
                                    for c in range(30, columns + 1)) + "</row>"
        for r in range(1000, 1000 + rows)).encode()
    xml = xml.replace(b"</sheetData>", block + b"</sheetData>", 1)
    return rewrite_zip(source, target, {part: xml})

