"""Writing one exchange workbook, for every kind (return, template, catalog, review,
consolidated): xlsxwriter's options, the shared cell formats, the common `_meta`, the signature,
the whole-or-nothing file and the export log. The kinds' modules lay out their own sheets.

    with ExchangeBook(conn, path, meta) as book:
        sheet = book.workbook.add_worksheet(title)
        ...                                   # write row 1 keys, row 2 headers, data rows
        book.cover("actions", keys, rows)     # the values just written, for the signature
    book.sha256                               # the finished file's, once logged

`_meta` is written last, signed (exports.signing) with this workbook's key (db.keys): the
canonical form is built from the very values written, so no file is read back.
"""

from __future__ import annotations

import sqlite3
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import xlsxwriter

from db.audit import now_iso
from db.catalog import catalog_version
from db.connection import transaction
from db.keys import ensure_office_key
from db.office import load_office
from exports.signing import CanonicalForm, sign, signature_keys
from exports.xlsx_common import FORMAT, FORMAT_VERSION, META_SHEET
from resources.files import atomic_write, sha256_file

BOOK_OPTIONS = {"constant_memory": True, "strings_to_formulas": False,
                "strings_to_numbers": False, "strings_to_urls": False,
                "default_date_format": "dd.mm.yyyy"}


@dataclass
class Formats:
    key: Any
    header: Any
    info: Any
    input: Any
    number: Any
    whole: Any
    percent: Any
    title: Any
    text: Any
    demo: Any


def book_formats(book: xlsxwriter.Workbook) -> Formats:
    base = {"valign": "top", "font_size": 10}
    return Formats(
        key=book.add_format({**base, "font_color": "#808080", "font_size": 8}),
        header=book.add_format({**base, "bold": True, "text_wrap": True, "bg_color": "#DDE6F0",
                                "border": 1}),
        info=book.add_format({**base, "text_wrap": True, "bg_color": "#F3F3F3"}),
        input=book.add_format({**base, "text_wrap": True, "locked": False}),
        number=book.add_format({**base, "locked": False, "num_format": "General"}),
        whole=book.add_format({**base, "locked": False, "num_format": "0"}),
        percent=book.add_format({**base, "num_format": "0.0%", "bg_color": "#F3F3F3"}),
        title=book.add_format({"bold": True, "font_size": 14, "text_wrap": True, "valign": "top"}),
        text=book.add_format({"text_wrap": True, "valign": "top"}),
        demo=book.add_format({"bold": True, "font_size": 14, "font_color": "#B00020",
                              "text_wrap": True, "valign": "top"}),
    )


def exported_at_now() -> str:
    return datetime.now().astimezone().isoformat(timespec="microseconds")


def base_meta(conn: sqlite3.Connection, kind: str, lang: str) -> dict[str, str]:
    """The `_meta` keys every kind carries (the contract's), in the order written."""
    office = load_office(conn)
    return {"format": FORMAT, "format_version": str(FORMAT_VERSION), "kind": kind,
            "source": office.source_code, "region": "", "period": "",
            "catalog_version": catalog_version(conn), "exported_at": exported_at_now(),
            "package_id": str(uuid.uuid4()), "language": lang}


def log_export(conn: sqlite3.Connection, meta: dict[str, str], path: Path, sha256: str) -> None:
    with transaction(conn):
        conn.execute(
            "INSERT INTO exchange_log(direction, kind, package_id, source, region_code, "
            "period_code, exported_at, file_name, file_sha256, at, result) "
            "VALUES ('export', ?, ?, ?, ?, ?, ?, ?, ?, ?, 'written')",
            (meta["kind"], meta["package_id"], meta["source"], meta.get("region") or None,
             meta.get("period") or None, meta["exported_at"], path.name, sha256, now_iso()))


class ExchangeBook:
    """One exchange file being written: a context manager. On a clean exit `_meta` is written
    (signed), the file replaces `path` whole and, with `log`, the export is logged; on an error
    or a cancel nothing is left behind."""

    def __init__(self, conn: sqlite3.Connection, path: Path | str, meta: dict[str, str], *,
                 log: bool = True) -> None:
        self.conn, self.path, self.log = conn, Path(path), log
        with transaction(conn):  # the key is made (once) when a workbook has none
            self.key = ensure_office_key(conn)
        self.meta = dict(meta)
        if self.key is not None:
            self.meta.update(signature_keys(self.key))
        self.canonical = CanonicalForm()
        self.sha256 = ""
        self._atomic: Any = None
        self.workbook: Any = None
        self.formats: Any = None

    def __enter__(self) -> ExchangeBook:
        self._atomic = atomic_write(self.path, make_folder=True)
        partial = self._atomic.__enter__()
        try:
            self.workbook = xlsxwriter.Workbook(str(partial), BOOK_OPTIONS)
            self.formats = book_formats(self.workbook)
        except BaseException as exc:
            self._atomic.__exit__(type(exc), exc, exc.__traceback__)
            raise
        return self

    def cover(self, data_key: str, key_row: Sequence[Any],
              rows: Iterable[Sequence[Any]]) -> None:
        """Record a data sheet's row-1 keys and data rows exactly as written."""
        self.canonical.add_sheet(data_key, key_row, rows)

    def _write_meta(self) -> None:
        meta = self.meta
        if self.key is not None:
            meta = {**meta, "signature": sign(self.key, self.canonical.encode(meta))}
        sheet = self.workbook.add_worksheet(META_SHEET)
        sheet.set_column(0, 0, 24)
        sheet.set_column(1, 1, 40)
        for row, (key, value) in enumerate(meta.items()):
            sheet.write_string(row, 0, key)
            sheet.write_string(row, 1, str(value))
        sheet.hide()

    def __exit__(self, kind: Any, exc: Any, tb: Any) -> bool:
        if exc is None:
            try:
                self._write_meta()
                self.workbook.close()
            except BaseException as error:
                self._discard(type(error), error, error.__traceback__)
                raise
            self._atomic.__exit__(None, None, None)
            self.sha256 = sha256_file(self.path)
            if self.log:
                log_export(self.conn, self.meta, self.path, self.sha256)
            return False
        self._discard(kind, exc, tb)
        return False

    def _discard(self, kind: Any, exc: Any, tb: Any) -> None:
        try:
            self.workbook.close()
        except Exception:  # noqa: BLE001 - the file is being thrown away
            pass
        try:
            self._atomic.__exit__(kind, exc, tb)
        except BaseException as again:  # atomic_write re-raises what it was given
            if again is not exc:
                raise
