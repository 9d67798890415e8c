"""The initial catalog is one History entry made by the app, and a refused `init` leaves no file
(issue 22, smaller points)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from db.catalog_version import seed_version
from db.workbook import init_database
from planmonitor.cli import main


def test_refused_region_leaves_no_file(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    target = tmp_path / "x.sqlite3"
    assert main(["init", "--region", "KZ-99", "--db", str(target)]) == 1
    assert "KZ-99" in capsys.readouterr().err
    assert sorted(p.name for p in tmp_path.iterdir() if p.name != "home") == []


def test_refused_mode_leaves_no_file(tmp_path: Path) -> None:
    from db.errors import PlanMonitorError

    with pytest.raises(PlanMonitorError):
        init_database(tmp_path / "y.sqlite3", mode="ministry", region_code=None, user_name="x")
    assert not (tmp_path / "y.sqlite3").exists()


def test_existing_workbook_is_kept_when_init_is_refused(db_path: Path) -> None:
    init_database(db_path, mode="region", region_code="KZ-75", user_name="А", language="ru")
    before = db_path.read_bytes()
    result = init_database(db_path, mode="region", region_code="KZ-99", user_name="А")
    assert not result.created and result.office.region_code == "KZ-75"
    assert db_path.read_bytes() == before


def test_initial_catalog_is_one_audit_entry(region_db: sqlite3.Connection) -> None:
    ops = region_db.execute("SELECT id, user, source FROM operation").fetchall()
    assert [(o["user"], o["source"]) for o in ops] == [("", "seed")]
    audited = region_db.execute("SELECT tbl, key, field, old_value, new_value FROM audit "
                                "WHERE op_id = ?", (ops[0]["id"],)).fetchall()
    assert [tuple(a) for a in audited] == [("meta", "catalog_version", "value", None,
                                            seed_version())]
    assert region_db.execute("SELECT COUNT(*) FROM action").fetchone()[0] > 20


@pytest.mark.parametrize(("lang", "words"), [("ru", ("Программа", "Каталог", "установлен")),
                                             ("kk", ("Бағдарлама", "каталогы орнатылды"))])
def test_history_shows_the_catalog_as_one_entry_by_the_app(qtbot, db_path: Path,
                                                           lang: str, words: tuple) -> None:
    from desktop.app import create_main_window
    from desktop.models.history import ITEM, USER, HistoryModel

    init_database(db_path, mode="region", region_code="KZ-75", user_name="Айгерім",
                  language=lang)
    conn = sqlite3.connect(db_path)  # a workbook seeded before: one audit row per field
    op = conn.execute("SELECT id FROM operation WHERE source = 'seed'").fetchone()[0]
    conn.executemany("INSERT INTO audit(op_id, tbl, key, field, old_value, new_value) "
                     "VALUES (?, 'section', ?, 'name_en', NULL, 'x')",
                     [(op, str(n)) for n in range(1, 400)])
    conn.commit()
    conn.close()
    window = create_main_window(db_path)
    qtbot.addWidget(window)
    model = HistoryModel(window.ctx)
    assert model.rowCount() == 1
    shown = model.index(0, USER).data() + " " + model.index(0, ITEM).data()
    assert all(w in shown for w in words) and seed_version() in shown
    assert "Айгерім" not in shown and "meta" not in shown
