"""Search that forgives a Russian keyboard (issue 22): Kazakh letters typed as their Russian
look-alikes and ё typed as е find the text, in db.search, `planmonitor search` and Ctrl+K;
texts the typed letters match exactly are listed first."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from db import schema
from db.audit import OpInfo
from db.connection import schema_version
from db.ops import update_action
from db.search import marked_spans, search
from db.search_fold import fold, lookalikes
from db.workbook import open_workbook
from planmonitor.cli import main
from tests.conftest import PERIOD, REGION

INFO = OpInfo(user="test")
KAZAKH = "Әйелдерді оқыту семинары өтті, Ұлттық кеңес һәм ғылым үйі"


def hits(result) -> list[tuple[str, str]]:
    return [(h.item_key, h.text) for g in result.groups for r in g.regions for h in r.hits]


@pytest.mark.parametrize("typed", ["окыту", "ОКЫТУ", "айелдерди", "улттык кенес", "хам", "гылым",
                                   "уйі", "оқыту"])
def test_russian_lookalikes_find_kazakh_text(region_db: sqlite3.Connection, typed: str) -> None:
    update_action(region_db, REGION, PERIOD, 3, INFO, progress_note=KAZAKH)
    result = search(region_db, typed, "kk")
    assert hits(result) == [("3", KAZAKH)], typed


def test_yo_and_ye_match_both_ways(region_db: sqlite3.Connection) -> None:
    update_action(region_db, REGION, PERIOD, 1, INFO, progress_note="Отчёт направлен в акимат")
    update_action(region_db, REGION, PERIOD, 2, INFO, progress_note="Отчет утверждён")
    assert {k for k, _ in hits(search(region_db, "отчет", "ru"))} == {"1", "2"}
    assert {k for k, _ in hits(search(region_db, "отчёт", "ru"))} == {"1", "2"}
    assert {k for k, _ in hits(search(region_db, "утвержден", "ru"))} == {"2"}


def test_exact_letters_rank_first(region_db: sqlite3.Connection) -> None:
    """A short text would win on bm25 alone; the one typed exactly comes first all the same."""
    update_action(region_db, REGION, PERIOD, 1, INFO, progress_note="окыту")  # mistyped, short
    update_action(region_db, REGION, PERIOD, 2, INFO,
                  progress_note="Мемлекеттік қызметшілерді оқыту бағдарламасы бойынша жұмыс")
    assert [k for k, _ in hits(search(region_db, "оқыту", "kk"))] == ["2", "1"]
    assert [k for k, _ in hits(search(region_db, "окыту", "kk"))] == ["1", "2"]


def test_highlight_marks_the_kazakh_word_typed_in_russian_letters() -> None:
    spans = marked_spans(KAZAKH, ["окыту"])
    assert [KAZAKH[a:b] for a, b in spans] == ["оқыту"]
    assert len(fold(KAZAKH)) == len(KAZAKH) and "қ" in lookalikes()


def test_the_folded_index_follows_every_write_and_the_prune(
        region_db: sqlite3.Connection) -> None:
    """A text no row holds any more leaves search_text (db.search_index's pruning trigger), and
    the folded index with it."""
    update_action(region_db, REGION, PERIOD, 4, INFO, progress_note="Ғимарат жөнделді")
    assert search(region_db, "гимарат", "kk").total == 1
    update_action(region_db, REGION, PERIOD, 4, INFO, progress_note="Жол салынды")
    assert search(region_db, "гимарат", "kk").total == 0
    assert search(region_db, "жол", "kk").total == 1
    assert region_db.execute("SELECT count(*) FROM search_text WHERE body LIKE 'Ғимарат%'"
                             ).fetchone()[0] == 0
    (count,) = region_db.execute("SELECT count(*) FROM search_fold_fts WHERE search_fold_fts "
                                 "MATCH 'гимарат'").fetchone()
    assert count == 0


def test_an_older_workbook_gets_its_texts_folded(db_path: Path, monkeypatch) -> None:
    """A version 4 file (texts already indexed) upgraded: the migration folds what it holds."""
    from db.workbook import init_database

    monkeypatch.setattr(schema, "MIGRATIONS", tuple(m for m in schema.MIGRATIONS
                                                    if m.version <= 4))
    monkeypatch.setattr(schema, "SCHEMA_VERSION", 4)
    init_database(db_path, mode="region", region_code=REGION, user_name="А")
    conn = open_workbook(db_path)
    # (a status given, as the schema of then had no empty one, which only v7 allows)
    update_action(conn, REGION, PERIOD, 5, INFO, evidence="Әкімдіктің қаулысы",
                  status="in_progress")
    conn.close()
    monkeypatch.undo()
    conn = open_workbook(db_path)
    try:
        assert schema_version(conn) == schema.SCHEMA_VERSION
        assert hits(search(conn, "акимдиктин", "kk")) == [("5", "Әкімдіктің қаулысы")]
    finally:
        conn.close()


def test_command_line_search_forgives_the_keyboard(region_db: sqlite3.Connection, db_path: Path,
                                                   capsys: pytest.CaptureFixture) -> None:
    update_action(region_db, REGION, PERIOD, 3, INFO, progress_note=KAZAKH)
    region_db.commit()
    assert main(["search", "--db", str(db_path), "окыту", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["total"] == 1


def test_ctrl_k_finds_kazakh_text_typed_in_russian_letters(qtbot, region_db: sqlite3.Connection,
                                                          db_path: Path) -> None:
    from desktop.app import create_main_window
    from desktop.dialogs.search import SearchDialog

    update_action(region_db, REGION, PERIOD, 3, INFO, progress_note=KAZAKH)
    window = create_main_window(db_path, language="kk")
    qtbot.addWidget(window)
    dialog = SearchDialog(window.ctx, window)
    qtbot.addWidget(dialog)
    dialog.field.setText("окыту")
    dialog.run()
    assert dialog.result is not None and dialog.result.total == 1
    shown = dialog.results.topLevelItem(0).child(0).child(0).text(0)
    assert "«оқыту»" in shown, shown
