"""Center mode: who has reported (regions x sections for the chosen period, regions x periods),
and the review of the chosen region's return: accept, return with remarks per item, reopen, and
the decision file for the region. Also the consolidated workbook of all regions."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from db import consolidation, queries, review
from db.audit import OpChanges, OpInfo
from db.errors import PlanMonitorError
from desktop.context import AppContext
from desktop.pages.center_files import CenterFiles, Outcome
from desktop.widgets.labels import OVERDUE_COLOUR, period_label
from desktop.widgets.review_banner import STATE_COLOURS
from desktop.widgets.wheel_guard import guard_wheel
from desktop.workers import Job

# exports.* (xlsxwriter, openpyxl, python-calamine) are imported where a file is written or read,
# not here: this page can be the start page, and those libraries are heavy to load.

PAGE_KEY = "center"
TITLE_KEY = "ui.nav.center"

MISSING_BRUSH = QBrush(QColor("#f3f3f3"))
REFRESH_TABLES = {"action_report", "gender_figure", "indicator_value", "review", "review_remark",
                  "exchange_log"}
ITEM, REPORTED, REMARK = range(3)


def available(ctx: AppContext) -> bool:
    return ctx.office.is_center


def item_id(item: review.ItemRef) -> str:
    """An item as one string ("action:5"), the form Qt keeps as item data."""
    return f"{item[0]}:{item[1]}"


def item_of(text: str) -> review.ItemRef:
    kind, _, key = text.partition(":")
    return kind, key


def _item(text: str, data: object = None, colour: str | None = None) -> QTableWidgetItem:
    item = QTableWidgetItem(text)
    item.setFlags(Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsEnabled)
    if data is not None:
        item.setData(Qt.ItemDataRole.UserRole, data)
    if colour:
        item.setForeground(QBrush(QColor(colour)))
    return item


def _read_only_table(parent: QWidget) -> QTableWidget:
    table = QTableWidget(parent)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.verticalHeader().setVisible(False)
    table.setAlternatingRowColors(True)
    return table


class CenterPage(CenterFiles, QWidget):
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
        for widget in (self.heading, self.summary, self.tabs):
            top_layout.addWidget(widget)
        row = QHBoxLayout()
        row.addWidget(self.import_button)
        row.addWidget(self.accept_unsigned_box)
        row.addStretch(1)
        row.addWidget(self.consolidated_button)
        top_layout.addLayout(row)
        top_layout.addWidget(self.import_result)
        splitter = QSplitter(Qt.Orientation.Vertical, self)
        splitter.addWidget(top)
        splitter.addWidget(self._build_review_box())
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        layout = QVBoxLayout(self)
        layout.addWidget(splitter)

    def _build_review_box(self) -> QGroupBox:
        box = QGroupBox(self)
        self.review_box = box
        self.review_state = QLabel(box)
        self.review_state.setWordWrap(True)
        self.remark_label = QLabel(box)
        self.remark_edit = QPlainTextEdit(box)
        self.remark_edit.setMaximumHeight(60)
        self.remark_label.setBuddy(self.remark_edit)
        self.remarks_table = QTableWidget(0, 3, box)
        self.remarks_table.verticalHeader().setVisible(False)
        header = self.remarks_table.horizontalHeader()
        header.setSectionResizeMode(ITEM, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(REPORTED, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(REMARK, QHeaderView.ResizeMode.Stretch)
        self.remarks_table.setColumnWidth(REPORTED, 220)
        self.remarks_table.setWordWrap(True)
        self.item_combo = QComboBox(box)
        guard_wheel(self.item_combo)
        self.item_combo.setMinimumContentsLength(40)
        self.add_button = QPushButton(box)
        self.add_button.clicked.connect(self.add_remark_row)
        self.remove_button = QPushButton(box)
        self.remove_button.clicked.connect(self.remove_remark_row)
        self.accept_button = QPushButton(box)
        self.accept_button.clicked.connect(self.accept)
        self.return_button = QPushButton(box)
        self.return_button.clicked.connect(self.return_for_correction)
        self.reopen_button = QPushButton(box)
        self.reopen_button.clicked.connect(self.reopen)
        self.export_button = QPushButton(box)
        self.export_button.clicked.connect(lambda: self.export_decision_to(None))
        self.feedback = QLabel(box)
        self.feedback.setWordWrap(True)
        self.feedback.setObjectName("feedback")
        add_row = QHBoxLayout()
        add_row.addWidget(self.item_combo, 1)
        add_row.addWidget(self.add_button)
        add_row.addWidget(self.remove_button)
        buttons = QHBoxLayout()
        for button in (self.accept_button, self.return_button, self.reopen_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.export_button)
        layout = QVBoxLayout(box)
        layout.addWidget(self.review_state)
        layout.addWidget(self.remark_label)
        layout.addWidget(self.remark_edit)
        layout.addWidget(self.remarks_table, 1)
        layout.addLayout(add_row)
        layout.addLayout(buttons)
        layout.addWidget(self.feedback)
        return box

    # --- words ------------------------------------------------------------------------------------
    def retranslate(self) -> None:
        tr = self.ctx.tr
        self.tabs.setTabText(0, tr("center.ui.tab_sections"))
        self.tabs.setTabText(1, tr("center.ui.tab_periods"))
        self.tabs.setTabText(2, tr("comparisons.tab"))
        self.tabs.setTabText(3, tr("comparisons.women_tab"))
        self.consolidated_button.setText(tr("center.ui.export_consolidated"))
        self.import_button.setText(tr("center.ui.import_returns"))
        self.accept_unsigned_box.setText(tr("sig.wizard.unsigned_tick"))
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
        self._fill_item_combo()
        self.refresh()

    def _fill_item_combo(self) -> None:
        self.item_combo.clear()
        for item, label in review.reviewable_items(self.ctx.conn, self.ctx.language):
            self.item_combo.addItem(f"{self.ctx.tr(f'center.item.{item[0]}')}: {label}",
                                    item_id(item))

    # --- the matrices -----------------------------------------------------------------------------
    def refresh(self) -> None:
        self._stale = False
        period = self.ctx.selection.period
        self.sections_matrix = consolidation.section_matrix(self.ctx.conn, period,
                                                            self.ctx.language)
        matrix = self.sections_matrix
        title = self.ctx.tr("center.ui.title", period=period_label(period, self.ctx.language))
        self.heading.setText(f"<h2>{title}</h2>")
        missing = matrix.missing
        text = self.ctx.tr("center.cli.matrix_summary", period=period_label(
            period, self.ctx.language), reported=len(matrix.regions) - len(missing),
            total=len(matrix.regions), missing=len(missing))
        if missing:
            text += "\n" + self.ctx.tr("center.cli.missing_list", regions=", ".join(missing))
        self.summary.setText(text)
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
        values = [_item(region.name, code)]
        if cell.reported:
            values.append(_item(f"{cell.percent:.0f}%"))
            for section in matrix.sections:
                part = matrix.section_cell(code, section.no)
                values.append(_item(f"{part.reported}/{part.actions}", None,
                                    None if part.complete else OVERDUE_COLOUR))
        else:
            values.append(_item(self.ctx.tr("center.not_reported"), None, OVERDUE_COLOUR))
            values += [_item("—") for _ in matrix.sections]
        word, colour = self.state_word(cell)
        values.append(_item(word, None, colour))
        values.append(_item((cell.receipt.at or "")[:16].replace("T", " ") if cell.receipt else ""))
        name = cell.receipt.file_name if cell.receipt else ""
        if cell.receipt and cell.receipt.unsigned:  # figures from a file a person accepted unsigned
            name = f"{name} ({self.ctx.tr('sig.matrix.unsigned')})"
        values.append(_item(name, None, OVERDUE_COLOUR if cell.receipt and cell.receipt.unsigned
                            else None))
        for col, item in enumerate(values):
            if not cell.reported:
                item.setBackground(MISSING_BRUSH)
            table.setItem(row, col, item)

    def _fill_over_time(self) -> None:
        """The tab shown, filled: periods, the heat map or the women's lines (db.comparisons)."""
        index = self.tabs.currentIndex()
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
                                         *(period_label(p, lang) for p in periods)])
        for row, region in enumerate(matrix.regions):
            table.setItem(row, 0, _item(region.name, region.code))
            for col, period in enumerate(periods, start=1):
                cell = matrix.cell(region.code, period)
                word, colour = self.state_word(cell)
                text = f"{cell.percent:.0f}%" if cell.reported else "—"
                item = _item(f"{text} {word}".strip() if cell.review_state else text,
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

    # --- the review of the chosen region ----------------------------------------------------------
    def current_review(self) -> review.Review:
        return review.get_review(self.ctx.conn, self.ctx.selection.region,
                                 self.ctx.selection.period)

    def _show_review(self) -> None:
        region, period, lang = self.ctx.selection.region, self.ctx.selection.period, self.ctx.language
        decision = self.current_review()
        cell = self.sections_matrix.cells.get(region) if self.sections_matrix else None
        name = next((r.name for r in self.sections_matrix.regions if r.code == region),
                    region) if self.sections_matrix else region
        self.review_box.setTitle(self.ctx.tr("center.ui.review_of", region=name,
                                             period=period_label(period, lang)))
        word, _colour = self.state_word(cell) if cell else ("", None)
        lines = [self.ctx.tr("center.xlsx.review_state", state=word or self.ctx.tr(
            "center.state.none"))]
        if decision.updated_at:
            lines.append(self.ctx.tr("center.ui.decided", at=decision.updated_at[:16].replace(
                "T", " "), by=decision.updated_by))
        if cell is not None and not cell.reported:
            lines.append(self.ctx.tr("center.not_reported"))
        self.review_state.setText("\n".join(lines))
        self.remark_edit.setPlainText(decision.remark)
        self.remarks_table.setRowCount(0)
        for item, text in decision.remarks.items():
            self._append_remark(item, text)
        self._enable_buttons(decision, bool(cell and cell.reported))
        self.feedback.clear()

    def _enable_buttons(self, decision: review.Review, reported: bool) -> None:
        self.accept_button.setEnabled(reported and decision.state != "accepted")
        self.return_button.setEnabled(decision.state != "accepted")
        self.reopen_button.setEnabled(decision.state == "accepted")
        self.export_button.setEnabled(decision.state is not None)
        editable = decision.state != "accepted"
        for widget in (self.remark_edit, self.remarks_table, self.item_combo, self.add_button,
                       self.remove_button):
            widget.setEnabled(editable)

    def _append_remark(self, item: review.ItemRef, text: str) -> None:
        conn, lang = self.ctx.conn, self.ctx.language
        region, period = self.ctx.selection.region, self.ctx.selection.period
        row = self.remarks_table.rowCount()
        self.remarks_table.insertRow(row)

        label = f"{self.ctx.tr(f'center.item.{item[0]}')}: {review.item_label(conn, item, lang)}"
        self.remarks_table.setItem(row, ITEM, _item(label, item_id(item)))
        reported = review.reported_value(conn, region, period, item, lang)
        self.remarks_table.setItem(row, REPORTED, _item(reported))
        editable = QTableWidgetItem(text)
        self.remarks_table.setItem(row, REMARK, editable)

    def add_remark_row(self) -> None:
        chosen = self.item_combo.currentData()
        if not chosen:
            return
        for row in range(self.remarks_table.rowCount()):
            if self.remarks_table.item(row, ITEM).data(Qt.ItemDataRole.UserRole) == chosen:
                self.remarks_table.setCurrentCell(row, REMARK)
                return
        self._append_remark(item_of(chosen), "")
        self.remarks_table.setCurrentCell(self.remarks_table.rowCount() - 1, REMARK)
        self.remarks_table.editItem(self.remarks_table.item(self.remarks_table.rowCount() - 1,
                                                            REMARK))

    def remove_remark_row(self) -> None:
        row = self.remarks_table.currentRow()
        if row >= 0:
            self.remarks_table.removeRow(row)

    def remarks(self) -> dict[review.ItemRef, str]:
        out = {}
        for row in range(self.remarks_table.rowCount()):
            item = item_of(self.remarks_table.item(row, ITEM).data(Qt.ItemDataRole.UserRole))
            text = self.remarks_table.item(row, REMARK).text().strip()
            if text:
                out[item] = text
        return out

    def _info(self, what: str) -> OpInfo:
        return OpInfo(user=self.ctx.office.user_name, source="review",
                      description=f"review {what} {self.ctx.selection.region} "
                                  f"{self.ctx.selection.period}")

    def _decide(self, what: str, op: Callable[..., OpChanges], *args: object) -> bool:
        region, period = self.ctx.selection.region, self.ctx.selection.period
        try:
            self.ctx.run_op(op, region, period, self._info(what), *args, record_undo=False)
        except PlanMonitorError as exc:
            self.feedback.setText(f"<span style='color:{OVERDUE_COLOUR}'>"
                                  f"{exc.message(self.ctx.language)}</span>")
            return False
        state = self.current_review().state or "none"
        message = self.ctx.tr("center.cli.review_done", region=region, period=period,
                              state=self.ctx.tr(f"center.state.{state}"),
                              remarks=len(self.current_review().remarks))
        self.ctx.status_message.emit(message)
        self.feedback.setText(message)
        return True

    def accept(self) -> bool:
        return self._decide("accept", review.accept, self.remark_edit.toPlainText())

    def return_for_correction(self) -> bool:
        return self._decide("return", review.return_with_remarks, self.remark_edit.toPlainText(),
                            self.remarks())

    def reopen(self) -> bool:
        return self._decide("reopen", review.reopen, self.remark_edit.toPlainText())


def create_page(ctx: AppContext) -> QWidget:
    return CenterPage(ctx)
