"""Where the user left off (period, region, page, the window's geometry and toolbars), kept by
QSettings in an INI file beside the database: a copied data folder keeps it, and tests stay in
their own folder."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings

STATE_FILE = "ui_state.ini"
TEXT_KEYS = ("period", "region", "page")
BYTES_KEYS = ("geometry", "window_state")


@dataclass
class UiState:
    """Where the user left off."""
    period: str = ""
    region: str = ""
    page: str = "dashboard"
    geometry: bytes = b""  # QWidget.saveGeometry(): position, size, maximized, the screen
    window_state: bytes = b""  # QMainWindow.saveState(): the toolbars


def state_path(db_path: Path) -> Path:
    return Path(db_path).parent / STATE_FILE


def _settings(db_path: Path) -> QSettings:
    return QSettings(str(state_path(db_path)), QSettings.Format.IniFormat)


def load_state(db_path: Path) -> UiState:
    """The saved state; a missing, unreadable or foreign value leaves its default."""
    settings = _settings(db_path)
    state = UiState()
    for key in TEXT_KEYS:
        value = settings.value(key)
        if isinstance(value, str) and value:
            setattr(state, key, value)
    for key in BYTES_KEYS:
        value = settings.value(key)
        if isinstance(value, QByteArray):
            setattr(state, key, value.data())
    return state


def save_state(db_path: Path, state: UiState) -> None:
    """Write the state now (QSettings would otherwise write it later, or at exit)."""
    settings = _settings(db_path)
    for key in TEXT_KEYS:
        settings.setValue(key, getattr(state, key))
    for key in BYTES_KEYS:
        settings.setValue(key, QByteArray(getattr(state, key)))
    settings.sync()  # a failure to write (a read-only folder) only loses where the user was
