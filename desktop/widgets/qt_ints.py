"""The few values of Qt's namespace enums (`Qt.*`) that a start needs, as plain ints.

The first use of PySide6's `Qt` namespace, even `from PySide6.QtCore import Qt`, creates all of
its ~130 enum classes at once: ~15 ms of a start, which a bare PySide6 window never pays. So the
main window, the dashboard and its charts (which paint in the first frame) pass these ints where
Qt takes an int (item data roles, drawText flags) and set enum properties through the property
system (`setProperty(name, int)`, which converts the int itself). A call whose overloads include
one taking a `Qt.*` enum touches the namespace too, even when given another type (setShortcut,
setForeground, QPainter.setPen/setBrush/fillRect), so those take a route with one signature.
Pages loaded later use `Qt` as usual. tests/test_desktop_startup.py checks each value against
Qt's own, and that a start, its first paint included, leaves the namespace alone."""

from __future__ import annotations

USER_ROLE = 0x0100  # Qt.ItemDataRole.UserRole
FOREGROUND_ROLE = 9  # Qt.ItemDataRole.ForegroundRole
ALIGN_LEFT = 0x0001  # Qt.AlignmentFlag.AlignLeft
ALIGN_RIGHT = 0x0002  # Qt.AlignmentFlag.AlignRight
ALIGN_VCENTER = 0x0080  # Qt.AlignmentFlag.AlignVCenter
STRONG_FOCUS = 11  # Qt.FocusPolicy.StrongFocus
SCROLL_BAR_ALWAYS_OFF = 1  # Qt.ScrollBarPolicy.ScrollBarAlwaysOff
PLAIN_TEXT = 0  # Qt.TextFormat.PlainText
RICH_TEXT = 1  # Qt.TextFormat.RichText

# each name -> the member of Qt's namespace it stands for (for the test)
STANDS_FOR: dict[str, str] = {
    "USER_ROLE": "ItemDataRole.UserRole",
    "FOREGROUND_ROLE": "ItemDataRole.ForegroundRole",
    "ALIGN_LEFT": "AlignmentFlag.AlignLeft",
    "ALIGN_RIGHT": "AlignmentFlag.AlignRight",
    "ALIGN_VCENTER": "AlignmentFlag.AlignVCenter",
    "STRONG_FOCUS": "FocusPolicy.StrongFocus",
    "SCROLL_BAR_ALWAYS_OFF": "ScrollBarPolicy.ScrollBarAlwaysOff",
    "PLAIN_TEXT": "TextFormat.PlainText",
    "RICH_TEXT": "TextFormat.RichText",
}
