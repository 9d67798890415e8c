"""Center mode: who has reported (regions x sections for the chosen period, regions x periods),
and the review of the chosen region's return: accept, return with remarks per item, reopen, and
the decision file for the region. Also the consolidated workbook of all regions."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTableWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from db import consolidation, queries
from db.audit import OpChanges
from db.names import period_name, region_names
from desktop.context import AppContext
from desktop.pages.center_files import CenterFiles, Outcome
from desktop.pages.center_review import CenterReview, table_item
from desktop.widgets.labels import OVERDUE_COLOUR, format_when
from desktop.widgets.review_banner import STATE_COLOURS
from desktop.workers import Job

# exports.* (xlsxwriter, openpyxl, python-calamine) are imported where a file is written or read,
# not here: this page can be the start page, and those libraries are heavy to load.

PAGE_KEY = "center"
TITLE_KEY = "ui.nav.center"

MISSING_BRUSH = QBrush(QColor("#f3f3f3"))
REFRESH_TABLES = {"action_report", "gender_figure", "indicator_value", "review", "review_remark",
                  "exchange_log"}
IMPORT_RESULT_HEIGHT = 110  # about five lines of the import summary; the rest scroll
IMPORT_RESULT_MIN = 40
MISSING_NAMED = 6  # regions named in the summary; all of them in its tooltip


def available(ctx: AppContext) -> bool:
    return ctx.office.is_center


def scrolled(widget: QWidget, parent: QWidget) -> QScrollArea:
    """`widget` in a frameless scroll area: however many lines it gains (twenty files' import
    results), it scrolls inside the page instead of growing the window past a 768-pixel screen
    and pushing the status bar under the taskbar."""
    area = QScrollArea(parent)
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.Shape.NoFrame)
    area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    area.setWidget(widget)
    return area


def _read_only_table(parent: QWidget) -> QTableWidget:
    table = QTableWidget(parent)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.verticalHeader().setVisible(False)
    table.setAlternatingRowColors(True)
    return table


class CenterPage(CenterFiles, CenterReview, QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.sections_matrix: consolidation.SectionMatrix | None = None
        self.last_export: Path | None = None
        self.job: Job | None = None
        self.last_import: list[Outcome] = []
        self._build()
        ctx.changed.connect(self._data_changed)
        ctx.selection_changed.connect(self.refresh_when_shown)
        ctx.language_changed.connect(lambda _lang: self.retranslate())
        self._stale = False
        self.retranslate()

    def refresh_when_shown(self) -> None:
        """Refresh now if this page is the one shown, else when it is shown next (edits on the
        other pages then cost them nothing here)."""
        if self.isHidden():
            self._stale = True
        else:
            self.refresh()

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt's name
        super().showEvent(event)
        if self._stale:
            self.refresh()

    # --- building ---------------------------------------------------------------------------------
    def _build(self) -> None:
        self.heading = QLabel(self)
        self.heading.setObjectName("pageHeading")
        self.summary = QLabel(self)
        self.summary.setWordWrap(True)
        self.tabs = QTabWidget(self)
        self.sections_table = _read_only_table(self.tabs)
        self.periods_table = _read_only_table(self.tabs)
        self.tabs.addTab(self.sections_table, "")
        self.tabs.addTab(self.periods_table, "")
        from desktop.widgets.share_lines import ShareLines
        from desktop.widgets.status_heatmap import StatusHeatmap

        self.heatmap = StatusHeatmap(self.ctx, self.tabs)  # both drawn when their tab is shown
        self.share_lines = ShareLines(self.ctx, self.tabs)
        self.tabs.addTab(self.heatmap, "")
        self.tabs.addTab(self.share_lines, "")
        self.tabs.currentChanged.connect(lambda _i: self._fill_over_time())
        self.sections_table.itemSelectionChanged.connect(self._row_chosen)
        self.periods_table.itemSelectionChanged.connect(self._period_cell_chosen)
        self.consolidated_button = QPushButton(self)
        self.consolidated_button.clicked.connect(lambda: self.export_consolidated_to(None))
        self.import_button = QPushButton(self)
        self.import_button.clicked.connect(lambda: self.import_files(None))
        # A person's "yes" to returns filled or edited outside the program (issue 20)
        self.accept_unsigned_box = QCheckBox(self)
        self.import_result = QLabel(self)
        self.import_result.setWordWrap(True)
        self.import_result.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        top = QWidget(self)
        top_layout = QVBoxLayout(top)
        top_layout.setContentsMargins(0, 0, 0, 0)
        top_layout.addWidget(self.heading)
        row = QHBoxLayout()  # the files' buttons beside the summary: one row less of height
        row.addWidget(self.summary, 1)
        row.addWidget(self.import_button, 0, Qt.AlignmentFlag.AlignBottom)
        row.addWidget(self.accept_unsigned_box, 0, Qt.AlignmentFlag.AlignBottom)
        row.addWidget(self.consolidated_button, 0, Qt.AlignmentFlag.AlignBottom)
        top_layout.addLayout(row)
        top_layout.addWidget(self.tabs, 1)  # the tables take whatever height is left
        self.import_scroll = scrolled(self.import_result, self)  # 20 files' lines scroll here
        self.import_scroll.setMaximumHeight(IMPORT_RESULT_HEIGHT)
        self.import_scroll.setMinimumHeight(IMPORT_RESULT_MIN)  # two lines, then it scrolls
        self.import_scroll.hide()  # shown with the first import's results
        top_layout.addWidget(self.import_scroll)
        splitter = QSplitter(Qt.Orientation.Vertical, self)
        splitter.setChildrenCollapsible(False)
        splitter.addWidget(top)  # both halves' minimum heights are bounded (tables and
        self.review_area = self.build_review_box()  # the import results scroll inside)
        splitter.addWidget(self.review_area)
        splitter.setStretchFactor(0, 1)  # at 1366x768 each half gets what its words need
        splitter.setStretchFactor(1, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(splitter)

    # --- words ------------------------------------------------------------------------------------
    def retranslate(self) -> None:
        tr = self.ctx.tr
        self.tabs.setTabText(0, tr("center.ui.tab_sections"))
        self.tabs.setTabText(1, tr("center.ui.tab_periods"))
        self.tabs.setTabText(2, tr("comparisons.tab"))
        self.tabs.setTabText(3, tr("comparisons.women_tab"))
        self.consolidated_button.setText(tr("center.ui.export_consolidated"))
        self.import_button.setText(tr("center.ui.import_returns"))
        self.accept_unsigned_box.setText(tr("sig.center.unsigned_tick"))
        self.accept_unsigned_box.setToolTip(tr("sig.wizard.unsigned_tick"))
        self.remark_label.setText(tr("center.ui.general_remark"))
        self.remarks_table.setHorizontalHeaderLabels(
            [tr("center.xlsx.col.item"), tr("center.xlsx.col.reported_value"),
             tr("center.xlsx.col.remark")])
        self.add_button.setText(tr("center.ui.add_remark"))
        self.remove_button.setText(tr("center.ui.remove_remark"))
        self.accept_button.setText(tr("center.ui.accept"))
        self.return_button.setText(tr("center.ui.return"))
        self.reopen_button.setText(tr("center.ui.reopen"))
        self.export_button.setText(tr("center.ui.export_decision"))
        self.fill_item_combo()
        self.refresh()

    # --- the matrices -----------------------------------------------------------------------------
    def refresh(self) -> None:
        self._stale = False
        period = self.ctx.selection.period
        self.sections_matrix = consolidation.section_matrix(self.ctx.conn, period,
                                                            self.ctx.language)
        matrix = self.sections_matrix
        title = self.ctx.tr("center.ui.title", period=period_name(period, self.ctx.language))
        self.heading.setText(f"<h2>{title}</h2>")
        missing = matrix.missing
        text = self.ctx.tr("center.cli.matrix_summary", period=period_name(
            period, self.ctx.language), reported=len(matrix.regions) - len(missing),
            total=len(matrix.regions), missing=len(missing))
        named = region_names(self.ctx.conn, missing, self.ctx.language)
        if missing:
            shown = region_names(self.ctx.conn, missing[:MISSING_NAMED], self.ctx.language)
            if len(missing) > MISSING_NAMED:  # twenty names would take four lines
                shown = self.ctx.tr("screens.and_more", names=shown,
                                    count=len(missing) - MISSING_NAMED)
            text += "\n" + self.ctx.tr("center.cli.missing_list", regions=shown)
        self.summary.setText(text)
        self.summary.setToolTip(self.ctx.tr("center.cli.missing_list", regions=named)
                                if missing else "")
        self._fill_sections_table()
        self._fill_over_time()
        self._show_review()

    def state_word(self, cell: consolidation.Cell) -> tuple[str, str | None]:
        state = "resubmitted" if cell.resubmitted else cell.review_state
        if state is None:
            return (self.ctx.tr("center.state.submitted") if cell.reported else ""), None
        return self.ctx.tr(f"center.state.{state}"), STATE_COLOURS.get(state)

    def _fill_sections_table(self) -> None:
        matrix = self.sections_matrix
        assert matrix is not None
        tr = self.ctx.tr
        headers = [tr("center.xlsx.col.region_name"), tr("center.xlsx.col.completeness"),
                   *(s.code for s in matrix.sections), tr("center.xlsx.col.review_state"),
                   tr("center.xlsx.col.received_at"), tr("center.xlsx.col.file_name")]
        table = self.sections_table
        table.blockSignals(True)
        table.clear()
        table.setColumnCount(len(headers))
        table.setRowCount(len(matrix.regions))
        table.setHorizontalHeaderLabels(headers)
        for col, section in enumerate(matrix.sections, start=2):
            table.horizontalHeaderItem(col).setToolTip(section.name)
        for row, region in enumerate(matrix.regions):
            self._fill_section_row(row, region, matrix)
        table.resizeColumnsToContents()
        table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self._select_region_row(table, self.ctx.selection.region)
        table.blockSignals(False)

    def _fill_section_row(self, row: int, region: queries.Region,
                          matrix: consolidation.SectionMatrix) -> None:
        code = region.code
        cell = matrix.cells[code]
        table = self.sections_table
        values = [table_item(region.name, code)]
        if cell.reported:
            values.append(table_item(f"{cell.percent:.0f}%"))
            for section in matrix.sections:
                part = matrix.section_cell(code, section.no)
                values.append(table_item(f"{part.reported}/{part.actions}", None,
                                    None if part.complete else OVERDUE_COLOUR))
        else:
            values.append(table_item(self.ctx.tr("center.not_reported"), None, OVERDUE_COLOUR))
            values += [table_item("—") for _ in matrix.sections]
        word, colour = self.state_word(cell)
        values.append(table_item(word, None, colour))
        values.append(table_item(format_when(cell.receipt.at) if cell.receipt else ""))
        name = cell.receipt.file_name if cell.receipt else ""
        if cell.receipt and cell.receipt.unsigned:  # figures from a file a person accepted unsigned
            name = f"{name} ({self.ctx.tr('sig.matrix.unsigned')})"
        values.append(table_item(name, None, OVERDUE_COLOUR if cell.receipt and cell.receipt.unsigned
                                 else None))
        for col, item in enumerate(values):
            if not cell.reported:
                item.setBackground(MISSING_BRUSH)
            table.setItem(row, col, item)

    def _fill_over_time(self) -> None:
        """The tab shown, filled: periods, the heat map or the women's lines (db.comparisons)."""
        index = self.tabs.currentIndex()
        # the review is of the region chosen in a matrix; the heat map and the women's lines
        # show every region at once and take the page's whole height (20 rows at 1366x768)
        self.review_area.setVisible(index in (0, 1))
        if index == 1:
            self._fill_periods_table()
        elif index in (2, 3):
            (self.heatmap if index == 2 else self.share_lines).refresh()

    def _fill_periods_table(self) -> None:
        if self.tabs.currentIndex() != 1:
            return
        conn, lang = self.ctx.conn, self.ctx.language
        periods = consolidation.known_periods(conn)
        if self.ctx.selection.period not in periods:
            periods = consolidation.sort_periods([*periods, self.ctx.selection.period])
        matrix = consolidation.period_matrix(conn, lang, periods)
        table = self.periods_table
        table.blockSignals(True)
        table.clear()
        table.setColumnCount(len(periods) + 1)
        table.setRowCount(len(matrix.regions))
        table.setHorizontalHeaderLabels([self.ctx.tr("center.xlsx.col.region_name"),
                                         *(period_name(p, lang) for p in periods)])
        for row, region in enumerate(matrix.regions):
            table.setItem(row, 0, table_item(region.name, region.code))
            for col, period in enumerate(periods, start=1):
                cell = matrix.cell(region.code, period)
                word, colour = self.state_word(cell)
                text = f"{cell.percent:.0f}%" if cell.reported else "—"
                item = table_item(f"{text} {word}".strip() if cell.review_state else text,
                             period, colour if cell.reported else OVERDUE_COLOUR)
                if not cell.reported:
                    item.setBackground(MISSING_BRUSH)
                table.setItem(row, col, item)
        table.resizeColumnsToContents()
        self._select_region_row(table, self.ctx.selection.region)
        table.blockSignals(False)

    @staticmethod
    def _select_region_row(table: QTableWidget, region: str) -> None:
        for row in range(table.rowCount()):
            item = table.item(row, 0)
            if item is not None and item.data(Qt.ItemDataRole.UserRole) == region:
                table.selectRow(row)
                return

    def _row_chosen(self) -> None:
        rows = self.sections_table.selectionModel().selectedRows()
        if rows:
            code = self.sections_table.item(rows[0].row(), 0).data(Qt.ItemDataRole.UserRole)
            self.ctx.set_selection(region=code)

    def _period_cell_chosen(self) -> None:
        items = self.periods_table.selectedItems()
        if not items:
            return
        region = self.periods_table.item(items[0].row(), 0).data(Qt.ItemDataRole.UserRole)
        current = self.periods_table.currentItem()
        period = current.data(Qt.ItemDataRole.UserRole) if current and current.column() else None
        self.ctx.set_selection(region=region, period=period)

    def _data_changed(self, changes: OpChanges) -> None:
        if not changes.tables or changes.tables & REFRESH_TABLES:
            self.refresh_when_shown()

def create_page(ctx: AppContext) -> QWidget:
    return CenterPage(ctx)
