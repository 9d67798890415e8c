"""The import wizard: choose a file (or drop it), see what it would change (added, changed,
conflicts, errors with sheet, row and column), resolve conflicts side by side, apply, read the
summary. Reading and applying run off the UI thread; the file is applied whole or not at all by
exports.importer, which does all the parsing, checking and merging."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEvent, QLocale, QObject, Qt
from PySide6.QtGui import QBrush, QColor, QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from db import queries, rules
from db.errors import PlanMonitorError
from desktop.context import AppContext
from desktop.widgets.labels import period_label
from desktop.workers import Job, start_job
from resources.paths import documents_dir
from resources.words import messages, tr

FILE_PAGE, PREVIEW_PAGE, CONFLICTS_PAGE, SUMMARY_PAGE = range(4)
CHOICES = ("", "file", "local")  # the combo's entries, in order
CHOICE_KEYS = {"": "uib.import.choose", "file": "uib.import.take_file",
               "local": "uib.import.keep_local"}
XLSX_SUFFIXES = (".xlsx", ".xlsm")
LOCAL_COLUMN, FILE_COLUMN = 3, 4  # in the side-by-side conflict table
KEPT_BACKGROUND = QColor("#d7efd9")
PREVIEW_ROWS = 500  # changes listed in the preview; the rest are counted
_LOCALES = {"ru": QLocale.Language.Russian, "kk": QLocale.Language.Kazakh,
            "en": QLocale.Language.English}


def dropped_xlsx(event: QDragEnterEvent | QDropEvent) -> Path | None:
    """The first local .xlsx file among what is being dragged, if any."""
    for url in event.mimeData().urls() if event.mimeData().hasUrls() else ():
        path = Path(url.toLocalFile())
        if url.isLocalFile() and path.suffix.lower() in XLSX_SUFFIXES:
            return path
    return None


def words(value: Any, lang: str) -> str:
    """Text for a value the exchange gives: a callable label (lang), None, a number or text."""
    if callable(value):
        value = value(lang)
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        # the interface's own digits: a decimal comma in Russian and Kazakh
        locale = QLocale(_LOCALES.get(lang, QLocale.Language.English))
        return locale.toString(value) if isinstance(value, int) else locale.toString(value, "g", 15)
    return str(value)


def field_word(name: Any, lang: str) -> str:
    """'women' -> 'Женщин' where the core has a word for the field."""
    key = f"field.{name}"
    return tr(key, lang) if key in messages() else words(name, lang)


def value_word(name: Any, value: Any, lang: str) -> str:
    """A value as people read it: a status in words, numbers without a trailing .0."""
    if name == "status" and isinstance(value, str) and value:
        return rules.status_label(value, lang)
    return words(value, lang)


def item_names(conn: Any, region: str | None, period: str | None,
               lang: str) -> dict[tuple[str, str], str]:
    """People's names of a return's items, keyed by (table, "item|key"), for the preview."""
    if not region or not period:
        return {}
    names = {("action_report", str(a.no)): f"{a.no}. {a.name}"
             for a in queries.action_rows(conn, region, period, lang)}
    names.update({("gender_figure", g.body_code): g.name
                  for g in queries.gender_rows(conn, region, period, lang)})
    names.update({("indicator_value", f"{i.code}|{i.disaggregation_code}"):
                  f"{i.code} {i.name} ({i.disaggregation})"
                  for i in queries.indicator_rows(conn, region, period, lang)})
    return names


def shown_period(code: str | None, lang: str) -> str:
    """'4 квартал 2026 г.' for a period the file names; the code itself if it is not one."""
    try:
        return period_label(code, lang) if code else "—"
    except PlanMonitorError:
        return str(code)


def fill_table(table: QTableWidget, headers: Sequence[str], rows: Sequence[Sequence[str]]) -> None:
    table.clear()
    table.setColumnCount(len(headers))
    table.setHorizontalHeaderLabels(list(headers))
    table.setRowCount(len(rows))
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            item = QTableWidgetItem(text)
            item.setToolTip(text)
            table.setItem(r, c, item)
    table.resizeColumnsToContents()


def _fit_columns(table: QTableWidget) -> None:
    """The item's name takes a third of the width at most and wraps in its tooltip; before
    and after share the rest, so both are seen without scrolling sideways."""
    header = table.horizontalHeader()
    if table.columnCount() < 4:
        return
    header.setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
    header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
    header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
    header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
    table.setColumnWidth(0, max(120, table.viewport().width() // 3))


def read_only_table(parent: QWidget) -> QTableWidget:
    table = QTableWidget(parent)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setAlternatingRowColors(True)
    table.verticalHeader().setVisible(False)
    table.horizontalHeader().setStretchLastSection(True)
    return table


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


# --- Page 2: what the file would change ----------------------------------------------------------

class PreviewPage(QWizardPage):
    def __init__(self, ctx: AppContext, wizard: ImportWizard) -> None:
        super().__init__(wizard)
        self.ctx = ctx
        self.owner = wizard
        self.job: Job | None = None
        self.verdict = QLabel(self)
        self.verdict.setWordWrap(True)
        self.verdict.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.tabs = QTabWidget(self)
        self.changes = read_only_table(self)
        self.conflicts = read_only_table(self)
        self.errors = read_only_table(self)
        for table in (self.changes, self.conflicts, self.errors):
            self.tabs.addTab(table, "")
        layout = QVBoxLayout(self)
        layout.addWidget(self.verdict)
        layout.addWidget(self.tabs, 1)
        self.setCommitPage(False)

    def initializePage(self) -> None:
        self.owner.plan = None
        self.setTitle(self.ctx.tr("uib.import.preview_title"))
        self.setSubTitle(self.ctx.tr("uib.import.reading", file=self.owner.path().name))
        self.verdict.setText("")
        for table in (self.changes, self.conflicts, self.errors):
            table.clear()
            table.setRowCount(0)
        self._name_tabs(None)
        path, office = self.owner.path(), self.ctx.office

        def plan(conn: Any, progress: Any) -> Any:
            from exports.importer import plan_import

            return plan_import(conn, path, office, progress=progress)

        self.job = start_job(self.ctx, self.ctx.tr("uib.import.reading", file=path.name), plan,
                             self)
        self.job.succeeded.connect(self._show_plan)
        self.job.failed.connect(self._show_failure)
        self.job.cancelled.connect(lambda: self._show_failure(self.ctx.tr("uib.job.cancelled")))

    def isComplete(self) -> bool:
        plan = self.owner.plan
        return plan is not None and bool(plan.ok) and not plan.nothing_to_change

    def nextId(self) -> int:
        plan = self.owner.plan
        return CONFLICTS_PAGE if plan is not None and plan.conflicts else SUMMARY_PAGE

    def _show_plan(self, plan: Any) -> None:
        self.owner.plan = plan
        self.owner.learn_names(plan)
        lang = self.ctx.language
        self.setCommitPage(not plan.conflicts)
        self.setSubTitle(self.ctx.tr("uib.import.what_file", file=Path(plan.path).name,
                                     kind=self.ctx.tr(f"uib.import.kind.{plan.kind}")
                                     if plan.kind in ("return", "catalog") else str(plan.kind),
                                     region=queries.region_name(self.ctx.conn, plan.region, lang)
                                     or "—",
                                     period=shown_period(plan.period, lang)))
        self.verdict.setText(self._verdict(plan))
        self.verdict.setStyleSheet("" if self.isComplete() else "QLabel { color: #8b1a1a; }")
        changed = plan.preview(PREVIEW_ROWS) if hasattr(plan, "preview") else []
        fill_table(self.changes, [self.ctx.tr(k) for k in ("uib.import.col.item",
                                                           "uib.import.col.field",
                                                           "uib.import.col.old",
                                                           "uib.import.col.new")],
                   [[self.owner.item_label(c), field_word(c.field, lang), value_word(c.field, c.old, lang),
                     value_word(c.field, c.new, lang)] for c in changed])
        _fit_columns(self.changes)
        fill_table(self.conflicts, self.owner.conflict_headers(),
                   [self.owner.conflict_cells(c) for c in plan.conflicts])
        fill_table(self.errors, [self.ctx.tr(k) for k in ("uib.import.col.sheet",
                                                          "uib.import.col.row",
                                                          "uib.import.col.column",
                                                          "uib.import.col.problem")],
                   [[e.sheet, str(e.row or ""), e.column or "",
                     e.what(lang) if hasattr(e, "what") else e.message(lang)]
                    for e in plan.errors])
        self._name_tabs(plan)
        if plan.errors:
            self.tabs.setCurrentWidget(self.errors)
        elif plan.conflicts:
            self.tabs.setCurrentWidget(self.conflicts)
        self.completeChanged.emit()

    def _verdict(self, plan: Any) -> str:
        lang = self.ctx.language
        if plan.refused is not None:
            return self.ctx.tr("uib.import.refused", reason=plan.refused.message(lang))
        if plan.errors:
            return self.ctx.tr("uib.import.has_errors",
                               count=len(plan.errors) + getattr(plan, "more_errors", 0))
        lines = []
        if plan.stale:
            lines.append(tr("xlsx.stale_warning", lang, file=Path(plan.path).name,
                            exported_at=plan.exported_at, newer_file=plan.newer_file or "",
                            newer=plan.newer_exported_at))
        if plan.nothing_to_change:
            lines.append(tr("xlsx.nothing_to_change", lang, file=Path(plan.path).name))
        else:
            lines.append(self.ctx.tr("uib.import.counts", added=plan.added_count,
                                     changed=len(plan.changed), unchanged=plan.unchanged,
                                     conflicts=len(plan.conflicts)))
        shown = plan.added_count + len(plan.changed)
        if shown > PREVIEW_ROWS:
            lines.append(tr("cli.and_more", lang, count=shown - PREVIEW_ROWS))
        return "\n".join(lines)

    def _show_failure(self, message: str) -> None:
        self.owner.plan = None
        self.verdict.setText(self.ctx.tr("uib.import.refused", reason=message))
        self.verdict.setStyleSheet("QLabel { color: #8b1a1a; }")
        self.completeChanged.emit()

    def _name_tabs(self, plan: Any) -> None:
        counts = (0, 0, 0) if plan is None else (plan.added_count + len(plan.changed),
                                                 len(plan.conflicts), len(plan.errors))
        for i, (key, n) in enumerate(zip(("uib.import.tab.changes", "uib.import.tab.conflicts",
                                          "uib.import.tab.errors"), counts, strict=True)):
            self.tabs.setTabText(i, self.ctx.tr(key, count=n))


# --- Page 3: conflicts, side by side -------------------------------------------------------------

class ConflictsPage(QWizardPage):
    def __init__(self, ctx: AppContext, wizard: ImportWizard) -> None:
        super().__init__(wizard)
        self.ctx = ctx
        self.owner = wizard
        self.table = read_only_table(self)
        self.take_all_file = QPushButton(self)
        self.keep_all_local = QPushButton(self)
        buttons = QHBoxLayout()
        buttons.addWidget(self.take_all_file)
        buttons.addWidget(self.keep_all_local)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(buttons)
        layout.addWidget(self.table, 1)
        self.take_all_file.clicked.connect(lambda: self.choose_all("file"))
        self.keep_all_local.clicked.connect(lambda: self.choose_all("local"))
        self.setCommitPage(True)
        self.combos: dict[str, QComboBox] = {}

    def initializePage(self) -> None:
        self.setTitle(self.ctx.tr("uib.import.conflicts_title"))
        self.setSubTitle(self.ctx.tr("uib.import.conflicts_subtitle"))
        self.take_all_file.setText(self.ctx.tr("uib.import.take_all_file"))
        self.keep_all_local.setText(self.ctx.tr("uib.import.keep_all_local"))
        conflicts = self.owner.plan.conflicts
        headers = [*self.owner.conflict_headers(), self.ctx.tr("uib.import.col.choice")]
        fill_table(self.table, headers, [self.owner.conflict_cells(c) for c in conflicts])
        self.combos = {}
        for row, conflict in enumerate(conflicts):
            combo = QComboBox(self.table)
            for choice in CHOICES:
                combo.addItem(self.ctx.tr(CHOICE_KEYS[choice]), choice)
            chosen = self.owner.choices.get(conflict.id, "")
            combo.setCurrentIndex(CHOICES.index(chosen))
            combo.currentIndexChanged.connect(
                lambda _i, cid=conflict.id, box=combo: self._chosen(cid, box.currentData()))
            self.table.setCellWidget(row, len(headers) - 1, combo)
            self.combos[conflict.id] = combo
            self._mark_kept(row, chosen)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.resizeColumnsToContents()
        header.setStretchLastSection(True)

    def choose(self, conflict_id: str, choice: str) -> None:
        self.combos[conflict_id].setCurrentIndex(CHOICES.index(choice))

    def choose_all(self, choice: str) -> None:
        for conflict_id in self.combos:
            self.choose(conflict_id, choice)

    def _chosen(self, conflict_id: str, choice: str) -> None:
        if choice:
            self.owner.choices[conflict_id] = choice
        else:
            self.owner.choices.pop(conflict_id, None)
        self._mark_kept(list(self.combos).index(conflict_id), choice)
        self.completeChanged.emit()

    def _mark_kept(self, row: int, choice: str) -> None:
        """Tint the value that will stay, so the decision reads at a glance."""
        for column, side in ((LOCAL_COLUMN, "local"), (FILE_COLUMN, "file")):
            item = self.table.item(row, column)
            if item is not None:
                item.setBackground(KEPT_BACKGROUND if side == choice else QBrush())

    def isComplete(self) -> bool:
        plan = self.owner.plan
        return plan is not None and all(c.id in self.owner.choices for c in plan.conflicts)


# --- Page 4: apply and say what happened ---------------------------------------------------------

class SummaryPage(QWizardPage):
    def __init__(self, ctx: AppContext, wizard: ImportWizard) -> None:
        super().__init__(wizard)
        self.ctx = ctx
        self.owner = wizard
        self.job: Job | None = None
        self.applied = False
        self.text = QLabel(self)
        self.text.setWordWrap(True)
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout = QVBoxLayout(self)
        layout.addWidget(self.text)
        layout.addStretch(1)

    def initializePage(self) -> None:
        self.setTitle(self.ctx.tr("uib.import.summary_title"))
        self.applied = False
        plan, user = self.owner.plan, self.ctx.office.user_name
        choices = {c.id: self.owner.choices[c.id] for c in plan.conflicts}
        self.text.setText(self.ctx.tr("uib.import.applying"))

        def apply(conn: Any, _progress: Any) -> Any:
            from exports.importer import apply_import

            return apply_import(conn, plan, user, choices=choices or None)

        self.job = start_job(self.ctx, self.ctx.tr("uib.import.applying"), apply, self)
        self.job.succeeded.connect(self._done)
        self.job.failed.connect(self._failed)

    def isComplete(self) -> bool:
        return self.job is not None and self.job.done

    def _done(self, changes: Any) -> None:
        self.applied = True
        self.ctx.notify(changes)
        plan = self.owner.plan
        fields = len(changes.changes) if changes else 0
        self.text.setText(self.ctx.tr("uib.import.applied", file=Path(plan.path).name,
                                      fields=fields, conflicts=len(plan.conflicts)))
        self.ctx.status_message.emit(self.ctx.tr("uib.import.applied_short", fields=fields))
        self.completeChanged.emit()

    def _failed(self, message: str) -> None:
        self.text.setText(self.ctx.tr("uib.import.refused", reason=message))
        self.text.setStyleSheet("QLabel { color: #8b1a1a; }")
        self.completeChanged.emit()


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
            if plan.kind == "return" else {}

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


class FileDropTarget(QObject):
    """Lets a window take an .xlsx file dropped anywhere on it and open the import wizard."""

    def __init__(self, ctx: AppContext, window: QWidget) -> None:
        super().__init__(window)
        self.ctx, self.window = ctx, window
        window.setAcceptDrops(True)
        window.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in (QEvent.Type.DragEnter, QEvent.Type.DragMove) and \
                dropped_xlsx(event) is not None:
            event.acceptProposedAction()
            return True
        if event.type() == QEvent.Type.Drop and dropped_xlsx(event) is not None:
            event.acceptProposedAction()
            open_import_wizard(self.ctx, self.window, dropped_xlsx(event))
            return True
        return False


def install_drop_target(ctx: AppContext, window: QWidget) -> FileDropTarget:
    """Call once on the main window: a dropped .xlsx file opens the import wizard on its
    preview."""
    return FileDropTarget(ctx, window)


def open_import_wizard(ctx: AppContext, parent: QWidget | None = None,
                       path: Path | None = None) -> ImportWizard:
    """Show the wizard (non-blocking); with `path` (a dropped file) it starts on the preview."""
    wizard = ImportWizard(ctx, path, parent)
    wizard.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
    wizard.show()
    if path is not None and wizard.file_page.isComplete():
        wizard.next()
    return wizard
