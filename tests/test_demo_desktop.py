"""The demo band over every page while demo data exists, and its removal from Settings."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from db.demo import fill_demo
from db.demo_rows import has_demo
from db.office import load_office
from tests.conftest import TODAY


def test_first_start_leaves_demo_unticked(qtbot, tmp_path: Path) -> None:
    from desktop.first_run import FirstRunDialog

    dialog = FirstRunDialog(tmp_path / "new.sqlite3", "ru")
    qtbot.addWidget(dialog)
    assert not dialog.demo_check.isChecked()


def test_no_band_without_demo(window) -> None:
    assert not window.demo_band.isVisible()


def test_band_on_every_page_and_removal(qtbot, region_db: sqlite3.Connection, db_path: Path,
                                        monkeypatch) -> None:
    fill_demo(region_db, load_office(region_db), TODAY)
    from desktop.app import create_main_window

    win = create_main_window(db_path)
    qtbot.addWidget(win)
    win.show()
    for key in win.page_keys():
        win.show_page(key)
        assert win.demo_band.isVisible(), key
        assert "ДЕМО / DEMO" in win.demo_band.text()
    win.show_page("settings")
    page = win.page("settings")
    assert page.demo_box.isVisible()
    assert page.remove_demo(confirm=False)
    assert not has_demo(win.ctx.conn)
    assert not win.demo_band.isVisible() and not page.demo_box.isVisible()
    assert region_db.execute("SELECT COUNT(*) FROM action_report").fetchone()[0] == 0
    assert any("before-demo-removal" in page.backups.item(i).text()
               for i in range(page.backups.count()))
