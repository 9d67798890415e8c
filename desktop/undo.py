"""Undo and redo that cannot destroy data. Each step is what one operation changed, field by
field: an edit made through `AppContext.run_op`, or an applied import (one step, "Undo import of
ret.xlsx"). Undoing writes the step's old values back through db.ops, redoing its new ones, and
each write names the values the fields must still hold (`RowWrite.expected`): db.ops checks them
under the write lock and refuses the whole step when any field changed since (an import, the
ministry's decision, another edit). Then nothing is written, the status bar says which field
changed and how, and the step leaves the history. Undo and redo are audited like any edit.

Undoing a row's first edit, or an import that added rows, leaves those rows with the write
path's empty values (db.ops has no delete): such a row counts as never reported
(rules.EMPTY_VALUES). Changes outside the regional tables (attachments) are not undoable.

This module knows the context only as an `UndoHost` (what it uses of it), so the context may
import it without a cycle."""

from __future__ import annotations

import sqlite3
from typing import Any, Protocol

from PySide6.QtGui import QUndoCommand, QUndoStack

from db.audit import OpChanges, OpInfo
from db.changed_since import ChangedSince, Moved
from db.errors import PlanMonitorError
from db.ops import REGIONAL, RowWrite, apply_writes
from db.received import ReceivedMark, forgotten
from desktop.change_words import change_message, describe, field_word, item_name, value_text
from resources.words import tr

UNDO_LIMIT = 200


class UndoHost(Protocol):
    """What the undo history needs of the app's context (desktop.context.AppContext)."""

    conn: sqlite3.Connection
    language: str
    status_message: Any  # Signal(str)

    def op_info(self, description: str = "") -> OpInfo: ...

    def notify(self, changes: OpChanges) -> None: ...


def undoable(changes: OpChanges) -> bool:
    return bool(changes) and all(c.table in REGIONAL for c in changes.changes)


def writes_of(changes: OpChanges, side: str) -> list[RowWrite]:
    """The row writes that restore the `old` (side='old') or `new` values of `changes`, each
    guarded by the value the other side left in the field."""
    other = "new" if side == "old" else "old"
    rows: dict[tuple[str, tuple], tuple[dict[str, Any], dict[str, Any]]] = {}
    for change in changes.changes:
        values, expected = rows.setdefault((change.table, change.key), ({}, {}))
        values[change.field] = getattr(change, side)
        expected[change.field] = getattr(change, other)
    return [RowWrite(table, key, values, expected)
            for (table, key), (values, expected) in rows.items()]


HOW = {"import": "undo_status.how_import", "review": "undo_status.how_review",
       "ui": "undo_status.how_edit", "cli": "undo_status.how_edit",
       "demo": "undo_status.how_demo"}


def how_changed(moved: Moved, lang: str) -> str:
    """'импортом файла ret.xlsx', 'решением министерства', 'другой правкой (Айгерім)'."""
    origin = moved.origin
    key = HOW.get(origin.source, "undo_status.how_other") if origin else "undo_status.how_other"
    if key == "undo_status.how_import" and not (origin and origin.file_name):
        key = "undo_status.how_other"
    return tr(key, lang, file=origin.file_name if origin else "",
              user=origin.user if origin else "")


def refusal(exc: ChangedSince, lang: str, conn: sqlite3.Connection, *, undo: bool) -> str:
    """The status bar's words for a refused step: the first field that moved, how, and its
    value now; how many more moved."""
    first = exc.moved[0]
    more = len({(m.table, m.key, m.field) for m in exc.moved}) - 1
    text = tr("undo_status.refused_undo" if undo else "undo_status.refused_redo", lang,
              item=item_name(conn, first.table, first.key, lang),
              field=field_word(first.field, lang, lower=True), how=how_changed(first, lang),
              now=value_text(first.field, first.current, lang))
    return text + (tr("undo_status.more_fields", lang, count=more) if more else "")


class Step(QUndoCommand):
    """One step of the history: what one operation changed. Pushing calls redo(); the change is
    already in the database then, so that first call writes nothing."""

    def __init__(self, host: UndoHost, changes: OpChanges) -> None:
        super().__init__()
        self.host = host
        self.changes = changes
        self._already_done = True
        self.retranslate(host.language)

    def title(self, lang: str) -> str:
        """What the step did, for the Edit menu."""
        return describe(self.changes, lang, self.host.conn)

    def done_message(self, lang: str, *, undone: bool) -> str:
        what = change_message(self.changes, lang, self.host.conn, reverse=undone)
        return tr("ui.undo.undone" if undone else "ui.undo.redone", lang, what=what)

    def redo(self) -> None:
        if self._already_done:
            self._already_done = False
            return
        self._apply("new", "ui.undo.redo_op")

    def undo(self) -> None:
        self._apply("old", "ui.undo.undo_op")

    def _apply(self, side: str, word: str) -> None:
        host, lang = self.host, self.host.language
        info = host.op_info(tr(word, "en", what=self.title("en")))
        try:
            result = apply_writes(host.conn, writes_of(self.changes, side), info,
                                  marks=self.marks(side))
        except ChangedSince as exc:
            host.status_message.emit(refusal(exc, lang, host.conn, undo=side == "old"))
            self.setObsolete(True)
            return
        except PlanMonitorError as exc:
            host.status_message.emit(exc.message(lang))
            self.setObsolete(True)
            return
        host.notify(result)
        host.status_message.emit(self.done_message(lang, undone=side == "old"))

    def marks(self, _side: str) -> list[ReceivedMark]:
        """What the rows received from another office, rewritten with the step (none)."""
        return []

    def retranslate(self, lang: str) -> None:
        self.setText(self.title(lang))

    def action_text(self, lang: str, *, undo: bool) -> str:
        return tr("ui.action.undo_what" if undo else "ui.action.redo_what", lang,
                  what=self.title(lang))


class ImportStep(Step):
    """An applied import as one step: undoing it restores the old values of the fields it
    changed and empties the rows it added, only where they still hold what the import wrote."""

    def __init__(self, host: UndoHost, changes: OpChanges, file_name: str) -> None:
        self.file_name = file_name
        super().__init__(host, changes)

    def title(self, lang: str) -> str:
        return tr("undo_status.import_step", lang, file=self.file_name)

    def marks(self, side: str) -> list[ReceivedMark]:
        """Undone, the file's rows forget they received it: importing it again lands."""
        if side != "old":
            return []
        return [forgotten(table, key) for table, key in {(c.table, c.key)
                                                          for c in self.changes.changes}]

    def done_message(self, lang: str, *, undone: bool) -> str:
        return tr("undo_status.import_undone" if undone else "undo_status.import_redone", lang,
                  file=self.file_name)

    def action_text(self, lang: str, *, undo: bool) -> str:
        return tr("undo_status.undo_import" if undo else "undo_status.redo_import", lang,
                  file=self.file_name)


def new_stack(parent: Any) -> QUndoStack:
    stack = QUndoStack(parent)
    stack.setUndoLimit(UNDO_LIMIT)
    return stack


def record_edit(host: UndoHost, stack: QUndoStack, changes: OpChanges) -> None:
    """Keep an edit for undo and say in the status bar what it changed, in words (so no saved
    change goes unseen)."""
    if undoable(changes):
        stack.push(Step(host, changes))
        host.status_message.emit(change_message(changes, host.language, host.conn))


def record_import(host: UndoHost, stack: QUndoStack, changes: OpChanges, file_name: str) -> None:
    """Keep an applied import as one step of the history ("Undo import of ret.xlsx")."""
    if undoable(changes):
        stack.push(ImportStep(host, changes, file_name))


def action_texts(stack: QUndoStack, lang: str) -> tuple[str, str]:
    """The Edit menu's Undo and Redo words for the steps next in line ('' when none)."""
    index = stack.index()

    def text(at: int, undo: bool) -> str:
        command = stack.command(at) if 0 <= at < stack.count() else None
        return command.action_text(lang, undo=undo) if isinstance(command, Step) else ""

    return text(index - 1, True), text(index, False)


def retranslate_stack(stack: QUndoStack, lang: str) -> None:
    for index in range(stack.count()):
        command = stack.command(index)
        if isinstance(command, Step):
            command.retranslate(lang)

