"""The center page's heat map of status over eight periods: the cells say the returns' statuses
and a double click opens the region's action for that period."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from desktop.context import AppContext, Selection
from desktop.pages.center import CenterPage
from tests.conftest import PERIOD
from tests.national_helpers import center_fixture, center_template_fixture  # noqa: F401


def test_heatmap_tab_shows_statuses_and_opens_a_cell(qtbot, center: sqlite3.Connection,
                                                     tmp_path: Path) -> None:
    ctx = AppContext(center, tmp_path / "center" / "center.sqlite3", Selection("KZ-10", PERIOD))
    page = CenterPage(ctx)
    qtbot.addWidget(page)
    page.tabs.setCurrentIndex(2)
    heatmap = page.heatmap
    heatmap.action.setCurrentIndex(heatmap.action.findData(4))
    table = heatmap.table
    assert table.columnCount() == 8 and table.rowCount() == 21
    row = [r.code for r in heatmap.history.regions].index("KZ-75")
    status = center.execute("SELECT status FROM action_report WHERE region_code = 'KZ-75' AND "
                            "period_code = ? AND action_no = 4", (PERIOD,)).fetchone()[0]
    assert table.item(row, 7).toolTip().endswith(ctx.tr(f"status.{status}"))
    opened = []
    ctx.navigate.connect(lambda key, item: opened.append((key, item)))
    table.cellDoubleClicked.emit(row, 6)
    assert opened == [("actions", 4)]
    assert (ctx.selection.region, ctx.selection.period) == ("KZ-75", "2026-Q2")


def test_women_tab_draws_a_line_per_body(qtbot, center: sqlite3.Connection,
                                         tmp_path: Path) -> None:
    ctx = AppContext(center, tmp_path / "center" / "center.sqlite3", Selection("KZ-10", PERIOD))
    page = CenterPage(ctx)
    qtbot.addWidget(page)
    page.resize(1000, 700)
    page.tabs.setCurrentIndex(3)
    lines = page.share_lines
    bodies = center.execute("SELECT count(*) FROM gender_body").fetchone()[0]
    assert len(lines.series) == bodies and lines.periods[-1] == PERIOD
    assert not lines.grab().isNull()
