"""The import preview and the status bar after applying count the same thing (issue 22: the
preview said 3 changes, the status bar «изменено значений: 4» after a conflict was taken from
the file)."""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

from db import ops
from desktop.context import AppContext, Selection
from desktop.dialogs import import_wizard as iw
from exports.xlsx_export import export_return
from tests.conftest import PERIOD, REGION
from tests.test_desktop_exchange import bodies, set_in_file, wait_job


def test_preview_and_status_bar_give_the_same_count(qtbot, region_db: sqlite3.Connection,
                                                    db_path: Path, tmp_path: Path) -> None:
    ctx = AppContext(region_db, db_path, Selection(REGION, PERIOD))
    first, second, third, fourth = bodies(region_db)[:4]
    for body in (first, second, third, fourth):
        ops.update_gender(region_db, REGION, PERIOD, body, ctx.op_info(), women=10, total=40)
    path = export_return(region_db, REGION, PERIOD, "ru", tmp_path / "return.xlsx")
    ops.update_gender(region_db, REGION, PERIOD, first, ctx.op_info(), women=11)  # here
    for body, women in ((first, 15), (second, 16), (third, 17), (fourth, 18)):  # in the file
        set_in_file(path, "gender", body, "women", women)
    messages: list[str] = []
    ctx.status_message.connect(messages.append)
    wizard = iw.ImportWizard(ctx, path)
    qtbot.addWidget(wizard)
    wizard.show()
    wizard.next()
    wait_job(qtbot, wizard.preview_page.job)
    tab = wizard.preview_page.tabs.tabText(0)
    previewed = int(re.search(r"\d+", tab).group())
    assert previewed == 3 and len(wizard.plan.conflicts) == 1
    wizard.next()
    wizard.conflicts_page.take_all_file.click()
    wizard.next()
    wait_job(qtbot, wizard.summary_page.job)
    said = messages[-1]
    assert re.search(r"изменено значений: (\d+)", said).group(1) == str(previewed), said
    assert "конфликтов разрешено: 1" in said
    assert "Изменено значений: 3;" in wizard.summary_page.text.text()
