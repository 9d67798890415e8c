"""Entry points of the PyInstaller bundle (`packaging/*.py` call these) and its smoke run.

The bundle holds two programs in one folder, sharing the libraries: the windowed app
(`PlanMonitor`) and the console command line (`planmonitor-cli`). Both find resources through
`resources.paths.resource_root()` and keep data in the per-user data folder, never in the bundle.

`PlanMonitor --smoke REPORT [--db FILE] [--smoke-seconds S]` opens the main window, lets it live
for S seconds (default 1), writes what it saw to REPORT (JSON) and quits: the bundle test's proof
that the windowed app starts, and the start-time benchmark's stopwatch (bench/bench_bundle.py).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from resources.paths import data_dir, default_db_path, resource_root

SMOKE_SECONDS = 1.0
SMOKE_GIVE_UP_SECONDS = 60.0
LOG_FILE_NAME = "planmonitor.log"


def is_frozen() -> bool:
    return bool(getattr(sys, "frozen", False))


def cli_entry(argv: list[str] | None = None) -> int:
    """The console program: exactly the `planmonitor` command."""
    from planmonitor.cli import main

    return main(argv)


def gui_entry(argv: list[str] | None = None) -> int:
    """The windowed program: the desktop app, or the smoke run with `--smoke REPORT`."""
    args = list(sys.argv[1:] if argv is None else argv)
    _give_windowed_streams()
    smoke = _parse_smoke(args)
    if smoke is not None:
        return smoke_run(*smoke)
    from planmonitor.cli import gui_main

    return gui_main()


def _parse_smoke(args: list[str]) -> tuple[Path, Path, float] | None:
    if "--smoke" not in args:
        return None
    parser = argparse.ArgumentParser(prog="PlanMonitor", add_help=False)
    parser.add_argument("--smoke", type=Path, required=True, metavar="REPORT")
    parser.add_argument("--db", type=Path, default=None)
    parser.add_argument("--smoke-seconds", type=float, default=SMOKE_SECONDS)
    known, _ = parser.parse_known_args(args)
    return known.smoke, known.db or default_db_path(), known.smoke_seconds


def _give_windowed_streams() -> None:
    """A windowed Windows program has no stdout/stderr; send them to a log in the data folder."""
    if sys.stdout is not None and sys.stderr is not None:
        return
    log_dir = data_dir() / "logs"
    log_dir.mkdir(parents=True, exist_ok=True)
    log = (log_dir / LOG_FILE_NAME).open("a", encoding="utf-8", errors="replace")
    if sys.stdout is None:
        sys.stdout = log
    if sys.stderr is None:
        sys.stderr = log


def smoke_run(report: Path, db_path: Path, seconds: float = SMOKE_SECONDS) -> int:
    """Show the main window for `seconds`, then write what was seen to `report` and quit."""
    from PySide6.QtCore import QTimer

    from desktop.app import create_main_window, make_application

    app = make_application([sys.argv[0]])
    window = create_main_window(db_path)
    window.show()
    seen: dict[str, Any] = {}

    def look_and_quit() -> None:
        seen.update(describe_window(window))
        app.quit()

    QTimer.singleShot(int(seconds * 1000), look_and_quit)
    QTimer.singleShot(int(SMOKE_GIVE_UP_SECONDS * 1000), app.quit)
    app.exec()
    seen.update(describe_runtime(app))
    seen["collation"] = region_names_sorted(db_path)
    report.parent.mkdir(parents=True, exist_ok=True)
    report.write_text(json.dumps(seen, ensure_ascii=False, indent=2), encoding="utf-8")
    window.close()
    return 0 if seen.get("visible") else 1


def describe_window(window: Any) -> dict[str, Any]:
    return {"title": window.windowTitle(), "visible": bool(window.isVisible()),
            "width": window.width(), "height": window.height()}


def describe_runtime(app: Any) -> dict[str, Any]:
    """Where the running program found its parts: the bundle test checks these."""
    from PySide6.QtCore import QLibraryInfo, QTranslator

    qt_translations = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    loaded = {lang: QTranslator().load(f"qtbase_{lang}", qt_translations)
              for lang in ("ru", "kk")}
    return {"frozen": is_frozen(), "utf8_mode": sys.flags.utf8_mode,
            "platform": app.platformName(),
            "resource_root": str(resource_root()), "data_dir": str(data_dir()),
            "qt_translations": qt_translations, "qt_translation_loaded": loaded,
            "image_formats": sorted(bytes(f.data()).decode() for f in _image_formats())}


def region_names_sorted(db_path: Path) -> dict[str, list[str]]:
    """Region names in each language, sorted by Qt's collator (ICU on Linux): the bundle test
    compares them with the same sort from source, which proves the bundle's ICU data suffices."""
    from contextlib import closing

    from PySide6.QtCore import QCollator, QLocale

    from db.queries import regions
    from db.workbook import open_workbook
    from resources.words import LANGS

    with closing(open_workbook(db_path)) as conn:
        names = {lang: [r.name for r in regions(conn, lang)] for lang in LANGS}
    return {lang: sorted(words, key=QCollator(QLocale(lang)).sortKey)
            for lang, words in names.items()}


def _image_formats() -> list[Any]:
    from PySide6.QtGui import QImageReader

    return list(QImageReader.supportedImageFormats())
