"""What the editable grids share: reading what a person typed, running one edit through the
context (so it is audited, undoable and announced once), and remembering refused cells so the view
can show them red with the reason in a tooltip."""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Hashable
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor

from db.audit import OpChanges
from db.errors import PlanMonitorError, ValidationFailed
from desktop.context import AppContext

REFUSED_BACKGROUND = QColor("#f8d7da")
REFUSED_FOREGROUND = QColor("#8b1a1a")
_SPACES = re.compile(r"[\s\u00a0\u202f]")


def parse_typed_number(text: Any) -> Any:
    """A number from what was typed ("12,5", "1 234", " 7 "); None for an empty cell. Text that is
    not a number is passed on unchanged so the core's rules refuse it with their own message."""
    if text is None or isinstance(text, (int, float)):
        return text
    compact = _SPACES.sub("", str(text)).replace(",", ".")
    if not compact:
        return None
    try:
        number = float(compact)
    except ValueError:
        return str(text).strip()
    return int(number) if number.is_integer() else number


def format_number(value: float | int | None, lang: str) -> str:
    """1234.5 -> "1 234,5" (ru, kk) or "1,234.5" (en); whole numbers without decimals."""
    if value is None:
        return ""
    if float(value).is_integer():
        text = f"{int(value):,}"
    else:
        text = f"{value:,.2f}".rstrip("0").rstrip(".")
    if lang == "en":
        return text
    return text.replace(",", "\u00a0").replace(".", ",")


def edit_text(value: float | int | None) -> str:
    """The value as the editor starts with it: plain, no grouping, so it can be retyped."""
    if value is None:
        return ""
    return str(int(value)) if float(value).is_integer() else str(value)


def run_edit(ctx: AppContext, op: Callable[..., OpChanges], *args: object,
             **values: object) -> str | None:
    """Apply one edit through the context (saved at once, audited, undoable, announced once);
    returns None when accepted, else the refusal in the user's language (also put in the status
    bar)."""
    try:
        ctx.run_op(op, *args, **values)
    except ValidationFailed as exc:
        message = "; ".join(p.message(ctx.language) for p in exc.problems) or exc.message(
            ctx.language)
    except PlanMonitorError as exc:
        message = exc.message(ctx.language)
    else:
        return None
    ctx.status_message.emit(message)
    return message


def cell_flags(index: QModelIndex | QPersistentModelIndex, editable_columns: Collection[int],
               editable: bool) -> Qt.ItemFlag:
    """Flags of a grid cell: selectable, and editable in the given columns while editing is on."""
    if not index.isValid():
        return Qt.ItemFlag.NoItemFlags
    flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
    if index.column() in editable_columns and editable:
        flags |= Qt.ItemFlag.ItemIsEditable
    return flags


class RefusedCells:
    """Cells whose last edit was refused, keyed by (row key, column), with the reason."""

    def __init__(self) -> None:
        self._reasons: dict[tuple[Hashable, int], str] = {}

    def refuse(self, key: Hashable, column: int, reason: str) -> None:
        self._reasons[(key, column)] = reason

    def accept(self, key: Hashable, column: int) -> None:
        self._reasons.pop((key, column), None)

    def reason(self, key: Hashable, column: int) -> str | None:
        return self._reasons.get((key, column))

    def clear(self) -> None:
        self._reasons.clear()
