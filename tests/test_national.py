"""National queries (center mode) checked against the per-region core queries on a real demo
database of 20 regions, 3 of which have not reported the last quarter."""

from __future__ import annotations

import sqlite3
from datetime import date

import pytest

from db import national, queries
from db.audit import OpInfo
from db.demo import LATE_REGIONS
from db.ops import update_action
from tests.conftest import TODAY
from tests.national_helpers import center_fixture, center_template_fixture  # noqa: F401

LAST, EARLIER = "2026-Q4", "2026-Q3"


def region_codes(conn: sqlite3.Connection) -> list[str]:
    return [r.code for r in queries.regions(conn, "ru")]


def test_unreported_regions_are_the_late_ones_with_their_last_period(
        center: sqlite3.Connection) -> None:
    late = national.unreported_regions(center, LAST, "kk")
    assert [u.region.code for u in late] == sorted(LATE_REGIONS)
    assert {u.last_period for u in late} == {EARLIER}
    assert late[0].region.name == queries.region_name(center, late[0].region.code, "kk")
    assert national.unreported_regions(center, EARLIER, "ru") == []


def test_a_period_nobody_reported_lists_every_region(center: sqlite3.Connection) -> None:
    late = national.unreported_regions(center, "2027-Q1", "en")
    assert [u.region.code for u in late] == region_codes(center)
    assert {u.last_period for u in late} == {LAST, EARLIER}
    never = national.unreported_regions(center, "2020-Q1", "en")
    assert {u.last_period for u in never} == {None}


def test_progress_matrix_matches_each_regions_section_progress(
        center: sqlite3.Connection) -> None:
    matrix = national.progress_matrix(center, LAST, "ru")
    assert [row.region.code for row in matrix] == region_codes(center)
    for row in matrix:
        assert row.reported == (row.region.code not in LATE_REGIONS)
        expected = queries.section_progress(center, row.region.code, LAST, "ru")
        assert {p.section.no: p.progress.counts for p in expected} == \
            {no: p.counts for no, p in row.sections.items()}
        assert row.overall.total == 27
        assert row.overall.percent == queries.overall_progress(expected).percent


def test_combined_progress_leaves_out_regions_that_have_not_reported(
        center: sqlite3.Connection) -> None:
    matrix = national.progress_matrix(center, LAST, "ru")
    combined = national.combined_progress(matrix)
    assert combined.total == 27 * (len(matrix) - len(LATE_REGIONS))
    first = national.combined_progress(matrix, 1)
    expected = sum(r.sections[1].counts["completed"] for r in matrix if r.reported)
    assert first.counts["completed"] == expected


def test_national_gender_sums_the_regions_and_compares_like_with_like(
        center: sqlite3.Connection) -> None:
    shares = {s.key: s for s in national.national_gender(center, LAST, "en")}
    reporting = [c for c in region_codes(center) if c not in LATE_REGIONS]
    for body, share in shares.items():
        rows = [next(g for g in queries.gender_rows(center, code, LAST, "en")
                     if g.body_code == body) for code in reporting]
        assert share.women == sum(g.women for g in rows)
        assert share.total == sum(g.total for g in rows)
        assert share.prev_women == sum(g.prev_women for g in rows)
        assert share.regions == len(reporting)
    earlier = {s.key: s for s in national.national_gender(center, EARLIER, "en")}
    late_total = sum(g.total for code in LATE_REGIONS
                     for g in queries.gender_rows(center, code, EARLIER, "en"))
    assert sum(s.total for s in earlier.values()) - sum(s.total for s in shares.values()) \
        == late_total


def test_region_gender_shares_match_gender_totals(center: sqlite3.Connection) -> None:
    for share in national.region_gender_shares(center, LAST, "ru"):
        women, total = queries.gender_totals(queries.gender_rows(center, share.key, LAST, "ru"))
        assert (share.women, share.total) == (women, total)
        if share.key in LATE_REGIONS:
            assert share.share is None and share.regions == 0
        else:
            assert share.share == pytest.approx(100 * women / total, abs=0.051)
    totals = national.national_gender_totals(national.national_gender(center, LAST, "ru"))
    assert totals.total == sum(s.total for s in national.region_gender_shares(center, LAST, "ru"))


def test_indicator_values_by_region_match_indicator_rows(center: sqlite3.Connection) -> None:
    items = national.indicator_values_by_region(center, LAST, "en")
    assert {i.disaggregation_code for i in items} == {"total"}
    assert len(items) == center.execute("SELECT COUNT(*) FROM indicator").fetchone()[0]
    for code in ("KZ-75", LATE_REGIONS[0]):
        rows = {r.code: r.value for r in queries.indicator_rows(center, code, LAST, "en")
                if r.disaggregation_code == "total"}
        for item in items:
            assert item.values.get(code) == rows[item.code]
    for item in items:
        if item.values:
            assert item.minimum <= item.median <= item.maximum
            assert item.reported == len(item.values) <= 20 - len(LATE_REGIONS)
    everything = national.indicator_values_by_region(center, LAST, "en", disaggregation=None)
    assert len(everything) > len(items)


def test_most_overdue_actions_are_reported_open_and_longest_first(
        center: sqlite3.Connection) -> None:
    found = national.most_overdue_actions(center, LAST, "ru", TODAY, limit=None)
    expected = {(code, a.no) for code in region_codes(center)
                for a in queries.action_rows(center, code, LAST, "ru", TODAY)
                if a.overdue and a.reported}
    assert {(o.region.code, o.action_no) for o in found} == expected
    assert found and not {o.region.code for o in found} & set(LATE_REGIONS)
    days = [o.days_overdue for o in found]
    assert days == sorted(days, reverse=True)
    assert found[0].days_overdue == (TODAY - date.fromisoformat(found[0].due_date)).days
    assert national.most_overdue_actions(center, LAST, "ru", TODAY, limit=5) == found[:5]


def test_completing_an_action_removes_it_from_the_overdue_list(
        center: sqlite3.Connection) -> None:
    first = national.most_overdue_actions(center, LAST, "en", TODAY, limit=1)[0]
    update_action(center, first.region.code, LAST, first.action_no,
                  OpInfo(user="test", source="test"), status="completed",
                  progress_note="Done")
    after = national.most_overdue_actions(center, LAST, "en", TODAY, limit=None)
    assert (first.region.code, first.action_no) not in {(o.region.code, o.action_no)
                                                        for o in after}
