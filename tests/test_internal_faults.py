"""A bug is not a bad file: an exception nobody expected inside an import (forced here by
replacing the return kind's handler for one test) is logged with its traceback, told as the
app's internal error in the CLI and on screen, and leaves the database as it was."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from db.errors import InternalError
from db.office import load_office
from db.ops import update_gender
from exports.importer import KIND_HANDLERS, KindHandler, apply_import, plan_import
from exports.xlsx_export import export_return
from planmonitor.cli import main
from resources.logs import flush, log_file, setup_logging
from resources.words import tr
from tests.conftest import PERIOD, REGION, dump
from tests.exchange_editing import edit

FAULT = "forced fault 7f3a"  # a text that can only come from this test's exception


def boom(*_args: object) -> None:
    raise RuntimeError(FAULT)


@pytest.fixture
def edited_return(region_db: sqlite3.Connection, tmp_path: Path) -> Path:
    """A region's return with one changed figure: importing it would write."""
    from db.audit import OpInfo

    body = "akim_deputies"
    update_gender(region_db, REGION, PERIOD, body, OpInfo(user="u", source="ui"),
                  women=2, total=8)
    path = export_return(region_db, REGION, PERIOD, "ru", tmp_path / "Есеп KZ-75.xlsx")
    return edit(path, "ru", {"gender": [(body, "women", "3")]})


REAL = KIND_HANDLERS["return"]


def faulty_planner(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(KIND_HANDLERS, "return", KindHandler(boom, REAL.apply))


def faulty_apply(monkeypatch: pytest.MonkeyPatch) -> None:
    """The real apply writes its rows, then fails: the transaction must take them back."""
    real = REAL

    def apply_then_fail(*args: object) -> None:
        real.apply(*args)
        boom()

    monkeypatch.setitem(KIND_HANDLERS, "return", KindHandler(real.plan, apply_then_fail))


def log_text() -> str:
    flush()
    return log_file().read_text(encoding="utf-8")


def test_a_fault_while_planning_is_the_apps_not_the_files(
        region_db: sqlite3.Connection, edited_return: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    setup_logging("test")
    faulty_planner(monkeypatch)
    before = dump(region_db)
    plan = plan_import(region_db, edited_return, load_office(region_db))
    assert isinstance(plan.refused, InternalError)
    assert plan.refused.key == "error.internal"
    assert edited_return.name in plan.refused.message("ru")
    assert str(log_file()) in plan.refused.message("ru")
    logged = log_text()
    assert "Traceback" in logged and edited_return.name in logged
    assert f"RuntimeError: (message of {len(FAULT)} characters withheld" in logged
    assert FAULT not in logged, "a message may quote the data: the log keeps none"
    assert 'in boom\n    raise RuntimeError(FAULT)' in logged, "where it was raised"
    assert dump(region_db) == before


def test_a_fault_while_applying_changes_nothing(
        region_db: sqlite3.Connection, edited_return: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    setup_logging("test")
    plan = plan_import(region_db, edited_return, load_office(region_db))
    assert plan.ok and plan.has_changes
    faulty_apply(monkeypatch)
    before = dump(region_db)
    with pytest.raises(InternalError) as raised:
        apply_import(region_db, plan, "u")
    assert raised.value.key == "error.internal"
    assert dump(region_db) == before
    assert "Traceback" in log_text() and "in apply_then_fail" in log_text()


@pytest.mark.parametrize("fault", [faulty_planner, faulty_apply])
def test_the_command_line_says_internal_error(
        region_db: sqlite3.Connection, db_path: Path, edited_return: Path, fault,
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    fault(monkeypatch)
    before = dump(region_db)
    status = main(["import", "--db", str(db_path), "--lang", "en", str(edited_return)])
    out = capsys.readouterr()
    assert status == 1
    said = out.out + out.err
    assert tr("error.internal", "en", file=edited_return.name, log=str(log_file())) in said
    assert "unexpected" not in said.lower() and FAULT not in said
    assert dump(region_db) == before
    logged = log_text()
    assert "Traceback" in logged and "RuntimeError" in logged and "in boom" in logged
    assert "start command import" in logged


def test_a_fault_in_any_command_exits_3_and_is_logged(
        region_db: sqlite3.Connection, db_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    from planmonitor.commands import core

    monkeypatch.setattr(core, "check_database", boom)
    assert main(["check", "--db", str(db_path), "--lang", "kk"]) == 3
    assert capsys.readouterr().err.strip() == tr("error.internal_any", "kk",
                                                 log=str(log_file()))
    assert "in boom" in log_text() and "command check" in log_text()


def test_the_import_wizard_shows_the_internal_error(
        qtbot, region_db: sqlite3.Connection, db_path: Path, edited_return: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    from desktop.context import AppContext, Selection
    from desktop.dialogs import import_wizard as iw

    setup_logging("test")
    ctx = AppContext(region_db, db_path, Selection(REGION, PERIOD))
    before = dump(region_db)
    def previewed() -> iw.ImportWizard:
        wizard = iw.ImportWizard(ctx, edited_return)
        qtbot.addWidget(wizard)
        wizard.show()
        wizard.next()
        qtbot.waitUntil(lambda: wizard.preview_page.job.done, timeout=30_000)
        return wizard

    faulty_planner(monkeypatch)
    wizard = previewed()
    expected = tr("error.internal", "ru", file=edited_return.name, log=str(log_file()))
    assert expected in wizard.preview_page.verdict.text()
    assert not wizard.preview_page.isComplete()
    assert dump(region_db) == before

    faulty_apply(monkeypatch)
    wizard = previewed()
    assert wizard.preview_page.isComplete()
    wizard.next()
    qtbot.waitUntil(lambda: wizard.summary_page.job.done, timeout=30_000)
    assert not wizard.summary_page.applied
    assert expected in wizard.summary_page.text.text()
    assert dump(region_db) == before
    assert log_text().count("raise RuntimeError(FAULT)") >= 2
