"""The desktop wizard refuses the sparse file (cells at A1 and XFD1048576) and a return with a
value outside the form, and no reader thread goes on parsing after the refusal (issue 21)."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

import pytest

from desktop.context import AppContext, Selection
from desktop.dialogs import import_wizard as iw
from exports.xlsx_export import export_return
from tests import hostile_workbooks as hw
from tests.conftest import PERIOD, REGION

WAIT_MS = 60_000


@pytest.fixture
def ctx(region_db: sqlite3.Connection, db_path: Path) -> AppContext:
    return AppContext(region_db, db_path, Selection(REGION, PERIOD))


def _readers(path: Path) -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name == f"read {path.name}"]


@pytest.mark.parametrize("kind", ["sparse", "stray"])
def test_the_wizard_refuses_and_reads_no_further(qtbot, ctx: AppContext, region_db,
                                                 tmp_path: Path, kind: str) -> None:
    if kind == "sparse":
        path = hw.sparse_corners(tmp_path / "sparse.xlsx")
    else:
        good = export_return(region_db, REGION, PERIOD, "ru", tmp_path / "good.xlsx")
        path = hw.add_stray_cell(good, tmp_path / "stray.xlsx", "XFD1048576")
    wizard = iw.ImportWizard(ctx, path)
    qtbot.addWidget(wizard)
    wizard.show()
    wizard.next()
    qtbot.waitUntil(lambda: wizard.preview_page.job.done, timeout=WAIT_MS)
    plan = wizard.plan
    assert plan is not None and not plan.ok
    assert not wizard.preview_page.isComplete()
    if kind == "stray":
        errors = wizard.preview_page.errors
        row = [errors.item(0, c) for c in range(errors.columnCount())]
        assert "XFD1048576" in " ".join(item.text() for item in row if item is not None)
    qtbot.waitUntil(lambda: not any(t.is_alive() for t in _readers(path)), timeout=WAIT_MS)
