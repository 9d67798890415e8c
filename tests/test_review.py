"""The center's review: accept locks the period, return carries remarks per item, reopen unlocks;
every change is audited; a region stores the center's decision and refuses an older one."""

from __future__ import annotations

import sqlite3

import pytest

from db import review
from db.audit import OpInfo
from db.errors import PeriodLocked, PlanMonitorError, ValidationFailed
from db.ops import update_action, update_gender
from tests.conftest import PERIOD, REGION, dump

CENTER = OpInfo(user="Министерство", source="review")
REGION_USER = OpInfo(user="Айгерім", source="ui")


def test_accept_locks_the_period_and_reopen_unlocks_it(center_db: sqlite3.Connection) -> None:
    update_action(center_db, REGION, PERIOD, 1, REGION_USER, status="in_progress",
                  progress_note="Разработан проект")
    review.accept(center_db, REGION, PERIOD, CENTER, remark="Принято без замечаний")
    assert review.is_locked(center_db, REGION, PERIOD)
    with pytest.raises(PeriodLocked):
        update_action(center_db, REGION, PERIOD, 1, REGION_USER, status="completed")
    review.reopen(center_db, REGION, PERIOD, CENTER, remark="Уточнить сроки")
    assert not review.is_locked(center_db, REGION, PERIOD)
    assert update_action(center_db, REGION, PERIOD, 1, REGION_USER, status="completed")
    state = review.get_review(center_db, REGION, PERIOD)
    assert (state.state, state.remark, state.revision) == ("reopened", "Уточнить сроки", 2)


def test_return_stores_remarks_per_item_and_a_new_return_replaces_them(
        center_db: sqlite3.Connection) -> None:
    body = center_db.execute("SELECT code FROM gender_body ORDER BY ord LIMIT 1").fetchone()[0]
    indicator = center_db.execute(
        "SELECT indicator_code || '|' || disaggregation_code FROM indicator_disaggregation "
        "LIMIT 1").fetchone()[0]
    remarks = {("action", "5"): "Нет подтверждающих документов",
               ("gender", body): "Проверьте итог", ("indicator", indicator): "Источник не указан"}
    review.return_with_remarks(center_db, REGION, PERIOD, CENTER, "Доработать", remarks)
    got = review.get_review(center_db, REGION, PERIOD)
    assert got.state == "returned" and got.remarks == remarks and not got.locked

    review.return_with_remarks(center_db, REGION, PERIOD, CENTER, "Доработать",
                               {("action", "5"): "Нет подтверждающих документов"})
    got = review.get_review(center_db, REGION, PERIOD)
    assert got.remarks == {("action", "5"): "Нет подтверждающих документов"}
    assert got.revision == 2


def _some_figures(conn: sqlite3.Connection, region: str = REGION) -> None:
    update_action(conn, region, PERIOD, 1, REGION_USER, status="in_progress", progress_note="Начато")


def test_every_review_change_is_audited(center_db: sqlite3.Connection) -> None:
    _some_figures(center_db)
    review.return_with_remarks(center_db, REGION, PERIOD, CENTER, "",
                               {("action", "3"): "Не указаны меры"})
    review.accept(center_db, REGION, PERIOD, CENTER)
    history = review.review_history(center_db, REGION, PERIOD)
    seen = {(h["table"], h["field"], h["old"], h["new"]) for h in history}
    assert ("review", "state", None, "returned") in seen
    assert ("review", "state", "returned", "accepted") in seen
    assert ("review_remark", "remark", None, "Не указаны меры") in seen
    assert ("review_remark", "remark", "Не указаны меры", None) in seen  # cleared on accept
    sources = {r[0] for r in center_db.execute(
        "SELECT DISTINCT o.source FROM operation o JOIN audit a ON a.op_id = o.id "
        "WHERE a.tbl LIKE 'review%'")}
    assert sources == {"review"}


def test_the_same_decision_twice_records_nothing(center_db: sqlite3.Connection) -> None:
    _some_figures(center_db)
    assert review.accept(center_db, REGION, PERIOD, CENTER, "ok")
    before = dump(center_db)
    assert not review.accept(center_db, REGION, PERIOD, CENTER, "ok")
    assert dump(center_db) == before


@pytest.mark.parametrize("act", [
    lambda c: review.reopen(c, REGION, PERIOD, CENTER),  # nothing accepted yet
    lambda c: review.return_with_remarks(c, REGION, PERIOD, CENTER, "", {}),  # no remark
    lambda c: review.return_with_remarks(c, REGION, PERIOD, CENTER, "", {("action", "999"): "x"}),
    lambda c: review.return_with_remarks(c, REGION, PERIOD, CENTER, "", {("region", "x"): "x"}),
    lambda c: review.accept(c, "KZ-99", PERIOD, CENTER),
    lambda c: review.accept(c, REGION, "2026-Q7", CENTER),
    lambda c: review.accept(c, REGION, PERIOD, CENTER, remark="я" * 40_000),
    lambda c: review.accept(c, "KZ-11", PERIOD, CENTER),  # KZ-11 has not reported
])
def test_bad_decisions_are_refused_and_change_nothing(center_db: sqlite3.Connection, act) -> None:
    _some_figures(center_db)
    before = dump(center_db)
    with pytest.raises(PlanMonitorError) as caught:
        act(center_db)
    assert isinstance(caught.value, ValidationFailed) or caught.value.message("ru") != caught.value.key
    assert dump(center_db) == before


def test_an_accepted_return_cannot_be_returned_without_reopening(
        center_db: sqlite3.Connection) -> None:
    _some_figures(center_db)
    review.accept(center_db, REGION, PERIOD, CENTER)
    with pytest.raises(PlanMonitorError) as caught:
        review.return_with_remarks(center_db, REGION, PERIOD, CENTER, "Ошибки")
    assert "переоткройте" in caught.value.message("ru")


def test_region_receives_the_decision_and_refuses_an_older_one(
        region_db: sqlite3.Connection) -> None:
    update_gender(region_db, REGION, PERIOD, region_db.execute(
        "SELECT code FROM gender_body LIMIT 1").fetchone()[0], REGION_USER, women=3, total=10)
    returned = review.Review(REGION, PERIOD, "returned", "Доработать", revision=1,
                             remarks={("action", "2"): "Приложите протокол"})
    accepted = review.Review(REGION, PERIOD, "accepted", "Принято", revision=2)
    info = OpInfo(user="Айгерім", source="import", file_name="review.xlsx")

    assert review.receive_review(region_db, returned, info)
    assert review.get_review(region_db, REGION, PERIOD).remarks == returned.remarks
    assert review.receive_review(region_db, accepted, info)
    got = review.get_review(region_db, REGION, PERIOD)
    assert (got.state, got.revision, got.remarks) == ("accepted", 2, {})
    assert review.is_locked(region_db, REGION, PERIOD)

    before = dump(region_db)
    assert not review.receive_review(region_db, accepted, info)  # the same file twice
    with pytest.raises(PlanMonitorError) as caught:
        review.receive_review(region_db, returned, info)  # an older decision after a newer one
    assert caught.value.key == "center.review.stale"
    assert dump(region_db) == before


def test_reviewable_items_cover_actions_bodies_and_indicators(center_db: sqlite3.Connection) -> None:
    items = review.reviewable_items(center_db, "kk")
    kinds = {kind for (kind, _key), _label in items}
    assert kinds == set(review.ITEM_KINDS)
    assert all(review.item_exists(center_db, item) for item, _label in items)
    actions = center_db.execute("SELECT COUNT(*) FROM action").fetchone()[0]
    assert sum(1 for (kind, _), _ in items if kind == "action") == actions
