"""Reports page: choose region (or, in the center, the national summary), period, language and
sections; preview the PDF's first pages; save it or open it in the system's PDF viewer (to print).

The PDF is written by exports.pdf_report in a worker thread. The preview draws the first pages
with poppler's `pdftoppm` when it is installed (PySide6's own PDF module is a separate wheel we do
not ship); without it the page offers the system viewer instead."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices, QPixmap
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from db import queries
from db.names import period_name, region_name
from desktop.context import AppContext
from desktop.widgets.collate import collated
from desktop.widgets.file_page import LanguageCombo, MessageLabel, ask_save_path, run_file_job
from desktop.widgets.labels import period_choices
from desktop.widgets.wheel_guard import guard_wheel
from desktop.workers import Job
from exports.report_sections import DEFAULT_SECTIONS, NATIONAL_SECTIONS, OPTIONAL_SECTIONS
from resources.words import tr

PAGE_KEY = "reports"
TITLE_KEY = "ui.nav.reports"
NATIONAL = ""  # the region combo's entry for the national summary (center mode)
PREVIEW_PAGES = 3
PREVIEW_DPI = 60
PDFTOPPM_TIMEOUT_S = 60


@dataclass(frozen=True)
class ReportChoice:
    region: str  # NATIONAL for the national summary
    period: str
    lang: str
    sections: frozenset[str]
    prepared_by: str


@dataclass(frozen=True)
class Preview:
    pdf: Path
    images: list[Path]


def section_keys(national: bool) -> tuple[str, ...]:
    return NATIONAL_SECTIONS if national else OPTIONAL_SECTIONS


def default_sections(national: bool) -> frozenset[str]:
    return frozenset(section_keys(True)) if national else DEFAULT_SECTIONS


def build_report(conn: Any, choice: ReportChoice, path: Path,
                 progress: Callable[[int, int], bool] | None) -> Path:
    from exports.pdf_national import build_national_report
    from exports.pdf_report import build_region_report

    if choice.region == NATIONAL:
        return build_national_report(conn, choice.period, choice.lang, path,
                                     sections=choice.sections, prepared_by=choice.prepared_by,
                                     progress=progress)
    return build_region_report(conn, choice.region, choice.period, choice.lang, path,
                               sections=choice.sections, prepared_by=choice.prepared_by,
                               progress=progress)


def build_docx(conn: Any, choice: ReportChoice, path: Path) -> Path:
    """The same report as an editable Word file (python-docx is loaded here, on first use)."""
    from exports.docx_report import build_national_docx, build_region_docx

    if choice.region == NATIONAL:
        return build_national_docx(conn, choice.period, choice.lang, path,
                                   prepared_by=choice.prepared_by)
    return build_region_docx(conn, choice.region, choice.period, choice.lang, path,
                             prepared_by=choice.prepared_by)


def render_pages(pdf: Path, out_dir: Path, pages: int = PREVIEW_PAGES,
                 dpi: int = PREVIEW_DPI) -> list[Path]:
    """PNG images of the first `pages` pages, drawn by pdftoppm; [] when it is not installed."""
    tool = shutil.which("pdftoppm")
    if tool is None:
        return []
    prefix = out_dir / pdf.stem
    subprocess.run([tool, "-png", "-r", str(dpi), "-f", "1", "-l", str(pages), str(pdf),
                    str(prefix)], check=True, capture_output=True, timeout=PDFTOPPM_TIMEOUT_S)
    return sorted(out_dir.glob(f"{pdf.stem}-*.png"))


def suggested_name(choice: ReportChoice, region_name: str) -> str:
    from exports.xlsx_common import safe_file_name

    key = "uib.reports.file.national" if choice.region == NATIONAL else "uib.reports.file.region"
    return safe_file_name(tr(key, choice.lang, region=region_name, period=choice.period)) + ".pdf"


class ReportsPage(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.job: Job | None = None
        self.preview: Preview | None = None
        self.saved: Path | None = None
        self._scratch = tempfile.TemporaryDirectory(prefix="planmonitor-report-")
        self.section_boxes: dict[str, QCheckBox] = {}
        self._build()
        ctx.language_changed.connect(lambda _lang: self.retranslate())
        ctx.selection_changed.connect(self._follow_selection)
        self.destroyed.connect(lambda *_: self._scratch.cleanup())
        self._fill_choices()
        self.retranslate()

    # --- layout ----------------------------------------------------------------------------------
    def _build(self) -> None:
        self.heading = QLabel(self)
        self.region = QComboBox(self)
        self.period = QComboBox(self)
        self.language = LanguageCombo(self.ctx, self)
        self.prepared_by = QLineEdit(self.ctx.office.user_name, self)
        self.form = QFormLayout()
        self.labels = [QLabel(self) for _ in range(4)]
        for label, field in zip(self.labels, (self.region, self.period, self.language,
                                              self.prepared_by), strict=True):
            label.setBuddy(field)
            self.form.addRow(label, field)
        self.sections_box = QGroupBox(self)
        self.sections_layout = QVBoxLayout(self.sections_box)
        self.preview_button = QPushButton(self)
        self.save_button = QPushButton(self)
        self.docx_button = QPushButton(self)
        self.docx_button.setObjectName("saveDocxButton")
        self.open_button = QPushButton(self)
        self.open_button.setEnabled(False)
        buttons = QHBoxLayout()
        for button in (self.preview_button, self.save_button, self.docx_button, self.open_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        self.message = MessageLabel(self.ctx, self)
        left = QVBoxLayout()
        left.addWidget(self.heading)
        left.addLayout(self.form)
        left.addWidget(self.sections_box)
        left.addLayout(buttons)
        left.addWidget(self.message)
        left.addStretch(1)
        self.pages_holder = QWidget(self)
        self.pages_layout = QVBoxLayout(self.pages_holder)
        self.pages_layout.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        self.scroll = QScrollArea(self)
        self.scroll.setWidgetResizable(True)
        self.scroll.setWidget(self.pages_holder)
        layout = QHBoxLayout(self)
        layout.addLayout(left, 2)
        layout.addWidget(self.scroll, 3)
        self.region.currentIndexChanged.connect(lambda _i: self._fill_sections())
        guard_wheel(self.region, self.period)
        self.preview_button.clicked.connect(self.make_preview)
        self.save_button.clicked.connect(self.choose_and_save)
        self.docx_button.clicked.connect(self.choose_and_save_docx)
        self.open_button.clicked.connect(self.open_in_viewer)

    def _fill_choices(self) -> None:
        lang, sel = self.ctx.language, self.ctx.selection
        self.region.blockSignals(True)
        self.region.clear()
        if self.ctx.office.is_center:
            self.region.addItem(self.ctx.tr("uib.reports.national"), NATIONAL)
            for region in collated(queries.regions(self.ctx.conn, lang), lambda r: r.name, lang):
                self.region.addItem(region.name, region.code)
        else:
            code = self.ctx.office.region_code or ""
            self.region.addItem(region_name(self.ctx.conn, code, lang), code)
        wanted = sel.region if self.region.findData(sel.region) >= 0 else self.region.itemData(0)
        self.region.setCurrentIndex(self.region.findData(wanted))
        self.region.blockSignals(False)
        self.period.clear()
        for code in period_choices(queries.periods_with_data(self.ctx.conn) + [sel.period]):
            self.period.addItem(period_name(code, lang), code)
        self.period.setCurrentIndex(max(0, self.period.findData(sel.period)))
        self.language.retranslate()
        self._fill_sections()

    def _fill_sections(self) -> None:
        """One check box per optional section; rebuilt only when the kind of report changes."""
        national = self.region.currentData() == NATIONAL
        keys = section_keys(national)
        if tuple(self.section_boxes) != keys:
            for box in self.section_boxes.values():
                self.sections_layout.removeWidget(box)
                box.hide()
                box.deleteLater()
            self.section_boxes = {}
            for key in keys:
                box = QCheckBox(self.sections_box)
                box.setChecked(key in default_sections(national))
                self.sections_layout.addWidget(box)
                self.section_boxes[key] = box
        for key, box in self.section_boxes.items():
            box.setText(self.ctx.tr(f"uib.reports.section.{key}"))

    def retranslate(self) -> None:
        self.heading.setText(f"<h2>{self.ctx.tr('uib.reports.title')}</h2>")
        for label, key in zip(self.labels, ("uib.reports.region", "uib.reports.period",
                                            "uib.reports.language", "uib.reports.prepared_by"),
                              strict=True):
            label.setText(self.ctx.tr(key))
        self.sections_box.setTitle(self.ctx.tr("uib.reports.sections"))
        self.preview_button.setText(self.ctx.tr("uib.reports.preview"))
        self.save_button.setText(self.ctx.tr("uib.reports.save"))
        self.docx_button.setText(self.ctx.tr("docx.ui.save"))
        self.open_button.setText(self.ctx.tr("uib.reports.open"))
        self._fill_choices()

    def _follow_selection(self) -> None:
        self._fill_choices()

    # --- what to make ----------------------------------------------------------------------------
    def choice(self) -> ReportChoice:
        return ReportChoice(region=self.region.currentData() or NATIONAL,
                            period=self.period.currentData() or self.ctx.selection.period,
                            lang=self.language.lang(),
                            sections=frozenset(k for k, b in self.section_boxes.items()
                                               if b.isChecked()),
                            prepared_by=self.prepared_by.text().strip())

    def set_sections(self, keys: set[str]) -> None:
        for key, box in self.section_boxes.items():
            box.setChecked(key in keys)

    # --- preview ---------------------------------------------------------------------------------
    def make_preview(self) -> Job:
        choice = self.choice()
        folder = Path(tempfile.mkdtemp(dir=self._scratch.name))
        pdf = folder / suggested_name(choice, self.region.currentText())

        def work(conn: Any, progress: Callable[[int, int], bool]) -> Preview:
            build_report(conn, choice, pdf, progress)
            return Preview(pdf, render_pages(pdf, folder))

        return self._start(self.ctx.tr("uib.reports.making"), work, self._show_preview)

    def _show_preview(self, preview: Preview) -> None:
        self.preview = preview
        self.open_button.setEnabled(True)
        self._clear_pages()
        for image in preview.images:
            label = QLabel(self.pages_holder)
            label.setPixmap(QPixmap(str(image)))
            label.setStyleSheet("QLabel { border: 1px solid #c3c9d0; background: white; }")
            self.pages_layout.addWidget(label)
        if preview.images:
            self.message.say_key("uib.reports.previewed", pages=len(preview.images))
        else:
            self.message.say_key("uib.reports.no_preview_tool")

    def _clear_pages(self) -> None:
        while self.pages_layout.count():
            item = self.pages_layout.takeAt(0)
            if item.widget():
                item.widget().deleteLater()

    def open_in_viewer(self) -> None:
        target = self.saved or (self.preview.pdf if self.preview else None)
        if target is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(target)))

    # --- save ------------------------------------------------------------------------------------
    def choose_and_save(self) -> None:
        name = suggested_name(self.choice(), self.region.currentText())
        path = ask_save_path(self, self.ctx, name, "uib.reports.pdf_filter", ".pdf")
        if path is not None:
            self.save_to(path)

    def save_to(self, path: Path) -> Job:
        choice, path = self.choice(), Path(path)
        return self._start(self.ctx.tr("uib.reports.making"),
                           lambda conn, progress: build_report(conn, choice, path, progress),
                           self._saved)

    def choose_and_save_docx(self) -> None:
        name = suggested_name(self.choice(), self.region.currentText()).removesuffix(".pdf")
        path = ask_save_path(self, self.ctx, name + ".docx", "docx.ui.filter", ".docx")
        if path is not None:
            self.save_docx_to(path)

    def save_docx_to(self, path: Path) -> Job:
        """Write the Word file in a worker; Open then opens it in the system's word processor."""
        choice, path = self.choice(), Path(path)
        return self._start(self.ctx.tr("uib.reports.making"),
                           lambda conn, _progress: build_docx(conn, choice, path), self._saved)

    def _saved(self, path: Path) -> None:
        self.saved = Path(path)
        self.open_button.setEnabled(True)
        self.message.say_key("uib.reports.saved", file=str(path))

    # --- running ---------------------------------------------------------------------------------
    def _start(self, title: str, work: Callable[[Any, Any], Any],
               done: Callable[[Any], None]) -> Job:
        self.job = run_file_job(self.ctx, self, title, work, done, self.message,
                                "uib.reports.failed")
        return self.job


def create_page(ctx: AppContext) -> QWidget:
    return ReportsPage(ctx)
