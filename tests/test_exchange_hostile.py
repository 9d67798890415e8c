"""Hostile and broken files are refused quickly, with a message naming the file, and the database
stays exactly as it was."""

from __future__ import annotations

import sqlite3
import zipfile
from pathlib import Path

import openpyxl
import pytest

from db.office import load_office
from exports import xlsx_safety
from exports.importer import import_one, plan_import
from exports.xlsx_export import export_return
from resources.words import tr
from tests.conftest import PERIOD, REGION, dump
from tests.exchange_editing import column_of, row_of

BILLION_LAUGHS = (b'<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol">'
                  + b"".join(f'<!ENTITY lol{i} "{"&lol{};".format(i - 1 if i > 1 else "") * 10}">'
                             .encode() for i in range(1, 10))
                  + b"]>\n")


@pytest.fixture
def exported(region_db: sqlite3.Connection, tmp_path: Path) -> Path:
    return export_return(region_db, REGION, PERIOD, "ru", tmp_path / "good.xlsx")


def rewrite_zip(source: Path, target: Path, replace: dict[str, bytes],
                extra: dict[str, bytes] | None = None) -> Path:
    with zipfile.ZipFile(source) as src, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            dst.writestr(item.filename, replace.get(item.filename, src.read(item.filename)))
        for name, data in (extra or {}).items():
            dst.writestr(name, data)
    return target


def refused_key(conn: sqlite3.Connection, path: Path) -> str:
    before = dump(conn)
    plan = plan_import(conn, path, load_office(conn))
    outcome = import_one(conn, path, load_office(conn))
    assert outcome.result == "refused"
    assert path.name in outcome.message
    assert dump(conn) == before
    if plan.refused is not None:
        return plan.refused.key
    return plan.errors[0].key


def test_csv_renamed_to_xlsx(region_db: sqlite3.Connection, tmp_path: Path) -> None:
    path = tmp_path / "данные.xlsx"
    path.write_text("action_no;status\n1;Исполнено\n", encoding="utf-8")
    assert refused_key(region_db, path) == "xlsx.not_xlsx"


def test_truncated_file(region_db: sqlite3.Connection, exported: Path, tmp_path: Path) -> None:
    path = tmp_path / "cut.xlsx"
    path.write_bytes(exported.read_bytes()[: exported.stat().st_size // 2])
    assert refused_key(region_db, path) == "xlsx.damaged"


def test_xml_entity_bomb(region_db: sqlite3.Connection, exported: Path, tmp_path: Path) -> None:
    with zipfile.ZipFile(exported) as z:
        body = z.read("xl/workbook.xml").split(b"?>", 1)[1]
    path = rewrite_zip(exported, tmp_path / "bomb.xlsx",
                       {"xl/workbook.xml": BILLION_LAUGHS + body})
    assert refused_key(region_db, path) == "xlsx.xml_dtd"


def test_zip_bomb(region_db: sqlite3.Connection, exported: Path, tmp_path: Path) -> None:
    path = tmp_path / "zipbomb.xlsx"
    rewrite_zip(exported, path, {})
    with zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as z, \
            z.open("xl/media/image1.png", "w", force_zip64=True) as fh:
        for _ in range(40):
            fh.write(bytes(1 << 20))
    assert path.stat().st_size < 2 << 20
    assert refused_key(region_db, path) == "xlsx.zip_bomb"


def test_encrypted_workbook(region_db: sqlite3.Connection, tmp_path: Path) -> None:
    # An encrypted .xlsx is an OLE compound file holding EncryptionInfo and EncryptedPackage.
    header = bytes.fromhex("d0cf11e0a1b11ae1") + bytes(504)
    directory = "EncryptionInfo".encode("utf-16-le").ljust(128, b"\0") + \
        "EncryptedPackage".encode("utf-16-le").ljust(128, b"\0")
    path = tmp_path / "secret.xlsx"
    path.write_bytes(header + directory + bytes(4096))
    assert refused_key(region_db, path) == "xlsx.encrypted"


def test_old_xls(region_db: sqlite3.Connection, tmp_path: Path) -> None:
    path = tmp_path / "old.xlsx"
    path.write_bytes(bytes.fromhex("d0cf11e0a1b11ae1") + bytes(4096))
    assert refused_key(region_db, path) == "xlsx.old_xls"


def test_xlsm_with_macros(region_db: sqlite3.Connection, exported: Path, tmp_path: Path) -> None:
    with zipfile.ZipFile(exported) as z:
        types = z.read("[Content_Types].xml").replace(
            b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
            b"application/vnd.ms-excel.sheet.macroEnabled.main+xml")
    path = rewrite_zip(exported, tmp_path / "macro.xlsm", {"[Content_Types].xml": types},
                       {"xl/vbaProject.bin": b"\xd0\xcf\x11\xe0 macro"})
    assert refused_key(region_db, path) == "xlsx.macros"


def test_thousands_of_columns(region_db: sqlite3.Connection, exported: Path) -> None:
    """A value typed in column 5000 (GJH) is the file's error at that cell, the sheet unread."""
    book = openpyxl.load_workbook(exported)
    book[tr("xlsx.sheet.actions", "ru")].cell(3, 5000, "x")
    book.save(exported)
    assert refused_key(region_db, exported) == "xlsx.outside_form"
    plan = plan_import(region_db, exported, load_office(region_db))
    (error,) = plan.errors
    assert (error.sheet, error.row, error.column) == (tr("xlsx.sheet.actions", "ru"), 3, "GJH")
    assert "GJH3" in error.message("kk")


def test_forty_thousand_character_cell(region_db: sqlite3.Connection, exported: Path) -> None:
    book = openpyxl.load_workbook(exported)
    sheet = book[tr("xlsx.sheet.actions", "ru")]
    sheet.cell(row_of(sheet, "action_no", 2), column_of(sheet, "progress_note"), "ж" * 40_000)
    book.save(exported)
    assert refused_key(region_db, exported) == "xlsx.too_long"


def test_formula_where_a_value_belongs(region_db: sqlite3.Connection, exported: Path) -> None:
    book = openpyxl.load_workbook(exported)
    sheet = book[tr("xlsx.sheet.gender", "ru")]
    sheet.cell(3, column_of(sheet, "women"), "=HYPERLINK(\"http://x\",1)")
    book.save(exported)
    assert refused_key(region_db, exported) == "xlsx.formula_in_value"


def test_plain_workbook_without_meta(region_db: sqlite3.Connection, tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    book.active["A1"] = "hello"
    path = tmp_path / "plain.xlsx"
    book.save(path)
    assert refused_key(region_db, path) == "xlsx.not_exchange"


def test_part_that_lies_about_its_size(region_db: sqlite3.Connection, exported: Path,
                                       tmp_path: Path) -> None:
    """A zip directory that declares a tiny size for a big part (a hidden bomb) is refused."""
    data = bytearray(exported.read_bytes())
    name = b"xl/worksheets/sheet2.xml"
    entry = data.index(b"PK\x01\x02")  # the central directory's entries
    while data[entry + 46:entry + 46 + len(name)] != name:
        entry = data.index(b"PK\x01\x02", entry + 4)
    data[entry + 24:entry + 28] = (100).to_bytes(4, "little")
    path = tmp_path / "liar.xlsx"
    path.write_bytes(bytes(data))
    assert refused_key(region_db, path) == "xlsx.damaged"


def _sheet_zip(path: Path, sheet: bytes) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", sheet)
    return path


@pytest.mark.parametrize("chunk", [3, 7, 13, 64, 1000, xlsx_safety.CHUNK_BYTES])
def test_formula_cells_are_found_wherever_the_chunks_end(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, chunk: int) -> None:
    """Every formula element (`<f>`, `<f/>`, `<x:f ...>`) is found whatever the chunk size, with
    few or many `f` letters around (the scan looks for `f` bytes first)."""
    monkeypatch.setattr(xlsx_safety, "CHUNK_BYTES", chunk)
    monkeypatch.setattr(xlsx_safety, "OVERLAP_BYTES", max(chunk, 64))
    cells, expected = [], []
    for row in range(1, 400):
        text = "fff of fifty" * (row % 3) if row % 5 else ""
        if row % 37 == 0:
            cells.append(f'<c r="H{row}"><f>SUM(A{row})</f><v>1</v></c>')
            expected.append((row, "H"))
        elif row % 53 == 0:
            cells.append(f'<x:c r="B{row}"><x:f t="shared" si="0"/><x:v>2</x:v></x:c>')
            expected.append((row, "B"))
        cells.append(f'<c r="A{row}" t="inlineStr"><is><t>{text}</t></is></c>'
                     f'<c r="K{row}"><v>{row}.5</v></c>')
    sheet = ('<?xml version="1.0"?><worksheet><sheetData>' + "".join(cells)
             + "</sheetData><dataValidations><dataValidation><formula1>0</formula1>"
             "</dataValidation></dataValidations></worksheet>").encode()
    monkeypatch.setattr(xlsx_safety, "MANY_F", 10 if chunk == 1000 else 4096)
    found = xlsx_safety.check_workbook_file(_sheet_zip(tmp_path / "f.xlsx", sheet))
    assert sorted(found["xl/worksheets/sheet1.xml"]) == expected


@pytest.mark.parametrize("data", [
    b'<c r="A1"><f>1</f></c><formula1>0</formula1><x:f t="s"/><fill/>',
    b'<c r="B2"><' + b"p" * 300 + b':f>SUM(A1)</' + b"p" * 300 + b':f></c>',
    b'text of fifty ff: :f <f <f> </f> <a b:f> <a:b:f/> <_x:f\t>' * 50,
    b"f<f>" + b"of " * 5000 + b"<x:f/>",
])
def test_formula_matches_are_those_of_the_regex(data: bytes) -> None:
    expected = {m.start() for m in xlsx_safety._FORMULA.finditer(data)}
    assert {m.start() for m in xlsx_safety._formula_matches(data)} == expected
