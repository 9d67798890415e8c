"""resources.paths: the per-user folders are platformdirs', unless PLANMONITOR_HOME moves them."""

from __future__ import annotations

from pathlib import Path

import platformdirs
import pytest

from resources import APP_NAME, paths


def test_cache_dir_is_platformdirs_one(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PLANMONITOR_HOME", raising=False)
    assert paths.cache_dir() == Path(platformdirs.user_cache_dir(APP_NAME, appauthor=False))


def test_home_override_moves_the_cache(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("PLANMONITOR_HOME", str(tmp_path))
    assert paths.cache_dir() == tmp_path / "cache"
