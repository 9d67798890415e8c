"""Undoing a text edit says what changed: the two sides of the arrow differ (issue 22: a long
note edited past its 40th character was shown shortened, the same on both sides)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from db.ops import update_action
from tests.conftest import PERIOD, REGION

BEFORE = "Проведён обучающий семинар для сотрудников акимата, участвовало 40 человек"
AFTER = "Проведён обучающий семинар для сотрудников акимата, участвовало 45 человек"


def sides(message: str) -> tuple[str, str]:
    left, right = message.split("→")
    return left.rsplit("«", 1)[1], right.split("»")[0]


def test_undo_of_a_text_edit_shows_what_changed(qtbot, region_db: sqlite3.Connection,
                                                db_path: Path) -> None:
    from desktop.app import create_main_window

    window = create_main_window(db_path)
    qtbot.addWidget(window)
    ctx = window.ctx
    messages: list[str] = []
    ctx.status_message.connect(messages.append)
    ctx.run_op(update_action, REGION, PERIOD, 3, ctx.op_info(), progress_note=BEFORE)
    ctx.run_op(update_action, REGION, PERIOD, 3, ctx.op_info(), progress_note=AFTER)
    window.undo_action.trigger()
    row = next(a for a in region_db.execute(
        "SELECT progress_note FROM action_report WHERE action_no = 3"))
    assert row[0] == BEFORE
    old, new = sides(messages[-1])
    assert old != new and "45" in old and "40" in new, messages[-1]


def test_both_sides_keep_the_difference_in_sight() -> None:
    from desktop.change_words import TEXT_LIMIT, values_text

    old, new = values_text("progress_note", BEFORE, BEFORE + " и ещё пять", "kk")
    assert old != new and new.endswith("пять»") and len(new) <= TEXT_LIMIT + 3
    assert values_text("progress_note", "Коротко", "Кратко", "ru") == ("«Коротко»", "«Кратко»")
    assert values_text("status", "in_progress", "completed", "ru")[1] == "Исполнено"
