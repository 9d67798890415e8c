"""desktop.ui_state: where the user left off, kept by QSettings beside the database."""

from __future__ import annotations

from pathlib import Path

import pytest

pytest.importorskip("PySide6")

from desktop.ui_state import UiState, load_state, save_state, state_path  # noqa: E402


def test_round_trip(tmp_path: Path) -> None:
    db_path = tmp_path / "w.sqlite3"
    state = UiState(period="2026-Q3", region="KZ-11", page="gender", geometry=b"\x01\x02\x00",
                    window_state=b"\xff")
    save_state(db_path, state)
    assert state_path(db_path).parent == tmp_path
    assert load_state(db_path) == state


def test_no_file_or_a_broken_one_gives_the_defaults(tmp_path: Path) -> None:
    db_path = tmp_path / "w.sqlite3"
    assert load_state(db_path) == UiState()
    state_path(db_path).write_text("[General]\npage=actions\ngeometry=not bytes\n\x00[[[",
                                   encoding="utf-8")
    assert load_state(db_path) == UiState(page="actions")


def test_the_window_comes_back_where_it_was(qtbot, region_db, db_path: Path) -> None:
    """A window closed at one size and page opens again, in a new window, the same way."""
    from desktop.app import create_main_window

    window = create_main_window(db_path)
    qtbot.addWidget(window)
    window.resize(720, 540)  # within the offscreen screen (800 x 600)
    window.show_page("gender")
    window.close()
    again = create_main_window(db_path)
    qtbot.addWidget(again)
    assert (again.width(), again.height()) == (720, 540)
    assert again.current_page_key() == "gender"
