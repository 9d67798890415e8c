"""History page: the audit trail — who changed what, when, from where and from which file —
filterable by kind of record, source, this period only, and free text."""

from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from db.audit import OpChanges
from desktop.context import AppContext
from desktop.models.history import (
    FIELD,
    FILE,
    ITEM,
    NEW,
    OLD,
    ROW_LIMIT,
    SOURCE,
    SOURCES,
    TABLES,
    USER,
    WHEN,
    HistoryModel,
)
from desktop.widgets.wheel_guard import guard_wheel

PAGE_KEY = "history"
TITLE_KEY = "ui.nav.history"
SEARCH_DELAY_MS = 300
FIT_ROWS = 50  # columns fit the newest rows (those seen first), not all 3,000 of them


class HistoryPage(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.model = HistoryModel(ctx, self)
        self._dirty = False
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(
            lambda: self.model.set_filter(text=self.search.text()))
        self._build()
        ctx.changed.connect(self._data_changed)
        ctx.selection_changed.connect(self._selection_changed)
        ctx.language_changed.connect(lambda _lang: self.retranslate())
        self.model.modelReset.connect(self._update_count)
        self.retranslate(reload=False)  # the model has just read the rows, in this language
        self._update_count()

    def _build(self) -> None:
        self.heading = QLabel(self)
        self.heading.setObjectName("pageHeading")
        self.table_combo = QComboBox(self)
        self.table_combo.setObjectName("historyTable")
        for table in TABLES:
            self.table_combo.addItem("", table)
        self.source_combo = QComboBox(self)
        self.source_combo.setObjectName("historySource")
        for source in SOURCES:
            self.source_combo.addItem("", source)
        self.period_only = QCheckBox(self)
        self.search = QLineEdit(self)
        self.search.setClearButtonEnabled(True)
        self.table_combo.currentIndexChanged.connect(
            lambda i: self.model.set_filter(table=self.table_combo.itemData(i)))
        guard_wheel(self.table_combo, self.source_combo)
        self.source_combo.currentIndexChanged.connect(
            lambda i: self.model.set_filter(source=self.source_combo.itemData(i)))
        self.period_only.toggled.connect(lambda on: self.model.set_filter(this_period_only=on))
        self.search.textChanged.connect(lambda _t: self._search_timer.start())
        bar = QHBoxLayout()
        bar.addWidget(self.table_combo)
        bar.addWidget(self.source_combo)
        bar.addWidget(self.period_only)
        bar.addWidget(self.search, 1)
        self.view = QTableView(self)
        self.view.setObjectName("historyView")
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setAlternatingRowColors(True)
        self.view.setWordWrap(False)
        self.view.verticalHeader().hide()
        self.view.verticalHeader().setDefaultSectionSize(int(self.view.fontMetrics().height() * 1.5))
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(ITEM, QHeaderView.ResizeMode.Stretch)
        header.setStretchLastSection(False)
        header.setResizeContentsPrecision(FIT_ROWS)
        self.count = QLabel(self)
        self.count.setStyleSheet("color: #555;")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.addWidget(self.heading)
        layout.addLayout(bar)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.count)

    def retranslate(self, reload: bool = True) -> None:
        tr = self.ctx.tr
        self.heading.setText(f"<h2>{tr('ui.nav.history')}</h2>")
        for index, table in enumerate(TABLES):
            self.table_combo.setItemText(index, tr(f"ui.history.table_{table or 'all'}"))
        for index, source in enumerate(SOURCES):
            self.source_combo.setItemText(index, tr(f"ui.history.source_{source or 'all'}"))
        self.period_only.setText(tr("ui.history.this_period"))
        self.search.setPlaceholderText(tr("ui.history.search"))
        if reload:
            self.model.reload()
        self._fit_columns()

    def _fit_columns(self) -> None:
        """Dates, names and sources as wide as they need; values and files narrow enough that
        the record column (which stretches) stays readable; full texts are in the tooltips."""
        em = self.view.fontMetrics().horizontalAdvance("M")
        for column in (WHEN, USER, SOURCE, FIELD):
            self.view.resizeColumnToContents(column)
        for column in (OLD, NEW):
            self.view.setColumnWidth(column, em * 9)
        self.view.setColumnWidth(FILE, em * 10)

    def _update_count(self) -> None:
        shown = self.model.rowCount()
        key = "ui.history.count_limited" if shown >= ROW_LIMIT else "ui.history.count"
        self.count.setText(self.ctx.tr(key, count=shown))

    def _data_changed(self, changes: OpChanges) -> None:
        self._dirty = True
        if self.isVisible():
            self.refresh()

    def _selection_changed(self) -> None:
        if self.period_only.isChecked():
            self._data_changed(OpChanges())

    def refresh(self) -> None:
        self._dirty = False
        self.model.reload()

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802
        if self._dirty:
            self.refresh()
        super().showEvent(event)


def create_page(ctx: AppContext) -> QWidget:
    return HistoryPage(ctx)
