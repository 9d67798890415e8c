"""Settings page: the language (switches at once, no restart), the user's name, where the data is
kept, and backups (list, make one now, restore one)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from db import backup
from db.demo_rows import has_demo, remove_demo
from db.errors import PlanMonitorError
from db.names import region_name
from db.workbook import restore_database
from desktop.context import AppContext
from desktop.widgets.labels import format_number, format_when
from desktop.widgets.wheel_guard import guard_wheel
from resources.private import make_private_dir
from resources.words import LANGS

PAGE_KEY = "settings"
TITLE_KEY = "ui.nav.settings"


class SettingsPage(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self._build()
        ctx.language_changed.connect(lambda _lang: self.retranslate())
        self.retranslate()

    # --- building ---------------------------------------------------------------------------------
    def _build(self) -> None:
        content = QWidget(self)
        layout = QVBoxLayout(content)
        layout.setContentsMargins(16, 12, 16, 16)
        layout.setSpacing(14)
        self.heading = QLabel(content)
        self.heading.setObjectName("pageHeading")
        layout.addWidget(self.heading)
        layout.addWidget(self._build_person(content))
        layout.addWidget(self._build_data(content))
        layout.addWidget(self._build_backups(content))
        layout.addWidget(self._build_demo(content))
        layout.addStretch(1)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setWidget(content)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scroll)

    def _build_person(self, parent: QWidget) -> QGroupBox:
        self.person_box = QGroupBox(parent)
        form = QFormLayout(self.person_box)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.language_combo = QComboBox(self.person_box)
        self.language_combo.setObjectName("languageCombo")
        for lang in LANGS:
            self.language_combo.addItem("", lang)
        self.language_combo.activated.connect(self._language_chosen)
        guard_wheel(self.language_combo)  # the wheel never switches the language
        self.name_edit = QLineEdit(self.person_box)
        self.name_edit.setObjectName("userName")
        self.name_edit.setText(self.ctx.office.user_name)
        self.name_edit.editingFinished.connect(self._name_edited)
        em = self.fontMetrics().horizontalAdvance("M")
        self.language_combo.setMaximumWidth(em * 22)
        self.name_edit.setMaximumWidth(em * 32)
        self.office_value = QLabel(self.person_box)
        self.language_label = QLabel(self.person_box)
        self.name_label = QLabel(self.person_box)
        self.office_label = QLabel(self.person_box)
        self.language_label.setBuddy(self.language_combo)
        self.name_label.setBuddy(self.name_edit)
        form.addRow(self.language_label, self.language_combo)
        form.addRow(self.name_label, self.name_edit)
        form.addRow(self.office_label, self.office_value)
        return self.person_box

    def _build_data(self, parent: QWidget) -> QGroupBox:
        self.data_box = QGroupBox(parent)
        layout = QVBoxLayout(self.data_box)
        self.data_path = QLabel(self.data_box)
        self.data_path.setWordWrap(True)
        self.data_path.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.open_folder = QPushButton(self.data_box)
        self.open_folder.clicked.connect(
            lambda: self._open_folder(self.ctx.db_path.parent))
        row = QHBoxLayout()
        row.addWidget(self.open_folder)
        row.addStretch(1)
        layout.addWidget(self.data_path)
        layout.addLayout(row)
        return self.data_box

    def _build_backups(self, parent: QWidget) -> QGroupBox:
        self.backups_box = QGroupBox(parent)
        layout = QVBoxLayout(self.backups_box)
        self.backups_hint = QLabel(self.backups_box)
        self.backups_hint.setWordWrap(True)
        self.backups = QListWidget(self.backups_box)
        self.backups.setObjectName("backupList")
        self.backups.setMinimumHeight(self.backups.fontMetrics().height() * 8)
        self.backups.currentRowChanged.connect(lambda _row: self._update_buttons())
        self.make_button = QPushButton(self.backups_box)
        self.restore_button = QPushButton(self.backups_box)
        self.backup_folder_button = QPushButton(self.backups_box)
        self.make_button.clicked.connect(self.make_backup)
        self.restore_button.clicked.connect(lambda: self.restore_selected())
        self.backup_folder_button.clicked.connect(
            lambda: self._open_folder(backup.backups_folder(self.ctx.db_path)))
        row = QHBoxLayout()
        for button in (self.make_button, self.restore_button, self.backup_folder_button):
            row.addWidget(button)
        row.addStretch(1)
        layout.addWidget(self.backups_hint)
        layout.addWidget(self.backups)
        layout.addLayout(row)
        return self.backups_box

    def _build_demo(self, parent: QWidget) -> QGroupBox:
        self.demo_box = QGroupBox(parent)
        layout = QVBoxLayout(self.demo_box)
        self.demo_hint = QLabel(self.demo_box)
        self.demo_hint.setWordWrap(True)
        self.demo_button = QPushButton(self.demo_box)
        self.demo_button.setObjectName("removeDemo")
        self.demo_button.clicked.connect(lambda: self.remove_demo())
        row = QHBoxLayout()
        row.addWidget(self.demo_button)
        row.addStretch(1)
        layout.addWidget(self.demo_hint)
        layout.addLayout(row)
        self.ctx.changed.connect(lambda _changes: self._update_demo())
        self.ctx.office_changed.connect(self._update_demo)
        return self.demo_box

    # --- words ------------------------------------------------------------------------------------
    def retranslate(self) -> None:
        tr = self.ctx.tr
        self.heading.setText(f"<h2>{tr('ui.nav.settings')}</h2>")
        self.person_box.setTitle(tr("ui.settings.person"))
        self.language_label.setText(tr("ui.first.language"))
        self.name_label.setText(tr("ui.first.name"))
        self.office_label.setText(tr("ui.settings.office"))
        for index, lang in enumerate(LANGS):
            self.language_combo.setItemText(index, tr(f"ui.lang.{lang}"))
        self.language_combo.setCurrentIndex(LANGS.index(self.ctx.language))
        self.office_value.setText(self._office_text())
        self.data_box.setTitle(tr("ui.settings.data"))
        self.data_path.setText(tr("ui.settings.data_path", path=str(self.ctx.db_path)))
        self.open_folder.setText(tr("ui.settings.open_folder"))
        self.backups_box.setTitle(tr("ui.settings.backups"))
        self.backups_hint.setText(tr("ui.settings.backups_hint"))
        self.make_button.setText(tr("ui.settings.backup_make"))
        self.restore_button.setText(tr("ui.settings.backup_restore"))
        self.backup_folder_button.setText(tr("ui.settings.open_folder"))
        self.demo_box.setTitle(tr("demo.mark"))
        self.demo_hint.setText(tr("demo.remove_hint"))
        self.demo_button.setText(tr("demo.remove_button"))
        self.fill_backups()
        self._update_demo()

    def _office_text(self) -> str:
        office = self.ctx.office
        if office.is_center:
            return self.ctx.tr("ui.status.office_center")
        return region_name(self.ctx.conn, office.region_code, self.ctx.language)

    # --- language and name ------------------------------------------------------------------------
    def _language_chosen(self, index: int) -> None:
        lang = self.language_combo.itemData(index)
        if lang and lang != self.ctx.language:
            self.ctx.save_preferences(language=lang)

    def _name_edited(self) -> None:
        name = self.name_edit.text().strip()
        if name and name != self.ctx.office.user_name:
            self.ctx.save_preferences(user_name=name)

    # --- backups ----------------------------------------------------------------------------------
    def fill_backups(self) -> None:
        self.backups.clear()
        for info in backup.list_backups(self.ctx.db_path):
            size = format_number(info.size / (1024 * 1024), self.ctx.language)
            text = self.ctx.tr("ui.settings.backup_item",
                               when=format_when(info.made.isoformat(timespec="seconds"),
                                                self.ctx.language),
                               reason=info.reason_text(self.ctx.language), size=size,
                               name=info.path.name)
            item = QListWidgetItem(text, self.backups)
            item.setData(Qt.ItemDataRole.UserRole, str(info.path))
            item.setToolTip(str(info.path))
        if not self.backups.count():
            empty = QListWidgetItem(self.ctx.tr("ui.settings.no_backups"), self.backups)
            empty.setFlags(Qt.ItemFlag.NoItemFlags)
        self._update_buttons()

    def _update_buttons(self) -> None:
        item = self.backups.currentItem()
        self.restore_button.setEnabled(item is not None and bool(item.data(Qt.ItemDataRole.UserRole)))

    def make_backup(self) -> Path:
        path = backup.automatic_backup(self.ctx.conn, self.ctx.db_path, reason=backup.MANUAL)
        self.fill_backups()
        self.ctx.status_message.emit(self.ctx.tr("ui.settings.backup_done", file=path.name))
        return path

    def restore_selected(self, confirm: bool = True) -> bool:
        item = self.backups.currentItem()
        if item is None or not item.data(Qt.ItemDataRole.UserRole):
            return False
        source = Path(item.data(Qt.ItemDataRole.UserRole))
        if confirm and QMessageBox.question(
                self, self.ctx.tr("ui.settings.backup_restore"),
                self.ctx.tr("ui.settings.restore_ask", name=source.name)) \
                != QMessageBox.StandardButton.Yes:
            return False
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            safety = restore_database(self.ctx.db_path, source)
        except PlanMonitorError as exc:
            QApplication.restoreOverrideCursor()
            QMessageBox.warning(self, self.ctx.tr("ui.error.title"), exc.message(self.ctx.language))
            return False
        QApplication.restoreOverrideCursor()
        self.ctx.reload_everything()
        self.fill_backups()
        self.ctx.status_message.emit(self.ctx.tr("ui.settings.restore_done", name=source.name,
                                                 safety=safety.name))
        return True

    # --- demo data ------------------------------------------------------------------------------
    def _update_demo(self) -> None:
        present = has_demo(self.ctx.conn)
        self.demo_box.setVisible(present)
        self.demo_button.setEnabled(present)

    def remove_demo(self, confirm: bool = True) -> bool:
        """Remove the demo data after a backup, audited; the band and the views follow."""
        tr = self.ctx.tr
        if confirm and QMessageBox.question(self, tr("demo.remove_button"),
                                            tr("demo.remove_confirm")) \
                != QMessageBox.StandardButton.Yes:
            return False
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            changes, saved = remove_demo(self.ctx.conn, self.ctx.db_path,
                                         self.ctx.op_info(tr("demo.removal_description")))
        finally:
            QApplication.restoreOverrideCursor()
        self.ctx.undo_stack.clear()  # earlier edits of demo rows can no longer be undone
        if changes:
            self.ctx.notify(changes)
        else:
            self.ctx.changed.emit(changes)  # the mark was cleared: the band hides
        self.fill_backups()
        self.ctx.status_message.emit(tr("demo.removed", count=len(changes.changes),
                                        backup=saved.name))
        return True

    @staticmethod
    def _open_folder(folder: Path) -> None:
        if not folder.exists():
            make_private_dir(folder)  # a folder the app makes (backups) is the owner's only
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder)))


def create_page(ctx: AppContext) -> QWidget:
    return SettingsPage(ctx)
