"""The main window: a period selector (and a region selector in center mode), navigation over the
pages of `desktop.pages.PAGES`, menus, and a status bar. A page's module is imported and the page
created the first time it is shown, so a start builds the start page alone and the window opens
quickly."""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QSize, Qt, QTimer
from PySide6.QtGui import QAction, QIcon, QKeySequence
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QSizePolicy,
    QStackedWidget,
    QToolBar,
    QWidget,
)

from db import queries
from db.demo_workbook import is_demo_workbook
from db.names import period_name, region_name
from desktop.context import AppContext
from desktop.pages import PageInfo, available_pages
from desktop.support import ProblemReportAction
from desktop.ui_state import UiState, save_state
from desktop.undo import action_texts
from desktop.widgets.collate import collated
from desktop.widgets.demo_band import DemoBand
from desktop.widgets.focus_combo import FocusWheelComboBox
from desktop.widgets.labels import period_choices
from desktop.widgets.screen_fit import fit_to_screen, fits_screen
from desktop.widgets.style import STYLE_SHEET
from resources import VERSION as __version__
from resources.paths import resource_path

if TYPE_CHECKING:  # used in annotations only
    from collections.abc import Callable
    from pathlib import Path

    from PySide6.QtGui import QCloseEvent

    from db.audit import OpChanges  # db.audit arrives with the first edit

REGIONAL_TABLES = {"action_report", "gender_figure", "indicator_value"}
STATUS_TIMEOUT_MS = 6000
STATE_SAVE_DELAY_MS = 1500


@cache  # the navigation and the Go menu show the same icons
def icon(name: str) -> QIcon:
    """An icon from resources/icons (drawn when first painted), with its white variant from
    resources/icons/selected for a highlighted item."""
    path = resource_path("icons", f"{name}.svg")
    if not path.exists():
        return QIcon()
    result = QIcon(str(path))
    selected = resource_path("icons", "selected", f"{name}.svg")
    if selected.exists():
        result.addFile(str(selected), QSize(), QIcon.Mode.Selected)
    return result


class MainWindow(QMainWindow):
    def __init__(self, ctx: AppContext, state: UiState | None = None) -> None:
        super().__init__()
        self.ctx = ctx
        self.state = state or UiState()
        self.page_infos: list[PageInfo] = available_pages(ctx)  # no page module imported yet
        self.pages: dict[str, QWidget] = {}
        self.setObjectName("MainWindow")
        self.setWindowIcon(icon("app"))
        self.setStyleSheet(STYLE_SHEET)
        self._build_toolbar()
        self._build_body()
        self._build_menus()
        self._build_status_bar()
        self._state_timer = QTimer(self)  # where we are is kept soon after it changes, so a
        self._state_timer.setSingleShot(True)  # crash or a power cut loses little
        self._state_timer.setInterval(STATE_SAVE_DELAY_MS)
        self._state_timer.timeout.connect(self.remember_state)
        self._connect()
        self._fill_periods()
        self.retranslate()
        self._restore_geometry()
        self.show_page(self.state.page if self.state.page in self.page_keys() else
                       self.page_keys()[0] if self.page_infos else "")

    # --- building ---------------------------------------------------------------------------------
    def _build_toolbar(self) -> None:
        bar = QToolBar(self)
        bar.setObjectName("selectionBar")
        bar.setMovable(False)
        bar.setFloatable(False)
        bar.setIconSize(QSize(20, 20))
        holder = QWidget(bar)
        row = QHBoxLayout(holder)
        row.setContentsMargins(8, 4, 8, 4)
        row.setSpacing(8)
        self.period_label = QLabel(holder)
        self.period_combo = FocusWheelComboBox(holder)
        self.period_combo.setObjectName("periodCombo")
        self.period_combo.setMinimumContentsLength(18)
        self.period_label.setBuddy(self.period_combo)
        row.addWidget(self.period_label)
        row.addWidget(self.period_combo)
        self.region_label = QLabel(holder)
        self.region_combo = FocusWheelComboBox(holder)
        self.region_combo.setObjectName("regionCombo")
        self.region_combo.setMinimumContentsLength(24)
        self.region_label.setBuddy(self.region_combo)
        row.addSpacing(12)
        row.addWidget(self.region_label)
        row.addWidget(self.region_combo)
        center = self.ctx.office.is_center
        self.region_label.setVisible(center)
        self.region_combo.setVisible(center)  # filled by retranslate(), in the user's language
        row.addStretch(1)
        holder.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        bar.addWidget(holder)
        self.addToolBar(bar)
        self.selection_bar = bar

    def _build_body(self) -> None:
        body = QWidget(self)
        layout = QHBoxLayout(body)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        self.nav = QListWidget(body)
        self.nav.setObjectName("navigation")
        self.nav.setIconSize(QSize(20, 20))
        self.nav.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        for info in self.page_infos:
            item = QListWidgetItem(icon(info.key), "", self.nav)
            item.setData(Qt.ItemDataRole.UserRole, info.key)
        self.stack = QStackedWidget(body)
        self.stack.setObjectName("pageStack")
        layout.addWidget(self.nav)
        self.demo_band = DemoBand(self.ctx, body)  # above every page while demo data exists
        layout.addWidget(self.demo_band.around(self.stack), 1)
        self.setCentralWidget(body)

    def _build_menus(self) -> None:
        bar = self.menuBar()
        self.file_menu = bar.addMenu("")
        self.quit_action = QAction(self)
        self.quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        self.quit_action.triggered.connect(self.close)
        self.file_menu.addAction(self.quit_action)
        self.edit_menu = bar.addMenu("")
        self.undo_action = QAction(icon("undo"), "", self)
        self.undo_action.setShortcut(QKeySequence.StandardKey.Undo)
        self.redo_action = QAction(icon("redo"), "", self)
        self.redo_action.setShortcuts([QKeySequence(QKeySequence.StandardKey.Redo),
                                       QKeySequence("Ctrl+Y")])
        self.edit_menu.addAction(self.undo_action)
        self.edit_menu.addAction(self.redo_action)
        self.search_action = QAction(self)  # Ctrl+K from any page: the search box
        self.search_action.setShortcuts([QKeySequence("Ctrl+K")])
        self.search_action.triggered.connect(self.open_search)
        self.edit_menu.addAction(self.search_action)
        self._wire_undo()
        self.go_menu = bar.addMenu("")
        self.go_actions: list[QAction] = []
        for index, info in enumerate(self.page_infos):
            action = QAction(icon(info.key), "", self)
            if index < 9:
                action.setShortcuts([QKeySequence(f"Ctrl+{index + 1}")])
            action.triggered.connect(lambda _=False, k=info.key: self.show_page(k))
            self.go_menu.addAction(action)
            self.go_actions.append(action)
        self.help_menu = bar.addMenu("")
        self.help_action = QAction(self)
        self.help_action.setShortcuts([QKeySequence(QKeySequence.StandardKey.HelpContents)])
        self.help_action.triggered.connect(self.show_help)
        self.help_menu.addAction(self.help_action)
        self.demo_action = QAction(self)  # a separate demo file, in a window of its own
        self.demo_action.triggered.connect(self.open_demo)
        self.help_menu.addAction(self.demo_action)
        self.demo_window: MainWindow | None = None
        # desktop.app's create_main_window(path, language), set by the app: how a second
        # window (the demo workbook's) is made
        self.window_factory: Callable[[Path, str], MainWindow] | None = None
        self.about_action = QAction(icon("app"), "", self)  # in the menu only: F1 is the help
        self.about_action.triggered.connect(self.show_about)
        self.help_menu.addAction(self.about_action)
        self.report_action = ProblemReportAction(self.ctx, self)  # names itself in the language
        self.help_menu.addAction(self.report_action)
        self.help_dialog: QWidget | None = None

    def _wire_undo(self) -> None:
        stack = getattr(self.ctx, "undo_stack", None)
        if stack is None:
            self.undo_action.setEnabled(False)
            self.redo_action.setEnabled(False)
            return
        self.undo_action.triggered.connect(getattr(self.ctx, "undo", stack.undo))
        self.redo_action.triggered.connect(getattr(self.ctx, "redo", stack.redo))
        stack.canUndoChanged.connect(self.undo_action.setEnabled)
        stack.canRedoChanged.connect(self.redo_action.setEnabled)
        stack.indexChanged.connect(self._undo_index_changed)
        self.undo_action.setEnabled(stack.canUndo())
        self.redo_action.setEnabled(stack.canRedo())
        self.selection_bar.addAction(self.undo_action)
        self.selection_bar.addAction(self.redo_action)

    def _build_status_bar(self) -> None:
        bar = self.statusBar()
        self.office_status = QLabel(bar)
        self.user_status = QLabel(bar)
        for label in (self.office_status, self.user_status):
            label.setContentsMargins(8, 0, 8, 0)
            bar.addPermanentWidget(label)

    def _connect(self) -> None:
        self.nav.currentRowChanged.connect(self._nav_row_changed)
        self.period_combo.currentIndexChanged.connect(self._period_chosen)
        self.region_combo.currentIndexChanged.connect(self._region_chosen)
        self.ctx.language_changed.connect(lambda _lang: self.retranslate())
        self.ctx.status_message.connect(self.show_status)
        self.ctx.changed.connect(self._data_changed)
        self.ctx.selection_changed.connect(self._selection_changed)
        self.ctx.office_changed.connect(self._update_status_labels)
        navigate = getattr(self.ctx, "navigate", None)
        if navigate is not None:
            navigate.connect(self.go_to)

    # --- selection --------------------------------------------------------------------------------
    def _fill_periods(self) -> None:
        region = None if self.ctx.office.is_center else self.ctx.selection.region
        codes = period_choices(queries.periods_with_data(self.ctx.conn, region)
                               + [self.ctx.selection.period])
        self.period_combo.blockSignals(True)
        self.period_combo.clear()
        for code in codes:
            self.period_combo.addItem(period_name(code, self.ctx.language), code)
        self.period_combo.setCurrentIndex(max(0, self.period_combo.findData(
            self.ctx.selection.period)))
        self.period_combo.blockSignals(False)

    def _fill_regions(self) -> None:
        self.region_combo.blockSignals(True)
        self.region_combo.clear()
        lang = self.ctx.language
        for region in collated(queries.regions(self.ctx.conn, lang), lambda r: r.name, lang):
            self.region_combo.addItem(region.name, region.code)
        self.region_combo.setCurrentIndex(max(0, self.region_combo.findData(
            self.ctx.selection.region)))
        self.region_combo.blockSignals(False)

    def _period_chosen(self, index: int) -> None:
        code = self.period_combo.itemData(index)
        if code:
            self.ctx.set_selection(period=code)

    def _region_chosen(self, index: int) -> None:
        code = self.region_combo.itemData(index)
        if code:
            self.ctx.set_selection(region=code)

    def _selection_changed(self) -> None:
        self._state_timer.start()
        self._fill_periods()
        for combo, value in ((self.period_combo, self.ctx.selection.period),
                             (self.region_combo, self.ctx.selection.region)):
            index = combo.findData(value)
            if index >= 0 and index != combo.currentIndex():
                combo.blockSignals(True)
                combo.setCurrentIndex(index)
                combo.blockSignals(False)
        self._update_title()

    def _data_changed(self, changes: OpChanges) -> None:
        if changes.tables & REGIONAL_TABLES:
            known = {self.period_combo.itemData(i) for i in range(self.period_combo.count())}
            new = {c.key[1] for c in changes.changes if c.table in REGIONAL_TABLES}
            if new - known:
                self._fill_periods()

    # --- pages ------------------------------------------------------------------------------------
    def page_keys(self) -> list[str]:
        return [info.key for info in self.page_infos]

    def page(self, key: str) -> QWidget | None:
        """The page widget for `key`, its module imported and the page created on first use
        (so asking for a page never shown yet builds it; None for a page not offered here)."""
        if key in self.pages:
            return self.pages[key]
        info = next((i for i in self.page_infos if i.key == key), None)
        if info is None:
            return None
        widget = info.load().create_page(self.ctx)
        widget.setObjectName(f"page_{key}")
        self.pages[key] = widget
        self.stack.addWidget(widget)
        return widget

    def current_page_key(self) -> str:
        item = self.nav.currentItem()
        return item.data(Qt.ItemDataRole.UserRole) if item else ""

    def show_page(self, key: str) -> None:
        widget = self.page(key)
        if widget is None:
            return
        self.stack.setCurrentWidget(widget)
        row = self.page_keys().index(key)
        if self.nav.currentRow() != row:
            self.nav.blockSignals(True)
            self.nav.setCurrentRow(row)
            self.nav.blockSignals(False)
        self.state.page = key
        self._state_timer.start()

    def go_to(self, key: str, item: object = None) -> None:
        """Show a page and, where the page can, the item (an action number, a body code...)."""
        self.show_page(key)
        widget = self.pages.get(key)
        focus = getattr(widget, "focus_item", None)
        if item is not None and callable(focus):
            focus(item)

    def _nav_row_changed(self, row: int) -> None:
        if 0 <= row < len(self.page_infos):
            self.show_page(self.page_infos[row].key)

    def open_search(self) -> None:
        """The search box (desktop.dialogs.search, loaded the first time it is asked for)."""
        dialog = getattr(self, "search_dialog", None)
        if dialog is None:
            from desktop.dialogs.search import SearchDialog

            dialog = self.search_dialog = SearchDialog(self.ctx, self)
        dialog.open_search()

    # --- words ------------------------------------------------------------------------------------
    def retranslate(self) -> None:
        tr = self.ctx.tr
        self.period_label.setText(tr("ui.toolbar.period"))
        self.region_label.setText(tr("ui.toolbar.region"))
        for index in range(self.period_combo.count()):
            self.period_combo.setItemText(index, period_name(
                self.period_combo.itemData(index), self.ctx.language))
        if self.ctx.office.is_center:
            self._fill_regions()
        for index, info in enumerate(self.page_infos):
            title = tr(info.title_key)
            self.nav.item(index).setText(title)
            self.go_actions[index].setText(title)
        self.file_menu.setTitle(tr("ui.menu.file"))
        self.edit_menu.setTitle(tr("ui.menu.edit"))
        self.go_menu.setTitle(tr("ui.menu.go"))
        self.help_menu.setTitle(tr("ui.menu.help"))
        self.quit_action.setText(tr("ui.action.quit"))
        self.search_action.setText(tr("search.ui.action"))
        self.about_action.setText(tr("ui.action.about"))
        self.help_action.setText(tr("trust.help.action"))
        self.demo_action.setText(tr("prints.demo.open"))
        self._retranslate_undo()
        self._update_status_labels()
        self._update_title()
        self._fit_navigation()

    def _retranslate_undo(self) -> None:
        tr = self.ctx.tr
        stack = getattr(self.ctx, "undo_stack", None)
        undo_text, redo_text = (action_texts(stack, self.ctx.language) if stack is not None
                                else ("", ""))
        self.undo_action.setText(undo_text or tr("ui.action.undo"))
        self.redo_action.setText(redo_text or tr("ui.action.redo"))

    def _undo_index_changed(self, _index: int) -> None:
        try:
            self._retranslate_undo()
        except RuntimeError:  # the stack is being destroyed with the context
            pass

    def _fit_navigation(self) -> None:
        metrics = self.nav.fontMetrics()
        widest = max((metrics.horizontalAdvance(self.nav.item(i).text())
                      for i in range(self.nav.count())), default=120)
        self.nav.setFixedWidth(widest + self.nav.iconSize().width() + 48)

    def _update_status_labels(self) -> None:
        office = self.ctx.office
        if office.is_center:
            self.office_status.setText(self.ctx.tr("ui.status.office_center"))
        else:
            name = region_name(self.ctx.conn, office.region_code, self.ctx.language)
            self.office_status.setText(self.ctx.tr("ui.status.office_region", name=name))
        self.user_status.setText(self.ctx.tr("ui.status.user", name=office.user_name or "—"))

    def _update_title(self) -> None:
        name = region_name(self.ctx.conn, self.ctx.selection.region, self.ctx.language)
        title = self.ctx.tr("ui.app.title")
        if is_demo_workbook(self.ctx.db_path):  # the demo workbook's window says so first
            title = f"{self.ctx.tr('demo.mark')} — {title}"
        self.setWindowTitle(f"{title} — {name}" if name else title)

    def show_status(self, text: str) -> None:
        self.statusBar().showMessage(text, STATUS_TIMEOUT_MS)

    def about_text(self) -> str:
        from db.catalog import catalog_version  # only when asked: not needed to open the window

        return self.ctx.tr("ui.about.text", version=__version__,
                           catalog=catalog_version(self.ctx.conn) or "—", path=str(self.ctx.db_path))

    def show_help(self) -> None:
        from desktop.dialogs.help import show_help  # the manual: when first asked for (F1)

        self.help_dialog = show_help(self.ctx, self, self.help_dialog)

    def open_demo(self) -> None:
        """Help → open a demo workbook, in a window `window_factory` makes (the app sets it)."""
        from desktop.demo_window import open_demo_window  # only when asked for

        if self.window_factory is not None:
            open_demo_window(self, self.window_factory)

    def show_about(self) -> None:
        from PySide6.QtWidgets import QMessageBox

        QMessageBox.about(self, self.ctx.tr("ui.about.title"), self.about_text())

    # --- leaving ----------------------------------------------------------------------------------
    def _restore_geometry(self) -> None:
        restored = bool(self.state.geometry) and self.restoreGeometry(
            QByteArray(self.state.geometry))
        if not restored or not fits_screen(self):  # a first start, or a smaller screen now
            fit_to_screen(self, self.size() if restored else None)
        if self.state.window_state:
            self.restoreState(QByteArray(self.state.window_state))

    def remember_state(self) -> UiState:
        self.state.period = self.ctx.selection.period
        self.state.region = self.ctx.selection.region
        self.state.page = self.current_page_key() or self.state.page
        self.state.geometry = self.saveGeometry().data()
        self.state.window_state = self.saveState().data()
        save_state(self.ctx.db_path, self.state)
        return self.state

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt's name
        for page in self.pages.values():
            flush = getattr(page, "flush", None)
            if callable(flush):
                flush()  # text typed a moment ago is saved before the window goes
        self._state_timer.stop()
        self.remember_state()
        super().closeEvent(event)
