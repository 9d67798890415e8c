"""Shared fixtures. The offscreen Qt platform is set once, before anything imports Qt."""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from db.office import load_office  # noqa: E402
from db.workbook import init_database, open_workbook  # noqa: E402

REGION = "KZ-75"
PERIOD = "2026-Q3"
TODAY = date(2026, 11, 28)


@pytest.fixture(autouse=True)
def isolated_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Keep every test away from the real per-user data folder."""
    home = tmp_path / "home"
    monkeypatch.setenv("PLANMONITOR_HOME", str(home))
    monkeypatch.delenv("PLANMONITOR_DB", raising=False)
    return home


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "data" / "workbook.sqlite3"


@pytest.fixture
def region_db(db_path: Path) -> Iterator[sqlite3.Connection]:
    init_database(db_path, mode="region", region_code=REGION, user_name="Айгерім Сәрсенова",
                  language="ru")
    conn = open_workbook(db_path)
    yield conn
    conn.close()


@pytest.fixture
def center_db(tmp_path: Path) -> Iterator[sqlite3.Connection]:
    path = tmp_path / "center" / "center.sqlite3"
    init_database(path, mode="center", region_code=None, user_name="Министерство", language="ru")
    conn = open_workbook(path)
    yield conn
    conn.close()


@pytest.fixture
def window(qtbot, region_db: sqlite3.Connection, db_path: Path):
    """The region's main window on the test workbook, shown, at PERIOD. (Qt is imported here, not
    at the top, so the headless tests never load it.)"""
    from desktop.app import create_main_window

    win = create_main_window(db_path)
    qtbot.addWidget(win)
    win.ctx.set_selection(period=PERIOD)
    win.show()
    return win


@pytest.fixture
def office(region_db: sqlite3.Connection):
    return load_office(region_db)


def dump(conn: sqlite3.Connection) -> list[str]:
    """The whole database as SQL text, to compare before and after a refused change."""
    return list(conn.iterdump())


def trust_center(region: sqlite3.Connection, center: sqlite3.Connection) -> str:
    """The region confirmed the ministry's code, as a person does with the first ministry file
    (issue 20). Returns the code (fingerprint)."""
    from db.audit import OpInfo
    from db.connection import transaction
    from db.keys import b64, ensure_office_key, trust_key
    from db.office import load_office

    with transaction(center):
        key = ensure_office_key(center)
    with transaction(region):
        trust_key(region, "center", b64(key.public), "confirmed",
                  OpInfo(load_office(region).user_name, "import"))
    return key.fingerprint
