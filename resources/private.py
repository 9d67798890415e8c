"""Files only their owner may read: the workbook, its journals, backups, keys, the log.

A workbook holds every figure of a region; on a shared Linux machine a file made with the usual
umask (0644) is readable by every local user. So every such file is created here, owner-only
(0600), whatever the process's umask, and every folder holding them is 0700. On Windows the
modes mean little (a file's access is the user profile's ACL) and are not set.

Use `open_private` (or `write_private`) to create such a file; `make_private_dir` for a folder
the app owns; `make_private` to tighten a file made by someone else (SQLite, an older version);
`session_folder` for files written for another program to read (attachments to view).
"""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
import time
from pathlib import Path
from typing import IO

FILE_MODE = 0o600
DIR_MODE = 0o700
POSIX = os.name == "posix"
# Not following a link planted where a file is to be written; Windows has no such flag.
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_BINARY = getattr(os, "O_BINARY", 0)


def make_private(path: Path | str) -> None:
    """Owner-only (0600) on POSIX; nothing elsewhere. A file we cannot change (another user's
    on a shared folder) is left as it is: the caller's work must not fail for its mode."""
    if not POSIX:
        return
    try:
        os.chmod(path, FILE_MODE)
    except OSError:
        pass


def make_private_dir(path: Path | str) -> Path:
    """Create the folder (and its parents, with the usual modes) if missing; the folder
    itself is then 0700 on POSIX. Only for folders the app owns (backups, logs, caches, the
    per-user data folder): a folder a person chose for a workbook keeps its mode."""
    path = Path(path)
    path.mkdir(parents=True, exist_ok=True)
    if POSIX:
        try:
            os.chmod(path, DIR_MODE)
        except OSError:
            pass
    return path


def open_private(path: Path | str, mode: str = "wb", *, exclusive: bool = False) -> IO:
    """Open `path` for writing as an owner-only file, whatever the umask, never through a
    link. `mode`: "wb", "ab", "w" or "a" (text in UTF-8). `exclusive`: the file must not exist
    yet (FileExistsError otherwise), for a name in a folder someone else could write to."""
    if mode not in ("wb", "ab", "w", "a"):
        raise ValueError(f"open_private: mode {mode!r}")
    flags = os.O_WRONLY | os.O_CREAT | _NOFOLLOW | _BINARY
    flags |= os.O_APPEND if mode.startswith("a") else os.O_TRUNC
    if exclusive:
        flags |= os.O_EXCL
    fd = os.open(path, flags, FILE_MODE)
    try:
        if POSIX:
            os.fchmod(fd, FILE_MODE)  # a file that existed, or a umask that cut the owner's bits
        if mode.endswith("b"):
            return os.fdopen(fd, mode)
        return os.fdopen(fd, mode, encoding="utf-8")
    except BaseException:
        os.close(fd)
        raise


def write_private(path: Path | str, data: bytes, *, exclusive: bool = False) -> Path:
    """Write `data` to an owner-only file (see open_private)."""
    with open_private(path, "wb", exclusive=exclusive) as fh:
        fh.write(data)
    return Path(path)


def touch_private(path: Path | str) -> Path:
    """An owner-only file at `path`, empty if it was not there; an existing one keeps its
    content and becomes owner-only. SQLite then opens it (an empty file is a new database) and
    gives its journal files the same mode."""
    path = Path(path)
    try:
        with open_private(path, "ab", exclusive=True):
            pass
    except FileExistsError:
        make_private(path)
    return path


_sessions: dict[str, Path] = {}
STALE_AFTER_S = 2 * 24 * 3600  # a crashed session's folder, removed by a later start


def session_folder(purpose: str) -> Path:
    """A fresh owner-only folder of this process, under the per-user cache (never a fixed name
    in the shared temp folder, where another user could plant a link), removed when the
    process exits. Left-overs of sessions that crashed are removed after STALE_AFTER_S."""
    from resources.paths import cache_dir

    parent = cache_dir() / purpose
    known = _sessions.get(purpose)
    if known is not None and known.parent == parent and known.is_dir():
        return known
    make_private_dir(parent)
    _remove_stale(parent)
    folder = Path(tempfile.mkdtemp(prefix=f"{os.getpid()}-", dir=parent))  # 0700, unique
    if not _sessions:
        atexit.register(remove_session_folders)
    _sessions[purpose] = folder
    return folder


def remove_session_folders() -> None:
    """Remove this process's session folders (at exit; a file still open in another program
    on Windows stays, and goes with a later start's clean-up)."""
    for folder in _sessions.values():
        shutil.rmtree(folder, ignore_errors=True)
    _sessions.clear()


def _remove_stale(parent: Path) -> None:
    now = time.time()
    try:
        entries = list(os.scandir(parent))
    except OSError:
        return
    for entry in entries:
        try:
            old = now - entry.stat(follow_symlinks=False).st_mtime > STALE_AFTER_S
        except OSError:
            continue
        if old and entry.is_dir(follow_symlinks=False):
            shutil.rmtree(entry.path, ignore_errors=True)
