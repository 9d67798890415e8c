"""The completeness matrix: regions x periods, and regions x sections for one period."""

from __future__ import annotations

import sqlite3

from db import consolidation, queries, review
from db.audit import OpInfo
from db.ops import RowWrite, apply_writes
from tests.conftest import PERIOD

INFO = OpInfo(user="Министерство", source="cli")


def _report_actions(conn: sqlite3.Connection, region: str, period: str,
                    statuses: dict[int, str]) -> None:
    apply_writes(conn, [RowWrite("action_report", (region, period, no),
                                 {"status": status, "progress_note": "Меры приняты"})
                        for no, status in statuses.items()], INFO)


def test_period_matrix_says_who_reported_and_how_completely(center_db: sqlite3.Connection) -> None:
    all_actions = [no for (no,) in center_db.execute("SELECT no FROM action ORDER BY no")]
    _report_actions(center_db, "KZ-75", PERIOD, dict.fromkeys(all_actions, "completed"))
    _report_actions(center_db, "KZ-71", PERIOD, {1: "in_progress", 2: "completed"})
    _report_actions(center_db, "KZ-71", "2026-Q2", {1: "in_progress"})

    matrix = consolidation.period_matrix(center_db, "ru")
    assert matrix.periods == ["2026-Q2", PERIOD]
    assert len(matrix.regions) == 20
    assert sorted(matrix.reported(PERIOD)) == ["KZ-71", "KZ-75"]
    assert len(matrix.missing(PERIOD)) == 18 and "KZ-71" not in matrix.missing(PERIOD)
    assert matrix.missing("2026-Q2") == [r.code for r in matrix.regions if r.code != "KZ-71"]

    full, partial = matrix.cell("KZ-75", PERIOD), matrix.cell("KZ-71", PERIOD)
    for cell in (full, partial):
        expected = queries.completeness(center_db, cell.region, PERIOD, "ru")
        assert (cell.required, cell.filled) == (expected.required, expected.filled)
        assert cell.percent == expected.percent
    assert partial.percent < full.percent
    assert matrix.cell("KZ-10", PERIOD).percent == 0.0
    assert not matrix.cell("KZ-10", PERIOD).reported


def test_matrix_for_chosen_periods_includes_empty_ones(center_db: sqlite3.Connection) -> None:
    matrix = consolidation.period_matrix(center_db, "en", periods=["2026-q4", "2026-Q1"])
    assert matrix.periods == ["2026-Q1", "2026-Q4"]
    assert len(matrix.missing("2026-Q4")) == 20


def test_section_matrix_counts_reported_actions_and_progress(center_db: sqlite3.Connection) -> None:
    section_one = [no for (no,) in center_db.execute(
        "SELECT no FROM action WHERE section_no = 1 ORDER BY no")]
    _report_actions(center_db, "KZ-75", PERIOD, {section_one[0]: "completed"})

    matrix = consolidation.section_matrix(center_db, PERIOD, "kk")
    assert [s.no for s in matrix.sections] == [s.no for s in queries.sections(center_db, "kk")]
    cell = matrix.section_cell("KZ-75", 1)
    assert (cell.actions, cell.reported) == (len(section_one), 1)
    assert cell.complete == (len(section_one) == 1)
    assert cell.progress.counts["completed"] == 1
    assert cell.progress.total == len(section_one)
    assert matrix.section_cell("KZ-10", 1).reported == 0
    assert len(matrix.missing) == 19


def test_cells_carry_the_review_state(center_db: sqlite3.Connection) -> None:
    _report_actions(center_db, "KZ-75", PERIOD, {1: "completed"})
    review.return_with_remarks(center_db, "KZ-75", PERIOD, OpInfo("М", "review"), "Неполный")
    matrix = consolidation.section_matrix(center_db, PERIOD, "ru")
    assert matrix.cells["KZ-75"].review_state == "returned"
    assert matrix.cells["KZ-10"].review_state is None
    assert not matrix.cells["KZ-75"].resubmitted  # nothing received by file since


def test_set_based_counts_agree_with_queries_completeness(center_db: sqlite3.Connection) -> None:
    from datetime import date

    from db.demo import fill_demo
    from db.office import load_office
    from db.ops import update_gender

    fill_demo(center_db, load_office(center_db), today=date(2026, 11, 28))
    # rows that count as missing: measures left out, one figure of two
    apply_writes(center_db, [RowWrite("action_report", ("KZ-11", PERIOD, 4),
                                      {"status": "completed", "progress_note": " \n\t"})], INFO)
    body = center_db.execute("SELECT code FROM gender_body ORDER BY ord").fetchone()[0]
    update_gender(center_db, "KZ-15", PERIOD, body, INFO, women=None)
    for period in ("2026-Q2", PERIOD, "2026-Q4", "2025-Q4"):
        counts = consolidation.completeness_counts(center_db, period)
        for region in queries.regions(center_db, "en"):
            expected = queries.completeness(center_db, region.code, period, "en")
            assert counts[region.code] == (expected.required, expected.filled), (region, period)
    cells = consolidation.section_matrix(center_db, PERIOD, "en").cells
    assert cells["KZ-11"].filled < cells["KZ-11"].required
