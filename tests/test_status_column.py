"""The action list's status column holds the longest status word of the language (issue 22:
the grid cut «Исполне…» once a row became «Исполнено» after the column was sized)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from db import rules
from db.ops import update_action
from tests.conftest import PERIOD, REGION


@pytest.mark.parametrize("lang", ["ru", "kk"])
def test_every_status_word_fits_its_column(qtbot, region_db: sqlite3.Connection, db_path: Path,
                                           lang: str) -> None:
    from desktop.app import create_main_window
    from desktop.models.actions import STATUS

    window = create_main_window(db_path, language=lang)
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    window.ctx.set_selection(period=PERIOD)
    window.show_page("actions")
    page = window.page("actions")
    qtbot.waitExposed(window)
    ctx = window.ctx
    for no, status in enumerate(rules.STATUSES, start=1):  # set after the column was sized
        ctx.run_op(update_action, REGION, PERIOD, no, ctx.op_info(), status=status)
    tree, proxy = page.tree, page.tree.model()
    metrics = tree.fontMetrics()
    dot = max(8, metrics.height() // 2)
    seen = set()
    for section in range(proxy.rowCount()):
        parent = proxy.index(section, 0)
        for row in range(proxy.rowCount(parent)):
            index = proxy.index(row, STATUS, parent)
            word = index.data()
            seen.add(word)
            room = tree.visualRect(index).width() - 10 - (dot + 8)  # as StatusDelegate paints
            assert metrics.horizontalAdvance(word) <= room, (word, room)
    assert {rules.status_label(s, lang) for s in rules.STATUSES} <= seen
