"""The log: one rotating file in the per-user log folder, for the help desk.

Nobody at a region or at the ministry can say what happened inside the app unless it was
written down: so the app and the command line log their start and version, each import's and
export's outcome with the file's name, each backup and restore, and every unexpected exception
with its traceback. What is logged is names of files and counts, never the values, notes or
people's names a workbook holds: the log goes out in a problem report.

Logging is set up only at the entry points (`planmonitor.cli.main`, `desktop.app.run_app`) by
`setup_logging`; every other module just asks `logging.getLogger(__name__)`.
"""

from __future__ import annotations

import logging
import os
import sys
import traceback
from logging.handlers import RotatingFileHandler
from pathlib import Path

from resources import VERSION
from resources.paths import log_dir
from resources.private import make_private_dir, touch_private

LOG_FILE_NAME = "planmonitor.log"
MAX_BYTES = 1024 * 1024
BACKUP_COUNT = 4  # five files of 1 MB at most: months of an office's work
# The project's top-level packages; other libraries' loggers stay at WARNING.
OWN_LOGGERS = ("planmonitor", "desktop", "exports", "db", "resources")
FORMAT = "%(asctime)s %(process)d %(levelname)s %(name)s: %(message)s"


def log_file() -> Path:
    """Where the current log is written (the folder may not exist yet)."""
    return log_dir() / LOG_FILE_NAME


def _rotate(source: str, dest: str) -> None:
    """The handler's rotator: rename, then make the next file owner-only before the handler
    opens it (it would otherwise be created with the umask's mode)."""
    if os.path.exists(source):
        os.replace(source, dest)
    touch_private(source)


class _Handler(RotatingFileHandler):
    """The app's file handler, known by its class so a second setup replaces, not doubles, it."""


def setup_logging(entry: str) -> Path | None:
    """Log to the per-user rotating file from now on and write the start line. Called by each
    entry point; a second call (the CLI opening the app, tests) moves the handler to the
    current log folder rather than adding one. A log that cannot be written (a read-only
    profile) costs the log, never the start: None is returned then."""
    root = logging.getLogger()
    path = log_file()
    for handler in [h for h in root.handlers if isinstance(h, _Handler)]:
        if Path(handler.baseFilename) == path:
            _start_line(entry)
            return path
        root.removeHandler(handler)
        handler.close()
    try:
        make_private_dir(path.parent)
        touch_private(path)
        handler = _Handler(path, maxBytes=MAX_BYTES, backupCount=BACKUP_COUNT,
                           encoding="utf-8")
    except OSError:
        return None
    handler.rotator = _rotate
    handler.setFormatter(logging.Formatter(FORMAT))
    handler.setLevel(logging.INFO)
    root.addHandler(handler)
    for name in OWN_LOGGERS:
        logging.getLogger(name).setLevel(logging.INFO)
    logging.captureWarnings(True)
    _start_line(entry)
    return path


def _start_line(entry: str) -> None:
    # sys, not the platform module (slow to import at every start): the problem report has the
    # full versions
    logging.getLogger("resources.logs").info(
        "start %s: Plan Monitor %s, Python %s, %s", entry, VERSION, sys.version.split()[0],
        sys.platform)


def log_unexpected(logger: logging.Logger, what: str, exc: BaseException) -> None:
    """An exception nobody expected, with its traceback: the app's fault, not the user's."""
    logger.error("unexpected error %s\n%s", what, describe_exception(exc))


# Exceptions whose message is the library's own words, never a workbook's text.
_SAFE_MESSAGES = ("sqlite3.", "zipfile.", "python_calamine.")


def describe_exception(exc: BaseException) -> str:
    """The traceback as Python prints it (chained exceptions too), but each message withheld
    unless its type is one whose words are a library's own (SQLite's, the zip reader's): an
    exception's message may quote a cell, a note or a name (`could not convert string to
    float: '...'`), and the log goes out in a problem report. Where it was raised, and what,
    is what the help desk needs."""
    chain: list[BaseException] = []
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        chain.append(current)
        current = current.__cause__ or (None if current.__suppress_context__
                                        else current.__context__)
    parts: list[str] = []
    for index, item in enumerate(reversed(chain)):
        if index:
            parts.append("\nThe above exception led to the following one:\n\n")
        parts.append("Traceback (most recent call last):\n")
        parts.extend(traceback.format_tb(item.__traceback__))
        parts.append(_exception_line(item))
    return "".join(parts).rstrip("\n")


def _exception_line(exc: BaseException) -> str:
    kind = type(exc)
    name = f"{kind.__module__}.{kind.__qualname__}" if kind.__module__ != "builtins" \
        else kind.__qualname__
    if isinstance(exc, OSError):
        detail = f"errno {exc.errno}: {exc.strerror}" if exc.errno else "(no errno)"
    elif name.startswith(_SAFE_MESSAGES):
        detail = str(exc)
    else:
        detail = f"(message of {len(str(exc))} characters withheld: it may quote the data)"
    return f"{name}: {detail}\n"


def flush() -> None:
    """Write out what the handlers hold (before the log is read into a problem report)."""
    for handler in logging.getLogger().handlers:
        handler.flush()
