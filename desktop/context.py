"""What every page shares: the open workbook, who we are, the chosen region and period, the
language, and one signal hub. A change goes through `AppContext.run_op(...)`, which calls a
db.ops function, pushes an undo entry, and emits `changed(OpChanges)` once; views refresh from
that signal instead of polling the database."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QObject, Signal

from db.audit import OpChanges, OpInfo
from db.office import Office, load_office, update_preferences
from desktop.undo import new_stack, record_edit, record_import, retranslate_stack
from resources.words import set_language, tr


@dataclass
class Selection:
    """The region and period the pages show."""
    region: str
    period: str


class AppContext(QObject):
    changed = Signal(object)  # OpChanges: something in the database changed
    selection_changed = Signal()  # region or period changed
    language_changed = Signal(str)  # retranslate now
    status_message = Signal(str)  # a short message for the status bar
    office_changed = Signal()  # the user's name or the office settings changed
    navigate = Signal(str, object)  # show page `key` and, where it can, the item (e.g. action no)
    flush_requested = Signal()  # save text typed a moment ago now (before an undo or redo)

    def __init__(self, conn: sqlite3.Connection, db_path: Path, selection: Selection) -> None:
        super().__init__()
        self.conn = conn
        self.db_path = Path(db_path)
        self.office: Office = load_office(conn)
        self.selection = selection
        self.language = self.office.language
        set_language(self.language)
        self.undo_stack = new_stack(self)  # edits made through run_op, undone through db.ops

    # --- who and what ---------------------------------------------------------------------------
    def op_info(self, description: str = "") -> OpInfo:
        return OpInfo(user=self.office.user_name, source="ui", description=description)

    def tr(self, key: str, **params: object) -> str:
        return tr(key, self.language, **params)

    def set_selection(self, region: str | None = None, period: str | None = None) -> None:
        new = Selection(region or self.selection.region, period or self.selection.period)
        if new != self.selection:
            self.selection = new
            self.selection_changed.emit()

    def set_language(self, lang: str) -> None:
        if lang != self.language:
            self.language = lang
            set_language(lang)
            retranslate_stack(self.undo_stack, lang)
            self.language_changed.emit(lang)

    def save_preferences(self, *, user_name: str | None = None,
                         language: str | None = None) -> None:
        """Keep the user's name / language in the workbook; a new language applies at once."""
        self.office = update_preferences(self.conn, user_name=user_name, language=language)
        self.office_changed.emit()
        if language is not None:
            self.set_language(self.office.language)

    def reload_everything(self) -> None:
        """After the whole database was replaced (a backup restored): forget the undo history
        and let every view read again."""
        self.undo_stack.clear()
        self.office = load_office(self.conn)
        self.office_changed.emit()
        self.selection_changed.emit()

    # --- the one history -----------------------------------------------------------------------
    def undo(self) -> None:
        """Undo the last edit, from the Edit menu or Ctrl+Z anywhere (inside a text box too).
        Text typed a moment ago and not yet saved is saved first, so this undo takes back that
        typing as one step (and redo brings it back); an undo never leaves an edit behind it."""
        self.flush_requested.emit()
        self.undo_stack.undo()

    def redo(self) -> None:
        self.flush_requested.emit()  # typed text saved now would clear what there is to redo:
        self.undo_stack.redo()  # that is the person's latest choice, kept over the redo

    # --- the one way to change data -------------------------------------------------------------
    def run_op(self, op: Callable[..., OpChanges], *args: object, record_undo: bool = True,
               **kwargs: object) -> OpChanges:
        """Call a db.ops function with this context's connection; emit what changed and record
        it for undo (edits of regional figures only; pass record_undo=False to skip)."""
        result = op(self.conn, *args, **kwargs)
        if result:
            self.changed.emit(result)
            if record_undo:
                record_edit(self, self.undo_stack, result)
        return result

    def record_import(self, changes: OpChanges, file_name: str) -> None:
        """An import applied elsewhere (a worker thread) becomes one step of the history."""
        record_import(self, self.undo_stack, changes, file_name)

    def notify(self, changes: OpChanges) -> None:
        """For work done elsewhere (an import in a worker thread): tell the views."""
        if changes:
            self.changed.emit(changes)
