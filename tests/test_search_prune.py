"""The search index keeps only what exists: a text goes, with its index entry, in the transaction
that drops its last reference (and comes back if that transaction is rolled back); `check`
reports texts no row holds, which only a writer outside the app can leave now."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from db.audit import OpInfo
from db.connection import transaction
from db.demo import fill_demo
from db.demo_rows import remove_demo
from db.office import load_office
from db.ops import update_action
from db.search import search
from db.search_index import orphan_count
from exports.importer import import_one
from exports.xlsx_export import export_return
from planmonitor.cli import main
from tests.conftest import PERIOD, REGION
from tests.exchange_editing import edit

INFO = OpInfo(user="u", source="ui")


def texts(conn: sqlite3.Connection) -> set[str]:
    return {row[0] for row in conn.execute("SELECT body FROM search_text")}


def indexed(conn: sqlite3.Connection, word: str) -> int:
    return conn.execute("SELECT count(*) FROM search_text_fts WHERE search_text_fts MATCH ?",
                        (word,)).fetchone()[0]


def test_a_text_goes_in_the_transaction_that_drops_its_last_row(
        region_db: sqlite3.Connection) -> None:
    update_action(region_db, REGION, PERIOD, 4, INFO, progress_note="Семинар проведён")
    assert texts(region_db) == {"Семинар проведён"}
    with pytest.raises(RuntimeError), transaction(region_db):
        region_db.execute("UPDATE action_report SET progress_note = 'Завершено' "
                          "WHERE region_code = ? AND period_code = ? AND action_no = 4",
                          (REGION, PERIOD))
        assert texts(region_db) == {"Завершено"}, "gone inside the same transaction"
        assert indexed(region_db, "семинар") == 0
        raise RuntimeError("roll back")
    assert texts(region_db) == {"Семинар проведён"} and indexed(region_db, "семинар") == 1
    update_action(region_db, REGION, PERIOD, 4, INFO, progress_note="")
    assert texts(region_db) == set() and indexed(region_db, "семинар") == 0


def test_imports_edits_and_demo_removal_leave_no_orphans(
        region_db: sqlite3.Connection, db_path: Path, tmp_path: Path) -> None:
    office = load_office(region_db)
    fill_demo(region_db, office)
    assert orphan_count(region_db) == 0 and len(texts(region_db)) > 10
    path = export_return(region_db, REGION, PERIOD, "ru", tmp_path / "return.xlsx")
    edit(path, "ru", {"actions": [(1, "progress_note", "Новый текст из файла"),
                                  (2, "progress_note", "")]})
    assert import_one(region_db, path, office).result == "applied"
    assert orphan_count(region_db) == 0
    assert search(region_db, "новый текст", "ru").total == 1
    remove_demo(region_db, db_path, INFO)
    assert orphan_count(region_db) == 0
    assert texts(region_db) == {
        row[0] for table, field in (("action_report", "progress_note"),
                                    ("action_report", "evidence"),
                                    ("gender_figure", "note"), ("indicator_value", "note"),
                                    ("indicator_value", "source"))
        for row in region_db.execute(f"SELECT {field} FROM {table} WHERE {field} <> ''")}


def test_check_reports_texts_no_row_holds(region_db: sqlite3.Connection, db_path: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    update_action(region_db, REGION, PERIOD, 4, INFO, progress_note="Семинар проведён")
    outside = sqlite3.connect(db_path)  # a writer that is not the app: no pruning
    outside.execute("DELETE FROM action_report WHERE action_no = 4")
    outside.commit()
    outside.close()
    assert main(["check", "--db", str(db_path), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["search_orphans"] == 1
    assert main(["check", "--db", str(db_path), "--lang", "en"]) == 0
    assert "Search index: 1 text no row holds" in capsys.readouterr().out
