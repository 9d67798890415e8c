"""The editor of one action's report: catalog details (read only) and the region's report —
status, measures taken, evidence, responsible officer, attachments. Every edit is saved at once
through `ctx.run_op` (typing after a short pause, and when the field loses focus). The center's
remark on the action shows above the report; while the center has accepted (locked) the period,
the report is read only."""

from __future__ import annotations

from html import escape
from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from db import queries, rules
from db.audit import OpChanges
from db.errors import PeriodLocked, PlanMonitorError, ValidationFailed
from db.ops import update_action
from desktop.context import AppContext
from desktop.review_watch import REMARK_MARKER, ReviewWatch
from desktop.widgets.attachments import AttachmentsMixin
from desktop.widgets.labels import OVERDUE_COLOUR
from desktop.widgets.wheel_guard import guard_wheel, history_step

SAVE_DELAY_MS = 800
TEXT_FIELDS = ("progress_note", "evidence", "officer")
READ_ONLY_STYLE = "background: #f3f3f3; color: #333;"  # a field that cannot be typed into


class ActionEditor(AttachmentsMixin, QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.action: queries.ActionRow | None = None
        self.review = ReviewWatch(ctx, self)
        self.review.changed.connect(self._review_changed)
        self._loading = False
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SAVE_DELAY_MS)
        self._timer.timeout.connect(self.flush)
        self._build()
        ctx.changed.connect(self._data_changed)
        ctx.flush_requested.connect(self.flush)
        ctx.selection_changed.connect(self._selection_changed)
        ctx.language_changed.connect(lambda _lang: self.retranslate())
        self.retranslate()
        self.show_action(None)

    # --- building ---------------------------------------------------------------------------------
    def _build(self) -> None:
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 8, 12, 8)
        layout.setSpacing(10)
        self.title = QLabel(self)
        self.title.setWordWrap(True)
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 1.15)
        font.setBold(True)
        self.title.setFont(font)
        self.title.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.title)
        self.remark = QLabel(self)
        self.remark.setObjectName("actionRemark")
        self.remark.setWordWrap(True)
        self.remark.setTextFormat(Qt.TextFormat.RichText)
        self.remark.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.remark.setStyleSheet(f"QLabel#actionRemark {{ border-left: 4px solid "
                                  f"{REMARK_MARKER.name()}; background: #fff8e1; "
                                  "padding: 6px 8px; }")
        self.remark.hide()
        layout.addWidget(self.remark)
        layout.addWidget(self._build_details())
        layout.addWidget(self._build_report())
        layout.addWidget(self._build_attachments())
        self.error = QLabel(self)
        self.error.setWordWrap(True)
        self.error.setStyleSheet(f"color: {OVERDUE_COLOUR};")
        self.error.hide()
        layout.addWidget(self.error)
        self.hint = QLabel(self)
        self.hint.setWordWrap(True)
        self.hint.setStyleSheet("color: #666;")
        layout.addWidget(self.hint)
        layout.addStretch(1)

    def _build_details(self) -> QGroupBox:
        self.details_box = QGroupBox(self)
        form = QFormLayout(self.details_box)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        self.detail_labels: dict[str, QLabel] = {}
        self.detail_values: dict[str, QLabel] = {}
        for key in ("outcome", "deadline", "agencies", "provenance"):
            label, value = QLabel(self.details_box), QLabel(self.details_box)
            value.setWordWrap(True)
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.detail_labels[key], self.detail_values[key] = label, value
            form.addRow(label, value)
        return self.details_box

    def _build_report(self) -> QGroupBox:
        self.report_box = QGroupBox(self)
        form = QFormLayout(self.report_box)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapAllRows)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.status_combo = QComboBox(self.report_box)
        self.status_combo.setObjectName("statusCombo")
        for status in rules.STATUSES:
            self.status_combo.addItem("", status)
        self.status_combo.activated.connect(self._status_chosen)
        guard_wheel(self.status_combo)  # a wheel passing over it never saves a new status
        self.fields: dict[str, QPlainTextEdit | QLineEdit] = {
            "progress_note": QPlainTextEdit(self.report_box),
            "evidence": QPlainTextEdit(self.report_box),
            "officer": QLineEdit(self.report_box),
        }
        self.field_labels: dict[str, QLabel] = {}
        self.status_label = QLabel(self.report_box)
        self.status_label.setBuddy(self.status_combo)
        form.addRow(self.status_label, self.status_combo)
        for name, widget in self.fields.items():
            widget.setObjectName(f"field_{name}")
            if isinstance(widget, QPlainTextEdit):
                widget.setUndoRedoEnabled(False)  # one history: the app's (see eventFilter)
                widget.setTabChangesFocus(True)
                widget.setMinimumHeight(widget.fontMetrics().height() * 5)
            widget.textChanged.connect(self._text_edited)
            widget.installEventFilter(self)
            label = QLabel(self.report_box)
            label.setBuddy(widget)
            self.field_labels[name] = label
            form.addRow(label, widget)
        return self.report_box

    # --- words ------------------------------------------------------------------------------------
    def retranslate(self) -> None:
        tr = self.ctx.tr
        self.details_box.setTitle(tr("ui.actions.details"))
        for key, label in self.detail_labels.items():
            label.setText(tr(f"ui.actions.detail_{key}"))
        self.report_box.setTitle(tr("ui.actions.report"))
        self.status_label.setText(tr("field.status") + ":")
        for index, status in enumerate(rules.STATUSES):
            self.status_combo.setItemText(index, rules.status_label(status, self.ctx.language))
        # no answer yet: the box shows «Статус не указан» and none of the four is chosen
        self.status_combo.setPlaceholderText(rules.status_label(rules.NO_ANSWER,
                                                                self.ctx.language))
        for name, label in self.field_labels.items():
            label.setText(tr(f"field.{name}") + ":")
        self.fields["progress_note"].setPlaceholderText(tr("ui.actions.hint_measures"))
        self.fields["evidence"].setPlaceholderText(tr("ui.actions.hint_evidence"))
        self.files_box.setTitle(tr("ui.actions.attachments"))
        self.add_button.setText(tr("ui.actions.attach_add"))
        self.open_button.setText(tr("ui.actions.attach_open"))
        self.remove_button.setText(tr("ui.actions.attach_remove"))
        self._update_hint()
        if self.action is not None:
            self.show_action(self.action.no)

    def _update_hint(self) -> None:
        key = ("ui.actions.saved_hint" if self.editable else
               "ui.review.locked_hint" if self.review.locked else "ui.actions.read_only_hint")
        self.hint.setText(self.ctx.tr(key))

    # --- showing ----------------------------------------------------------------------------------
    @property
    def editable(self) -> bool:
        """Edits are offered in a region's own workbook while the center has not locked the
        period (db.ops would refuse them)."""
        return not self.ctx.office.is_center and not self.review.locked

    def show_action(self, action_no: int | None) -> None:
        """Show an action of the selected region and period (None: nothing chosen)."""
        if self.action is not None and self.action.no != action_no:
            self.flush()
        self.action = self._fetch(action_no) if action_no is not None else None
        self._loading = True
        try:
            self._fill()
        finally:
            self._loading = False
        self._update_buttons()

    def _fetch(self, action_no: int) -> queries.ActionRow | None:
        sel = self.ctx.selection
        rows = queries.action_rows(self.ctx.conn, sel.region, sel.period, self.ctx.language)
        return next((r for r in rows if r.no == action_no), None)

    def _fill(self) -> None:
        action = self.action
        for widget in (self.details_box, self.report_box, self.files_box):
            widget.setVisible(action is not None)
        self._fill_remark()
        if action is None:
            self.title.setText(self.ctx.tr("ui.actions.choose"))
            return
        self.title.setText(f"{action.no}. {action.name}")
        self._fill_details(action)
        self.status_combo.setCurrentIndex(
            rules.STATUSES.index(action.status) if action.status in rules.STATUSES else -1)
        for name in TEXT_FIELDS:
            self._set_text(name, getattr(action, name))
        self.status_combo.setEnabled(self.editable)
        for widget in self.fields.values():  # read only, not disabled: the text can be copied
            widget.setReadOnly(not self.editable)
            widget.setStyleSheet("" if self.editable else READ_ONLY_STYLE)
        self._fill_attachments()
        self.error.hide()

    def _fill_remark(self) -> None:
        text = self.review.remark_for("action", self.action.no) if self.action else ""
        self.remark.setVisible(bool(text))
        if text:
            self.remark.setText(f"<b>{escape(self.ctx.tr('ui.review.remark_label'))}</b> "
                                f"{escape(text)}")

    def _fill_details(self, action: queries.ActionRow) -> None:
        deadline = action.deadline or "—"
        if action.overdue:
            deadline = self.ctx.tr("ui.actions.deadline_overdue", deadline=deadline)
        values = {"outcome": action.outcome or "—", "deadline": deadline,
                  "agencies": action.agencies or "—",
                  "provenance": self.ctx.tr(f"catalog.{action.provenance}")}
        for key, text in values.items():
            self.detail_values[key].setText(text)
        self.detail_values["provenance"].setToolTip(action.source)
        self.detail_values["deadline"].setStyleSheet(
            f"color: {OVERDUE_COLOUR};" if action.overdue else "")

    def _set_text(self, name: str, text: str) -> None:
        widget = self.fields[name]
        current = widget.toPlainText() if isinstance(widget, QPlainTextEdit) else widget.text()
        if current != text:
            if isinstance(widget, QPlainTextEdit):
                widget.setPlainText(text)
            else:
                widget.setText(text)

    # --- saving -----------------------------------------------------------------------------------
    def _status_chosen(self, index: int) -> None:
        status = self.status_combo.itemData(index)
        if self.action is not None and status != self.action.status:
            self.save({"status": status})

    def _text_edited(self) -> None:
        if not self._loading and self.editable:
            self._timer.start()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        """Ctrl+Z / Ctrl+Y in a text box act on the app's history, as the Edit menu does (the
        box's own undo would save its result as one more edit); leaving a box saves it."""
        kind = event.type()
        if kind in (QEvent.Type.ShortcutOverride, QEvent.Type.KeyPress):
            step = history_step(event)  # type: ignore[arg-type]
            if step:
                event.accept()  # the override taken: the key comes here, not to the box
                if kind == QEvent.Type.KeyPress:
                    self.ctx.undo() if step == "undo" else self.ctx.redo()
                return True
        if kind == QEvent.Type.FocusOut and self._timer.isActive():
            self.flush()
        return super().eventFilter(watched, event)

    def pending_values(self) -> dict[str, str]:
        if self.action is None:
            return {}
        out = {}
        for name, widget in self.fields.items():
            text = widget.toPlainText() if isinstance(widget, QPlainTextEdit) else widget.text()
            if text != getattr(self.action, name):
                out[name] = text
        return out

    def flush(self) -> None:
        """Save typed text now (called after a pause, on leaving a field, an action or the app)."""
        self._timer.stop()
        values = self.pending_values()
        if values:
            self.save(values)

    def save(self, values: dict[str, Any]) -> OpChanges | None:
        if self.action is None or not self.editable:
            return None
        sel = self.ctx.selection
        try:
            result = self.ctx.run_op(update_action, sel.region, sel.period, self.action.no,
                                     self.ctx.op_info(), **values)
        except ValidationFailed as exc:
            self._show_error("\n".join(p.message(self.ctx.language) for p in exc.problems))
            return None
        except PlanMonitorError as exc:
            self._show_error(exc.message(self.ctx.language))
            self.show_action(self.action.no)
            return None
        self.error.hide()  # the change itself is said in the status bar by the undo history
        return result

    def _show_error(self, text: str) -> None:
        self.error.setText(text)
        self.error.show()
        self.ctx.status_message.emit(text)

    def _data_changed(self, changes: OpChanges) -> None:
        if self.action is None or self._timer.isActive():
            return
        touched = {key[2] for table, key in changes.keys
                   if table in ("action_report", "attachment") and len(key) > 2}
        if self.action.no in touched or changes.tables & {"action", "section"}:
            self.show_action(self.action.no)

    def _review_changed(self) -> None:
        """A review file landed or the selection moved to another decision: the lock and the
        remark may have changed."""
        pending = self.pending_values()
        self._timer.stop()
        if pending and self.editable:
            self.save(pending)  # typed a moment ago: kept
        self._update_hint()
        self.show_action(self.action.no if self.action else None)
        if pending and not self.editable:  # the core would refuse it now: say why it is gone
            sel = self.ctx.selection
            self._show_error(PeriodLocked("error.period_locked", region=sel.region,
                                          period=sel.period).message(self.ctx.language))

    def _selection_changed(self) -> None:
        self.flush()
        if self.action is not None:
            self.action = None if self._fetch(self.action.no) is None else self.action
            self.show_action(self.action.no if self.action else None)

