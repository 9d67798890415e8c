"""What the desktop does when the app itself fails, and the problem report for the help desk.

An exception nobody caught (in a slot, a dialog, a thread) is the app's fault: `report_fault`
logs it with its traceback (resources.logs) and tells the person so in their language, where the
details are and how to send them — never a Python message that reads like their mistake.
`install_fault_handlers` makes it the handler of uncaught exceptions; desktop.app.run_app calls
it once logging is set up. Help → "Save a problem report…" (`ProblemReportAction`) writes the
zip of db.problem_report.
"""

from __future__ import annotations

import logging
import sys
import threading
from datetime import datetime
from pathlib import Path
from types import TracebackType

from PySide6.QtCore import qVersion
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox, QWidget

from db.errors import InternalError
from desktop.context import AppContext
from resources.logs import log_unexpected
from resources.paths import documents_dir
from resources.words import tr

log = logging.getLogger(__name__)
_open_boxes: list[QMessageBox] = []  # shown without blocking; kept until closed


def report_fault(kind: type[BaseException], exc: BaseException,
                 tb: TracebackType | None) -> QMessageBox | None:
    """Log an uncaught exception and, on the UI thread of a running app, say it is the app's
    fault (a window-modal box that does not block: the next fault must not stack loops)."""
    if exc.__traceback__ is None and tb is not None:
        exc = exc.with_traceback(tb)
    log_unexpected(log, "in the app", exc)
    app = QApplication.instance()
    if app is None or threading.current_thread() is not threading.main_thread():
        return None
    box = QMessageBox(QMessageBox.Icon.Critical, tr("problem_report.internal_title"),
                      InternalError().message(), QMessageBox.StandardButton.Ok,
                      QApplication.activeWindow())
    _open_boxes.append(box)
    box.finished.connect(lambda _result, box=box: _open_boxes.remove(box))
    box.open()
    return box


def _thread_fault(args: threading.ExceptHookArgs) -> None:
    if args.exc_value is not None:
        log_unexpected(log, f"in the thread {args.thread.name if args.thread else '?'}",
                       args.exc_value)


def install_fault_handlers() -> None:
    """Uncaught exceptions, on the UI thread or any other, go to report_fault / the log."""
    sys.excepthook = report_fault
    threading.excepthook = _thread_fault


def default_report_name(now: datetime | None = None) -> str:
    return f"planmonitor-problem-report-{(now or datetime.now()):%Y-%m-%d-%H%M}.zip"


class ProblemReportAction(QAction):
    """Help → "Save a problem report…": asks where, writes the zip, says where it went."""

    def __init__(self, ctx: AppContext, parent: QWidget) -> None:
        super().__init__(parent)
        self.ctx, self.window = ctx, parent
        self.triggered.connect(lambda _checked=False: self.save())
        ctx.language_changed.connect(lambda _lang: self.retranslate())
        self.retranslate()

    def retranslate(self) -> None:
        self.setText(self.ctx.tr("problem_report.action"))

    def save(self, dest: Path | None = None) -> Path | None:
        """Write the report to `dest` (asked for when None); None if the person cancelled or
        it could not be written (they are told why)."""
        if dest is None:
            chosen, _ = QFileDialog.getSaveFileName(
                self.window, self.ctx.tr("problem_report.dialog_title"),
                str(documents_dir() / default_report_name()),
                self.ctx.tr("problem_report.file_filter"))
            if not chosen:
                return None
            dest = Path(chosen)
        from db.problem_report import write_problem_report  # when first asked for

        try:
            written = write_problem_report(self.ctx.db_path, dest, qt_version=f"Qt {qVersion()}")
        except OSError as exc:
            reason = exc.strerror or str(exc)
            QMessageBox.warning(self.window, self.ctx.tr("problem_report.dialog_title"),
                                self.ctx.tr("problem_report.failed", reason=reason))
            return None
        self.ctx.status_message.emit(self.ctx.tr("problem_report.saved", file=str(written)))
        return written
