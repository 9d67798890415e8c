"""Any Unicode text (control characters and lone surrogates included), typed in the core and
carried through a file to the center, then through every report and the command line: no
exception, no control character in any output, and the text is the cleaned text that went in."""

from __future__ import annotations

import io
import re
import shutil
import sqlite3
import tempfile
import unicodedata
from collections import Counter
from collections.abc import Iterator
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import pytest
from docx import Document
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pypdf import PdfReader
from python_calamine import CalamineWorkbook

from db.audit import OpInfo
from db.office import load_office
from db.ops import update_action
from db.workbook import init_database, open_workbook
from exports.importer import import_one
from exports.xlsx_export import export_return
from planmonitor.cli import main
from resources.text import clean_text, cleaned
from tests.conftest import PERIOD, REGION

BAD = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
_SETTINGS = dict(deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                         HealthCheck.too_slow])


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_clean_text_removes_exactly_what_it_should(text: str) -> None:
    result, changed = cleaned(text)
    assert not BAD.search(result)
    assert not any(unicodedata.category(c) == "Cs" for c in result)
    assert clean_text(result) == result  # once is enough
    assert changed == (result != text)
    kept = iter(text)
    assert all(c in kept for c in result)  # nothing added, order kept
    wanted = Counter(c for c in text if c in "\t\n" or not (
        unicodedata.category(c) in ("Cc", "Cs") or 0xFDD0 <= ord(c) <= 0xFDEF
        or ord(c) & 0xFFFE == 0xFFFE))
    assert Counter(result) == wanted  # every other character kept, tab and newline too


@pytest.fixture(scope="module")
def offices() -> Iterator[tuple[Path, Path]]:
    with tempfile.TemporaryDirectory(prefix="text-props-") as tmp:
        region, center = Path(tmp) / "region.sqlite3", Path(tmp) / "center.sqlite3"
        init_database(region, mode="region", region_code=REGION, user_name="Айгерім")
        init_database(center, mode="center", region_code=None, user_name="Министерство")
        yield region, center


def _docx_text(path: Path) -> str:
    doc = Document(str(path))
    return "\n".join([p.text for p in doc.paragraphs]
                     + [c.text for t in doc.tables for r in t.rows for c in r.cells])


def _cli(*argv: str) -> str:
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        main(list(argv))
    return out.getvalue() + err.getvalue()


@settings(max_examples=3, **_SETTINGS)
@given(note=st.text(min_size=1, max_size=60).filter(lambda t: clean_text(t).strip()))
def test_any_text_goes_through_the_exchange_and_every_report(
        offices: tuple[Path, Path], tmp_path_factory: pytest.TempPathFactory, note: str) -> None:
    from exports.docx_report import build_national_docx, build_region_docx
    from exports.pdf_national import build_national_report
    from exports.xlsx_consolidated import export_consolidated

    tmp = tmp_path_factory.mktemp("example")
    region_db, center_db = tmp / "region.sqlite3", tmp / "center.sqlite3"
    shutil.copy(offices[0], region_db)
    shutil.copy(offices[1], center_db)
    region = open_workbook(region_db)
    center = open_workbook(center_db)
    try:
        update_action(region, REGION, PERIOD, 1, OpInfo(user="t"), progress_note=note,
                      status="in_progress")
        stored = _note(region)
        assert stored == clean_text(note).strip() or stored == clean_text(note)
        file = export_return(region, REGION, PERIOD, "ru", tmp / "return.xlsx")
        cells = [c for row in CalamineWorkbook.from_path(str(file)).get_sheet_by_index(1)
                 .to_python() for c in row if isinstance(c, str)]
        assert not any(BAD.search(c) for c in cells)
        preview = _cli("--db", str(center_db), "import", "--dry-run", str(file))
        outcome = import_one(center, file, load_office(center))
        assert outcome.result == "applied", outcome.message
        assert _note(center) == stored
        outputs = [preview, _cli("--db", str(center_db), "search", stored[:20] or "x")]
        build_region_docx(center, REGION, PERIOD, "ru", tmp / "r.docx")
        build_national_docx(center, PERIOD, "ru", tmp / "n.docx")
        build_national_report(center, PERIOD, "ru", tmp / "n.pdf")
        export_consolidated(center, PERIOD, "ru", tmp / "c.xlsx")
        outputs += [_docx_text(tmp / "r.docx"), _docx_text(tmp / "n.docx"),
                    "".join(p.extract_text() for p in PdfReader(tmp / "n.pdf").pages)]
        for output in outputs:
            assert not BAD.search(output)
    finally:
        region.close()
        center.close()


def _note(conn: sqlite3.Connection) -> str:
    return conn.execute("SELECT progress_note FROM action_report WHERE region_code = ? AND "
                        "period_code = ? AND action_no = 1", (REGION, PERIOD)).fetchone()[0]
