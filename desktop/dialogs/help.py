"""The user manual, opened with F1: a short text per language shipped as Markdown in
resources/help/ (how to fill a return, exchange files, resolve a conflict, print a summary,
restore a backup), shown in the interface's language and following it when it changes."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTextBrowser, QVBoxLayout, QWidget

from desktop.context import AppContext
from resources.paths import resource_path

HELP_SIZE = (720, 560)  # fits a 1366x768 screen at 125% scaling


def help_text(lang: str) -> str:
    """The manual in `lang` (Markdown); the Russian one where a language has none."""
    path = resource_path("help", f"help.{lang}.md")
    if not path.exists():
        path = resource_path("help", "help.ru.md")
    return path.read_text(encoding="utf-8")


class HelpDialog(QDialog):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("helpDialog")
        self.browser = QTextBrowser(self)
        self.browser.setOpenExternalLinks(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.buttons.rejected.connect(self.close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.browser, 1)
        layout.addWidget(self.buttons)
        self.resize(*HELP_SIZE)
        ctx.language_changed.connect(lambda _lang: self.retranslate())
        self.retranslate()

    def retranslate(self) -> None:
        self.setWindowTitle(self.ctx.tr("trust.help.title"))
        self.buttons.button(QDialogButtonBox.StandardButton.Close).setText(
            self.ctx.tr("trust.help.close"))
        self.browser.setMarkdown(help_text(self.ctx.language))
        self.language = self.ctx.language


def show_help(ctx: AppContext, parent: QWidget, dialog: QWidget | None = None) -> QWidget:
    """Show the manual beside the window (not modal, so the person can follow it while working);
    `dialog` is the one shown before, if any."""
    dialog = dialog or HelpDialog(ctx, parent)
    dialog.show()
    dialog.raise_()
    return dialog
