"""Help → «Open a demo workbook»: the demo workbook (db.demo_workbook) in a window of its own,
titled and banded «ДЕМО / DEMO», beside the real workbook's window, which stays open and
untouched. Closing the demo window is the way back; the demo file stays for next time."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMainWindow, QMessageBox

from db.demo_workbook import ensure_demo_workbook, is_demo_workbook
from db.errors import PlanMonitorError

# desktop.app's create_main_window, handed in by the window (this module does not import the
# app module, which imports the window: no cycle)
WindowFactory = Callable[[Path, str], Any]


def open_demo_window(owner: Any, make_window: WindowFactory) -> QMainWindow:
    """Show the demo workbook for `owner`'s office (a MainWindow) in its own window, made by
    `make_window(path, language)` (the one already open, if any; `owner` itself when it is the
    demo)."""
    if is_demo_workbook(owner.ctx.db_path):
        return owner
    shown = getattr(owner, "demo_window", None)
    if shown is not None:
        shown.show()
        shown.raise_()
        shown.activateWindow()
        return shown
    ctx = owner.ctx
    QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
    try:
        path = ensure_demo_workbook(ctx.db_path, ctx.office, ctx.language)
        window = make_window(path, ctx.language)
    except PlanMonitorError as exc:
        QApplication.restoreOverrideCursor()
        QMessageBox.warning(owner, ctx.tr("demo.mark"), exc.message(ctx.language))
        return owner
    QApplication.restoreOverrideCursor()
    window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    demo_conn = window.ctx.conn
    window.destroyed.connect(lambda *_: _closed(owner, demo_conn))
    owner.demo_window = window
    window.show()
    window.raise_()
    return window


def _closed(owner: Any, conn: Any) -> None:
    conn.close()
    try:
        owner.demo_window = None
    except RuntimeError:  # the owner went first (the app is quitting)
        pass
