"""Long work (import, export, PDF) off the UI thread, with a progress dialog that can be cancelled.

A job is a function `fn(conn, progress) -> result` run in a QThread with its *own* SQLite
connection on the same file (the UI's connection never crosses threads). `progress(done, total)`
returns False once the user has pressed Cancel; the exports APIs then stop and write nothing.
The result or the refusal comes back on the UI thread through signals."""

from __future__ import annotations

import logging
import sqlite3
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Qt, QThread, Signal, Slot
from PySide6.QtWidgets import QProgressDialog, QWidget

from db.connection import connect
from db.errors import InternalError, PlanMonitorError
from desktop.context import AppContext
from resources.logs import log_unexpected

JobFn = Callable[[sqlite3.Connection, Callable[[int, int], bool]], Any]
SHOW_AFTER_MS = 400  # quick jobs finish before a progress dialog would flash
log = logging.getLogger(__name__)


class _Keeper(QObject):
    """Holds every started thread until it has ended, so closing a window mid-job never destroys
    a running QThread; released on the UI thread."""

    def __init__(self) -> None:
        super().__init__()
        self.threads: set[QThread] = set()

    def keep(self, thread: QThread) -> None:
        self.threads.add(thread)
        thread.finished.connect(self._release)

    @Slot()
    def _release(self) -> None:
        thread = self.sender()
        if isinstance(thread, QThread):
            thread.wait()
            self.threads.discard(thread)


_keeper: _Keeper | None = None


def keeper() -> _Keeper:
    global _keeper
    if _keeper is None:
        _keeper = _Keeper()
    return _keeper


class _Thread(QThread):
    progressed = Signal(int, int)
    succeeded = Signal(object)
    failed = Signal(str)
    cancelled = Signal()

    def __init__(self, db_path: Path, fn: JobFn, lang: str) -> None:
        super().__init__()
        self._db_path, self._fn, self._lang = Path(db_path), fn, lang
        self.cancel_requested = threading.Event()

    def progress(self, done: int, total: int) -> bool:
        self.progressed.emit(int(done), int(total))
        return not self.cancel_requested.is_set()

    def run(self) -> None:
        conn = connect(self._db_path)
        try:
            result = self._fn(conn, self.progress)
        except PlanMonitorError as exc:
            if self.cancel_requested.is_set():
                self.cancelled.emit()
            else:
                log.info("a background job was refused: %s", exc.key)
                self.failed.emit(exc.message(self._lang))
        except Exception as exc:  # noqa: BLE001 - the app's fault: logged, and told as such
            log_unexpected(log, "in a background job", exc)
            self.failed.emit(InternalError().message(self._lang))
        else:
            if self.cancel_requested.is_set():
                self.cancelled.emit()
            else:
                if isinstance(result, Path):  # an export, a report: the file it wrote
                    log.info("a background job wrote %s", result.name)
                self.succeeded.emit(result)
        finally:
            conn.close()


class Job(QObject):
    """One piece of long work. Connect to `succeeded(result)`, `failed(message)`, `cancelled()`;
    `finished()` comes last in every case. `result`, `error` and `done` are kept for tests."""

    succeeded = Signal(object)
    failed = Signal(str)
    cancelled = Signal()
    finished = Signal()

    def __init__(self, ctx: AppContext, title: str, fn: JobFn,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.done = False
        self.result: Any = None
        self.error: str | None = None
        self._thread = _Thread(ctx.db_path, fn, ctx.language)
        self._dialog = QProgressDialog(title, ctx.tr("uib.job.cancel"), 0, 0, parent)
        self._dialog.setWindowTitle(title)
        self._dialog.setWindowModality(Qt.WindowModality.WindowModal)
        self._dialog.setMinimumDuration(SHOW_AFTER_MS)
        self._dialog.setAutoClose(False)
        self._dialog.setAutoReset(False)
        self._dialog.canceled.connect(self.cancel)
        self._thread.progressed.connect(self._on_progress)
        self._thread.succeeded.connect(self._on_success)
        self._thread.failed.connect(self._on_failure)
        self._thread.cancelled.connect(self._on_cancel)

    def start(self) -> Job:
        self._dialog.setValue(0)
        keeper().keep(self._thread)
        self._thread.start()
        return self

    def cancel(self) -> None:
        self._thread.cancel_requested.set()

    @property
    def running(self) -> bool:
        return not self.done

    def wait(self, ms: int = 60_000) -> bool:
        return self._thread.wait(ms)

    def _on_progress(self, done: int, total: int) -> None:
        if total > 0:
            self._dialog.setMaximum(total)
            self._dialog.setValue(min(done, total))

    def _on_success(self, result: object) -> None:
        self.result = result
        self._finish()
        self.succeeded.emit(result)
        self.finished.emit()

    def _on_failure(self, message: str) -> None:
        self.error = message
        self._finish()
        self.failed.emit(message)
        self.finished.emit()

    def _on_cancel(self) -> None:
        self._finish()
        self.cancelled.emit()
        self.finished.emit()

    def _finish(self) -> None:
        self.done = True
        self._thread.wait()
        self._dialog.close()
        self._dialog.deleteLater()


def start_job(ctx: AppContext, title: str, fn: JobFn, parent: QWidget | None = None) -> Job:
    """Run `fn(conn, progress)` off the UI thread behind a cancellable progress dialog."""
    return Job(ctx, title, fn, parent).start()
