"""Undoing a row's first edit restores the true before-state: the row the edit created is left
with nothing in it, and a row with nothing in it counts as not reported (completeness, the
dashboard's numbers, the periods with data, the center's 'anything to accept'), exactly like a
row that never existed. Driven through the real window: type into a grid, Ctrl+Z (Edit > Undo)."""

from __future__ import annotations

import sqlite3

import pytest

from db import queries, review, rules
from db.ops import REGIONAL
from desktop.models import gender as g
from desktop.models import indicators as ind
from tests.conftest import PERIOD, REGION
from tests.test_desktop_grids import type_into_cell


def counted(conn: sqlite3.Connection) -> tuple:
    """Everything that counts what a region reported for the period."""
    report = queries.completeness(conn, REGION, PERIOD, "ru")
    reported = [a.no for a in queries.action_rows(conn, REGION, PERIOD, "ru") if a.reported]
    return (report.filled, report.required, [(m.kind, m.key, m.reason) for m in report.missing],
            reported, PERIOD in queries.periods_with_data(conn, REGION),
            review.has_figures(conn, REGION, PERIOD))


def stored_rows(conn: sqlite3.Connection, table: str) -> int:
    return conn.execute(f"SELECT COUNT(*) FROM {table} WHERE region_code = ? AND period_code = ?",
                        (REGION, PERIOD)).fetchone()[0]


@pytest.mark.parametrize(("page_key", "column"), [("gender", g.WOMEN), ("indicators", ind.VALUE)])
def test_undoing_a_first_figure_counts_as_never_reported(qtbot, window, page_key: str,
                                                         column: int) -> None:
    conn = window.ctx.conn
    before = counted(conn)
    assert before[-2:] == (False, False)
    window.show_page(page_key)
    page = window.page(page_key)
    row = 0 if page_key == "gender" else next(
        r for r in range(page.model.rowCount()) if page.model.row_at(r).unit == "count")
    type_into_cell(qtbot, page.view, page.model.index(row, column), "3")
    assert counted(conn)[-2:] == (True, True), "the typed figure is reported"

    window.undo_action.trigger()  # Ctrl+Z
    assert page.model.index(row, column).data() == ""
    assert stored_rows(conn, "gender_figure" if page_key == "gender" else "indicator_value") == 1
    assert counted(conn) == before, "the emptied row is counted as it was: not reported"

    window.redo_action.trigger()
    assert counted(conn)[-2:] == (True, True)


def test_undoing_an_actions_first_status_leaves_it_not_reported(qtbot, window) -> None:
    conn = window.ctx.conn
    before = counted(conn)
    assert ("action", "1", "missing.action_not_reported") in before[2]
    window.show_page("actions")
    editor = window.page("actions").editor
    window.page("actions").focus_item(1)
    editor.status_combo.setCurrentIndex(rules.STATUSES.index("not_applicable"))
    editor.status_combo.activated.emit(editor.status_combo.currentIndex())  # as a click does
    after_edit = counted(conn)
    assert 1 in after_edit[3] and after_edit[0] == before[0] + 1

    window.undo_action.trigger()
    assert editor.status_combo.currentIndex() == -1, "no status: none of the four chosen"
    assert editor.status_combo.placeholderText() == "Статус не указан"
    assert stored_rows(conn, "action_report") == 1
    assert counted(conn) == before, "action 1 is missing again, as before the edit"


def test_empty_values_are_the_write_paths_defaults() -> None:
    """rules.EMPTY_VALUES must follow db.ops.REGIONAL's defaults, or counting drifts."""
    assert rules.EMPTY_VALUES == {t: dict(spec.defaults) for t, spec in REGIONAL.items()}


@pytest.mark.parametrize("table", sorted(REGIONAL))
def test_holds_values_in_sql_and_python_agree(region_db: sqlite3.Connection, table: str) -> None:
    empty = rules.EMPTY_VALUES[table]
    samples = [dict(empty), {**empty, **{n: None for n in empty if empty[n] == ""}}]
    for name, value in empty.items():
        samples.append({**empty, name: 5 if value is None else "in_progress"
                        if name == "status" else "текст"})
    for values in samples:
        names = list(values)
        select = ", ".join(f"? AS {n}" for n in names)
        got = region_db.execute(f"SELECT {rules.holds_values_sql(table, 't')} FROM "
                                f"(SELECT {select}) t", list(values.values())).fetchone()[0]
        assert bool(got) == rules.holds_values(table, values), values
    assert not rules.holds_values(table, empty)
