"""Help → «Open a demo workbook» (issue 22): a separate demo file for the office's mode, in a
window of its own marked «ДЕМО / DEMO», at any time; the real workbook stays byte for byte."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from db.audit import OpInfo
from db.demo_rows import has_demo
from db.demo_workbook import demo_path, ensure_demo_workbook
from db.office import Office, load_office
from db.ops import update_action
from db.workbook import init_database, open_workbook
from tests.conftest import PERIOD, REGION


def file_bytes(path: Path) -> dict[str, bytes]:
    """The workbook and its journal or WAL (shared memory is a reader's, not data)."""
    return {p.name: p.read_bytes() for p in path.parent.glob(path.name + "*")
            if not p.name.endswith("-shm")}


def open_demo(qtbot, db_path: Path, lang: str = "ru"):
    """The real workbook's window, its files' bytes once it is open, and the demo window."""
    from desktop.app import create_main_window

    window = create_main_window(db_path, language=lang)
    qtbot.addWidget(window)
    window.show()
    qtbot.wait(50)
    before = file_bytes(db_path)
    window.demo_action.trigger()
    demo = window.demo_window
    assert demo is not None and demo is not window
    return window, before, demo


@pytest.mark.parametrize("lang", ["ru", "kk"])
def test_region_opens_its_demo_beside_real_work(qtbot, region_db: sqlite3.Connection,
                                                db_path: Path, lang: str) -> None:
    from PySide6.QtWidgets import QApplication

    from desktop.main_window import MainWindow

    update_action(region_db, REGION, PERIOD, 3, OpInfo(user="Айгерім"), status="completed",
                  progress_note="Настоящая запись")
    region_db.commit()
    window, before, demo = open_demo(qtbot, db_path, lang)
    assert "ДЕМО" in demo.windowTitle() and "ДЕМО" not in window.windowTitle()
    band = demo.demo_band
    assert band.isVisible() and "ДЕМО" in band.text()
    assert ("закройте это окно" if lang == "ru" else "терезені жабыңыз") in band.text()
    assert window.demo_action.text() == {"ru": "Открыть демонстрационную книгу",
                                         "kk": "Демонстрациялық кітапты ашу"}[lang]
    assert demo.ctx.office.region_code == REGION and not demo.ctx.office.is_center
    assert demo.ctx.db_path == demo_path(db_path)
    window.demo_action.trigger()  # asked again: the same window
    assert window.demo_window is demo
    demo.ctx.set_selection(period=PERIOD)
    demo.close()
    qtbot.waitUntil(lambda: window.demo_window is None)
    assert isinstance(window, MainWindow) and window.isVisible()
    QApplication.processEvents()
    assert file_bytes(db_path) == before
    conn = open_workbook(db_path)
    try:
        assert not has_demo(conn)
        note = conn.execute("SELECT progress_note FROM action_report WHERE action_no = 3"
                            ).fetchone()[0]
        assert note == "Настоящая запись"
    finally:
        conn.close()


def test_center_demo_holds_every_region(qtbot, tmp_path: Path) -> None:
    path = tmp_path / "center" / "center.sqlite3"
    init_database(path, mode="center", region_code=None, user_name="Министерство", language="ru")
    window, before, demo = open_demo(qtbot, path)
    assert demo.ctx.office.is_center
    regions = demo.ctx.conn.execute("SELECT COUNT(DISTINCT region_code) FROM action_report"
                                    ).fetchone()[0]
    assert regions == 20
    demo.close()
    assert file_bytes(path) == before


def test_demo_file_is_made_again_when_missing_or_for_another_office(db_path: Path,
                                                                   tmp_path: Path) -> None:
    init_database(db_path, mode="region", region_code=REGION, user_name="А", language="ru")
    conn = open_workbook(db_path)
    office = load_office(conn)
    conn.close()
    path = ensure_demo_workbook(db_path, office, "ru")
    made = path.stat().st_mtime_ns
    assert ensure_demo_workbook(db_path, office, "ru") == path
    assert path.stat().st_mtime_ns == made  # kept while it fits
    other = Office("region", "KZ-10", "А", "ru")
    ensure_demo_workbook(db_path, other, "ru")
    conn = open_workbook(path)
    try:
        assert load_office(conn).region_code == "KZ-10" and has_demo(conn)
    finally:
        conn.close()
    path.unlink()
    assert ensure_demo_workbook(db_path, office, "kk").exists()


def test_command_line_makes_the_separate_demo(region_db: sqlite3.Connection, db_path: Path,
                                              capsys: pytest.CaptureFixture) -> None:
    from planmonitor.cli import main

    update_action(region_db, REGION, PERIOD, 3, OpInfo(user="А"), status="completed")
    region_db.commit()
    assert main(["demo", "--db", str(db_path)]) != 0  # real figures: not over them
    capsys.readouterr()
    before = file_bytes(db_path)
    assert main(["demo", "--separate", "--db", str(db_path), "--lang", "ru"]) == 0
    assert str(demo_path(db_path)) in capsys.readouterr().out
    assert file_bytes(db_path) == before
    assert main(["status", "--db", str(demo_path(db_path)), "--period", PERIOD]) == 0
