"""At the center, a row a region left with nothing in it (it cleared what it sent, or undid a first
edit) is not a figure: the matrices, the national summary and completeness agree with the region's
own count (db.rules.holds_values_sql), so such a region is listed as not reported."""

from __future__ import annotations

import sqlite3

from db import consolidation, national
from db.connection import transaction
from db.periods import ensure_period
from tests.conftest import PERIOD, REGION

STAMP = "2026-11-28T10:00:00"


def add_empty_rows(conn: sqlite3.Connection) -> None:
    """One row per regional table holding only the defaults, as an undone first edit leaves it."""
    with transaction(conn):
        ensure_period(conn, PERIOD)
        action = conn.execute("SELECT MIN(no) FROM action").fetchone()[0]
        body = conn.execute("SELECT MIN(code) FROM gender_body").fetchone()[0]
        code, breakdown = conn.execute("SELECT indicator_code, disaggregation_code FROM "
                                       "indicator_disaggregation LIMIT 1").fetchone()
        conn.execute("INSERT INTO action_report (region_code, period_code, action_no, updated_at) "
                     "VALUES (?, ?, ?, ?)", (REGION, PERIOD, action, STAMP))
        conn.execute("INSERT INTO gender_figure (region_code, period_code, body_code, updated_at) "
                     "VALUES (?, ?, ?, ?)", (REGION, PERIOD, body, STAMP))
        conn.execute("INSERT INTO indicator_value (region_code, period_code, indicator_code, "
                     "disaggregation_code, updated_at) VALUES (?, ?, ?, ?, ?)",
                     (REGION, PERIOD, code, breakdown, STAMP))


def test_rows_holding_nothing_are_not_reported_at_the_center(center_db: sqlite3.Connection) -> None:
    add_empty_rows(center_db)
    assert (REGION, PERIOD) not in consolidation.reported_pairs(center_db, PERIOD)
    assert (REGION, PERIOD) not in consolidation.reported_pairs(center_db)
    assert REGION not in national.reported_region_codes(center_db, PERIOD)
    assert consolidation.completeness_counts(center_db, PERIOD)[REGION][1] == 0


def test_a_row_with_a_figure_is_reported_at_the_center(center_db: sqlite3.Connection) -> None:
    add_empty_rows(center_db)
    with transaction(center_db):
        center_db.execute("UPDATE gender_figure SET women = 3, total = 10 WHERE region_code = ?",
                          (REGION,))
    assert (REGION, PERIOD) in consolidation.reported_pairs(center_db, PERIOD)
    assert REGION in national.reported_region_codes(center_db, PERIOD)
    assert consolidation.completeness_counts(center_db, PERIOD)[REGION][1] == 1
