"""Starting the desktop app: the Qt application, the first-start wizard when there is no workbook
yet, then the main window where the user left off.

`run_app(argv)` is what the `planmonitor` command runs with no subcommand;
`create_main_window(db_path)` is for tests and the bundle's smoke run (needs a QApplication)."""

from __future__ import annotations

import logging
import sqlite3
import sys
from datetime import date
from pathlib import Path

from PySide6.QtCore import QLocale
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication

from db import queries
from db.errors import PlanMonitorError
from db.office import Office, load_office
from db.periods import parse_period, period_containing
from db.workbook import open_workbook
from desktop.context import AppContext, Selection
from desktop.main_window import MainWindow
from desktop.support import install_fault_handlers
from desktop.ui_state import UiState, load_state
from resources import APP_NAME
from resources.logs import setup_logging
from resources.paths import default_db_path, resource_path
from resources.words import LANGS, current_language, language_from_locale, set_language, tr

log = logging.getLogger(__name__)


def initial_selection(conn: sqlite3.Connection, office: Office, state: UiState,
                      today: date | None = None) -> Selection:
    """Where the user left off, else our region (or the first) and the latest period with data."""
    if office.is_center:
        codes = [r.code for r in queries.regions(conn, "en")]
        region = state.region if state.region in codes else (codes[0] if codes else "")
    else:
        region = str(office.region_code)
    return Selection(region, state.period if _valid_period(state.period) else
                     default_period(conn, None if office.is_center else region, today))


def _valid_period(code: str) -> bool:
    if not code:
        return False
    try:
        parse_period(code)
    except PlanMonitorError:
        return False
    return bool(code)


def default_period(conn: sqlite3.Connection, region: str | None, today: date | None = None) -> str:
    current = period_containing(today or date.today())
    end = parse_period(current).end
    with_data = [c for c in queries.periods_with_data(conn, region)
                 if parse_period(c).kind == "quarter" and parse_period(c).end <= end]
    return with_data[-1] if with_data else current


def create_context(db_path: Path, state: UiState | None = None,
                   language: str | None = None) -> AppContext:
    """The context over the workbook; `language` (from --lang) overrides the saved one for this
    session without changing the workbook's preference."""
    conn = open_workbook(db_path)
    state = state or load_state(db_path)
    ctx = AppContext(conn, db_path, initial_selection(conn, load_office(conn), state))
    if language:
        ctx.language = language
        set_language(language)
    return ctx


def create_main_window(db_path: Path | None = None, language: str | None = None) -> MainWindow:
    """The main window over the workbook at `db_path` (default: the per-user one), not shown;
    in `language` when given (the command line's --lang), else the workbook's saved one."""
    db_path = Path(db_path or default_db_path())
    state = load_state(db_path)
    ctx = create_context(db_path, state, language)
    _install_translator(ctx)
    window = MainWindow(ctx, state)
    window.window_factory = lambda path, lang: create_main_window(path, lang)
    return window


def _install_translator(ctx: AppContext | None) -> None:
    try:
        from desktop.translations import install_translator
    except ModuleNotFoundError:
        return
    install_translator(ctx)


def _db_path_from_argv(argv: list[str]) -> Path:
    for index, arg in enumerate(argv):
        if arg == "--db" and index + 1 < len(argv):
            return Path(argv[index + 1])
        if arg.startswith("--db="):
            return Path(arg.split("=", 1)[1])
    return default_db_path()


def _lang_from_argv(argv: list[str]) -> str | None:
    """The language asked for with --lang (`--lang kk` or `--lang=kk`), if a known one."""
    for index, arg in enumerate(argv):
        value = argv[index + 1] if arg == "--lang" and index + 1 < len(argv) else (
            arg.split("=", 1)[1] if arg.startswith("--lang=") else None)
        if value in LANGS:
            return value
    return None


def _open_main_window(db_path: Path, language: str | None = None) -> MainWindow | None:
    """The main window over the workbook, or None when there is none yet (the first start).
    The workbook is opened once: no separate look at it first."""
    if not db_path.exists():
        return None
    try:
        return create_main_window(db_path, language)
    except PlanMonitorError as exc:
        if exc.key == "error.not_initialized":
            return None
        raise


def make_application(argv: list[str]) -> QApplication:
    app = QApplication.instance() or QApplication(argv)
    app.setApplicationName(APP_NAME)
    app.setOrganizationName(APP_NAME)
    app.setWindowIcon(QIcon(str(resource_path("icons", "app.svg"))))
    return app  # type: ignore[return-value]


def run_app(argv: list[str]) -> int:
    """The app's entry point: logging and the handler of uncaught exceptions are set up here
    (resources.logs, desktop.support), before anything else runs."""
    setup_logging("app")
    install_fault_handlers()
    app = make_application(argv)
    db_path = _db_path_from_argv(argv)
    asked = _lang_from_argv(argv)
    try:
        window = _open_main_window(db_path, asked)
        if window is None:
            from desktop.first_run import run_first_start

            set_language(asked or language_from_locale(QLocale.system().name()))
            _install_translator(None)
            if not run_first_start(db_path, current_language()):
                return 0
            window = create_main_window(db_path)
    except PlanMonitorError as exc:
        from PySide6.QtWidgets import QMessageBox

        log.info("the workbook %s was not opened: %s", db_path.name, exc.key)
        lang = language_from_locale(QLocale.system().name())
        QMessageBox.critical(None, tr("ui.error.title", lang), tr(
            "ui.error.open_failed", lang, file=str(db_path), message=exc.message(lang)))
        return exc.exit_code
    window.show()
    status = app.exec()
    log.info("app closed with status %d", status)
    return status


if __name__ == "__main__":  # pragma: no cover
    sys.exit(run_app(sys.argv))
