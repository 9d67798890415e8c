"""Search across regions and periods (db.search, `planmonitor search`) on real workbook files."""

from __future__ import annotations

import json
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest

from db import schema
from db.audit import OpInfo
from db.connection import open_database, schema_version
from db.errors import PlanMonitorError
from db.office import load_office
from db.ops import update_action, update_gender, update_indicator
from db.review import return_with_remarks
from db.search import fts_query, search, snippet
from db.workbook import init_database, open_workbook
from planmonitor.cli import main
from tests.conftest import PERIOD, REGION

try:  # the lead is moving the importer to exports.importer
    from exports.importer import import_one  # type: ignore[import-not-found]
except ImportError:
    from exports.xlsx_import import import_one

INFO = OpInfo(user="test")


def _keys(result) -> set[tuple[str, str, str, str]]:
    return {(h.kind, h.item_key, h.region, h.period)
            for g in result.groups for r in g.regions for h in r.hits}


def test_a_kazakh_phrase_in_lower_case_finds_an_upper_case_note(
        region_db: sqlite3.Connection) -> None:
    body = region_db.execute("SELECT code FROM gender_body ORDER BY ord").fetchone()[0]
    update_gender(region_db, REGION, PERIOD, body, INFO, women=3, total=10,
                  note="ҚАЗАҚСТАН ӘЙЕЛДЕРІНІҢ ӨКІЛДІГІ ҰЛҒАЙДЫ")
    result = search(region_db, "қазақстан әйелдерінің өкілдігі", "kk")
    assert _keys(result) == {("gender", body, REGION, PERIOD)}
    assert result.groups[0].page == "gender"
    assert search(region_db, "Өкілд", "kk").total == 1  # a prefix, in any case
    assert search(region_db, "казакстан", "kk").total == 1  # к for қ: a Russian keyboard


def test_a_prefix_finds_both_word_endings_and_every_field(region_db: sqlite3.Connection) -> None:
    update_action(region_db, REGION, PERIOD, 3, INFO, status="in_progress",
                  progress_note="Проведено обучение сотрудников полиции")
    update_action(region_db, REGION, "2026-Q2", 4, INFO, status="completed",
                  evidence="Программа обучения, приказ № 12")
    update_indicator(region_db, REGION, PERIOD, "IND-01", "total", INFO, value=1,
                     source="Отчёт об обучении")
    result = search(region_db, "обучени", "ru")
    assert _keys(result) == {("action", "3", REGION, PERIOD), ("action", "4", REGION, "2026-Q2"),
                             ("indicator", "IND-01|total", REGION, PERIOD)}
    assert {h.field for g in result.groups for r in g.regions for h in r.hits} == {
        "progress_note", "evidence", "source"}
    assert _keys(search(region_db, "обучени", "ru", period="2026-Q2")) == {
        ("action", "4", REGION, "2026-Q2")}
    assert search(region_db, "обучение", "ru").total == 1  # the whole word: that form only


def test_typed_operators_and_quotes_are_plain_words(region_db: sqlite3.Connection) -> None:
    update_action(region_db, REGION, PERIOD, 5, INFO, progress_note='Акция "NEAR" AND * OR')
    assert fts_query('a "b" NEAR(c)') == '"a"* """b"""* "NEAR(c)"*'
    for text in ('"', 'AND', 'NEAR(', '*', '") OR 1=1 --', "'; DROP TABLE action_report; --"):
        search(region_db, text, "ru")  # never an FTS5 syntax error, never SQL
    assert search(region_db, '"near" and', "ru").total == 1
    assert search(region_db, "   -  ", "ru").total == 0
    assert region_db.execute("SELECT count(*) FROM action_report").fetchone()[0] == 1


def test_review_remarks_are_found_and_open_the_item(center_db: sqlite3.Connection) -> None:
    update_action(center_db, "KZ-11", PERIOD, 7, INFO, progress_note="Семинар проведён")
    return_with_remarks(center_db, "KZ-11", PERIOD, INFO, remark="Уточните сроки",
                        remarks={("action", "7"): "Приложите протокол семинара"})
    result = search(center_db, "протокол", "ru")
    assert _keys(result) == {("action", "7", "KZ-11", PERIOD)}
    assert result.groups[0].label.startswith("7. ")
    general = search(center_db, "уточните", "ru")
    assert _keys(general) == {("review", "", "KZ-11", PERIOD)} and general.groups[0].page == "center"
    grouped = search(center_db, "семинар", "ru")  # the measure and the remark on one action
    assert len(grouped.groups) == 1 and len(grouped.groups[0].regions[0].hits) == 2
    with pytest.raises(PlanMonitorError):
        search(center_db, "семинар", "ru", region="KZ-99")


def test_text_imported_from_a_region_is_found_right_after_the_import(
        tmp_path: Path, center_db: sqlite3.Connection) -> None:
    from exports.xlsx_export import export_return

    path = tmp_path / "kz75.sqlite3"
    init_database(path, mode="region", region_code="KZ-75", user_name="Офицер", language="kk")
    with closing(open_workbook(path)) as region:
        update_action(region, "KZ-75", PERIOD, 15, INFO, status="in_progress",
                      progress_note="СТАМБУЛ ХАТТАМАСЫ бойынша оқыту өткізілді")
        file = export_return(region, "KZ-75", PERIOD, "kk", tmp_path / "KZ-75.xlsx")
    assert search(center_db, "стамбул", "kk").total == 0
    assert import_one(center_db, file, load_office(center_db)).result == "applied"
    assert _keys(search(center_db, "стамбул хаттамас", "kk")) == {("action", "15", "KZ-75", PERIOD)}


def test_an_existing_version_2_file_is_indexed_by_the_migration(
        db_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(schema, "MIGRATIONS", schema.MIGRATIONS[:2])
    monkeypatch.setattr(schema, "SCHEMA_VERSION", 2)
    init_database(db_path, mode="region", region_code=REGION, user_name="u")
    with closing(open_database(db_path)) as conn:
        # (a status given, as the schema of then had no empty one: today's write path would
        # leave it empty, which only v7 allows)
        update_action(conn, REGION, PERIOD, 2, INFO, evidence="Решение маслихата № 5",
                      status="in_progress")
    monkeypatch.undo()
    with closing(open_database(db_path)) as conn:
        assert schema_version(conn) == schema.SCHEMA_VERSION
        assert _keys(search(conn, "маслихат", "ru")) == {("action", "2", REGION, PERIOD)}
        update_action(conn, REGION, PERIOD, 2, INFO, evidence="")  # and it follows writes after
        assert search(conn, "маслихат", "ru").total == 0
        assert conn.execute("SELECT count(*) FROM search_doc").fetchone()[0] == 0


def test_a_text_held_by_many_rows_is_indexed_once(region_db: sqlite3.Connection) -> None:
    for period in ("2026-Q1", "2026-Q2", PERIOD):
        update_action(region_db, REGION, period, 8, INFO, progress_note="Работа продолжается")
    assert region_db.execute("SELECT count(*) FROM search_text").fetchone()[0] == 1
    assert search(region_db, "продолжа", "ru").total == 3
    update_action(region_db, REGION, PERIOD, 8, INFO, progress_note="Завершено")
    assert search(region_db, "продолжа", "ru").total == 2
    assert search(region_db, "заверш", "ru").total == 1
    for period in ("2026-Q1", "2026-Q2"):
        update_action(region_db, REGION, period, 8, INFO, progress_note="")
    assert search(region_db, "продолжа", "ru").total == 0
    texts = [r[0] for r in region_db.execute("SELECT body FROM search_text")]
    assert texts == ["Завершено"], "the text no row holds any more went with its last row"
    assert search(region_db, "заверш", "ru").total == 1


def test_snippet_marks_the_matched_words() -> None:
    text, spans = snippet("Проведено Обучение сотрудников", ["обуч"])
    assert [text[a:b] for a, b in spans] == ["Обучение"]
    long = "слово " * 60 + "цель найдена " + "слово " * 60
    text, spans = snippet(long, ["цель"], width=80)
    assert text.startswith("…") and text.endswith("…") and text[spans[0][0]:spans[0][1]] == "цель"


def test_the_command_prints_groups_and_json(region_db: sqlite3.Connection, db_path: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    update_action(region_db, REGION, PERIOD, 9, INFO, progress_note="Мониторинг обращений")
    assert main(["search", "--db", str(db_path), "мониторинг"]) == 0
    out = capsys.readouterr().out
    assert "9. " in out and "«Мониторинг»" in out
    assert main(["search", "--db", str(db_path), "монитор", "--json", "--period", PERIOD]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["total"] == 1 and data["groups"][0]["page"] == "actions"
    assert main(["search", "--db", str(db_path), "x", "--period", "2026-Q9"]) != 0
    assert "2026-Q9" in capsys.readouterr().err


def test_migrations_stay_in_increasing_order() -> None:
    """The runner applies, in order, every migration above the file's version (numbers may have
    gaps: 4 came before 3 was merged); a 3 put after 4 would never run on a version 4 file."""
    versions = [m.version for m in schema.MIGRATIONS]
    assert versions == sorted(set(versions)) and 4 in versions
