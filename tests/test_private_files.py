"""Private files: created owner-only whatever the umask, never through a planted link; an
attachment opened for viewing goes to a fresh private folder under the per-user cache, and the
folder is gone when the app exits."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from resources import paths
from resources.private import open_private, remove_session_folders, write_private

posix_only = pytest.mark.skipif(os.name != "posix", reason="links and modes as POSIX has them")


def mode_of(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@posix_only
def test_a_planted_link_is_not_followed(tmp_path: Path) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me", encoding="utf-8")
    link = tmp_path / "report.pdf"
    link.symlink_to(victim)
    for exclusive in (False, True):
        with pytest.raises(OSError):
            write_private(link, b"overwritten", exclusive=exclusive)
    assert victim.read_text(encoding="utf-8") == "keep me"


@posix_only
def test_private_files_are_0600_whatever_the_umask(tmp_path: Path) -> None:
    old = os.umask(0)
    try:
        made = write_private(tmp_path / "key.pem", b"secret")
        existing = tmp_path / "old.txt"
        existing.write_text("x", encoding="utf-8")
        existing.chmod(0o666)
        with open_private(existing, "a") as fh:
            fh.write("y")
    finally:
        os.umask(old)
    assert mode_of(made) == 0o600 and mode_of(existing) == 0o600
    assert existing.read_text(encoding="utf-8") == "xy"
    with pytest.raises(FileExistsError):
        write_private(made, b"again", exclusive=True)


def test_an_attachment_is_viewed_from_a_private_copy_removed_at_exit(window,
                                                                     tmp_path: Path) -> None:
    source = tmp_path / "протокол #1.pdf"
    source.write_bytes(b"%PDF-1.4 test content")
    window.go_to("actions", 2)
    editor = window.page("actions").editor
    editor.attach(source)
    editor.files.setCurrentRow(0)
    first = editor.copy_attachment(editor.current_attachment())
    second = editor.copy_attachment(editor.current_attachment())  # opened twice: two copies
    assert first != second and first.name == second.name == source.name
    assert first.read_bytes() == second.read_bytes() == source.read_bytes()
    cache = paths.cache_dir() / "attachments"
    assert first.is_relative_to(cache) and second.is_relative_to(cache)
    session = first.parent.parent
    assert session.parent == cache and second.parent.parent == session
    if os.name == "posix":
        assert mode_of(first) == 0o600
        assert mode_of(session) == mode_of(first.parent) == mode_of(cache) == 0o700
    remove_session_folders()  # what the app's exit does
    assert not session.exists()
    assert editor.copy_attachment(editor.current_attachment()).read_bytes() == \
        source.read_bytes(), "a later view makes a new session folder"


def test_the_log_rotates_and_every_file_of_it_stays_private(
        monkeypatch: pytest.MonkeyPatch) -> None:
    import logging

    from db.problem_report import log_files
    from resources import logs

    monkeypatch.setattr(logs, "MAX_BYTES", 2000)
    path = logs.setup_logging("test")
    assert path == logs.log_file() == paths.log_dir() / "planmonitor.log"
    for n in range(200):
        logging.getLogger("db.test").info("line %d of a long day", n)
    logs.flush()
    files = log_files()
    assert len(files) == 1 + logs.BACKUP_COUNT and files[0] == path
    assert all(p.stat().st_size <= 2000 for p in files)
    assert "line 199 of a long day" in path.read_text(encoding="utf-8")
    if os.name == "posix":
        assert {mode_of(p) for p in files} == {0o600} and mode_of(path.parent) == 0o700
