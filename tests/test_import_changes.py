"""What an applied import tells its callers (the views' refresh, the undo step, the CLI's count):
every value it wrote, whether they came from rows already stored or rows it added, however the
caller takes them (iterating, counting, extending a list or another operation's changes)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from db.audit import OpChanges
from db.demo import fill_demo
from db.office import load_office
from exports.importer import import_one
from exports.xlsx_export import export_return
from tests.conftest import PERIOD, REGION


def first_return_at_the_center(region_db: sqlite3.Connection, center_db: sqlite3.Connection,
                               tmp_path: Path) -> OpChanges:
    fill_demo(region_db, load_office(region_db))
    path = export_return(region_db, REGION, PERIOD, "ru", tmp_path / "return.xlsx")
    outcome = import_one(center_db, path, load_office(center_db))
    assert outcome.result == "applied", outcome.message
    assert outcome.plan is not None and outcome.plan.added_count > 0
    return outcome.changes


def test_every_added_value_reaches_whoever_reads_the_changes(
        region_db: sqlite3.Connection, center_db: sqlite3.Connection, tmp_path: Path) -> None:
    changes = first_return_at_the_center(region_db, center_db, tmp_path)
    stored = center_db.execute(
        "SELECT (SELECT COUNT(*) FROM action_report) + (SELECT COUNT(*) FROM gender_figure)"
        " + (SELECT COUNT(*) FROM indicator_value)").fetchone()[0]
    listed = list(changes.changes)
    assert changes and len(changes.changes) == len(listed) > 0
    assert len({(c.table, c.key) for c in listed}) == stored  # each added row, none twice
    assert {c.table for c in listed} == {"action_report", "gender_figure", "indicator_value"}
    taken: list = []
    taken.extend(changes.changes)
    assert taken == listed
    together = OpChanges()
    together.extend(changes)  # as the center page gathers a batch's imports
    assert together.keys == changes.keys and len(together.changes) == len(listed)


def test_the_undo_menu_can_name_an_import_of_new_rows_only(
        region_db: sqlite3.Connection, center_db: sqlite3.Connection, tmp_path: Path) -> None:
    from desktop.change_words import describe

    changes = first_return_at_the_center(region_db, center_db, tmp_path)
    assert describe(changes, "ru", center_db)
