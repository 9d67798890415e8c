"""What the pages that write files (Exchange, Reports) share: the language a file is written in,
the line that says how it went, the Save As question, and running the work in a worker thread
behind a cancellable progress dialog."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QFileDialog, QLabel, QWidget

from desktop.context import AppContext
from desktop.widgets.wheel_guard import guard_wheel
from desktop.workers import Job, start_job
from resources.paths import documents_dir
from resources.words import LANGS

ERROR_STYLE = "QLabel { color: #8b1a1a; }"


class LanguageCombo(QComboBox):
    """The language of the file to write: the UI's language until the user picks one."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self.chosen = False
        self.activated.connect(self._picked)
        guard_wheel(self)

    def _picked(self, _index: int) -> None:
        self.chosen = True

    def retranslate(self) -> None:
        keep = self.currentData() if self.chosen else self._ctx.language
        self.clear()
        for code in LANGS:
            self.addItem(self._ctx.tr(f"uib.language.{code}"), code)
        self.setCurrentIndex(LANGS.index(keep))

    def lang(self) -> str:
        return self.currentData() or self._ctx.language


class MessageLabel(QLabel):
    """How the last piece of work went: selectable text, red for a failure; also said in the
    status bar."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._words: tuple[str, dict[str, object]] | None = None  # said by key: retranslated
        self.setWordWrap(True)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        ctx.language_changed.connect(lambda _lang: self._retranslate())

    def say(self, text: str, error: bool = False) -> None:
        """Show words already in the interface's language (they stay as they are)."""
        self._words = None
        self._show(text, error)

    def say_key(self, key: str, error: bool = False, **params: object) -> None:
        """Show the words of `key`, said again in the new language when the language changes."""
        self._words = (key, params)
        self._show(self._ctx.tr(key, **params), error)

    def _show(self, text: str, error: bool) -> None:
        self.setText(text)
        self.setStyleSheet(ERROR_STYLE if error else "")
        self._ctx.status_message.emit(text)

    def _retranslate(self) -> None:
        if self._words is not None:
            key, params = self._words
            self.setText(self._ctx.tr(key, **params))


def ask_save_path(parent: QWidget, ctx: AppContext, name: str, filter_key: str,
                  suffix: str) -> Path | None:
    """Ask where to save (the Documents folder and `name` offered); the path with `suffix` (".xlsx",
    ".pdf") added when the person left it out; None when cancelled."""
    chosen, _ = QFileDialog.getSaveFileName(parent, ctx.tr("uib.exchange.save_as"),
                                            str(documents_dir() / name), ctx.tr(filter_key))
    if not chosen:
        return None
    path = Path(chosen)
    return path if path.suffix.lower() == suffix else path.with_suffix(suffix)


def run_file_job(ctx: AppContext, parent: QWidget, title: str, work: Callable[[Any, Any], Any],
                 done: Callable[[Any], None], message: MessageLabel, failed_key: str) -> Job:
    """Start `work(conn, progress)` in a worker; `done(result)` on success, else the failure (with
    `failed_key`'s words) or the cancel said in `message`."""
    job = start_job(ctx, title, work, parent)
    job.succeeded.connect(done)
    job.failed.connect(lambda reason: message.say_key(failed_key, error=True, reason=reason))
    job.cancelled.connect(lambda: message.say_key("uib.job.cancelled"))
    return job
