"""resources.paths: the per-user folders are platformdirs', whichever way they are found."""

from __future__ import annotations

import sys
from pathlib import Path

import platformdirs
import pytest

from resources import APP_NAME, paths


@pytest.mark.parametrize(("xdg", "home"), [
    (None, "/home/user"), (None, "/home/user/"), ("/var/tmp/xdg", "/home/user"),
    ("relative/xdg", "/home/user"), ("", "/home/user"), (None, "relative-home"), (None, None),
    (None, "/"),
])
def test_cache_dir_is_platformdirs_one(monkeypatch: pytest.MonkeyPatch, xdg: str | None,
                                       home: str | None) -> None:
    monkeypatch.delenv("PLANMONITOR_HOME", raising=False)
    for name, value in (("XDG_CACHE_HOME", xdg), ("HOME", home)):
        if value is None:
            monkeypatch.delenv(name, raising=False)
        else:
            monkeypatch.setenv(name, value)
    try:
        expected = Path(platformdirs.user_cache_dir(APP_NAME, appauthor=False))
    except RuntimeError:  # no home at all: platformdirs refuses, and so does cache_dir
        assert paths._linux_cache_dir() is None
        return
    assert paths.cache_dir() == expected


def test_cache_dir_found_without_platformdirs_on_linux(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PLANMONITOR_HOME", raising=False)
    monkeypatch.setenv("HOME", "/home/user")
    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    known = paths._linux_cache_dir()
    if sys.platform == "linux":
        assert known == Path("/home/user/.cache") / APP_NAME
    else:
        assert known is None


def test_home_override_moves_the_cache(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("PLANMONITOR_HOME", str(tmp_path))
    assert paths.cache_dir() == tmp_path / "cache"
