"""Where the user left off (period, region, page, window size): a small JSON file beside the
database, so a copied data folder keeps it and tests stay in their own folder."""

from __future__ import annotations

import json
from dataclasses import asdict, fields
from pathlib import Path

from db.records import record

STATE_FILE = "ui_state.json"


@record()
class UiState:
    """Where the user left off."""
    period: str = ""
    region: str = ""
    page: str = "dashboard"
    width: int = 0
    height: int = 0
    maximized: bool = False

    def __init__(self, period: str = "", region: str = "", page: str = "dashboard", width: int = 0,
                 height: int = 0, maximized: bool = False) -> None:
        self.period = period
        self.region = region
        self.page = page
        self.width = width
        self.height = height
        self.maximized = maximized


def state_path(db_path: Path) -> Path:
    return Path(db_path).parent / STATE_FILE


def load_state(db_path: Path) -> UiState:
    try:
        raw = json.loads(state_path(db_path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return UiState()
    if not isinstance(raw, dict):
        return UiState()
    known = {f.name: f.type for f in fields(UiState)}
    state = UiState()
    for name, value in raw.items():
        if name in known and isinstance(value, type(getattr(state, name))):
            setattr(state, name, value)
    return state


def save_state(db_path: Path, state: UiState) -> None:
    path = state_path(db_path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps(asdict(state), ensure_ascii=False, indent=1), encoding="utf-8")
        tmp.replace(path)
    except OSError:
        pass  # losing the window size is not worth bothering the user about
