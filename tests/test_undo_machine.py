"""Undo that cannot destroy data, as a Hypothesis state machine over the real context and its
undo history, a real SQLite file and real .xlsx files: typed edits (through db.ops as the grids
do, `AppContext.run_op`), undo, redo, imports of edited files applied as the import wizard
applies them (one step of the history), and changes made outside the history (the command line,
another window: an import or an edit). After every step the stored values equal a plain model of
the history, which refuses an undo or redo where a field no longer holds what its step wrote, and
drops that step as Qt drops an obsolete command. So no undo or redo ever changes a field that
another step changed since, and a refusal writes nothing and says so."""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule, run_state_machine_as_test

from db import ops
from db.audit import OpInfo
from db.office import load_office
from db.workbook import init_database, open_workbook
from desktop.context import AppContext, Selection
from exports.importer import apply_import, plan_import
from exports.xlsx_export import export_return
from tests.conftest import PERIOD, REGION
from tests.exchange_editing import edit

CELLS = (("IND-03", "total"), ("IND-03", "urban"))
TYPED = st.sampled_from((None, 1, 2))
IN_FILE = st.sampled_from((1, 2))  # an empty cell in a file is not a value to clear
CELL = st.sampled_from(CELLS)
_TEMPLATE: dict[str, Path] = {}


def template() -> Path:
    """One freshly made region workbook, copied for each example (making one takes a while)."""
    if "path" not in _TEMPLATE:
        path = Path(tempfile.mkdtemp(prefix="undo-machine-")) / "template.sqlite3"
        init_database(path, mode="region", region_code=REGION, user_name="Айгерім",
                      language="ru")
        _TEMPLATE["path"] = path
    return _TEMPLATE["path"]


@dataclass
class ModelStep:
    changes: dict[tuple[str, str], tuple[Any, Any]]  # cell -> (old, new)


class UndoMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.folder = Path(tempfile.mkdtemp(prefix="undo-example-"))
        self.db_path = self.folder / "workbook.sqlite3"
        shutil.copy(template(), self.db_path)
        self.conn = open_workbook(self.db_path)
        self.ctx = AppContext(self.conn, self.db_path, Selection(REGION, PERIOD))
        self.messages: list[str] = []
        self.ctx.status_message.connect(self.messages.append)
        self.values: dict[tuple[str, str], Any] = dict.fromkeys(CELLS)
        self.steps: list[ModelStep] = []
        self.index = 0
        self.files = 0

    # --- the model's history, as QUndoStack keeps it ----------------------------------------
    def push(self, changes: dict[tuple[str, str], tuple[Any, Any]]) -> None:
        if changes:
            del self.steps[self.index:]
            self.steps.append(ModelStep(changes))
            self.index += 1
        for cell, (_, new) in changes.items():
            self.values[cell] = new

    def take_step(self, at: int, side: int) -> bool:
        """Apply step `at`'s old (side 0) or new (1) values where every field holds the other
        side; else the step is refused and leaves the history. Whether it applied."""
        step = self.steps[at]
        if all(self.values[cell] == pair[1 - side] for cell, pair in step.changes.items()):
            for cell, pair in step.changes.items():
                self.values[cell] = pair[side]
            return True
        del self.steps[at]
        return False

    def changes_to(self, cell: tuple[str, str], value: Any) -> dict:
        return {} if self.values[cell] == value else {cell: (self.values[cell], value)}

    # --- what a person does -------------------------------------------------------------------
    @rule(cell=CELL, value=TYPED)
    def type_value(self, cell: tuple[str, str], value: Any) -> None:
        expected = self.changes_to(cell, value)
        self.ctx.run_op(ops.update_indicator, REGION, PERIOD, *cell, self.ctx.op_info(),
                        value=value)
        self.push(expected)

    @rule()
    def undo(self) -> None:
        stored_before = self.stored()
        self.messages.clear()
        self.ctx.undo()
        if self.index == 0:
            return
        self.index -= 1
        if not self.take_step(self.index, 0):
            assert self.stored() == stored_before, "a refused undo wrote something"
            assert self.messages and self.messages[-1].startswith("Отмена не выполнена")

    @rule()
    def undo_again(self) -> None:
        """Ctrl+Z pressed more than once is what finds a step whose fields moved."""
        self.undo()

    @rule()
    def redo(self) -> None:
        stored_before = self.stored()
        self.messages.clear()
        self.ctx.redo()
        if self.index == len(self.steps):
            return
        if self.take_step(self.index, 1):
            self.index += 1
        else:
            assert self.stored() == stored_before, "a refused redo wrote something"
            assert self.messages and self.messages[-1].startswith("Повтор не выполнен")

    @rule(cell=CELL, value=IN_FILE, in_history=st.booleans())
    def import_edited_file(self, cell: tuple[str, str], value: int, in_history: bool) -> None:
        """Export the return, change one value in the file, import it: through the wizard's
        apply (one step of the history), or elsewhere (the command line: no step here)."""
        self.files += 1
        path = export_return(self.conn, REGION, PERIOD, "ru", self.folder / f"r{self.files}.xlsx")
        edit(path, "ru", {"indicators": [(cell, "value", value)]})
        plan = plan_import(self.conn, path, load_office(self.conn))
        assert plan.ok and not plan.conflicts, plan.refused
        expected = self.changes_to(cell, value)
        changes = apply_import(self.conn, plan, "Айгерім")
        if in_history:
            self.ctx.notify(changes)
            self.ctx.record_import(changes, path.name)
            self.push(expected)
        else:
            self.values.update({c: new for c, (_, new) in expected.items()})

    @rule(cell=CELL, value=TYPED)
    def edit_elsewhere(self, cell: tuple[str, str], value: Any) -> None:
        """Another person's edit (the command line): not in this window's history."""
        ops.update_indicator(self.conn, REGION, PERIOD, *cell, OpInfo("Дана", "cli"),
                             value=value)
        self.values[cell] = value

    @rule(cell=CELL, value=TYPED)
    def edit_elsewhere_again(self, cell: tuple[str, str], value: Any) -> None:
        """(Weights the outside edits that make undo and redo refuse.)"""
        self.edit_elsewhere(cell, value)

    # --- what must hold -----------------------------------------------------------------------
    def stored(self) -> dict[tuple[str, str], Any]:
        rows = self.conn.execute(
            "SELECT indicator_code, disaggregation_code, value FROM indicator_value "
            "WHERE region_code = ? AND period_code = ?", (REGION, PERIOD)).fetchall()
        found = {(code, dis): value for code, dis, value in rows}
        return {cell: found.get(cell) for cell in CELLS}

    @invariant()
    def stored_values_follow_the_model(self) -> None:
        assert self.stored() == self.values
        stack = self.ctx.undo_stack
        assert (stack.count(), stack.index()) == (len(self.steps), self.index)

    def teardown(self) -> None:
        self.ctx.undo_stack.clear()
        self.conn.close()
        shutil.rmtree(self.folder, ignore_errors=True)


def test_no_undo_or_redo_changes_a_field_another_step_changed_since(qapp) -> None:
    run_state_machine_as_test(UndoMachine, settings=settings(
        max_examples=15, stateful_step_count=20, deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large]))

