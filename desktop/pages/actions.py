"""Actions page: the plan's actions grouped by section, with a status filter and a search box
(Kazakh and Russian, any case), and beside them the editor of the chosen action's report."""

from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QScrollArea,
    QSplitter,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from desktop.context import AppContext
from desktop.models.actions import (
    ACTION_ROLE,
    DEADLINE,
    FILES,
    FILTERS,
    NAME,
    NO,
    OFFICER,
    STATUS,
    ActionFilter,
    ActionsModel,
)
from desktop.widgets.action_editor import ActionEditor
from desktop.widgets.review_banner import ReviewBanner
from desktop.widgets.status_delegate import StatusDelegate
from desktop.widgets.wheel_guard import guard_wheel
from desktop.widgets.wrap_delegate import WrapDelegate

PAGE_KEY = "actions"
TITLE_KEY = "ui.nav.actions"


class ActionsPage(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.model = ActionsModel(ctx, self)
        self.proxy = ActionFilter(self)
        self.proxy.setSourceModel(self.model)
        self._build()
        ctx.language_changed.connect(lambda _lang: (self.retranslate(), self._fit_columns()))
        self.model.modelReset.connect(self._expand)
        self.retranslate()
        self._expand()

    def _build(self) -> None:
        self.heading = QLabel(self)
        self.heading.setObjectName("pageHeading")
        self.banner = ReviewBanner(self.ctx, self, self.model.review)  # the decision, or the lock
        self.search = QLineEdit(self)
        self.search.setObjectName("actionSearch")
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self._search_changed)
        self.filter_label = QLabel(self)
        self.filter_combo = QComboBox(self)
        self.filter_combo.setObjectName("actionFilter")
        for kind in FILTERS:
            self.filter_combo.addItem("", kind)
        self.filter_combo.currentIndexChanged.connect(self._filter_changed)
        guard_wheel(self.filter_combo)
        self.filter_label.setBuddy(self.filter_combo)
        QShortcut(QKeySequence.StandardKey.Find, self, self.search.setFocus)
        self.tree = self._build_tree()
        self.editor = ActionEditor(self.ctx, self)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.editor)
        scroll.setMinimumWidth(340)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        left = QWidget(self)
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        bar = QHBoxLayout()
        bar.addWidget(self.search, 1)
        bar.addWidget(self.filter_label)
        bar.addWidget(self.filter_combo)
        left_layout.addLayout(bar)
        left_layout.addWidget(self.tree, 1)
        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.addWidget(left)
        self.splitter.addWidget(scroll)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        self.splitter.setSizes([700, 400])
        self.splitter.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.addWidget(self.heading)
        layout.addWidget(self.banner)
        layout.addWidget(self.splitter, 1)

    def _build_tree(self) -> QTreeView:
        tree = QTreeView(self)
        tree.setObjectName("actionsTree")
        tree.setModel(self.proxy)
        tree.setAlternatingRowColors(True)
        tree.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        tree.setItemDelegateForColumn(STATUS, StatusDelegate(tree))
        tree.setItemDelegateForColumn(NAME, WrapDelegate(tree, NAME))
        tree.setWordWrap(False)  # the other columns stay on one line; names wrap (WrapDelegate)
        header = tree.header()
        header.setStretchLastSection(False)
        header.setMinimumSectionSize(tree.fontMetrics().horizontalAdvance("000") + 8)
        # Narrow columns are measured once their rows are in (_fit_columns), not at every layout
        # as ResizeToContents would: the name column takes the rest and wraps.
        header.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        header.setSectionResizeMode(NAME, QHeaderView.ResizeMode.Stretch)
        header.sectionResized.connect(self._name_width_changed)
        for column in (OFFICER, FILES):  # shown in the editor; the list stays readable
            tree.setColumnHidden(column, True)
        tree.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        tree.selectionModel().currentRowChanged.connect(self._current_changed)
        tree.activated.connect(self._edit_current)  # Enter on an action: go to its status
        self.proxy.layoutChanged.connect(self._span_sections)
        self.proxy.rowsInserted.connect(lambda *_: self._span_sections())
        self.proxy.modelReset.connect(self._span_sections)
        return tree

    # --- words ------------------------------------------------------------------------------------
    def retranslate(self) -> None:
        tr = self.ctx.tr
        self.heading.setText(f"<h2>{tr('ui.nav.actions')}</h2>")
        self.search.setPlaceholderText(tr("ui.actions.search"))
        self.filter_label.setText(tr("ui.actions.show"))
        for index, kind in enumerate(FILTERS):
            self.filter_combo.setItemText(index, tr(f"ui.actions.filter_{kind}"))

    # --- tree -------------------------------------------------------------------------------------
    def _expand(self) -> None:
        self.tree.expandAll()
        self._span_sections()
        self._fit_columns()

    def _fit_columns(self) -> None:
        for column in (NO, STATUS, DEADLINE, FILES):
            if not self.tree.isColumnHidden(column):
                self.tree.resizeColumnToContents(column)
        widest = StatusDelegate.widest(self.tree.fontMetrics(), self.ctx.language)
        if self.tree.columnWidth(STATUS) < widest:
            self.tree.setColumnWidth(STATUS, widest)

    def _name_width_changed(self, column: int, _old: int, _new: int) -> None:
        """Wrapped names need new row heights when their column's width changes."""
        if column == NAME:
            self.tree.scheduleDelayedItemsLayout()

    def _span_sections(self) -> None:
        for row in range(self.proxy.rowCount()):
            self.tree.setFirstColumnSpanned(row, QModelIndex(), True)

    def _search_changed(self, text: str) -> None:
        self.proxy.set_search(text)
        self._expand()

    def _filter_changed(self, index: int) -> None:
        self.proxy.set_kind(self.filter_combo.itemData(index))
        self._expand()

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        row = current.data(ACTION_ROLE) if current.isValid() else None
        if row is not None:
            self.editor.show_action(row.no)

    def _edit_current(self, index: QModelIndex) -> None:
        if index.data(ACTION_ROLE) is not None and self.editor.editable:
            self.editor.status_combo.setFocus()

    # --- going to an item -------------------------------------------------------------------------
    def focus_item(self, item: object) -> None:
        """Select an action (its number) or a section ("section:3")."""
        if isinstance(item, str) and item.startswith("section:"):
            source = self.model.find_section(int(item.split(":", 1)[1]))
        else:
            source = self.model.find_action(int(str(item)))
        if not source.isValid():
            return
        index = self.proxy.mapFromSource(source)
        if not index.isValid():
            self.search.clear()
            self.filter_combo.setCurrentIndex(0)
            index = self.proxy.mapFromSource(source)
        self.tree.setCurrentIndex(index)
        self.tree.selectionModel().select(
            index, QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows)
        self.tree.scrollTo(index, QAbstractItemView.ScrollHint.PositionAtTop)
        self.tree.setFocus()

    def flush(self) -> None:
        self.editor.flush()


def create_page(ctx: AppContext) -> QWidget:
    return ActionsPage(ctx)
