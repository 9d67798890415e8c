"""What every docs screenshot shares: the screen it is taken on and how a picture is saved, so the
shell's shots (desktop.screenshots) and the search and center shots (desktop.screenshots_search)
take the same frame without importing each other."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QRect
from PySide6.QtWidgets import QApplication, QWidget

SCREEN = QRect(0, 0, 1366, 728)  # a 1366x768 screen less a 40-pixel taskbar


def settle(app: QApplication) -> None:
    for _ in range(5):
        app.processEvents()


def save(widget: QWidget, path: Path) -> Path:
    widget.grab().save(str(path))
    print(path)
    return path
