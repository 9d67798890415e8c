"""The main window opens over a real workbook, offers the pages, and remembers where we were."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

pytest.importorskip("PySide6")

from db.errors import PlanMonitorError  # noqa: E402
from desktop.app import create_main_window  # noqa: E402
from desktop.pages import PAGES, available_pages, page_modules  # noqa: E402
from desktop.ui_state import load_state  # noqa: E402
from resources.words import tr  # noqa: E402


def test_main_window_opens_with_navigation_and_period(qtbot, region_db: sqlite3.Connection,
                                                      db_path: Path) -> None:
    window = create_main_window(db_path)
    qtbot.addWidget(window)
    window.show()
    offered = [m for m in page_modules() if getattr(m, "available", lambda _c: True)(window.ctx)]
    assert window.nav.count() == len(offered) >= 2
    assert window.page_keys() == [m.PAGE_KEY for m in offered]
    assert window.page_keys()[:2] == ["dashboard", "actions"]
    assert window.period_combo.count() >= 1
    assert window.period_combo.currentData() == window.ctx.selection.period
    assert not window.region_combo.isVisible()  # region mode: no region selector
    assert "Мониторинг плана" in window.windowTitle()


def test_later_start_opens_where_the_user_left_off(qtbot, region_db: sqlite3.Connection,
                                                   db_path: Path) -> None:
    window = create_main_window(db_path)
    qtbot.addWidget(window)
    window.resize(720, 540)  # within the offscreen screen (800 x 600)
    window.ctx.set_selection(period="2025-Q2")
    keys = window.page_keys()
    if len(keys) > 1:
        window.show_page(keys[1])
    window.close()
    state = load_state(db_path)
    assert state.period == "2025-Q2"
    assert state.geometry  # saveGeometry()'s bytes
    again = create_main_window(db_path)
    qtbot.addWidget(again)
    assert again.ctx.selection.period == "2025-Q2"
    assert again.period_combo.currentData() == "2025-Q2"
    assert again.current_page_key() == (keys[1] if len(keys) > 1 else again.current_page_key())
    assert (again.width(), again.height()) == (720, 540)


def test_center_mode_has_a_region_selector(qtbot, center_db: sqlite3.Connection,
                                           tmp_path: Path) -> None:
    window = create_main_window(tmp_path / "center" / "center.sqlite3")
    qtbot.addWidget(window)
    window.show()
    assert window.region_combo.isVisible()
    assert window.region_combo.count() == 20
    window.region_combo.setCurrentIndex(window.region_combo.findData("KZ-11"))
    assert window.ctx.selection.region == "KZ-11"


def test_about_names_version_catalog_and_database(qtbot, region_db: sqlite3.Connection,
                                                  db_path: Path) -> None:
    from db.catalog import catalog_version
    from planmonitor import __version__

    window = create_main_window(db_path)
    qtbot.addWidget(window)
    text = window.about_text()
    assert __version__ in text and str(db_path) in text
    assert catalog_version(region_db) and catalog_version(region_db) in text


def test_keyboard_shortcuts_switch_pages(qtbot, region_db: sqlite3.Connection,
                                         db_path: Path) -> None:
    from PySide6.QtCore import Qt

    window = create_main_window(db_path)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    window.go_actions[1].trigger()
    assert window.current_page_key() == "actions"
    assert window.go_actions[0].shortcut().toString() == "Ctrl+1"
    window.nav.setFocus()
    qtbot.keyClick(window.nav, Qt.Key.Key_Up)
    assert window.current_page_key() == "dashboard"


def test_first_start_is_needed_only_without_a_workbook(qtbot, region_db: sqlite3.Connection,
                                                        db_path: Path, tmp_path: Path) -> None:
    from db.connection import open_database
    from desktop.app import _open_main_window

    window = _open_main_window(db_path)
    assert window is not None
    qtbot.addWidget(window)
    assert _open_main_window(tmp_path / "nothing" / "here.sqlite3") is None
    empty = tmp_path / "empty" / "new.sqlite3"
    open_database(empty).close()  # a file with the schema but no office yet
    assert _open_main_window(empty) is None
    broken = tmp_path / "broken.sqlite3"
    broken.write_bytes(b"not a database at all")
    with pytest.raises(PlanMonitorError):
        _open_main_window(broken)


def test_the_page_table_matches_the_page_modules(region_db: sqlite3.Connection, db_path: Path,
                                                 center_db: sqlite3.Connection,
                                                 tmp_path: Path) -> None:
    """The navigation is built from desktop.pages.PAGES without importing the pages: each entry
    must say what its module says (key, title, for which office)."""
    from desktop.app import create_context

    region = create_context(db_path)
    center = create_context(tmp_path / "center" / "center.sqlite3")
    modules = page_modules()
    assert [m.PAGE_KEY for m in modules] == [info.key for info in PAGES]
    for info, module in zip(PAGES, modules, strict=True):
        assert info.title_key == module.TITLE_KEY
        offered = getattr(module, "available", lambda _c: True)
        for ctx in (region, center):
            assert info.available(ctx) == offered(ctx), (info.key, ctx.office.mode)
    assert [i.key for i in available_pages(region)] != [i.key for i in available_pages(center)]


def test_a_page_not_shown_yet_is_built_when_asked_for(qtbot, center_db: sqlite3.Connection,
                                                      tmp_path: Path) -> None:
    """Only the start page exists after a start; navigating, a shortcut, ctx.navigate or
    window.page() build the others on first use, in the language chosen by then."""
    window = create_main_window(tmp_path / "center" / "center.sqlite3")
    qtbot.addWidget(window)
    assert list(window.pages) == ["dashboard"]
    assert window.stack.count() == 1
    window.ctx.set_language("en")
    window.ctx.navigate.emit("settings", None)
    assert window.current_page_key() == "settings"
    assert window.stack.currentWidget() is window.pages["settings"]
    window.go_actions[window.page_keys().index("history")].trigger()
    assert window.current_page_key() == "history"
    history = window.pages["history"]
    assert history.period_only.text() == tr("ui.history.this_period", "en")
    reports = window.page("reports")
    assert reports is window.page("reports") and window.current_page_key() == "history"
    assert window.page("no such page") is None
