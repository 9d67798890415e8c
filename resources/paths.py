"""Where things live: resources (source tree or frozen bundle), the per-user data folder."""

from __future__ import annotations

import os
import sys
from functools import cache
from pathlib import Path

from resources import APP_NAME

# platformdirs is imported where a per-user folder is asked for: the command line with --db or
# PLANMONITOR_DB never needs it.

DB_FILE_NAME = "planmonitor.sqlite3"


@cache  # asked for every icon and word file; it does not move while we run
def resource_root() -> Path:
    """The `resources/` folder, from source, an installed package or a PyInstaller bundle."""
    frozen_root = getattr(sys, "_MEIPASS", None)
    if frozen_root:
        return Path(frozen_root) / "resources"
    return Path(__file__).resolve().parent


def resource_path(*parts: str) -> Path:
    return resource_root().joinpath(*parts)


def data_dir() -> Path:
    """Per-user *local* (not roaming) data folder; PLANMONITOR_HOME overrides (tests, portable use)."""
    override = os.environ.get("PLANMONITOR_HOME")
    if override:
        return Path(override)
    import platformdirs

    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False, roaming=False))


def cache_dir() -> Path:
    """Disposable caches (parsed translations); PLANMONITOR_HOME moves it with the data."""
    override = os.environ.get("PLANMONITOR_HOME")
    if override:
        return Path(override) / "cache"
    import platformdirs

    return Path(platformdirs.user_cache_dir(APP_NAME, appauthor=False))


def default_db_path() -> Path:
    env = os.environ.get("PLANMONITOR_DB")
    if env:
        return Path(env)
    return data_dir() / DB_FILE_NAME


def documents_dir() -> Path:
    """Default folder for exports and reports: the user's Documents."""
    import platformdirs

    try:
        return Path(platformdirs.user_documents_dir())
    except Exception:  # pragma: no cover - platformdirs falls back itself; belt and braces
        return Path.home()
