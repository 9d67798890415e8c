"""The 20-region center demo database the national tests share (national queries, national PDF):
filled once per test session, copied fresh for every test.

Use it by importing both fixtures into a test module under other names (the fixtures keep
their own names through `name=`, and the tests' `center` arguments shadow nothing):
`from tests.national_helpers import center_fixture, center_template_fixture  # noqa: F401`
"""

from __future__ import annotations

import shutil
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from db.demo import fill_demo_file
from db.workbook import init_database, open_workbook
from tests.conftest import TODAY


@pytest.fixture(scope="session", name="center_template")
def center_template_fixture(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One 20-region demo database (3 regions late for the last quarter) per session: filling it
    takes about a second. Tests never write to it; they get a copy from `center`."""
    path = tmp_path_factory.mktemp("center") / "center.sqlite3"
    init_database(path, mode="center", region_code=None, user_name="Министерство", language="ru")
    fill_demo_file(path, today=TODAY)
    return path


@pytest.fixture(name="center")
def center_fixture(center_template: Path, tmp_path: Path) -> Iterator[sqlite3.Connection]:
    """A fresh copy of the demo database for each test, at tmp_path/center/center.sqlite3."""
    path = tmp_path / "center" / "center.sqlite3"
    path.parent.mkdir()
    shutil.copy(center_template, path)
    conn = open_workbook(path)
    yield conn
    conn.close()
