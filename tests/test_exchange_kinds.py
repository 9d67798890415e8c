"""Package kinds that live in their own module (the center's review) are found by the import
itself: a fresh process that imports only exports.importer applies a review file. And the
import summary names the review's fields in words (`field.state`, `field.remark`)."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from db import review
from db.audit import OpInfo
from db.ops import update_action
from exports import importer as xlsx_import
from planmonitor.cli import main
from tests.conftest import PERIOD, REGION, trust_center

ROOT = Path(__file__).resolve().parent.parent
CENTER = OpInfo(user="Министерство", source="review")


@pytest.fixture
def review_file(center_db: sqlite3.Connection, region_db: sqlite3.Connection,
                tmp_path: Path) -> Path:
    """A decision of the center returning the region's report with remarks (the region trusts
    the ministry's key already)."""
    from exports.xlsx_review import export_review

    trust_center(region_db, center_db)

    update_action(center_db, REGION, PERIOD, 1, OpInfo("Айгерім", "ui"), status="in_progress",
                  progress_note="Подготовлен проект")
    review.return_with_remarks(center_db, REGION, PERIOD, CENTER, "Доработать",
                               {("action", "1"): "Приложите протокол"})
    return export_review(center_db, REGION, PERIOD, "ru", tmp_path / "review.xlsx")


def test_a_fresh_process_imports_a_review_with_only_the_import_module(
        review_file: Path, region_db: sqlite3.Connection, db_path: Path) -> None:
    script = (
        "import sys\n"
        "from pathlib import Path\n"
        "from exports.importer import KIND_HANDLERS, import_one\n"
        "from db.office import load_office\n"
        "from db.workbook import open_workbook\n"
        "assert 'exports.xlsx_review' not in sys.modules and 'xlsxwriter' not in sys.modules\n"
        "conn = open_workbook(sys.argv[1])\n"
        "print(import_one(conn, Path(sys.argv[2]), load_office(conn)).result)\n")
    done = subprocess.run([sys.executable, "-c", script, str(db_path), str(review_file)],
                          cwd=ROOT, capture_output=True, text=True, timeout=180, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "applied"
    got = review.get_review(region_db, REGION, PERIOD)
    assert (got.state, got.remark) == ("returned", "Доработать")


def test_only_the_listed_kinds_are_read() -> None:
    for kind in ("os", "consolidated", "../review", "export", ""):
        assert xlsx_import.kind_handler(kind) is None
    assert "exports.xlsx_os" not in sys.modules
    assert sorted(xlsx_import.KIND_HANDLERS) == ["catalog", "return", "review"]


@pytest.mark.parametrize("lang, state, remark", [
    ("ru", "Решение по отчёту", "Замечание"),
    ("kk", "Есеп бойынша шешім", "Ескерту"),
    ("en", "Decision on the return", "Remark"),
])
def test_review_summary_names_its_fields_in_words(
        review_file: Path, region_db: sqlite3.Connection, db_path: Path,
        capsys: pytest.CaptureFixture[str], lang: str, state: str, remark: str) -> None:
    code = main(["import", str(review_file), "--dry-run", "--db", str(db_path), "--lang", lang])
    out = capsys.readouterr().out
    assert code == 0, out
    assert f", {state}:" in out and f", {remark}:" in out
    assert ", state:" not in out and ", remark:" not in out


def test_a_batch_reads_the_catalog_again_after_a_catalog_change(
        region_db: sqlite3.Connection) -> None:
    from db.audit import begin_operation
    from db.connection import transaction

    batch = xlsx_import.ImportBatch()
    first = batch.catalog(region_db)
    assert batch.catalog(region_db) is first  # the files of a batch share it
    update_action(region_db, REGION, PERIOD, 1, OpInfo("Айгерім", "ui"), progress_note="x")
    assert batch.catalog(region_db) is first  # figures are not the catalog
    with transaction(region_db):
        begin_operation(region_db, OpInfo("Министерство", "catalog"))
    again = batch.catalog(region_db)
    assert again is not first and again.units == first.units
