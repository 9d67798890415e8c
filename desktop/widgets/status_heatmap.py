"""The center page's "status over time" tab: for the chosen action, a region x period heat map of
status over the last eight periods (db.comparisons; the same colours as the national PDF), with
how many regions completed it in each period below. Double-clicking a cell opens that region's
action for that period."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from db import rules
from db.comparisons import HEAT_COLOURS, StatusHistory, status_history
from db.names import period_name
from desktop.context import AppContext

KEY_ROLE = Qt.ItemDataRole.UserRole
ROW_MIN = 14
# a mark besides the colour, for whoever does not tell the colours apart (and for printouts)
MARKS = {"completed": "✔", "in_progress": "◐", "not_started": "○", rules.NO_ANSWER: "?",
         "not_applicable": "—", None: ""}


class StatusHeatmap(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.history: StatusHistory | None = None
        self.label = QLabel(self)
        self.action = QComboBox(self)
        self.action.setObjectName("heatmapAction")
        self.action.setMinimumContentsLength(50)
        self.table = QTableWidget(self)
        self.table.setObjectName("heatmapTable")
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.setWordWrap(False)
        rows = self.table.verticalHeader()  # twenty regions in view at 1366x768: rows share
        rows.setMinimumSectionSize(ROW_MIN)  # the height, down to a line of small text
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.legend = QLabel(self)
        row = QHBoxLayout()
        row.addWidget(self.label)
        row.addWidget(self.action, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.legend)
        self.action.currentIndexChanged.connect(lambda _i: self._fill_table())
        self.table.cellDoubleClicked.connect(self._open_cell)

    def refresh(self) -> None:
        """Read the eight periods ending with the chosen one and draw the chosen action."""
        self.history = status_history(self.ctx.conn, self.ctx.selection.period,
                                      self.ctx.language)
        chosen = self.action.currentData()
        self.action.blockSignals(True)
        self.action.clear()
        for no, name in self.history.actions:
            self.action.addItem(f"{no}. {name}", no)
        self.action.setCurrentIndex(max(0, self.action.findData(chosen)))
        self.action.blockSignals(False)
        self.label.setText(self.ctx.tr("comparisons.action"))
        self._fill_table()

    def _fill_table(self) -> None:
        history, no = self.history, self.action.currentData()
        if history is None or no is None:
            return
        lang = self.ctx.language
        self.table.clear()
        self.table.setRowCount(len(history.regions) + 1)
        self.table.setColumnCount(len(history.periods))
        self.table.setHorizontalHeaderLabels([period_name(p, lang, "brief")
                                              for p in history.periods])
        self.table.setVerticalHeaderLabels([r.name for r in history.regions]
                                           + [self.ctx.tr("status.completed")])
        for row, region in enumerate(history.regions):
            for column, period in enumerate(history.periods):
                status = history.status(no, region.code, period)
                word = rules.status_label(status, lang) if status is not None else \
                    self.ctx.tr("comparisons.not_reported")
                item = QTableWidgetItem(MARKS[status])
                item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                item.setBackground(QBrush(QColor(HEAT_COLOURS[status])))
                item.setData(KEY_ROLE, (region.code, period))
                item.setToolTip(f"{region.name} · {period_name(period, lang)}: {word}")
                self.table.setItem(row, column, item)
        for column, period in enumerate(history.periods):
            counts = history.counts(no, period)
            reported = counts.total
            item = QTableWidgetItem(f"{counts.counts['completed']} / {reported}")
            item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
            self.table.setItem(len(history.regions), column, item)
        span = self.ctx.tr("comparisons.span", first=period_name(history.periods[0], lang),
                           last=period_name(history.periods[-1], lang))
        # said when asked (a tooltip), so the twenty rows keep the height at 1366x768
        note = self.ctx.tr("comparisons.heatmap_note", span=span)
        self.legend.setToolTip(note)
        self.table.setToolTip(note)
        self.legend.setText("   ".join(
            f'<span style="background:{HEAT_COLOURS[s]}">&nbsp;{MARKS[s]}&nbsp;</span> '
            f'{rules.status_label(s, lang)}' for s in MARKS if s is not None)
            + f'   □ {self.ctx.tr("comparisons.not_reported")}')

    def _open_cell(self, row: int, column: int) -> None:
        item = self.table.item(row, column)
        key = item.data(KEY_ROLE) if item is not None else None
        if key:
            self.ctx.set_selection(region=key[0], period=key[1])
            self.ctx.navigate.emit("actions", self.action.currentData())
