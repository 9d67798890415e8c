"""The main window fits the screen it opens on: a 1366x768 laptop with the taskbar, at 125%
scaling too, leaves far less than the window's comfortable size, and a window taller than the
screen hides its status bar (where saved changes are said) under the taskbar."""

from __future__ import annotations

from PySide6.QtCore import QPoint, QRect, QSize
from PySide6.QtWidgets import QWidget

COMFORTABLE = QSize(1360, 860)  # the first window: as wide as a 1366-pixel screen allows
FRAME = QSize(16, 48)  # the window's borders and title bar, at 125% scaling, before it is shown


def fitted_size(wanted: QSize, available: QRect) -> QSize:
    """`wanted`, made smaller where the screen's free area (less the frame) is smaller."""
    room = available.size() - FRAME
    return QSize(max(200, min(wanted.width(), room.width())),
                 max(200, min(wanted.height(), room.height())))


def fits_screen(window: QWidget) -> bool:
    """Whether the window, as it is, lies within the free area of its screen."""
    screen = window.screen()
    if screen is None:
        return True
    return fitted_size(window.size(), screen.availableGeometry()) == window.size()


def fit_to_screen(window: QWidget, wanted: QSize | None = None,
                  available: QRect | None = None) -> None:
    """Size the window to `wanted` (default: comfortable) within the free area of its screen
    (`available`, default: the screen's, less the taskbar) and centre it there."""
    if available is None:
        screen = window.screen()
        if screen is None:
            window.resize(wanted or COMFORTABLE)
            return
        available = screen.availableGeometry()
    size = fitted_size(wanted or COMFORTABLE, available)
    window.resize(size)
    outer = window.size() + FRAME  # the size the layout allowed, with its frame
    window.move(available.topLeft() + QPoint(max(0, (available.width() - outer.width()) // 2),
                                             max(0, (available.height() - outer.height()) // 2)))
