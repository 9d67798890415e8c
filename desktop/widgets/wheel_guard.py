"""The mouse wheel never changes a value the person did not choose. A combo box, spin box or slider
takes the wheel by Qt's default even when the pointer merely passes over it while the page
scrolls, and a status drop-down then saves a new status at every notch. A guarded widget takes
the wheel only while it has the keyboard focus (clicked or tabbed into); otherwise the wheel goes
on to the page under it, which scrolls as the person meant.

Likewise the undo keys: `history_step` tells a text box's Ctrl+Z / Ctrl+Y apart, so that they act
on the app's one history instead of the box's own.

A page guards each drop-down it makes (a grid's cell editor guards itself; a test checks every
page); the toolbar's are a small subclass (focus_combo). The filter and QEvent are loaded with the
first page that has a drop-down, not by a start page without one."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QKeyCombination, QObject, Qt
from PySide6.QtWidgets import QWidget

if TYPE_CHECKING:
    from PySide6.QtCore import QEvent
    from PySide6.QtGui import QKeyEvent


class WheelGuard(QObject):
    """An event filter: a wheel over an unfocused widget is passed to its parent, unused."""

    def __init__(self) -> None:
        super().__init__()
        from PySide6.QtCore import QEvent

        self._wheel = QEvent.Type.Wheel

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if event.type() == self._wheel and isinstance(watched, QWidget) \
                and not watched.hasFocus():
            event.ignore()  # not accepted: Qt offers it to the parent (the scrolling page)
            return True
        return False


_guard: WheelGuard | None = None


def guard_wheel(*widgets: QWidget) -> None:
    """Let `widgets` take the wheel only while focused; the wheel alone never focuses them."""
    global _guard
    if _guard is None:
        _guard = WheelGuard()
    for widget in widgets:  # StrongFocus: a click or Tab focuses, the wheel does not
        widget.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        widget.installEventFilter(_guard)


def history_step(event: QKeyEvent) -> str:
    """"undo" or "redo" for the keys that mean it on this system (Ctrl+Y too), else ""."""
    from PySide6.QtGui import QKeySequence

    if event.matches(QKeySequence.StandardKey.Undo):
        return "undo"
    if event.matches(QKeySequence.StandardKey.Redo) or (
            event.keyCombination() == QKeyCombination(Qt.KeyboardModifier.ControlModifier,
                                                      Qt.Key.Key_Y)):
        return "redo"
    return ""
