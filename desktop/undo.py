"""Undo and redo of edits. An edit made through `AppContext.run_op` is recorded as the fields it
changed; undoing it writes the old values back through db.ops (so the undo is audited too) and
redoing writes the new ones again. Changes outside the regional tables (attachments) are not
undoable and are not recorded.

Undoing a row's first edit leaves the row with the write path's empty values (db.ops has no
delete); such a row counts as never reported everywhere the core counts reports
(rules.EMPTY_VALUES, rules.holds_values_sql)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtGui import QUndoCommand, QUndoStack

from db.audit import OpChanges
from db.errors import PlanMonitorError
from db.ops import REGIONAL, RowWrite, apply_writes
from desktop.change_words import change_message, describe
from resources.words import tr

if TYPE_CHECKING:  # the context imports this module: its type is for annotations only
    from desktop.context import AppContext

UNDO_LIMIT = 200


def undoable(changes: OpChanges) -> bool:
    return bool(changes) and all(c.table in REGIONAL for c in changes.changes)


def writes_of(changes: OpChanges, side: str) -> list[RowWrite]:
    """The row writes that restore the `old` (side='old') or `new` values of `changes`."""
    rows: dict[tuple[str, tuple], dict[str, Any]] = {}
    for change in changes.changes:
        rows.setdefault((change.table, change.key), {})[change.field] = getattr(change, side)
    return [RowWrite(table, key, values) for (table, key), values in rows.items()]


class EditCommand(QUndoCommand):
    def __init__(self, ctx: AppContext, changes: OpChanges) -> None:
        super().__init__(describe(changes, ctx.language, ctx.conn))
        self.ctx = ctx
        self.changes = changes
        self._already_done = True  # pushing calls redo(); the edit is already in the database

    def redo(self) -> None:
        if self._already_done:
            self._already_done = False
            return
        self._apply("new", "ui.undo.redo_op", "ui.undo.redone")

    def undo(self) -> None:
        self._apply("old", "ui.undo.undo_op", "ui.undo.undone")

    def _apply(self, side: str, word: str, done: str) -> None:
        info = self.ctx.op_info(tr(word, "en", what=describe(self.changes, "en", self.ctx.conn)))
        try:
            result = apply_writes(self.ctx.conn, writes_of(self.changes, side), info)
        except PlanMonitorError as exc:
            self.ctx.status_message.emit(exc.message(self.ctx.language))
            self.setObsolete(True)
            return
        self.ctx.notify(result)
        what = change_message(self.changes, self.ctx.language, self.ctx.conn,
                              reverse=side == "old")
        self.ctx.status_message.emit(self.ctx.tr(done, what=what))

    def retranslate(self, lang: str) -> None:
        self.setText(describe(self.changes, lang, self.ctx.conn))


def new_stack(parent: Any) -> QUndoStack:
    stack = QUndoStack(parent)
    stack.setUndoLimit(UNDO_LIMIT)
    return stack


def record_edit(ctx: AppContext, changes: OpChanges) -> None:
    """Keep an edit for undo and say in the status bar what it changed, in words (so no saved
    change goes unseen)."""
    if undoable(changes):
        ctx.undo_stack.push(EditCommand(ctx, changes))
        ctx.status_message.emit(change_message(changes, ctx.language, ctx.conn))


def retranslate_stack(stack: QUndoStack, lang: str) -> None:
    for index in range(stack.count()):
        command = stack.command(index)
        if isinstance(command, EditCommand):
            command.retranslate(lang)
