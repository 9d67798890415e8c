"""desktop.ui_state: where the user left off, read without importing json at a start."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from desktop.ui_state import UiState, _json_loads, load_state, save_state, state_path

TEXTS = ['{"a": 1, "b": true, "c": "x\\u00e9", "d": null, "e": [1.5e3, -2]}',
         ' \n {"period": "2026-Q3"}\n\t', '"text"', "[]", "", "  ", '{"a": 1} x', "\ufeff{}",
         '{"a": 1,}', '{"a": "\t"}', "1 2", "{'a': 1}", "[Infinity]", "True"]


@pytest.mark.parametrize("text", TEXTS)
def test_reads_as_json_loads(text: str) -> None:
    try:
        expected = json.loads(text)
    except ValueError:
        with pytest.raises(ValueError):
            _json_loads(text)
    else:
        assert _json_loads(text) == expected


def test_round_trip_and_broken_files(tmp_path: Path) -> None:
    db_path = tmp_path / "w.sqlite3"
    state = UiState(period="2026-Q3", region="KZ-11", page="gender", width=900, height=700,
                    maximized=True)
    save_state(db_path, state)
    assert load_state(db_path) == state
    state_path(db_path).write_text('{"width": "wide", "page": "actions", "other": 1}',
                                   encoding="utf-8")
    assert load_state(db_path) == UiState(page="actions")
    state_path(db_path).write_text('{"width": 5', encoding="utf-8")
    assert load_state(db_path) == UiState()


def test_a_start_reads_the_state_without_json(tmp_path: Path) -> None:
    db_path = tmp_path / "w.sqlite3"
    save_state(db_path, UiState(page="gender"))
    code = ("import sys; from pathlib import Path; from desktop.ui_state import load_state; "
            f"print(load_state(Path({str(db_path)!r})).page, 'json' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["gender", "False"]
