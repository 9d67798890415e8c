"""Where the user left off (period, region, page, window size): a small JSON file beside the
database, so a copied data folder keeps it and tests stay in their own folder."""

from __future__ import annotations

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
        raw = _json_loads(state_path(db_path).read_text(encoding="utf-8"))
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


def _json_loads(text: str) -> object:
    """json.loads(text), read by the C scanner json.loads itself uses, without importing `json`
    at every start (~1.7 ms, mostly compiling its regular expressions; the file is written
    later, by save_state). Where CPython's `_json` is missing, json.loads. Raises ValueError as
    json.loads does (JSONDecodeError is one)."""
    try:
        from _json import make_scanner
    except ImportError:  # pragma: no cover - CPython always has it
        import json

        return json.loads(text)
    scan_once = make_scanner(_ScannerContext())
    whitespace = " \t\n\r"  # JSON's whitespace, as json.decoder's WHITESPACE
    start = len(text) - len(text.lstrip(whitespace))
    try:
        value, end = scan_once(text, start)
    except StopIteration as stop:
        raise ValueError(f"Expecting value: char {stop.value}") from None
    if text[end:].strip(whitespace):
        raise ValueError(f"Extra data: char {end}")
    return value


class _ScannerContext:
    """What `_json.make_scanner` reads of a json.JSONDecoder() made with no arguments."""
    strict = True
    object_hook = None
    object_pairs_hook = None
    parse_float = float
    parse_int = int

    @staticmethod
    def parse_constant(name: str) -> float:
        return {"-Infinity": float("-inf"), "Infinity": float("inf"), "NaN": float("nan")}[name]


def save_state(db_path: Path, state: UiState) -> None:
    import json  # here, not at a start (see _json_loads)

    path = state_path(db_path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps(asdict(state), ensure_ascii=False, indent=1), encoding="utf-8")
        tmp.replace(path)
    except OSError:
        pass  # losing the window size is not worth bothering the user about
