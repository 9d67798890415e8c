"""A start opens the page a person left and loads none of the file libraries (xlsx readers and
writers, PDF, Word) until a page that reads or writes a file is used: what keeps the first window
quick on an office PC. Each start runs in a fresh process, as the app does, and reports which
libraries are loaded once the window is shown and its first events are processed."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("PySide6")

FILE_LIBRARIES = ("python_calamine", "xlsxwriter", "openpyxl", "reportlab", "docx")

START = """
import json, sys
from pathlib import Path
from desktop.app import create_main_window, make_application
app = make_application(sys.argv[:1])
window = create_main_window(Path(sys.argv[1]))
window.show()
app.processEvents()
loaded = sorted(sys.modules)
window.grab()  # the first frame, painted
for key in sys.argv[2:]:
    window.show_page(key)
    app.processEvents()
print(json.dumps({
    "page": window.current_page_key(),
    "at_start": loaded,
}))
"""


def start(db_path: Path, *show_later: str) -> dict:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    out = subprocess.run([sys.executable, "-c", START, str(db_path), *show_later],
                         capture_output=True, text=True, env=env, timeout=120, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def file_libraries(modules: list[str]) -> list[str]:
    return sorted({name.partition(".")[0] for name in modules} & set(FILE_LIBRARIES))


def center_demo(tmp_path: Path) -> Path:
    from db.demo import fill_demo_file
    from db.workbook import init_database

    path = tmp_path / "demo" / "center.sqlite3"
    init_database(path, mode="center", region_code=None, user_name="Тест", language="ru")
    fill_demo_file(path)
    return path


def test_a_start_on_the_dashboard_loads_no_file_library(region_db: sqlite3.Connection,
                                                          db_path: Path) -> None:
    seen = start(db_path, "exchange")
    assert file_libraries(seen["at_start"]) == []
    assert seen["page"] == "exchange"  # the Exchange page, opened later, is there


def test_a_center_start_on_the_demo_opens_the_last_page_without_file_libraries(
        tmp_path: Path) -> None:
    from desktop.ui_state import UiState, save_state

    path = center_demo(tmp_path)
    first = start(path)
    assert first["page"] == "dashboard"
    assert file_libraries(first["at_start"]) == []
    save_state(path, UiState(page="center", region="KZ-11"))
    seen = start(path)
    assert seen["page"] == "center"
    assert file_libraries(seen["at_start"]) == []


def test_a_center_start_on_a_returned_return_loads_no_file_library(tmp_path: Path) -> None:
    """The center page as start page, on a return sent back with remarks per item (the page
    shows what the center holds for each item)."""
    from db.audit import OpInfo
    from db.review import return_with_remarks
    from db.workbook import open_workbook
    from desktop.app import default_period
    from desktop.ui_state import UiState, save_state

    path = center_demo(tmp_path)
    conn = open_workbook(path)
    try:
        period = default_period(conn, None)
        return_with_remarks(conn, "KZ-11", period, OpInfo(user="Тест", source="ui"), "",
                            {("action", "1"): "Нет сроков"})
    finally:
        conn.close()
    save_state(path, UiState(page="center", region="KZ-11", period=period))
    seen = start(path)
    assert seen["page"] == "center"
    assert file_libraries(seen["at_start"]) == []


ENTRY = """
import json, sys
import planmonitor.cli as cli
from resources.words import current_language
def opened(argv=None):
    print(json.dumps({"lang": current_language(), "loaded": sorted(sys.modules)}))
    return 0
cli.gui_main = opened
sys.exit(cli.main(sys.argv[1:]))
"""


@pytest.mark.parametrize("args, lang", [([], "ru"), (["--db", "w.sqlite3"], "ru"),
                                        (["--lang=kk", "--db", "w.sqlite3"], "kk")])
def test_the_planmonitor_command_opens_the_app_without_loading_the_commands(
        args: list[str], lang: str) -> None:
    """`planmonitor` with no command (what `make run` starts) opens the app in the chosen
    language, loading no file library on the way."""
    out = subprocess.run([sys.executable, "-c", ENTRY, *args], capture_output=True, text=True,
                         timeout=60, check=True)
    seen = json.loads(out.stdout)
    assert seen["lang"] == lang
    assert file_libraries(seen["loaded"]) == []


@pytest.mark.parametrize("args", [["--lang", "de"], ["--db"], ["--db", "--lang", "kk"],
                                  ["--version"], ["status", "--db", "missing.sqlite3"]])
def test_anything_but_db_and_lang_still_goes_through_the_parser(args: list[str]) -> None:
    out = subprocess.run([sys.executable, "-c", ENTRY, *args], capture_output=True, text=True,
                         timeout=60)
    assert "loaded" not in out.stdout  # the app did not open
    assert out.returncode != 0 or "planmonitor" in out.stdout  # usage error, or --version
