"""One rounding rule for percentages: the Overview says what the PDF says (issue 22: «14 %»
on the Overview where the PDF says «13,5 %»)."""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

from pypdf import PdfReader

from db.ops import update_action
from exports.pdf_report import build_region_report
from tests.conftest import PERIOD, REGION, TODAY


def test_overview_and_pdf_give_the_same_progress(qtbot, region_db: sqlite3.Connection,
                                                 db_path: Path, tmp_path: Path) -> None:
    from desktop.app import create_main_window

    window = create_main_window(db_path)
    qtbot.addWidget(window)
    ctx = window.ctx
    ctx.set_selection(period=PERIOD)
    for no in (1, 2):  # 2 of 27 completed: 7.4 %, which a whole-number rule shows as 7
        ctx.run_op(update_action, REGION, PERIOD, no, ctx.op_info(), status="completed")
    window.show()
    window.show_page("dashboard")
    window.page("dashboard").refresh()
    overview = window.page("dashboard").overall.text()
    assert "7,4\u00a0%" in overview or "7,4 %" in overview, overview
    pdf = build_region_report(ctx.conn, REGION, PERIOD, "ru", tmp_path / "r.pdf", today=TODAY)
    text = " ".join(p.extract_text() for p in PdfReader(pdf).pages)
    assert re.search(r"7,4\s*%", text) and not re.search(r"(?<![\d,])7\s*%", text)
