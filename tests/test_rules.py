"""Overdue, progress, completeness and validation rules, with messages in three languages."""

import dataclasses
import sqlite3
from datetime import date

import pytest

from db import queries, rules, validation
from db.audit import OpInfo
from db.errors import PlanMonitorError, ValidationFailed
from db.ops import update_action, update_gender, update_indicator
from db.periods import parse_period, previous_period, sort_periods
from tests.conftest import PERIOD, REGION, dump

UI = OpInfo(user="Айгерім", source="ui")


def test_overdue_and_due_soon() -> None:
    today = date(2026, 11, 28)
    assert rules.is_overdue("2026-11-27", "in_progress", today)
    assert not rules.is_overdue("2026-11-27", "completed", today)
    assert not rules.is_overdue("2026-11-27", "not_applicable", today)
    assert not rules.is_overdue(None, "not_started", today)
    assert rules.is_due_soon("2026-12-28", "not_started", today)
    assert not rules.is_due_soon("2026-12-29", "not_started", today)
    assert not rules.is_due_soon("2026-11-27", "not_started", today)


def test_progress_weights_and_not_applicable() -> None:
    p = rules.progress_of(["completed", "in_progress", "not_started", "not_applicable"])
    assert p.applicable == 3
    assert p.percent == 50.0
    assert rules.progress_of(["not_applicable"]).percent == 100.0
    assert rules.progress_of([]).percent == 0.0


def test_periods() -> None:
    q = parse_period("2026-q3")
    assert (q.code, q.kind, q.start, q.end) == ("2026-Q3", "quarter", date(2026, 7, 1), date(2026, 9, 30))
    assert parse_period("2026-H1").end == date(2026, 6, 30)
    assert parse_period("2026").kind == "year"
    assert previous_period("2026-Q1") == "2025-Q4"
    assert previous_period("2026-H1") == "2025-H2"
    assert previous_period("2026") == "2025"
    for bad in ("2026-Q5", "26-Q1", "2026/Q1", "", "2026-H3"):
        with pytest.raises(PlanMonitorError):
            parse_period(bad)


def test_periods_in_time_order_once_each() -> None:
    codes = ["2026", "2026-Q3", "2025-Q4", "2026-H1", "2026-Q2", "2026-Q3", "2026-H2"]
    assert sort_periods(codes) == ["2025-Q4", "2026-H1", "2026-Q2", "2026-Q3", "2026-H2",
                                   "2026"]
    assert sort_periods(set(codes), newest_first=True) == sort_periods(codes)[::-1]


def test_status_words_in_all_languages() -> None:
    assert rules.status_from_text("Исполнено") == "completed"
    assert rules.status_from_text(" орындалды ") == "completed"
    assert rules.status_from_text("In Progress") == "in_progress"
    assert rules.status_from_text("не\u00a0применимо") == "not_applicable"
    assert rules.status_from_text("not_started") == "not_started"
    assert rules.status_from_text("готово") is None


@pytest.mark.parametrize("lang, expected", [
    ("ru", "Женщин (12) больше, чем всего (10)"),
    ("kk", "Әйелдер саны (12) жалпы саннан (10) көп"),
    ("en", "Women (12) exceed the total (10)"),
])
def test_gender_validation_messages(lang: str, expected: str) -> None:
    problems = validation.gender_problems(12, 10)
    assert [p.message(lang) for p in problems] == [expected]


def test_indicator_validation_by_unit() -> None:
    assert validation.indicator_problems("percent", 100.0) == []
    assert validation.indicator_problems("percent", 100.5)[0].key == "validation.percent_range"
    assert validation.indicator_problems("count", 3.5)[0].key == "validation.not_whole"
    assert validation.indicator_problems("yes_no", 2)[0].key == "validation.yes_no"
    assert validation.indicator_problems("per_100k", -1)[0].key == "validation.negative"
    assert validation.indicator_problems("tenge", 1234.56) == []
    assert validation.gender_problems(-1, 5)[0].key == "validation.negative"
    assert validation.gender_problems(1.5, 5)[0].key == "validation.not_whole"


def test_refused_edit_changes_nothing(region_db: sqlite3.Connection) -> None:
    body = region_db.execute("SELECT code FROM gender_body ORDER BY ord LIMIT 1").fetchone()[0]
    update_gender(region_db, REGION, PERIOD, body, UI, women=5, total=20)
    before = dump(region_db)
    with pytest.raises(ValidationFailed) as err:
        update_gender(region_db, REGION, PERIOD, body, UI, women=25)
    assert err.value.problems[0].key == "validation.women_over_total"
    assert dump(region_db) == before


def test_completeness_lists_what_is_missing(region_db: sqlite3.Connection) -> None:
    empty = queries.completeness(region_db, REGION, PERIOD, "ru")
    assert empty.filled == 0 and empty.percent == 0.0
    kinds = {m.kind for m in empty.missing}
    assert kinds == {"action", "gender", "indicator"}
    update_action(region_db, REGION, PERIOD, 1, UI, status="completed")
    after = queries.completeness(region_db, REGION, PERIOD, "ru")
    no_measures = [m for m in after.missing if m.key == "1"]
    assert no_measures[0].reason == "missing.action_no_measures"
    update_action(region_db, REGION, PERIOD, 1, UI, progress_note="Принято постановление")
    final = queries.completeness(region_db, REGION, PERIOD, "ru")
    assert final.filled == 1 and not [m for m in final.missing if m.key == "1"]
    assert "не указан" in empty.missing[0].message("ru")


@pytest.mark.parametrize("period", [PERIOD, "2026-Q4", "2026-H1", "2026"])
def test_completeness_names_the_due_indicators_the_grid_shows_empty(
        region_db: sqlite3.Connection, period: str) -> None:
    code, disagg = region_db.execute(
        "SELECT indicator_code, disaggregation_code FROM indicator_disaggregation "
        "LIMIT 1").fetchone()
    update_indicator(region_db, REGION, period, code, disagg, UI, value=3)
    for lang in ("ru", "kk", "en"):
        grid = queries.indicator_rows(region_db, REGION, period, lang)
        due = [i for i in grid if queries.indicator_due_in(i.periodicity, period)]
        report = queries.completeness(region_db, REGION, period, lang)
        assert [(m.key, m.label) for m in report.missing if m.kind == "indicator"] == [
            (f"{i.code}|{i.disaggregation_code}", f"{i.code} {i.name} ({i.disaggregation})")
            for i in due if i.value is None]
        actions = queries.action_rows(region_db, REGION, period, lang)
        genders = queries.gender_rows(region_db, REGION, period, lang)
        assert report.required == len(actions) + len(genders) + len(due)


def test_action_rows_without_agencies_are_the_same_rows_with_none(
        region_db: sqlite3.Connection) -> None:
    update_action(region_db, REGION, PERIOD, 2, UI, status="in_progress", progress_note="y")
    full = queries.action_rows(region_db, REGION, PERIOD, "kk", date(2026, 11, 28))
    light = queries.action_rows(region_db, REGION, PERIOD, "kk", date(2026, 11, 28),
                                with_agencies=False)
    assert any(a.agencies for a in full) and not any(a.agencies for a in light)
    assert light == [dataclasses.replace(a, agencies="") for a in full]


def test_section_progress_and_overdue(region_db: sqlite3.Connection) -> None:
    update_action(region_db, REGION, PERIOD, 1, UI, status="completed", progress_note="x")
    update_action(region_db, REGION, PERIOD, 2, UI, status="in_progress", progress_note="y")
    parts = queries.section_progress(region_db, REGION, PERIOD, "en")
    first = next(p for p in parts if p.section.no == 1)
    assert first.progress.counts["completed"] == 1 and first.progress.counts["in_progress"] == 1
    rows = {a.no: a for a in queries.action_rows(region_db, REGION, PERIOD, "en", date(2026, 11, 28))}
    assert not rows[1].overdue and rows[2].overdue  # action 2 was due by the end of 2023


def test_indicator_values_validated_against_unit(region_db: sqlite3.Connection) -> None:
    code, disagg = region_db.execute(
        "SELECT i.code, idg.disaggregation_code FROM indicator i JOIN indicator_disaggregation idg "
        "ON idg.indicator_code = i.code WHERE i.unit = 'percent' LIMIT 1").fetchone()
    with pytest.raises(ValidationFailed):
        update_indicator(region_db, REGION, PERIOD, code, disagg, UI, value=140.0)
    update_indicator(region_db, REGION, PERIOD, code, disagg, UI, value=31.5)
    rows = [r for r in queries.indicator_rows(region_db, REGION, PERIOD, "kk")
            if r.code == code and r.disaggregation_code == disagg]
    assert rows[0].value == 31.5
