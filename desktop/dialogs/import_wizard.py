"""The import wizard: choose a file (or drop it), see what it would change (added, changed,
conflicts, errors with sheet, row and column), resolve conflicts side by side, apply, read the
summary (the pages after the first: desktop.dialogs.import_pages). Reading and applying run off the UI thread; the file is applied whole or not at all by
exports.importer, which does all the parsing, checking and merging."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from desktop.context import AppContext
from desktop.dialogs.import_pages import ConflictsPage, PreviewPage, SummaryPage
from desktop.dialogs.import_values import (
    CONFLICTS_PAGE,
    FILE_PAGE,
    PREVIEW_PAGE,
    SUMMARY_PAGE,
    dropped_xlsx,
    field_word,
    item_names,
    review_names,
    value_word,
    words,
)
from resources.paths import documents_dir

# --- Page 1: which file --------------------------------------------------------------------------

class FilePage(QWizardPage):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.path_edit = QLineEdit(self)
        self.browse = QPushButton(self)
        self.drop_hint = QLabel(self)
        self.drop_hint.setWordWrap(True)
        self.drop_hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.drop_hint.setMinimumHeight(120)
        self.drop_hint.setStyleSheet("QLabel { border: 2px dashed #9aa5b1; border-radius: 8px; "
                                     "color: #52606d; padding: 12px; }")
        row = QHBoxLayout()
        row.addWidget(self.path_edit, 1)
        row.addWidget(self.browse)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(self.drop_hint, 1)
        self.path_edit.textChanged.connect(self.completeChanged)
        self.browse.clicked.connect(self.choose)
        self.retranslate()

    def retranslate(self) -> None:
        self.setTitle(self.ctx.tr("uib.import.file_title"))
        self.setSubTitle(self.ctx.tr("uib.import.file_subtitle"))
        self.browse.setText(self.ctx.tr("uib.import.browse"))
        self.drop_hint.setText(self.ctx.tr("uib.import.drop_here"))

    def path(self) -> Path:
        return Path(self.path_edit.text().strip())

    def set_path(self, path: Path) -> None:
        self.path_edit.setText(str(path))

    def isComplete(self) -> bool:
        text = self.path_edit.text().strip()
        return bool(text) and Path(text).is_file()

    def choose(self) -> None:
        name, _ = QFileDialog.getOpenFileName(self, self.ctx.tr("uib.import.file_title"),
                                              str(documents_dir()),
                                              self.ctx.tr("uib.exchange.xlsx_filter"))
        if name:
            self.set_path(Path(name))


# --- The wizard ----------------------------------------------------------------------------------

class ImportWizard(QWizard):
    def __init__(self, ctx: AppContext, path: Path | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.plan: Any = None
        self.choices: dict[str, str] = {}
        self.names: dict[tuple[str, str], str] = {}
        self.setObjectName("ImportWizard")
        self.setWizardStyle(QWizard.WizardStyle.ClassicStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnLastPage, True)
        self.setOption(QWizard.WizardOption.NoCancelButtonOnLastPage, True)
        self.setAcceptDrops(True)
        self.file_page = FilePage(ctx, self)
        self.preview_page = PreviewPage(ctx, self)
        self.conflicts_page = ConflictsPage(ctx, self)
        self.summary_page = SummaryPage(ctx, self)
        for page_id, page in ((FILE_PAGE, self.file_page), (PREVIEW_PAGE, self.preview_page),
                              (CONFLICTS_PAGE, self.conflicts_page),
                              (SUMMARY_PAGE, self.summary_page)):
            self.setPage(page_id, page)
        self.resize(960, 600)
        self.retranslate()
        if path is not None:
            self.file_page.set_path(Path(path))

    def retranslate(self) -> None:
        self.setWindowTitle(self.ctx.tr("uib.import.title"))
        for button, key in ((QWizard.WizardButton.BackButton, "uib.wizard.back"),
                            (QWizard.WizardButton.NextButton, "uib.wizard.next"),
                            (QWizard.WizardButton.CommitButton, "uib.wizard.apply"),
                            (QWizard.WizardButton.FinishButton, "uib.wizard.finish"),
                            (QWizard.WizardButton.CancelButton, "uib.wizard.cancel")):
            self.setButtonText(button, self.ctx.tr(key))
        self.file_page.retranslate()

    def path(self) -> Path:
        return self.file_page.path()

    def reject(self) -> None:
        """Cancel stops a file being read; a file being applied is finished first (it is one
        transaction and takes moments), so the window stays until the summary."""
        applying = self.summary_page.job
        if applying is not None and applying.running:
            return
        reading = self.preview_page.job
        if reading is not None and reading.running:
            reading.cancel()
        super().reject()

    def learn_names(self, plan: Any) -> None:
        self.names = item_names(self.ctx.conn, plan.region, plan.period, self.ctx.language) \
            if plan.kind == "return" else review_names(self.ctx.conn, plan, self.ctx.language) \
            if plan.kind == "review" else {}

    def item_label(self, change: Any) -> str:
        """The item's name as people know it ("Акимы районов и городов"), else the file's label."""
        key = getattr(change, "key", ())
        tail = "|".join(str(k) for k in key[2:]) if isinstance(key, tuple) else str(key)
        return self.names.get((change.table, tail)) or words(getattr(change, "label", ""),
                                                             self.ctx.language) or tail

    def conflict_headers(self) -> list[str]:
        return [self.ctx.tr(k) for k in ("uib.import.col.item", "uib.import.col.field",
                                         "uib.import.col.base", "uib.import.col.local",
                                         "uib.import.col.file")]

    def conflict_cells(self, conflict: Any) -> list[str]:
        lang = self.ctx.language
        name = conflict.field
        return [self.item_label(conflict), field_word(name, lang),
                value_word(name, conflict.base, lang), value_word(name, conflict.local, lang),
                value_word(name, conflict.file, lang)]

    # Drop a file anywhere on the wizard to choose it.
    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if dropped_xlsx(event) is not None and self.currentId() in (FILE_PAGE, -1):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        path = dropped_xlsx(event)
        if path is not None:
            self.file_page.set_path(path)
            event.acceptProposedAction()


def open_import_wizard(ctx: AppContext, parent: QWidget | None = None,
                       path: Path | None = None) -> ImportWizard:
    """Show the wizard (non-blocking); with `path` (a dropped file) it starts on the preview."""
    wizard = ImportWizard(ctx, path, parent)
    wizard.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
    wizard.show()
    if path is not None and wizard.file_page.isComplete():
        wizard.next()
    return wizard
