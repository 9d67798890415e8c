"""The center page's review of the chosen region's return: the decision (accept, return with
remarks, reopen), the general remark and remarks per item beside what the region reported, and
the decision's file. A mixin of desktop.pages.center.CenterPage, which holds the matrices whose
chosen row this reviews."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QComboBox,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
)

from db import consolidation, review
from db.audit import OpChanges, OpInfo
from db.errors import PlanMonitorError
from db.names import period_name, region_name
from desktop.context import AppContext
from desktop.widgets.labels import OVERDUE_COLOUR, format_when
from desktop.widgets.wheel_guard import guard_wheel

ITEM, REPORTED, REMARK = range(3)
REMARK_HEIGHT = 48  # three lines of the general remark


def item_id(item: review.ItemRef) -> str:
    """An item as one string ("action:5"), the form Qt keeps as item data."""
    return f"{item[0]}:{item[1]}"


def item_of(text: str) -> review.ItemRef:
    kind, _, key = text.partition(":")
    return kind, key


def table_item(text: str, data: object = None, colour: str | None = None) -> QTableWidgetItem:
    item = QTableWidgetItem(text)
    item.setFlags(Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsEnabled)
    if data is not None:
        item.setData(Qt.ItemDataRole.UserRole, data)
    if colour:
        item.setForeground(QBrush(QColor(colour)))
    return item


class CenterReview:
    """The review box of the center page and what its buttons do (see the module)."""

    ctx: AppContext
    sections_matrix: consolidation.SectionMatrix | None
    feedback: QLabel

    def build_review_box(self) -> QGroupBox:
        box = QGroupBox(self)
        self.review_box = box
        self.review_state = QLabel(box)
        self.review_state.setWordWrap(True)
        self.remark_label = QLabel(box)
        self.remark_edit = QPlainTextEdit(box)
        self.remark_edit.setMaximumHeight(REMARK_HEIGHT)
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
        remark_row = QHBoxLayout()  # the general remark beside its label: a row less of height
        remark_row.addWidget(self.remark_label, 0, Qt.AlignmentFlag.AlignTop)
        remark_row.addWidget(self.remark_edit, 1)
        layout.addLayout(remark_row)
        layout.addWidget(self.remarks_table, 1)
        layout.addLayout(add_row)
        layout.addLayout(buttons)
        layout.addWidget(self.feedback)
        return box

    def fill_item_combo(self) -> None:
        self.item_combo.clear()
        for item, label in review.reviewable_items(self.ctx.conn, self.ctx.language):
            self.item_combo.addItem(f"{self.ctx.tr(f'center.item.{item[0]}')}: {label}",
                                    item_id(item))

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
                                             period=period_name(period, lang)))
        word, _colour = self.state_word(cell) if cell else ("", None)
        lines = [self.ctx.tr("center.xlsx.review_state", state=word or self.ctx.tr(
            "center.state.none"))]
        if decision.updated_at:
            lines.append(self.ctx.tr("center.ui.decided", at=format_when(decision.updated_at),
                by=decision.updated_by))
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
        self.return_button.setEnabled(reported and decision.state != "accepted")  # nothing sent:
        # nothing to return
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
        self.remarks_table.setItem(row, ITEM, table_item(label, item_id(item)))
        reported = review.reported_value(conn, region, period, item, lang)
        self.remarks_table.setItem(row, REPORTED, table_item(reported))
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
        message = self.ctx.tr("center.cli.review_done",
                              region=region_name(self.ctx.conn, region, self.ctx.language),
                              period=period_name(period, self.ctx.language),
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
