"""Exchange page: send (export a return, an empty template, or in the center the catalog) and
receive (the import wizard; a file can also be dropped on the page). Files are written and read by
exports.xlsx_export / exports.importer in a worker thread behind a cancellable progress dialog."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices, QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import (
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from db import queries
from db.audit import Change, OpChanges
from db.names import period_name, region_name
from desktop.context import AppContext
from desktop.dialogs.import_wizard import ImportWizard, dropped_xlsx, open_import_wizard
from desktop.widgets.file_page import LanguageCombo, MessageLabel, ask_save_path, run_file_job
from desktop.widgets.labels import format_when
from desktop.workers import Job
from resources.words import tr

PAGE_KEY = "exchange"
TITLE_KEY = "ui.nav.exchange"


def suggested_name(kind: str, lang: str, region: str = "", period: str = "") -> str:
    """'Отчет KZ-75 2026-Q3.xlsx' in the file's language, safe on Windows."""
    from exports.xlsx_common import safe_file_name

    return safe_file_name(tr(f"uib.exchange.file.{kind}", lang, region=region,
                             period=period)) + ".xlsx"


class ExchangePage(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.job: Job | None = None
        self.wizard: ImportWizard | None = None
        self.last_file: Path | None = None
        self.setAcceptDrops(True)
        self._build()
        ctx.language_changed.connect(lambda _lang: self.retranslate())
        ctx.selection_changed.connect(self.retranslate)
        ctx.changed.connect(self._on_changed)
        self.retranslate()

    # --- layout ----------------------------------------------------------------------------------
    def _build(self) -> None:
        self.heading = QLabel(self)
        self.send_box = QGroupBox(self)
        self.file_language = LanguageCombo(self.ctx, self)
        self.export_return_button = QPushButton(self)
        self.export_template_button = QPushButton(self)
        self.export_catalog_button = QPushButton(self)
        self.language_label = QLabel(self)
        form = QFormLayout()
        form.addRow(self.language_label, self.file_language)
        send = QVBoxLayout(self.send_box)
        send.addLayout(form)
        for button in (self.export_return_button, self.export_template_button,
                       self.export_catalog_button):
            send.addWidget(button)
        self.export_catalog_button.setVisible(self.ctx.office.is_center)
        self.receive_box = QGroupBox(self)
        self.import_button = QPushButton(self)
        self.drop_hint = QLabel(self)
        self.drop_hint.setWordWrap(True)
        receive = QVBoxLayout(self.receive_box)
        receive.addWidget(self.import_button)
        receive.addWidget(self.drop_hint)
        self.result = MessageLabel(self.ctx, self)
        self.open_folder_button = QPushButton(self)
        self.open_folder_button.setVisible(False)
        self.history = QLabel(self)
        self.history.setWordWrap(True)
        boxes = QHBoxLayout()
        boxes.addWidget(self.send_box, 1)
        boxes.addWidget(self.receive_box, 1)
        result_row = QHBoxLayout()
        result_row.addWidget(self.result, 1)
        result_row.addWidget(self.open_folder_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addLayout(boxes)
        layout.addLayout(result_row)
        layout.addWidget(self.history)
        layout.addStretch(1)
        self.export_return_button.clicked.connect(lambda: self.choose_and_export_return(False))
        self.export_template_button.clicked.connect(lambda: self.choose_and_export_return(True))
        self.export_catalog_button.clicked.connect(self.choose_and_export_catalog)
        self.import_button.clicked.connect(lambda: self.open_import())
        self.open_folder_button.clicked.connect(self.open_folder)

    def retranslate(self) -> None:
        sel = self.ctx.selection
        title = "screens.exchange_title_center" if self.ctx.office.is_center else \
            "uib.exchange.title"  # the ministry exchanges files with the regions
        self.heading.setText(f"<h2>{self.ctx.tr(title)}</h2>")
        self.send_box.setTitle(self.ctx.tr("uib.exchange.send"))
        self.receive_box.setTitle(self.ctx.tr("uib.exchange.receive"))
        self.language_label.setText(self.ctx.tr("uib.exchange.file_language"))
        self.file_language.retranslate()
        region = region_name(self.ctx.conn, sel.region, self.ctx.language)
        period = period_name(sel.period, self.ctx.language) if sel.period else ""
        self.export_return_button.setText(self.ctx.tr("uib.exchange.export_return",
                                                      region=region, period=period))
        self.export_template_button.setText(self.ctx.tr("uib.exchange.export_template"))
        self.export_catalog_button.setText(self.ctx.tr("uib.exchange.export_catalog"))
        for button in (self.export_return_button, self.export_template_button):
            button.setEnabled(bool(sel.region))
        self.import_button.setText(self.ctx.tr("uib.exchange.import"))
        self.drop_hint.setText(self.ctx.tr("uib.exchange.drop_hint"))
        self.open_folder_button.setText(self.ctx.tr("uib.exchange.open_folder"))
        self.refresh_history()

    def refresh_history(self) -> None:
        region = None if self.ctx.office.is_center else self.ctx.office.region_code
        lines = []
        for direction in ("export", "import"):
            row = queries.last_exchange(self.ctx.conn, direction, region)
            key = f"uib.exchange.last_{direction}"
            lines.append(self.ctx.tr(key, file=row["file_name"], at=format_when(row["at"]))
                         if row else self.ctx.tr(f"{key}_none"))
        self.history.setText("\n".join(lines))

    def _on_changed(self, _changes: OpChanges) -> None:
        self.refresh_history()  # an import or an export: two small queries

    # --- export ----------------------------------------------------------------------------------
    def file_lang(self) -> str:
        return self.file_language.lang()

    def choose_and_export_return(self, template: bool) -> None:
        sel, lang = self.ctx.selection, self.file_lang()
        kind = "template" if template else "return"
        path = self._ask_save_path(suggested_name(kind, lang, sel.region, sel.period))
        if path is not None:
            self.export_return_to(path, template=template)

    def choose_and_export_catalog(self) -> None:
        path = self._ask_save_path(suggested_name("catalog", self.file_lang()))
        if path is not None:
            self.export_catalog_to(path)

    def export_return_to(self, path: Path, *, template: bool = False) -> Job:
        from exports.xlsx_export import export_return

        sel, lang = self.ctx.selection, self.file_lang()
        return self._run_export(
            path, lambda conn, progress: export_return(conn, sel.region, sel.period, lang, path,
                                                       template=template, progress=progress))

    def export_catalog_to(self, path: Path) -> Job:
        from exports.xlsx_export import export_catalog

        lang = self.file_lang()
        return self._run_export(
            path, lambda conn, progress: export_catalog(conn, lang, path, progress=progress))

    def _run_export(self, path: Path, work: Callable[[Any, Any], Path]) -> Job:
        path = Path(path)
        self.result.setText("")
        self.open_folder_button.setVisible(False)
        self.job = run_file_job(self.ctx, self, self.ctx.tr("uib.exchange.writing", file=path.name),
                                work, self._exported, self.result, "uib.exchange.failed")
        return self.job

    def _exported(self, path: Path) -> None:
        self.last_file = Path(path)
        self.result.say(self.ctx.tr("uib.exchange.written", file=str(path)))
        self.open_folder_button.setVisible(True)
        self.ctx.notify(OpChanges(None, [Change("exchange_log", (str(path),), "file", None,
                                                Path(path).name)]))

    def _ask_save_path(self, name: str) -> Path | None:
        return ask_save_path(self, self.ctx, name, "uib.exchange.xlsx_filter", ".xlsx")

    def open_folder(self) -> None:
        if self.last_file is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.last_file.parent)))

    # --- import ----------------------------------------------------------------------------------
    def open_import(self, path: Path | None = None) -> ImportWizard:
        self.wizard = open_import_wizard(self.ctx, self, path)
        self.wizard.finished.connect(lambda _result: self.refresh_history())
        return self.wizard

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if dropped_xlsx(event) is not None:
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        path = dropped_xlsx(event)
        if path is not None:
            event.acceptProposedAction()
            self.open_import(path)


def create_page(ctx: AppContext) -> QWidget:
    return ExchangePage(ctx)
