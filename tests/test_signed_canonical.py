"""The canonical form a signature covers (issue 20, docs/exchange-format.md): LibreOffice may
re-save a signed file and it still verifies; any changed value breaks it; the order of sheets
and of `_meta`'s rows does not matter."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from python_calamine import CalamineWorkbook

from db import review
from db.audit import OpInfo
from db.ops import update_action, update_gender
from exports.signing import canonical_value, read_canonical, verify_canonical
from exports.xlsx_common import meta_from_rows
from exports.xlsx_export import export_catalog, export_return
from exports.xlsx_review import export_review
from resources.words import tr
from tests.conftest import PERIOD, REGION

SOFFICE = shutil.which("soffice")


def read_book(path: Path) -> tuple[list[str], dict[str, list[list]]]:
    book = CalamineWorkbook.from_path(str(path))
    return list(book.sheet_names), {t: book.get_sheet_by_name(t).to_python(
        skip_empty_area=False) for t in book.sheet_names}


def verdict(titles: list[str], sheets: dict[str, list[list]]):
    meta_rows = sheets["_meta"]
    canonical = read_canonical(meta_rows, titles, lambda t: sheets[t])
    return verify_canonical(meta_from_rows(meta_rows), canonical)


@pytest.fixture
def signed_files(region_db: sqlite3.Connection, center_db: sqlite3.Connection,
                 tmp_path: Path) -> dict[str, Path]:
    ui = OpInfo("Офицер", "ui")
    update_action(region_db, REGION, PERIOD, 1, ui, status="in_progress",
                  progress_note="Подготовлен проект  ")
    body = region_db.execute("SELECT code FROM gender_body ORDER BY ord").fetchone()[0]
    update_gender(region_db, REGION, PERIOD, body, ui, women=1, total=3)  # share 1/3
    review.return_with_remarks(center_db, REGION, PERIOD, OpInfo("Министерство", "review"),
                               "Доработать", {("action", "1"): "Приложите протокол"})
    return {"return": export_return(region_db, REGION, PERIOD, "kk", tmp_path / "return.xlsx"),
            "catalog": export_catalog(center_db, "ru", tmp_path / "catalog.xlsx"),
            "review": export_review(center_db, REGION, PERIOD, "ru", tmp_path / "review.xlsx")}


@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed")
def test_libreoffice_resave_keeps_the_signature_and_one_change_breaks_it(
        signed_files: dict[str, Path], tmp_path: Path) -> None:
    out = tmp_path / "resaved"
    subprocess.run([SOFFICE, "--headless", "--convert-to", "xlsx", "--outdir", str(out),
                    *map(str, signed_files.values())], check=True, capture_output=True,
                   timeout=240)
    for kind, path in signed_files.items():
        resaved = out / path.name
        assert resaved.read_bytes() != path.read_bytes()
        assert verdict(*read_book(path)).state == "signed", kind
        assert verdict(*read_book(resaved)).state == "signed", kind
    # one changed cell in the re-saved files (openpyxl keeps LibreOffice's cached formula
    # results only with data_only, so the catalog and the review, which hold no formulas)
    for kind, sheet_key, col in (("catalog", "xlsx.sheet.action", 3),
                                 ("review", "center.xlsx.sheet.remarks", 5)):
        book = openpyxl.load_workbook(out / signed_files[kind].name)
        sheet = book[tr(sheet_key, "ru")]
        sheet.cell(3, col).value = f"{sheet.cell(3, col).value} (изменено)"
        book.save(out / f"changed-{kind}.xlsx")
        assert verdict(*read_book(out / f"changed-{kind}.xlsx")).state == "altered", kind


@pytest.fixture(scope="module")
def return_rows(tmp_path_factory: pytest.TempPathFactory) -> tuple[list[str], dict]:
    from db.workbook import init_database, open_workbook

    folder = tmp_path_factory.mktemp("canonical")
    init_database(folder / "w.sqlite3", mode="region", region_code=REGION, user_name="u")
    conn = open_workbook(folder / "w.sqlite3")
    ui = OpInfo("Офицер", "ui")
    update_action(conn, REGION, PERIOD, 2, ui, status="completed", progress_note="Сделано")
    body = conn.execute("SELECT code FROM gender_body ORDER BY ord").fetchone()[0]
    update_gender(conn, REGION, PERIOD, body, ui, women=2, total=7)
    path = export_return(conn, REGION, PERIOD, "ru", folder / "r.xlsx")
    conn.close()
    return read_book(path)


VALUES = st.one_of(st.text(min_size=1, max_size=12), st.integers(-10**6, 10**6),
                   st.floats(allow_nan=False, allow_infinity=False, width=32), st.booleans())


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data(), value=VALUES)
def test_changing_any_covered_value_breaks_the_signature(return_rows, data, value) -> None:
    titles, sheets = return_rows
    assert verdict(titles, sheets).state == "signed"
    meta = meta_from_rows(sheets["_meta"])
    covered = ["_meta", *(meta[k] for k in meta if k.startswith("sheet."))]
    title = data.draw(st.sampled_from(covered), label="sheet")
    rows = [list(r) for r in sheets[title]]
    if title == "_meta":
        row = data.draw(st.integers(0, len(rows) - 1), label="row")
        col = 1
    else:
        row = data.draw(st.sampled_from([0, *range(2, len(rows))]), label="row")  # not headers
        col = data.draw(st.integers(0, len(rows[0]) - 1), label="column")
    old = rows[row][col] if col < len(rows[row]) else ""
    if canonical_value(value) == canonical_value(old) or (title == "_meta" and row < 0):
        return  # the same value in another spelling (5 and 5.0) is no change
    rows[row] = [*rows[row], *[""] * (col + 1 - len(rows[row]))]
    rows[row][col] = value
    changed = {**sheets, title: rows}
    assert verdict(titles, changed).state == "altered", (title, row, col, old, value)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(order=st.permutations(range(5)), meta_order=st.randoms(use_true_random=False))
def test_the_order_of_sheets_and_meta_rows_does_not_matter(return_rows, order, meta_order) -> None:
    titles, sheets = return_rows
    shuffled_titles = [titles[i] for i in order if i < len(titles)] + titles[5:]
    meta_rows = list(sheets["_meta"])
    meta_order.shuffle(meta_rows)
    reordered = {**sheets, "_meta": meta_rows}
    canonical = read_canonical(sheets["_meta"], titles, lambda t: sheets[t])
    assert read_canonical(meta_rows, shuffled_titles, lambda t: reordered[t]) == canonical
    assert verdict(shuffled_titles, reordered).state == "signed"


def test_the_documented_worked_example_is_what_the_code_builds() -> None:
    """docs/exchange-format.md gives another tool an example to check: the same bytes, hash and
    signature as this code makes (RFC 8032's test key 1, deterministic Ed25519)."""
    import base64
    import hashlib

    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from db import keys
    from exports.signing import CanonicalForm

    key = Ed25519PrivateKey.from_private_bytes(bytes.fromhex(
        "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60"))
    public = keys.public_bytes(key)
    meta = {"format": "planmonitor-exchange", "format_version": "1", "kind": "return",
            "source": "KZ-75", "region": "KZ-75", "period": "2026-Q3",
            "catalog_version": "2026.2", "exported_at": "2026-11-28T09:15:02.123456+05:00",
            "package_id": "0b6c7a52-3a55-4d2c-9d43-6a2f4f1e8a10", "language": "ru",
            "sheet.gender": "Гендер", "signed_by": keys.fingerprint(public),
            "public_key": keys.b64(public)}
    form = CanonicalForm()
    form.add_sheet("gender", ["body", "body_name", "women", "total", "share", "note", "revision"],
                   [["akim_deputies", "Заместители акима\t", 3.0, 8, 0.375, "1-я строка\n2-я", 2],
                    [None, "", "  "]])
    data = form.encode(meta)
    doc = (Path(__file__).resolve().parents[1] / "docs" / "exchange-format.md").read_text(
        encoding="utf-8")
    text = data.decode("utf-8").replace("\t", " → ")
    assert text.rstrip("\n") in doc
    assert "".join(doc.split("The same bytes in hex")[1].split("```")[1].split()) == data.hex()
    assert f"SHA-256 of these bytes: `{hashlib.sha256(data).hexdigest()}`" in doc
    assert f"Its `signature`: `{base64.b64encode(key.sign(data)).decode()}`" in doc
    assert keys.fingerprint(public) == "6657 4470 5613 1181 6579 4202 4304 2745"
