"""The center's commands: review accept|return|reopen|show, matrix, export review|consolidated."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from db import review
from db.audit import OpInfo
from db.ops import update_action
from planmonitor.cli import main
from tests.conftest import PERIOD, dump

INFO = OpInfo(user="Айгерім", source="ui")


@pytest.fixture
def center_path(center_db: sqlite3.Connection, tmp_path: Path) -> Path:
    update_action(center_db, "KZ-75", PERIOD, 1, INFO, status="in_progress",
                  progress_note="Подготовлен проект")
    return tmp_path / "center" / "center.sqlite3"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_return_show_accept_reopen(center_path: Path, center_db: sqlite3.Connection,
                                   capsys: pytest.CaptureFixture[str]) -> None:
    db = ["--db", str(center_path)]
    code, out, _ = run(capsys, "review", "return", *db, "--region", "kz-75", "--period", PERIOD,
                       "--remark", "Доработать", "--item", "action:1=Приложите протокол",
                       "--lang", "en")
    assert code == 0 and "returned for correction" in out and "1 item remark" in out

    code, out, _ = run(capsys, "review", "show", *db, "--region", "KZ-75", "--period", PERIOD,
                       "--json")
    shown = json.loads(out)
    assert shown["state"] == "returned" and shown["remark"] == "Доработать"
    assert shown["remarks"][0]["key"] == "1" and shown["remarks"][0]["remark"] == "Приложите протокол"
    assert shown["remarks"][0]["item"].startswith("1. ")

    code, out, _ = run(capsys, "review", "accept", *db, "--region", "KZ-75", "--period", PERIOD)
    assert code == 0 and "принят" in out
    assert review.is_locked(center_db, "KZ-75", PERIOD)
    code, out, _ = run(capsys, "review", "accept", *db, "--region", "KZ-75", "--period", PERIOD)
    assert code == 0 and "ничего не изменено" in out
    code, out, _ = run(capsys, "review", "reopen", *db, "--region", "KZ-75", "--period", PERIOD,
                       "--lang", "kk")
    assert code == 0 and "қайта ашылды" in out
    assert not review.is_locked(center_db, "KZ-75", PERIOD)


@pytest.mark.parametrize("argv, words", [
    (["review", "return", "--region", "KZ-75", "--period", PERIOD, "--item", "action5=x"],
     "action:5="),
    (["review", "return", "--region", "KZ-75", "--period", PERIOD, "--item", "region:1=x"],
     "kind:key=text"),
    (["review", "return", "--region", "KZ-75", "--period", PERIOD], "at least one remark"),
    (["review", "reopen", "--region", "KZ-75", "--period", PERIOD], "nothing to reopen"),
    (["review", "accept", "--region", "KZ-10", "--period", PERIOD], "has not reported"),
    (["review", "accept", "--period", PERIOD], "name the region"),
    (["export", "review", "--region", "KZ-75", "--period", PERIOD, "-o", "x.xlsx"],
     "no decision yet"),
])
def test_refusals_name_the_problem_and_change_nothing(
        center_path: Path, center_db: sqlite3.Connection, capsys: pytest.CaptureFixture[str],
        argv: list[str], words: str) -> None:
    before = dump(center_db)
    code, _, err = run(capsys, *argv, "--db", str(center_path), "--lang", "en")
    assert code == 1
    assert words in err
    assert dump(center_db) == before


def test_region_cannot_decide_but_can_see_its_review(region_db: sqlite3.Connection,
                                                     db_path: Path,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    update_action(region_db, "KZ-75", PERIOD, 1, INFO, status="in_progress", progress_note="x")
    code, _, err = run(capsys, "review", "accept", "--db", str(db_path), "--period", PERIOD)
    assert code == 1 and "режиме центра" in err
    code, _, err = run(capsys, "matrix", "--db", str(db_path), "--period", PERIOD)
    assert code == 1 and "режиме центра" in err
    code, out, _ = run(capsys, "review", "show", "--db", str(db_path), "--period", PERIOD)
    assert code == 0 and "не рассмотрен" in out


def test_matrix_by_period_and_exports(center_path: Path, tmp_path: Path,
                                      capsys: pytest.CaptureFixture[str]) -> None:
    db = ["--db", str(center_path)]
    code, out, _ = run(capsys, "matrix", *db, "--lang", "en")
    assert code == 0
    assert f"{PERIOD}: 1 of 20 reported, 19 missing" in out
    code, out, _ = run(capsys, "matrix", *db, "--json")
    data = json.loads(out)
    assert data["periods"] == [PERIOD] and len(data["missing"][PERIOD]) == 19

    code, out, _ = run(capsys, "export", "consolidated", *db, "--period", PERIOD, "-o",
                       str(tmp_path / "out" / "national.xlsx"))
    assert code == 0 and (tmp_path / "out" / "national.xlsx").exists()
    run(capsys, "review", "return", *db, "--region", "KZ-75", "--period", PERIOD,
        "--remark", "Доработать")
    code, out, _ = run(capsys, "export", "review", *db, "--region", "KZ-75", "--period", PERIOD,
                       "-o", str(tmp_path / "out" / "review.xlsx"))
    assert code == 0 and (tmp_path / "out" / "review.xlsx").exists()
