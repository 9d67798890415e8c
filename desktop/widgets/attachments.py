"""The files attached to an action's report: listed under the report, added, opened with the
system's program (from a private copy removed when the app exits) and removed. A part of the action editor, kept apart; the
file dialogs and the copying are loaded when the person first uses them."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QGroupBox,
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
)

from db import queries
from db.errors import PlanMonitorError
from db.ops import add_attachment, attachment_content, remove_attachment
from resources import formatting
from resources.paths import documents_dir

if TYPE_CHECKING:
    from desktop.context import AppContext


class AttachmentsMixin:
    """The attachments box of `ActionEditor` (which gives ctx, action, editable, _show_error)."""

    ctx: AppContext
    action: queries.ActionRow | None
    editable: bool

    def _build_attachments(self) -> QGroupBox:
        self.files_box = QGroupBox(self)
        layout = QVBoxLayout(self.files_box)
        self.files = QListWidget(self.files_box)
        self.files.setObjectName("attachments")
        self.files.setMaximumHeight(self.files.fontMetrics().height() * 6)
        self.files.itemActivated.connect(lambda _item: self.open_attachment())
        self.files.currentRowChanged.connect(lambda _row: self._update_buttons())
        layout.addWidget(self.files)
        row = QHBoxLayout()
        self.add_button = QPushButton(self.files_box)
        self.open_button = QPushButton(self.files_box)
        self.remove_button = QPushButton(self.files_box)
        self.add_button.clicked.connect(self.choose_attachment)
        self.open_button.clicked.connect(self.open_attachment)
        self.remove_button.clicked.connect(self.remove_attachment)
        for button in (self.add_button, self.open_button, self.remove_button):
            row.addWidget(button)
        row.addStretch(1)
        layout.addLayout(row)
        return self.files_box

    def _fill_attachments(self) -> None:
        self.files.clear()
        if self.action is None:
            return
        sel = self.ctx.selection
        for info in queries.attachments(self.ctx.conn, sel.region, sel.period, self.action.no):
            size_kb = max(1, round(info.size / 1024))
            item = QListWidgetItem(self.ctx.tr("ui.actions.attach_item", name=info.name,
                                               size=size_kb, added=formatting.date(info.added_at)), self.files)
            item.setData(Qt.ItemDataRole.UserRole, info.id)
            item.setToolTip(f"SHA-256 {info.sha256}")

    def _update_buttons(self) -> None:
        has_action = self.action is not None
        chosen = self.files.currentItem() is not None
        self.add_button.setEnabled(has_action and self.editable)
        self.open_button.setEnabled(chosen)
        self.remove_button.setEnabled(chosen and self.editable)

    def choose_attachment(self) -> None:
        from PySide6.QtWidgets import QFileDialog

        path, _filter = QFileDialog.getOpenFileName(self, self.ctx.tr("ui.actions.attach_choose"),
                                                    str(documents_dir()))
        if path:
            self.attach(Path(path))

    def attach(self, path: Path) -> None:
        if self.action is None:
            return
        sel = self.ctx.selection
        try:
            self.ctx.run_op(add_attachment, sel.region, sel.period, self.action.no, path,
                            self.ctx.op_info())
        except (PlanMonitorError, OSError) as exc:
            text = exc.message(self.ctx.language) if isinstance(exc, PlanMonitorError) else str(exc)
            self._show_error(text)

    def current_attachment(self) -> int | None:
        item = self.files.currentItem()
        return int(item.data(Qt.ItemDataRole.UserRole)) if item else None

    def open_attachment(self) -> Path | None:
        """Open the chosen file with the system's program (from a temporary copy)."""
        attachment_id = self.current_attachment()
        if attachment_id is None:
            return None
        target = self.copy_attachment(attachment_id)
        from PySide6.QtCore import QUrl
        from PySide6.QtGui import QDesktopServices

        QDesktopServices.openUrl(QUrl.fromLocalFile(str(target)))
        return target

    def copy_attachment(self, attachment_id: int) -> Path:
        """Write an attached file, under its own name, for the system's program to open: in a
        new owner-only folder inside this session's private one (see resources.private:
        removed when the app exits), created without following any link."""
        name, content = attachment_content(self.ctx.conn, attachment_id)
        import tempfile

        from resources.private import session_folder, write_private

        folder = Path(tempfile.mkdtemp(prefix=f"{attachment_id}-",
                                       dir=session_folder("attachments")))
        target = folder / (Path(name).name or "attachment")
        return write_private(target, content, exclusive=True)

    def remove_attachment(self, confirm: bool = True) -> None:
        attachment_id = self.current_attachment()
        if attachment_id is None:
            return
        if confirm:
            from PySide6.QtWidgets import QMessageBox

            answer = QMessageBox.question(
                self, self.ctx.tr("ui.actions.attach_remove"),
                self.ctx.tr("ui.actions.attach_remove_ask", name=self.files.currentItem().text()))
            if answer != QMessageBox.StandardButton.Yes:
                return
        self.ctx.run_op(remove_attachment, attachment_id, self.ctx.op_info())
